"""The only code that changes portal data: accounts and one-time codes, drafts and their files, ratings.

Each public function is one transaction; mail, SMS and file moves run on commit, so a failure halfway
leaves nothing behind (docs/design.md rule 1). Dossiers are created by `onestop.services.submit_online`.
"""
import hashlib
import hmac
import re
import secrets
import uuid
from datetime import timedelta

from django.conf import settings
from django.core.files.storage import default_storage
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _g
from django.utils.translation import gettext_lazy as _

from kycuong.catalog.models import COMMUNE_UNIT_KINDS, OnlineLevel, ProcedureDocument
from kycuong.catalog.queries import procedure_by_code
from kycuong.core import events
from kycuong.core.models import Unit, User
from kycuong.core.notifications import notify_many
from kycuong.core.ratelimit import charge
from kycuong.core.services import create_user
from kycuong.core.text import nfc
from kycuong.core.uploads import check_files
from kycuong.onestop import services as onestop
from kycuong.onestop.models import Dossier
from kycuong.onestop.workflow import State

from . import notify
from .errors import (
    AccountExists, AlreadyRated, AlreadySubmitted, CodeExhausted, CodeWrong, DraftNotFound, Invalid, NoAccount,
    NotRateable, StaleForm,
)
from .models import Draft, DraftFile, DossierFile, OneTimeCode, Profile, Rating

PHONE_RE = re.compile(r"^0\d{9}$")


def _setting(name, default):
    return getattr(settings, name, default)


# --- accounts ------------------------------------------------------------------------------------------

def normalise_contact(identifier: str) -> tuple[str, str]:
    """("email", address) or ("phone", 0xxxxxxxxx). +84 / 84 prefixes become 0."""
    text = (identifier or "").strip()
    if "@" in text:
        text = text.lower()
        try:
            validate_email(text)
        except ValidationError as exc:
            raise Invalid(_("Thư điện tử không đúng định dạng, ví dụ ten@vidu.vn."),
                          code="PORTAL_BAD_EMAIL") from exc
        return "email", text
    digits = re.sub(r"[\s.\-()]", "", text)
    if digits.startswith("+84"):
        digits = "0" + digits[3:]
    elif digits.startswith("84") and len(digits) == 11:
        digits = "0" + digits[2:]
    if not PHONE_RE.match(digits):
        raise Invalid(_("Nhập thư điện tử hoặc số điện thoại di động 10 chữ số, ví dụ 0912345678."),
                      code="PORTAL_BAD_CONTACT")
    return "phone", digits


def _hash(destination: str, code: str) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), f"{destination}:{code}".encode(), hashlib.sha256).hexdigest()


def citizen_by_contact(kind: str, value: str):
    qs = User.objects.filter(role=User.Role.CITIZEN, is_active=True)
    return (qs.filter(email__iexact=value) if kind == "email" else qs.filter(phone=value)).first()


def request_code(identifier: str, purpose: str, *, ip: str = "", full_name: str = "",
                 kind: str = Profile.Kind.PERSON) -> str:
    """Send a 6-digit code to the e-mail or phone; returns the normalised destination.

    Rate-limited per destination and per client address; earlier unused codes for the same purpose die.
    """
    channel, destination = normalise_contact(identifier)
    charge("otp-send-ip", ip or "unknown", int(_setting("KYCUONG_OTP_SENDS_PER_IP_PER_MINUTE", 10)))
    charge("otp-send", destination, int(_setting("KYCUONG_OTP_SENDS_PER_MINUTE", 3)))
    existing = citizen_by_contact(channel, destination)
    payload = {}
    if purpose == OneTimeCode.Purpose.SIGN_UP:
        if existing is not None or User.objects.filter(username=destination).exists():
            raise AccountExists()
        name = nfc(full_name).strip()
        if not name:
            raise Invalid(_("Nhập họ và tên hoặc tên doanh nghiệp."), code="PORTAL_NAME_REQUIRED")
        if kind not in Profile.Kind.values:
            raise Invalid(_("Chọn loại tài khoản."), code="PORTAL_BAD_KIND")
        payload = {"full_name": name, "kind": kind}
    elif existing is None:
        raise NoAccount()
    code = f"{secrets.randbelow(10 ** 6):06d}"
    now = timezone.now()
    ttl = int(_setting("KYCUONG_OTP_TTL_MINUTES", 10))
    with transaction.atomic():
        OneTimeCode.objects.filter(destination=destination, purpose=purpose, used_at__isnull=True).update(used_at=now)
        OneTimeCode.objects.create(destination=destination, purpose=purpose, code_hash=_hash(destination, code),
                                   payload=payload, created_at=now, expires_at=now + timedelta(minutes=ttl))
        text = _g("Mã xác thực Kỷ Cương của bạn là %(code)s, có hiệu lực %(m)s phút. Không đưa mã này cho ai.") % {
            "code": code, "m": ttl}
        transaction.on_commit(lambda: notify.send_direct(channel, destination, _g("Mã xác thực"), text))
    return destination


def verify_code(identifier: str, purpose: str, code: str, *, ip: str = "") -> User:
    """Check the code; on success create (sign-up) or find (sign-in) the citizen account."""
    channel, destination = normalise_contact(identifier)
    charge("otp-verify-ip", ip or "unknown", int(_setting("KYCUONG_OTP_VERIFY_PER_IP_PER_MINUTE", 20)))
    now = timezone.now()
    max_attempts = int(_setting("KYCUONG_OTP_MAX_ATTEMPTS", 5))
    with transaction.atomic():
        otp = (OneTimeCode.objects.select_for_update()
               .filter(destination=destination, purpose=purpose, used_at__isnull=True, expires_at__gt=now)
               .order_by("-created_at", "-id").first())
        if otp is None:
            raise CodeWrong()
        if otp.attempts >= max_attempts:
            raise CodeExhausted()
        ok = hmac.compare_digest(otp.code_hash, _hash(destination, (code or "").strip()))
        if not ok:
            # Counted (committed) before refusing, so guessing costs attempts.
            OneTimeCode.objects.filter(pk=otp.pk).update(attempts=otp.attempts + 1)
    if not ok:
        raise CodeExhausted() if otp.attempts + 1 >= max_attempts else CodeWrong()
    with transaction.atomic():
        if OneTimeCode.objects.filter(pk=otp.pk, used_at__isnull=True).update(used_at=now) != 1:
            raise CodeWrong()
        if purpose == OneTimeCode.Purpose.SIGN_UP:
            if citizen_by_contact(channel, destination) or User.objects.filter(username=destination).exists():
                raise AccountExists()
            user = create_user(destination, None, role=User.Role.CITIZEN, full_name=otp.payload.get("full_name", ""),
                               email=destination if channel == "email" else "",
                               phone=destination if channel == "phone" else "")
            Profile.objects.create(user=user, kind=otp.payload.get("kind", Profile.Kind.PERSON))
            return user
        user = citizen_by_contact(channel, destination)
        if user is None:
            raise NoAccount()
        return user


def profile_of(user) -> Profile:
    profile = Profile.objects.filter(user=user).first()
    return profile or Profile(user=user)


@transaction.atomic
def update_profile(user, *, full_name: str, id_number: str = "", address: str = "", email: str = "",
                   phone: str = "") -> Profile:
    name = nfc(full_name).strip()
    if not name:
        raise Invalid(_("Nhập họ và tên hoặc tên doanh nghiệp."), code="PORTAL_NAME_REQUIRED")
    id_number = (id_number or "").strip()
    if id_number and not re.fullmatch(r"\d{9,13}", id_number):
        raise Invalid(_("Số định danh cá nhân gồm 12 chữ số (mã số doanh nghiệp 10 hoặc 13 chữ số)."),
                      code="PORTAL_BAD_ID_NUMBER")
    User.objects.filter(pk=user.pk).update(full_name=name)
    user.full_name = name
    profile, _created = Profile.objects.get_or_create(user=user)
    Profile.objects.filter(pk=profile.pk).update(id_number=id_number, address=nfc(address).strip())
    profile.refresh_from_db()
    return profile


# --- drafts ------------------------------------------------------------------------------------------

def online_version(procedure_code: str):
    version = procedure_by_code(procedure_code)
    if not version.channel_online or version.online_level == OnlineLevel.NONE:
        raise Invalid(_("Thủ tục này chưa cung cấp dịch vụ nộp trực tuyến."), code="PORTAL_NOT_ONLINE")
    return version


def deciding_choices(version):
    units = list(version.deciding_units.all().order_by("name"))
    if version.all_communes:
        units = list(Unit.objects.filter(kind__in=COMMUNE_UNIT_KINDS, valid_to__isnull=True).order_by("name"))
    return units


def _draft(user, draft_id, *, lock=False) -> Draft:
    qs = Draft.objects.select_related("procedure", "deciding_unit")
    if lock:
        qs = qs.select_for_update(of=("self",))
    draft = qs.filter(pk=draft_id, user=user).first() if user and user.is_authenticated else None
    if draft is None:
        raise DraftNotFound()
    return draft


@transaction.atomic
def start_draft(user, procedure_code: str) -> Draft:
    """Resume the citizen's open draft of this procedure, or open one pre-filled from the profile."""
    version = online_version(procedure_code)
    draft = Draft.objects.filter(user=user, procedure=version.procedure, dossier__isnull=True).first()
    if draft is not None:
        return draft
    profile = profile_of(user)
    units = deciding_choices(version)
    return Draft.objects.create(
        user=user, procedure=version.procedure, deciding_unit=units[0] if len(units) == 1 else None,
        applicant={"name": user.full_name, "id_number": profile.id_number, "phone": user.phone,
                   "email": user.email, "address": profile.address},
    )


def _touch(draft, **fields):
    fields["updated_at"] = timezone.now()
    Draft.objects.filter(pk=draft.pk).update(**fields)
    for k, v in fields.items():
        setattr(draft, k, v)


def _open(draft):
    if draft.dossier_id:
        raise AlreadySubmitted(details={"dossier": draft.dossier.code})


@transaction.atomic
def save_applicant(user, draft_id, *, applicant: dict, deciding_unit: Unit | None) -> Draft:
    draft = _draft(user, draft_id, lock=True)
    _open(draft)
    clean = {k: nfc(str(applicant.get(k, "") or "")).strip() for k in ("name", "id_number", "phone", "email", "address")}
    if not clean["name"]:
        raise Invalid(_("Nhập họ và tên người nộp hồ sơ."), code="PORTAL_APPLICANT_REQUIRED")
    units = deciding_choices(procedure_by_code(draft.procedure.code))
    if deciding_unit is None or deciding_unit not in units:
        raise Invalid(_("Chọn cơ quan giải quyết hồ sơ."), code="PORTAL_UNIT_REQUIRED")
    _touch(draft, applicant=clean, deciding_unit=deciding_unit, step=Draft.Step.DOCUMENTS)
    return draft


@transaction.atomic
def set_step(user, draft_id, step: str) -> Draft:
    draft = _draft(user, draft_id, lock=True)
    _open(draft)
    if step not in Draft.Step.values:
        raise Invalid(code="PORTAL_BAD_STEP")
    _touch(draft, step=step)
    return draft


def add_files(user, draft_id, document_id, uploads) -> list[DraftFile]:
    """Check every file by content and size (kycuong.core.uploads) before any is kept."""
    saved = []
    try:
        with transaction.atomic():
            draft = _draft(user, draft_id, lock=True)
            _open(draft)
            version = procedure_by_code(draft.procedure.code)
            document = ProcedureDocument.objects.filter(pk=document_id, version=version).first()
            if document is None:
                raise Invalid(_("Chọn giấy tờ cần tải lên."), code="PORTAL_BAD_DOCUMENT")
            uploads = [u for u in uploads if u is not None]
            if not uploads:
                raise Invalid(_("Chọn tệp để tải lên."), code="PORTAL_NO_FILE")
            held = sum(f.size for f in draft.files.all())
            checked = check_files(uploads, already_bytes=held)
            rows = []
            for upload, info in zip(uploads, checked, strict=True):
                upload.seek(0)
                row = DraftFile(draft=draft, document=document, name=nfc(info.name)[:255] or "tep",
                                size=info.size, mime=info.mime, extension=info.extension)
                row.file.save("x", upload, save=False)  # the stored name comes from _draft_path
                saved.append(row.file.name)
                row.save()
                rows.append(row)
            _touch(draft)
            return rows
    except BaseException:
        for name in saved:  # the rows are gone with the rollback: so are their bytes
            default_storage.delete(name)
        raise


@transaction.atomic
def remove_file(user, draft_id, file_id) -> None:
    draft = _draft(user, draft_id, lock=True)
    _open(draft)
    row = draft.files.filter(pk=file_id).first()
    if row is None:
        raise Invalid(_("Không tìm thấy tệp."), code="PORTAL_FILE_NOT_FOUND")
    name = row.file.name
    row.delete()
    _touch(draft)
    transaction.on_commit(lambda: default_storage.delete(name))


def missing_documents(draft) -> list[ProcedureDocument]:
    version = procedure_by_code(draft.procedure.code)
    have = set(draft.files.values_list("document_id", flat=True))
    return [d for d in version.documents.all() if d.mandatory and d.pk not in have]


def submit_draft(user, draft_id, key: str, *, lookup_url: str = "") -> Dossier:
    """Draft → dossier in state 1, in one transaction. A second POST of the same page is refused.

    Files are copied to the dossier's place only after the commit: an interrupted submission leaves the
    draft and its files as they were and no dossier at all.
    """
    with transaction.atomic():
        draft = _draft(user, draft_id, lock=True)
        if draft.dossier_id:
            raise AlreadySubmitted(details={"dossier": draft.dossier.code})
        if str(draft.idempotency_key) != str(key or ""):
            raise StaleForm()
        missing = missing_documents(draft)
        if missing:
            raise Invalid(_("Còn thiếu giấy tờ bắt buộc: %(docs)s") % {"docs": "; ".join(d.name for d in missing)},
                          code="PORTAL_DOCUMENTS_MISSING", details={"missing": [d.pk for d in missing]})
        a = draft.applicant or {}
        files = list(draft.files.select_related("document"))
        dossier = onestop.submit_online(
            user, procedure_code=draft.procedure.code, deciding_unit=draft.deciding_unit,
            applicant=onestop.Applicant(name=a.get("name", ""), id_number=a.get("id_number", ""),
                                        phone=a.get("phone", ""), email=a.get("email", ""),
                                        address=a.get("address", "")),
            documents=sorted({f.document_id for f in files if f.document_id}),
        )
        moves = []
        for f in files:
            target = f"dossiers/{dossier.code.replace('.', '_')}/{uuid.uuid4().hex}.{f.extension}"
            DossierFile.objects.create(dossier=dossier, document=f.document,
                                       document_name=f.document.name if f.document else "",
                                       file=target, name=f.name, size=f.size, mime=f.mime)
            moves.append((f.file.name, target))
        _touch(draft, dossier=dossier)
        events.append("dossier", dossier.code, "files_attached", actor=user, public=False,
                      data={"files": [{"name": f.name, "size": f.size, "mime": f.mime} for f in files]})
        code, contact = dossier.code, (a.get("email") or user.email, a.get("phone") or user.phone)
        transaction.on_commit(lambda: _move_files(moves))
        transaction.on_commit(lambda: notify.send_receipt(user, code, contact, lookup_url))
    return dossier


def _move_files(moves):
    for source, target in moves:
        with default_storage.open(source, "rb") as fh:
            saved = default_storage.save(target, fh)
        if saved != target:  # never expected (uuid names); keep the row pointing at the real file
            DossierFile.objects.filter(file=target).update(file=saved)
        default_storage.delete(source)


# --- ratings ----------------------------------------------------------------------------------------

def _low(scores: dict) -> bool:
    threshold = int(_setting("KYCUONG_RATING_ALERT_THRESHOLD", 2))
    return any(v is not None and v <= threshold for v in scores.values())


@transaction.atomic
def rate(user, code: str, *, liked: bool | None = None, scores: dict | None = None, comment: str = "") -> Rating:
    """The one-click like/dislike (QĐ 766 indicator 5.4) and/or the SIPAS five-factor survey (docs/legal/reform.md §4.1).

    One rating per dossier: the like/dislike once, the survey once (it may follow the click). A dislike or a
    score at or below KYCUONG_RATING_ALERT_THRESHOLD alerts the leaders of the dossier's unit, once.
    """
    dossier = Dossier.objects.select_for_update().filter(code=code, applicant=user).first() if user else None
    if dossier is None:
        from kycuong.onestop.errors import DossierNotFound

        raise DossierNotFound()
    if dossier.state != State.RETURNED:
        raise NotRateable()
    scores = {k: v for k, v in (scores or {}).items() if v not in (None, "")}
    for k, v in scores.items():
        if k not in Rating.FACTORS or int(v) not in range(1, 6):
            raise Invalid(_("Mỗi tiêu chí chấm theo thang 1 đến 5."), code="PORTAL_BAD_SCORE")
    rating = Rating.objects.filter(dossier=dossier).first()
    now = timezone.now()
    if rating is None:
        if liked is None and not scores:
            raise Invalid(_("Chọn hài lòng hoặc không hài lòng."), code="PORTAL_RATING_EMPTY")
        rating = Rating(dossier=dossier, unit_id=dossier.unit_id, procedure_id=dossier.procedure_id, user=user,
                        rated_at=now, liked=liked)
    elif liked is not None or not scores or rating.surveyed_at is not None:
        raise AlreadyRated()
    if scores:
        if len(scores) != len(Rating.FACTORS):
            raise Invalid(_("Hãy chấm đủ năm tiêu chí."), code="PORTAL_SCORES_INCOMPLETE")
        rating.access, rating.procedure_score = int(scores["access"]), int(scores["procedure"])
        rating.officer, rating.result, rating.feedback = (int(scores["officer"]), int(scores["result"]),
                                                          int(scores["feedback"]))
        rating.comment = nfc(comment or "").strip()
        rating.surveyed_at = now
    alert = rating.alerted_at is None and (rating.liked is False or _low(rating.scores()))
    if alert:
        rating.alerted_at = now
    rating.save()
    events.append("rating", dossier.code, "rated", actor=user, public=False,
                  data={"liked": rating.liked, "scores": rating.scores(), "alert": alert})
    if alert:
        leaders = User.objects.filter(role=User.Role.UNIT_LEADER, unit_id=dossier.unit_id, is_active=True)
        with translation.override(settings.LANGUAGE_CODE):  # for the leaders, not in the citizen's language
            text = _g("Hồ sơ %(code)s bị đánh giá không hài lòng. Hãy xem và xử lý.") % {"code": dossier.code}
        notify_many(leaders, "rating_alert", dossier.code, text)
    return rating
