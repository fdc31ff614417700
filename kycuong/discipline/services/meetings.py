"""Meetings and attendance (QĐ 45/2018/QĐ-TTg Đ.15; docs/legal/discipline.md §6.3): invitations, the personal signed code,
check-in and out, the chair's consent to leave early, and closing with the six final states."""
from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kycuong.core.calendars import calendar_for
from kycuong.core.models import Official, Unit

from ..errors import BadToken, DisciplineNotFound, Invalid
from ..models import Attendance, Invitation, Meeting, SourceKind
from ..policy import INVITATION, MEETING, SUBJECT
from .base import _bump, _event, _lock, _now
from .conduct import record_conduct

TOKEN_SALT = "kycuong.discipline.attendance"


def load_meeting(pk, actor, action, at, related=()):
    """The meeting, locked, once the policy allows `action` at `at`."""
    meeting = _lock(Meeting.objects.filter(pk=pk)).select_related("unit", "chair", *related).first()
    if meeting is None:
        raise DisciplineNotFound()
    MEETING.require(actor, meeting, action, at)
    return meeting


def _holder(unit, rank):
    ranks = [rank] if rank else [Official.Rank.HEAD]
    if rank == Official.Rank.DEPUTY:
        ranks.append(Official.Rank.HEAD)
    for r in ranks:
        official = Official.objects.filter(unit=unit, rank=r, active=True).order_by("pk").first()
        if official:
            return official
    return None


@transaction.atomic
def create_meeting(actor, *, title, unit: Unit, chair: Official, starts_at, ends_at, place="", online_link="",
                   units=(), officials=()) -> Meeting:
    """A meeting inviting units (each with its expected rank, head or deputy) and named officials."""
    SUBJECT.require(actor, unit, "create_meeting")
    if not (title or "").strip():
        raise Invalid(_("Hãy nhập tên cuộc họp."), details={"field": "title"})
    starts_at, ends_at = _now(starts_at), _now(ends_at)
    if ends_at <= starts_at:
        raise Invalid(_("Giờ kết thúc phải sau giờ bắt đầu."), details={"field": "ends_at"})
    if not units and not officials:
        raise Invalid(_("Hãy mời ít nhất một đơn vị hoặc một người."), details={"field": "units"})
    meeting = Meeting.objects.create(title=title.strip(), unit=unit, chair=chair, starts_at=starts_at,
                                     ends_at=ends_at, place=place, online_link=online_link, created_by=actor)
    seen = set()
    for invited_unit, rank in units:
        if invited_unit.pk in seen:
            continue
        seen.add(invited_unit.pk)
        Invitation.objects.create(meeting=meeting, unit=invited_unit, expected_rank=rank,
                                  official=_holder(invited_unit, rank))
    for official in officials:
        if not Invitation.objects.filter(meeting=meeting, official=official).exists():
            Invitation.objects.create(meeting=meeting, unit=official.unit, official=official)
    _event("meeting", meeting.pk, "created", actor, {"title": meeting.title, "units": len(seen),
                                                     "officials": len(officials)})
    return meeting


def token_for(invitation: Invitation) -> str:
    """The personal signed code of an invitee (django.core.signing): it names the invitation and meeting."""
    return signing.dumps({"i": invitation.pk, "m": invitation.meeting_id}, salt=TOKEN_SALT, compress=True)


def invitation_for_token(token: str) -> Invitation:
    try:
        data = signing.loads(token, salt=TOKEN_SALT)
    except signing.BadSignature as exc:
        raise BadToken() from exc
    inv = Invitation.objects.select_related("meeting", "unit", "official", "delegate").filter(
        pk=data.get("i"), meeting_id=data.get("m")).first()
    if inv is None:
        raise BadToken()
    return inv


def _load_invitation(pk, actor, action, at, **params):
    """The invitation, locked, once the policy allows `action` (actor None: the holder of the signed code)."""
    inv = _lock(Invitation.objects.filter(pk=pk)).select_related("meeting__unit", "official", "delegate").first()
    if inv is None:
        raise DisciplineNotFound()
    INVITATION.require(actor, inv, action, at, params=params)
    return inv


@transaction.atomic
def reply(invitation_pk, *, accept: bool, reason: str = "", delegate: Official | None = None, actor=None, at=None):
    """The invitee answers with their signed code (QĐ 45/2018 Đ.15). A head who cannot come reports to the
    chair with a reason and may name a delegate, who then attends in their place."""
    at = _now(at)
    inv = _load_invitation(invitation_pk, actor, "reply", at)
    if not accept and not (reason or "").strip():
        raise Invalid(_("Hãy nêu lý do vắng mặt để báo cáo người chủ trì."), details={"field": "reason"})
    if delegate is not None and delegate.unit_id != inv.unit_id:
        raise Invalid(_("Người đi thay phải cùng đơn vị được mời."), details={"field": "delegate"})
    Invitation.objects.filter(pk=inv.pk).update(
        reply=Invitation.Reply.ACCEPTED if accept else Invitation.Reply.DECLINED, reply_reason=(reason or "").strip(),
        delegate=delegate if not accept else None, replied_at=at)
    _event("meeting", inv.meeting_id, "replied", actor, {"invitation": inv.pk, "accept": accept,
                                                        "delegate": delegate.pk if delegate else None}, at=at)
    inv.refresh_from_db()
    return inv


@transaction.atomic
def check_in(invitation_pk, *, at=None, actor=None) -> Invitation:
    """Check-in by the personal QR code (actor None) or by the secretary on a tablet (actor)."""
    at = _now(at)
    inv = _load_invitation(invitation_pk, actor, "check_in", at)
    Invitation.objects.filter(pk=inv.pk).update(checked_in_at=at)
    _event("meeting", inv.meeting_id, "checked_in", actor, {"invitation": inv.pk, "by": "secretary" if actor else "qr"}, at=at)
    inv.checked_in_at = at
    return inv


@transaction.atomic
def check_out(invitation_pk, *, at=None, actor=None, reason="") -> Invitation:
    """Check-out. Before the end it is leaving early: allowed only with the chair's consent recorded
    (consent_leave) — otherwise it stays on record as leaving without reporting."""
    at = _now(at)
    inv = _load_invitation(invitation_pk, actor, "check_out", at)
    Invitation.objects.filter(pk=inv.pk).update(checked_out_at=at, leave_reason=(reason or "").strip()[:1000])
    _event("meeting", inv.meeting_id, "checked_out", actor, {"invitation": inv.pk, "early": at < inv.meeting.ends_at,
                                                            "consent": bool(inv.leave_consent_at)}, at=at)
    inv.checked_out_at = at
    return inv


@transaction.atomic
def consent_leave(actor, invitation_pk, *, reason="", at=None) -> Invitation:
    """The chair's consent to leave early, recorded by the chair or the secretary (QĐ 45/2018 Đ.15)."""
    at = _now(at)
    inv = _load_invitation(invitation_pk, actor, "consent_leave", at)
    Invitation.objects.filter(pk=inv.pk).update(leave_consent_at=at, leave_consent_by=actor,
                                                leave_reason=(reason or inv.leave_reason)[:1000])
    _event("meeting", inv.meeting_id, "leave_consented", actor, {"invitation": inv.pk}, at=at)
    inv.refresh_from_db()
    return inv


def late_grace() -> timedelta:
    return timedelta(minutes=int(getattr(settings, "KYCUONG_MEETING_LATE_MINUTES", 10)))


def final_state(inv: Invitation, meeting: Meeting) -> str:
    """One of the six final states (docs/legal/discipline.md §6.3). Leaving early outranks lateness; a declined invitation
    with a named delegate who never came is an absence without reason."""
    if not inv.checked_in_at:
        if inv.reply == Invitation.Reply.DECLINED and inv.delegate_id is None:
            return Attendance.ABSENT_REPORTED
        return Attendance.ABSENT_UNREPORTED
    if inv.checked_out_at and inv.checked_out_at < meeting.ends_at:
        return Attendance.LEFT_WITH_CONSENT if inv.leave_consent_at else Attendance.LEFT_UNREPORTED
    if inv.checked_in_at > meeting.starts_at + late_grace():
        return Attendance.LATE
    return Attendance.PRESENT


VIOLATIONS = {
    Attendance.ABSENT_UNREPORTED: ("QĐ45-D15-THANHPHAN", gettext_lazy("Vắng họp không báo cáo người chủ trì")),
    Attendance.LEFT_UNREPORTED: ("QĐ45-D15-DUTHOIGIAN", gettext_lazy("Rời cuộc họp trước khi kết thúc không báo cáo, không được chủ trì đồng ý")),
    Attendance.LATE: ("QĐ45-D15-DUNGGIO", gettext_lazy("Đến họp muộn")),
}


@transaction.atomic
def close_meeting(actor, meeting_pk, *, at=None, expected_version=None) -> Meeting:
    """End the meeting: fix each invitee's final state, set the 5-working-day limit of the conclusions
    notice (QĐ 45/2018), and record the attendance violations as conduct records."""
    at = _now(at)
    meeting = load_meeting(meeting_pk, actor, "close", at)
    cal = calendar_for(meeting.unit)
    _bump(Meeting, meeting, expected_version, state=Meeting.State.CLOSED, closed_at=at,
          conclusions_due_at=cal.due(max(meeting.ends_at, meeting.starts_at), 5, "working_days").due)
    counts = {}
    for inv in meeting.invitations.select_related("unit", "official", "delegate"):
        state = final_state(inv, meeting)
        Invitation.objects.filter(pk=inv.pk).update(final_state=state)
        counts[state] = counts.get(state, 0) + 1
        if state in VIOLATIONS:
            code, label = VIOLATIONS[state]
            who = inv.attendee
            record_conduct(None, unit=inv.unit, official=who, source_kind=SourceKind.MEETING,
                           source_ref=f"meeting:{meeting.pk}", rule_code=code, occurred_at=meeting.starts_at,
                           description=f"{label}: {meeting.title} ({timezone.localtime(meeting.starts_at):%H:%M %d/%m/%Y}).")
    _event("meeting", meeting.pk, "closed", actor, {"counts": counts}, at=at)
    return meeting
