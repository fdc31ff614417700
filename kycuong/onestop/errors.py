"""Stable error codes of the one-stop shop (the API maps them to 404/409/422)."""
from django.utils.translation import gettext_lazy as _

from kycuong.core.errors import Conflict, NotFound, ValidationFailed


class DossierNotFound(NotFound):
    code = "ONESTOP_DOSSIER_NOT_FOUND"
    message = _("Không tìm thấy hồ sơ.")


class TransitionNotAllowed(Conflict):
    code = "ONESTOP_TRANSITION_NOT_ALLOWED"
    message = _("Thao tác này không thực hiện được ở trạng thái hiện tại của hồ sơ.")


class SecondSupplement(Conflict):
    code = "ONESTOP_SECOND_SUPPLEMENT"
    message = _("Hồ sơ đã được yêu cầu bổ sung một lần; theo NĐ 118/2025/NĐ-CP chỉ được yêu cầu bổ sung một lần.")


class SecondApology(Conflict):
    code = "ONESTOP_SECOND_APOLOGY"
    message = _("Hồ sơ đã được xin lỗi và hẹn lại một lần; chỉ được hẹn lại một lần.")


class ApologyTooLate(Conflict):
    code = "ONESTOP_APOLOGY_TOO_LATE"
    message = _("Phải gửi văn bản xin lỗi và hẹn lại chậm nhất 01 ngày làm việc trước hạn trả kết quả.")


class StaleVersion(Conflict):
    code = "ONESTOP_STALE_VERSION"
    message = _("Hồ sơ vừa được người khác cập nhật; hãy tải lại trang và thực hiện lại.")


class NotPermitted(Conflict):
    code = "ONESTOP_NOT_PERMITTED"
    status = 403
    message = _("Bạn không có quyền thực hiện thao tác này với hồ sơ này.")


class Invalid(ValidationFailed):
    code = "ONESTOP_INVALID"
