"""Tasks assigned by a directive (plan, letter, directive, conclusions notice): the unit reports, the issuer
accepts or returns the report. The deadline is not a guard: a late report is still taken, and counted late
(`queries.task_status`)."""
from django.utils.translation import gettext_lazy as _

from kycuong.core.policy import Refusal
from kycuong.core.scope import unit_in_scope

from ..errors import SelfReview, WrongState
from ..models import Task, TaskReport
from .common import OFFICERS, ORGANISERS, T, book, in_scope_of

OPEN, REPORTED, RETURNED, ACCEPTED = Task.State.OPEN, Task.State.REPORTED, Task.State.RETURNED, Task.State.ACCEPTED


def task_visible(user, task) -> bool:
    """Officers of the assigned unit or of the issuing unit (queries.tasks)."""
    if user is None:
        return True
    if not (getattr(user, "is_authenticated", False) and (user.is_officer or user.is_superuser)):
        return False
    return unit_in_scope(user, task.unit) or unit_in_scope(user, task.directive.unit)


def pending_report(task):
    return task.reports.filter(decision=TaskReport.Decision.PENDING).order_by("submitted_at", "id").last()


def report_pending(ctx):
    """The report under review is the task's pending one (a report is decided once)."""
    report = ctx.params.get("report") or ctx.memo("pending", lambda: pending_report(ctx.obj))
    if report is None or report.decision != TaskReport.Decision.PENDING or report.task_id != ctx.obj.pk:
        return Refusal.of(WrongState, _("Báo cáo này đã được đánh giá."))
    return None


def not_own_report(ctx):
    """Separation of duties: whoever submitted the report does not review it."""
    report = ctx.params.get("report") or ctx.memo("pending", lambda: pending_report(ctx.obj))
    if report is not None and ctx.user is not None and report.submitted_by_id == ctx.user.pk:
        return Refusal.of(SelfReview)
    return None


of_assigned_unit = in_scope_of(lambda t: t.unit, "of_assigned_unit")
of_issuing_unit = in_scope_of(lambda t: t.directive.unit, "of_issuing_unit")

BASIS_REPORT = ("Văn bản giao nhiệm vụ (kế hoạch, công văn, chỉ thị; thông báo kết luận theo QĐ 45/2018/QĐ-TTg "
                "Đ.14: đơn vị chủ trì, thời hạn): đơn vị được giao báo cáo kết quả kèm minh chứng")
BASIS_REVIEW = ("Văn bản giao nhiệm vụ: cơ quan ban hành đánh giá kết quả; người báo cáo không tự đánh giá "
                "(quy tắc tách nhiệm vụ của hệ thống)")

TASK = book("task", {
    "report": T({OPEN, RETURNED}, REPORTED, OFFICERS, BASIS_REPORT, _("Gửi báo cáo"), of_assigned_unit),
    "accept": T({REPORTED}, ACCEPTED, ORGANISERS, BASIS_REVIEW, _("Chấp nhận báo cáo"),
                of_issuing_unit, report_pending, not_own_report),
    "return": T({REPORTED}, RETURNED, ORGANISERS, BASIS_REVIEW, _("Trả lại báo cáo"),
                of_issuing_unit, report_pending, not_own_report),
}, state_of=lambda t: t.state, in_scope=task_visible)
