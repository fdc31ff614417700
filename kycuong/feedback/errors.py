"""Stable error codes of the feedback app (the API maps them to 403/404/409/422)."""
from django.utils.translation import gettext_lazy as _

from kycuong.core.errors import Conflict, NotFound, ValidationFailed
from kycuong.core.errors import NotPermitted as CoreNotPermitted


class ReportNotFound(NotFound):
    code = "FEEDBACK_REPORT_NOT_FOUND"
    message = _("Không tìm thấy phản ánh.")


class TransitionNotAllowed(Conflict):
    code = "FEEDBACK_TRANSITION_NOT_ALLOWED"
    message = _("Thao tác này không thực hiện được ở trạng thái hiện tại của phản ánh.")


class StaleVersion(Conflict):
    code = "FEEDBACK_STALE_VERSION"
    message = _("Phản ánh vừa được người khác cập nhật; hãy tải lại trang và thực hiện lại.")


class NotPermitted(CoreNotPermitted):
    """Who may not (403): role, scope, separation of duties — never a conflict."""
    code = "FEEDBACK_NOT_PERMITTED"
    message = _("Bạn không có quyền thực hiện thao tác này với phản ánh này.")


class Invalid(ValidationFailed):
    code = "FEEDBACK_INVALID"
