"""How the portal reaches a citizen: the in-app inbox (core.notifications), e-mail (Django's mail backend)
and SMS (the adapter in `sms`). Status changes of a dossier reach its applicant through the one-stop's
`dossier_event` signal, sent with each event of the chain: every public dossier event is a status change
worth telling (docs/design.md rule 3).
"""
import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from kycuong.core.notifications import notify

from .sms import send_sms

log = logging.getLogger(__name__)
QUIET_KINDS = {"submitted_online", "files_attached", "warned"}  # the receipt tells about submission itself


def send_direct(channel: str, destination: str, subject: str, text: str) -> None:
    """Best effort: a mail or SMS server being down must not undo what already happened."""
    try:
        if channel == "email":
            send_mail(subject, text, getattr(settings, "DEFAULT_FROM_EMAIL", None), [destination])
        else:
            send_sms(destination, text)
    except Exception:  # noqa: BLE001 - logged; the in-app notification remains
        log.exception("could not send %s to %s", channel, destination)


def tell(user, contact, kind, subject_code, title, text):
    """In-app notification now (same transaction) and e-mail/SMS after commit."""
    if user is not None:
        notify(user, kind, subject_code, text)
    email, phone = contact
    if email:
        transaction.on_commit(lambda: send_direct("email", email, title, text))
    if phone:
        transaction.on_commit(lambda: send_direct("phone", phone, title, text))


def send_receipt(user, code, contact, lookup_url):
    with translation.override("vi"):
        title = _("Biên nhận hồ sơ %(code)s") % {"code": code}
        text = _("Hồ sơ %(code)s đã được nộp trực tuyến và đang chờ tiếp nhận. Tra cứu: %(url)s") % {
            "code": code, "url": f"{lookup_url or '/tra-cuu/'}{code}/"}
    email, phone = contact
    notify(user, "dossier_submitted", code, text)
    if email:
        send_direct("email", email, title, text)
    if phone:
        send_direct("phone", phone, title, text)


def on_dossier_event(sender, dossier, event, **kwargs):
    """`onestop.signals.dossier_event`: a public event of a citizen's dossier is a status change to tell them.

    Counter dossiers have no account: they return here without a query (intake speed)."""
    if dossier.applicant_id is None or not event.public or event.kind in QUIET_KINDS:
        return
    from kycuong.onestop.labels import EVENT_LABELS

    with translation.override("vi"):
        label = EVENT_LABELS.get(event.kind, event.kind)
        title = _("Hồ sơ %(code)s: %(what)s") % {"code": dossier.code, "what": label}
        text = _("Hồ sơ %(code)s: %(what)s. Trạng thái: %(state)s.") % {
            "code": dossier.code, "what": label, "state": dossier.get_state_display()}
    applicant = dossier.applicant
    tell(applicant, (dossier.applicant_email or applicant.email, dossier.applicant_phone or applicant.phone),
         "dossier_status", dossier.code, title, text)
