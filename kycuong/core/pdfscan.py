"""Finds active content in an uploaded PDF (used by core.uploads, which turns a verdict into a refusal).

What a PDF viewer may run or open by itself, or hide inside the file, is looked for where viewers look:
the catalog (its /Names tree, /OpenAction, /AA, /AcroForm and its fields, the outline), and each page's
/AA and annotations. Content streams are never walked (text and drawing cannot act), so a 10 MB scan
takes milliseconds. Everything walked is counted against a budget: a file built to exhaust the walk is
refused as too complex rather than half-checked. A raw search for the same names over the file's bytes
is a second net, for a document that a viewer would read differently from pypdf's lenient parser.
"""
import io
import re
from dataclasses import dataclass, field

from pypdf import PasswordType, PdfReader
from pypdf.generic import ArrayObject, DictionaryObject

MAX_PAGES = 2000
MAX_NODES = 50_000  # dictionaries visited in all (pages, annotations, fields, outline items, actions)

# What each finding is called in the refusal's `details` (stable keys; core.uploads has the words).
JAVASCRIPT, LAUNCH, SUBMIT_FORM, IMPORT_DATA = "javascript", "launch", "submit_form", "import_data"
REMOTE_GOTO, EMBEDDED_GOTO, EMBEDDED_FILE, RICH_MEDIA, XFA = (
    "remote_goto", "embedded_goto", "embedded_file", "rich_media", "xfa")
ORDER = (JAVASCRIPT, LAUNCH, SUBMIT_FORM, IMPORT_DATA, REMOTE_GOTO, EMBEDDED_GOTO, EMBEDDED_FILE, RICH_MEDIA, XFA)

ACTION_FINDING = {"/JavaScript": JAVASCRIPT, "/Launch": LAUNCH, "/SubmitForm": SUBMIT_FORM,
                  "/ImportData": IMPORT_DATA, "/GoToR": REMOTE_GOTO, "/GoToE": EMBEDDED_GOTO,
                  "/RichMediaExecute": RICH_MEDIA}
# Actions that run without the reader asking for them (/OpenAction, /AA): anything that reaches outside.
AUTOMATIC = frozenset(ACTION_FINDING)
# Actions behind a click (a link, a button, a bookmark): what runs code or another program.
ON_CLICK = frozenset({"/JavaScript", "/Launch", "/RichMediaExecute"})

# Names are delimited by whitespace or a delimiter; `/JS1` (a font) is not `/JS`.
RAW_NAMES = re.compile(rb"/(JavaScript|JS|Launch|EmbeddedFiles?|RichMedia|XFA)(?=[\s/<>\[\]()%{}]|$)")
RAW_FINDING = {b"JavaScript": JAVASCRIPT, b"JS": JAVASCRIPT, b"Launch": LAUNCH, b"EmbeddedFile": EMBEDDED_FILE,
               b"EmbeddedFiles": EMBEDDED_FILE, b"RichMedia": RICH_MEDIA, b"XFA": XFA}

OK, ACTIVE, ENCRYPTED, UNREADABLE, TOO_COMPLEX = "ok", "active", "encrypted", "unreadable", "too_complex"


@dataclass(frozen=True)
class Verdict:
    status: str
    found: tuple[str, ...] = field(default=())


class _TooComplex(Exception):
    pass


def _res(obj):
    return obj.get_object() if obj is not None and hasattr(obj, "get_object") else obj


def _get(d, key):
    return _res(d.get(key)) if isinstance(d, DictionaryObject) else None


class _Walk:
    def __init__(self):
        self.found: set[str] = set()
        self.seen: set[int] = set()
        self.left = MAX_NODES

    def visit(self, obj) -> bool:
        """True the first time a dictionary is met; counts it against the budget."""
        if not isinstance(obj, DictionaryObject) or id(obj) in self.seen:
            return False
        self.left -= 1
        if self.left < 0:
            raise _TooComplex
        self.seen.add(id(obj))
        return True

    def action(self, obj, kinds):
        """An action and its /Next chain (a dictionary or an array of them)."""
        stack = [obj]
        while stack:
            a = _res(stack.pop())
            if isinstance(a, ArrayObject):
                stack.extend(a)
                continue
            if not self.visit(a):
                continue
            if "/JS" in a:
                self.found.add(JAVASCRIPT)
            kind = _get(a, "/S")
            if kind in kinds:
                self.found.add(ACTION_FINDING[kind])
            if "/Next" in a:
                stack.append(a.get("/Next"))

    def additional(self, aa):
        """/AA: actions on events (open, close, keystroke, format…), none of which the reader asks for."""
        aa = _res(aa)
        if isinstance(aa, DictionaryObject):
            for trigger in list(aa.values()):
                self.action(trigger, AUTOMATIC)

    def widget(self, d):
        """An annotation or a form field: its click action and its event actions."""
        if "/A" in d:
            self.action(d.get("/A"), ON_CLICK)
        if "/AA" in d:
            self.additional(d.get("/AA"))

    def annotation(self, annot):
        annot = _res(annot)
        if not self.visit(annot):
            return
        subtype = _get(annot, "/Subtype")
        if subtype == "/FileAttachment":
            self.found.add(EMBEDDED_FILE)
        elif subtype == "/RichMedia":
            self.found.add(RICH_MEDIA)
        self.widget(annot)

    def fields(self, fields):
        stack = list(_res(fields) or [])
        while stack:
            f = _res(stack.pop())
            if not self.visit(f):
                continue
            self.widget(f)
            stack.extend(_res(f.get("/Kids")) or [])

    def outline(self, outlines):
        stack = [_get(outlines, "/First")]
        while stack:
            item = _res(stack.pop())
            if not self.visit(item):
                continue
            if "/A" in item:
                self.action(item.get("/A"), ON_CLICK)
            stack.extend(x for x in (item.get("/First"), item.get("/Next")) if x is not None)

    def catalog(self, root):
        names = _get(root, "/Names")
        if isinstance(names, DictionaryObject):
            if "/JavaScript" in names:
                self.found.add(JAVASCRIPT)
            if "/EmbeddedFiles" in names:
                self.found.add(EMBEDDED_FILE)
        opening = _get(root, "/OpenAction")
        if isinstance(opening, DictionaryObject):  # an array is a destination: where to open, harmless
            self.action(opening, AUTOMATIC)
        if "/AA" in root:
            self.additional(root.get("/AA"))
        form = _get(root, "/AcroForm")
        if isinstance(form, DictionaryObject):
            if "/XFA" in form:
                self.found.add(XFA)
            self.fields(form.get("/Fields"))
        if "/Outlines" in root:
            self.outline(_get(root, "/Outlines"))

    def page(self, page):
        self.visit(page)
        if "/AA" in page:
            self.additional(page.get("/AA"))
        for annot in _res(page.get("/Annots")) or []:
            self.annotation(annot)


def scan(data: bytes) -> Verdict:
    """The verdict on PDF bytes: OK, or why not (the findings, if active content)."""
    raw = {RAW_FINDING[m.group(1)] for m in RAW_NAMES.finditer(data)}
    walk = _Walk()
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            try:
                opened = reader.decrypt("")  # an owner password alone (no password to open) is fine
            except Exception:  # e.g. AES without a crypto library: cannot be checked, so refused as encrypted
                opened = PasswordType.NOT_DECRYPTED
            if opened == PasswordType.NOT_DECRYPTED:
                return Verdict(ENCRYPTED)
        root = _res(reader.trailer.get("/Root"))
        if not isinstance(root, DictionaryObject):
            return Verdict(UNREADABLE)
        walk.visit(root)
        walk.catalog(root)
        if len(reader.pages) > MAX_PAGES:
            raise _TooComplex
        for page in reader.pages:
            walk.page(page)
    except (_TooComplex, RecursionError):
        return Verdict(TOO_COMPLEX)
    except Exception:  # pypdf raises many kinds on a malformed file; every one means "cannot be checked"
        return Verdict(UNREADABLE)
    found = walk.found | raw
    if found:
        return Verdict(ACTIVE, tuple(k for k in ORDER if k in found))
    return Verdict(OK)
