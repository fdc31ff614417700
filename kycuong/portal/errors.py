"""Stable error codes of the citizen portal (the API and pages show the Vietnamese message)."""
from django.utils.translation import gettext_lazy as _

from kycuong.core.errors import Conflict, NotFound, ValidationFailed


class Invalid(ValidationFailed):
    code = "PORTAL_INVALID"


class CodeWrong(ValidationFailed):
    code = "PORTAL_CODE_WRONG"
    message = _("Mã xác thực không đúng hoặc đã hết hạn. Hãy kiểm tra lại hoặc yêu cầu gửi mã mới.")


class CodeExhausted(ValidationFailed):
    code = "PORTAL_CODE_EXHAUSTED"
    message = _("Bạn đã nhập sai mã quá số lần cho phép. Hãy yêu cầu gửi mã mới.")


class AccountExists(Conflict):
    code = "PORTAL_ACCOUNT_EXISTS"
    message = _("Thư điện tử hoặc số điện thoại này đã có tài khoản. Hãy đăng nhập.")


class NoAccount(NotFound):
    code = "PORTAL_NO_ACCOUNT"
    status = 422
    message = _("Chưa có tài khoản với thư điện tử hoặc số điện thoại này. Hãy đăng ký.")


class DraftNotFound(NotFound):
    code = "PORTAL_DRAFT_NOT_FOUND"
    message = _("Không tìm thấy hồ sơ đang soạn.")


class AlreadySubmitted(Conflict):
    code = "PORTAL_ALREADY_SUBMITTED"
    message = _("Hồ sơ này đã được nộp; không nộp lại lần thứ hai.")


class StaleForm(Conflict):
    code = "PORTAL_STALE_FORM"
    message = _("Trang bạn gửi đã cũ (có thể do bấm nút quay lại). Hãy kiểm tra lại hồ sơ rồi nộp.")


class NotRateable(Conflict):
    code = "PORTAL_NOT_RATEABLE"
    message = _("Chỉ đánh giá được sau khi hồ sơ đã trả kết quả.")


class AlreadyRated(Conflict):
    code = "PORTAL_ALREADY_RATED"
    message = _("Hồ sơ này đã được đánh giá; mỗi hồ sơ chỉ đánh giá một lần.")
