"""Meetings and attendance (QĐ 45/2018/QĐ-TTg Đ.14–15; docs/legal/discipline.md §6.3): two state tables.

A meeting is planned, then closed (attendance fixed). An invitation's attendance state is read from its
times: invited → present (checked in) → left (checked out); once the meeting closes, every invitation is
final. The holder of the personal signed code acts as "attendee" without signing in; the secretary acts on
the tablet as an organiser of the meeting's unit.
"""
from datetime import timedelta

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kycuong.core.policy import Refusal
from kycuong.core.scope import unit_in_scope

from ..access import is_organiser
from ..errors import AlreadyDone, SelfConsent, WrongState
from ..models import Attendance, Letter, Meeting
from .common import ATTENDEE, ORGANISERS, SYSTEM, T, actor_kind, book, in_scope_of

PLANNED, CLOSED = Meeting.State.PLANNED, Meeting.State.CLOSED
INVITED, PRESENT, LEFT, FINAL = "invited", "present", "left", "final"
CHECK_IN_OPENS = timedelta(hours=2)  # the doors open two hours before the start


def meeting_visible(user, meeting) -> bool:
    """Organisers of the meeting's unit (scope) and the people invited or delegated (queries.meetings)."""
    if user is None:
        return True
    if not getattr(user, "is_authenticated", False):
        return False
    if is_organiser(user) and unit_in_scope(user, meeting.unit):
        return True
    return meeting.invitations.filter(Q(official__user=user) | Q(delegate__user=user)).exists()


organiser_of_meeting = in_scope_of(lambda m: m.unit, "organiser_of_meeting")


def meeting_started(ctx):
    """Attendance is fixed only once the meeting has begun (QĐ 45/2018 Đ.15: on time, for the whole meeting)."""
    if ctx.at >= ctx.obj.starts_at:
        return None
    return Refusal.of(WrongState, _("Cuộc họp chưa bắt đầu; chưa chốt điểm danh được."))


def _criticism(meeting):
    return meeting.letters.filter(kind=Letter.Kind.CRITICISM).first()


def someone_to_name(ctx):
    """The criticism letter names those absent without reason and those who left without reporting; with
    nobody to name there is no letter. Drafting again opens the first draft (one click, one number)."""
    if ctx.memo("criticism", lambda: _criticism(ctx.obj)) is not None:
        return None
    bad = [Attendance.ABSENT_UNREPORTED, Attendance.LEFT_UNREPORTED]
    if ctx.obj.invitations.filter(final_state__in=bad).exists():
        return None
    return Refusal.of(WrongState, _("Không có đơn vị, cá nhân nào vắng không lý do hoặc về sớm không báo cáo."))


def conclusions_once(ctx):
    if ctx.obj.letters.filter(kind=Letter.Kind.CONCLUSIONS).exists():
        return Refusal.of(AlreadyDone, _("Cuộc họp đã có thông báo kết luận."))
    return None


MEETING = book("meeting", {
    "close": T(
        {PLANNED}, CLOSED, ORGANISERS,
        "QĐ 45/2018/QĐ-TTg Đ.15 (dự họp đúng giờ, hết thời gian; về sớm phải được chủ trì đồng ý): kết quả điểm danh "
        "chốt khi kết thúc; thông báo kết luận trong 05 ngày làm việc (docs/legal/discipline.md §6.3)",
        _("Kết thúc cuộc họp, chốt điểm danh"), organiser_of_meeting, meeting_started),
    "draft_criticism": T(
        {CLOSED}, None, ORGANISERS,
        "QĐ 45/2018/QĐ-TTg Đ.15; phê bình bằng văn bản hành chính, không phải hình thức kỷ luật (docs/legal/discipline.md §6.2); "
        "thể thức NĐ 30/2020/NĐ-CP (docs/legal/documents.md §7)",
        _("Dự thảo công văn phê bình"), organiser_of_meeting, someone_to_name),
    "issue_conclusions": T(
        {CLOSED}, None, ORGANISERS,
        "QĐ 45/2018/QĐ-TTg: thông báo kết luận trong 05 ngày làm việc sau cuộc họp; Đ.14: kết luận giao việc có "
        "đơn vị chủ trì và thời hạn (docs/legal/discipline.md §6.3)",
        _("Ban hành thông báo kết luận"), organiser_of_meeting, conclusions_once),
}, state_of=lambda m: m.state, in_scope=meeting_visible)


# --- invitations (attendance) --------------------------------------------------------------------------------

def attendance_state(inv) -> str:
    if inv.meeting.state != PLANNED:
        return FINAL
    if inv.checked_out_at:
        return LEFT
    return PRESENT if inv.checked_in_at else INVITED


def invitation_actor(user, inv) -> str:
    kind = actor_kind(user)
    return ATTENDEE if kind == SYSTEM else kind  # no user: the signed code was shown


organiser_of_invitation = in_scope_of(lambda inv: inv.meeting.unit, "organiser_of_invitation")


def before_start(ctx):
    """QĐ 45/2018 Đ.15: the invitee answers the invitation, and one who cannot come reports to the chair —
    before the meeting, not after it."""
    if ctx.at < ctx.obj.meeting.starts_at:
        return None
    return Refusal.of(WrongState, _("Chỉ trả lời giấy mời trước giờ họp."))


def check_in_window(ctx):
    """Check-in from two hours before the start until the end of the meeting."""
    m = ctx.obj.meeting
    if m.starts_at - CHECK_IN_OPENS <= ctx.at <= m.ends_at:
        return None
    return Refusal.of(WrongState, _("Chỉ điểm danh được trong thời gian diễn ra cuộc họp."))


def consent_once(ctx):
    return Refusal.of(AlreadyDone, _("Đã ghi nhận sự đồng ý về sớm.")) if ctx.obj.leave_consent_at else None


def consent_not_by_the_leaver(ctx):
    """QĐ 45/2018 Đ.15: leaving early needs the chair's consent — the person leaving cannot record it."""
    attendee = ctx.obj.attendee
    if attendee is not None and attendee.user_id and ctx.user is not None and attendee.user_id == ctx.user.pk:
        return Refusal.of(SelfConsent)
    return None


INVITATION = book("invitation", {
    "reply": T(
        {INVITED}, None, {ATTENDEE},
        "QĐ 45/2018/QĐ-TTg Đ.15: trả lời giấy mời; người được mời không dự được phải báo cáo người chủ trì và cử "
        "người dự thay nếu được đồng ý",
        _("Trả lời giấy mời"), before_start),
    "check_in": T(
        {INVITED}, PRESENT, ORGANISERS | {ATTENDEE},
        "QĐ 45/2018/QĐ-TTg Đ.15: dự họp đúng thành phần, đúng giờ (docs/legal/discipline.md §6.3)",
        _("Điểm danh vào"), organiser_of_invitation, check_in_window),
    "check_out": T(
        {PRESENT}, LEFT, ORGANISERS | {ATTENDEE},
        "QĐ 45/2018/QĐ-TTg Đ.15: dự họp hết thời gian; về sớm không được chủ trì đồng ý là về sớm không báo cáo",
        _("Điểm danh ra"), organiser_of_invitation),
    "consent_leave": T(
        {PRESENT}, None, ORGANISERS,
        "QĐ 45/2018/QĐ-TTg Đ.15: chỉ về sớm vì lý do đột xuất và được người chủ trì đồng ý",
        _("Chủ trì đồng ý về sớm"), organiser_of_invitation, consent_once, consent_not_by_the_leaver),
}, state_of=attendance_state, actor_of=invitation_actor,
    state_reasons={FINAL: _("Cuộc họp đã kết thúc; không thay đổi được điểm danh.")},
    in_scope=lambda user, inv: user is None or meeting_visible(user, inv.meeting))
