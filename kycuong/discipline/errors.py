"""Stable error codes of the discipline app (the API maps them to 403/404/409/422)."""
from django.utils.translation import gettext_lazy as _

from kycuong.core.errors import Conflict, NotFound, ValidationFailed
from kycuong.core.errors import NotPermitted as CoreNotPermitted


class DisciplineNotFound(NotFound):
    code = "DISCIPLINE_NOT_FOUND"
    message = _("Không tìm thấy.")


class NotPermitted(CoreNotPermitted):
    """Who may not (403): role, scope, separation of duties. Not a conflict."""
    code = "DISCIPLINE_NOT_PERMITTED"
    message = _("Bạn không có quyền thực hiện thao tác này.")


class WrongState(Conflict):
    code = "DISCIPLINE_WRONG_STATE"
    message = _("Thao tác này không thực hiện được ở trạng thái hiện tại.")


class StaleVersion(Conflict):
    code = "DISCIPLINE_STALE_VERSION"
    message = _("Bản ghi vừa được người khác cập nhật; hãy tải lại trang và thực hiện lại.")


class BadToken(NotFound):
    code = "DISCIPLINE_BAD_TOKEN"
    message = _("Mã QR không hợp lệ hoặc không thuộc cuộc họp này.")


class Invalid(ValidationFailed):
    code = "DISCIPLINE_INVALID"


class MeasureNotAllowed(ValidationFailed):
    code = "DISCIPLINE_MEASURE_NOT_ALLOWED"
    message = _("Hình thức kỷ luật này không áp dụng cho người bị xem xét (NĐ 172/2025/NĐ-CP Đ.7).")


class CouncilConflict(ValidationFailed):
    code = "DISCIPLINE_COUNCIL_CONFLICT"
    message = _("Hội đồng kỷ luật phải có đúng 3 thành viên, không gồm người bị xem xét hoặc người thân của họ (NĐ 172/2025/NĐ-CP Đ.2 k.11, Đ.17).")


class LimitationExpired(ValidationFailed):
    code = "DISCIPLINE_LIMITATION_EXPIRED"
    message = _("Đã hết thời hiệu xử lý kỷ luật (NĐ 172/2025/NĐ-CP Đ.5 k.3).")


class Deferred(Conflict):
    code = "DISCIPLINE_DEFERRED"
    message = _("Đang trong thời gian chưa xem xét xử lý kỷ luật (NĐ 172/2025/NĐ-CP Đ.3).")


class OwnCase(NotPermitted):
    code = "DISCIPLINE_OWN_CASE"
    message = _("Người bị xem xét kỷ luật hoặc người thân của họ không được xử lý vụ việc này (NĐ 172/2025/NĐ-CP Đ.2 k.11).")


class SelfConsent(NotPermitted):
    code = "DISCIPLINE_SELF_CONSENT"
    message = _("Người dự họp không tự ghi nhận sự đồng ý về sớm của mình; sự đồng ý là của người chủ trì (QĐ 45/2018/QĐ-TTg Đ.15).")


class SelfReview(NotPermitted):
    code = "DISCIPLINE_SELF_REVIEW"
    message = _("Người gửi báo cáo không tự đánh giá báo cáo của mình.")


class AlreadyDone(WrongState):
    code = "DISCIPLINE_ALREADY_DONE"
    message = _("Việc này đã được thực hiện; chỉ thực hiện một lần.")
