from django.utils.translation import gettext_lazy as _

from kycuong.core.errors import Conflict, ValidationFailed


class PaymentInvalid(ValidationFailed):
    code = "PAYMENT_INVALID"


class NothingToPay(Conflict):
    code = "PAYMENT_NOTHING_TO_PAY"
    message = _("Hồ sơ này không có khoản phí, lệ phí nào cần thanh toán trực tuyến.")


class AlreadyPaid(Conflict):
    code = "PAYMENT_ALREADY_PAID"
    message = _("Phí, lệ phí của hồ sơ này đã được thanh toán.")


class BadSignature(ValidationFailed):
    code = "PAYMENT_BAD_SIGNATURE"
    message = _("Chữ ký của thông báo thanh toán không hợp lệ; thông báo bị từ chối.")


class UnknownPayment(ValidationFailed):
    code = "PAYMENT_UNKNOWN"
    message = _("Không tìm thấy giao dịch thanh toán.")


class AmountMismatch(ValidationFailed):
    code = "PAYMENT_AMOUNT_MISMATCH"
    message = _("Số tiền trong thông báo thanh toán không khớp với giao dịch.")
