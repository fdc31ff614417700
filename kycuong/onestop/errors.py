"""Stable error codes of the one-stop shop (the API maps them to 404/409/422)."""
from django.utils.translation import gettext_lazy as _

from kycuong.core.errors import Conflict, NotFound, ValidationFailed
from kycuong.core.errors import NotPermitted as CoreNotPermitted


class DossierNotFound(NotFound):
    code = "ONESTOP_DOSSIER_NOT_FOUND"
    message = _("Không tìm thấy hồ sơ.")


class TransitionNotAllowed(Conflict):
    code = "ONESTOP_TRANSITION_NOT_ALLOWED"
    message = _("Thao tác này không thực hiện được ở trạng thái hiện tại của hồ sơ.")


class ResultTooEarly(TransitionNotAllowed):
    code = "ONESTOP_RESULT_TOO_EARLY"
    message = _("Chỉ đính kèm kết quả điện tử khi hồ sơ đã xử lý xong.")


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


class LastStep(TransitionNotAllowed):
    code = "ONESTOP_LAST_STEP"
    message = _("Đây là bước xử lý cuối cùng; hãy dùng “Hoàn thành xử lý”.")


class StepsRemain(TransitionNotAllowed):
    code = "ONESTOP_STEPS_REMAIN"
    message = _("Còn bước xử lý chưa hoàn thành.")


class NoCurrentStep(TransitionNotAllowed):
    code = "ONESTOP_NO_CURRENT_STEP"
    message = _("Hồ sơ không có bước xử lý đang thực hiện.")


class NotPermitted(CoreNotPermitted):
    """Who may not (403): actor kind, step role, separation of duties (onestop.policy)."""
    code = "ONESTOP_NOT_PERMITTED"
    message = _("Bạn không có quyền thực hiện thao tác này với hồ sơ này.")


class NotStepAssignee(NotPermitted):
    code = "ONESTOP_NOT_STEP_ASSIGNEE"
    message = _("Bước này đã được giao cho người khác; chỉ người được giao mới hoàn thành bước này.")


class NotReceivingUnit(NotPermitted):
    code = "ONESTOP_NOT_RECEIVING_UNIT"
    message = _("Bạn chỉ tiếp nhận hồ sơ cho bộ phận một cửa thuộc đơn vị mình.")


class NotStepUnit(NotPermitted):
    code = "ONESTOP_NOT_STEP_UNIT"
    message = _("Bạn không thuộc đơn vị thực hiện bước này.")


class WrongStepRole(NotPermitted):
    code = "ONESTOP_WRONG_STEP_ROLE"
    message = _("Bước này do người có vai trò khác thực hiện; bạn không hoàn thành được bước này.")


class LeaderStep(NotPermitted):
    code = "ONESTOP_LEADER_STEP"
    message = _("Bước phê duyệt, ký chỉ do lãnh đạo của đơn vị thực hiện bước này hoàn thành.")


class SamePerson(NotPermitted):
    code = "ONESTOP_SAME_PERSON"
    message = _("Bước này phải do người khác với người đã thực hiện bước trước của hồ sơ hoàn thành "
                "(phân tách nhiệm vụ).")


class NotUnitLeader(NotPermitted):
    code = "ONESTOP_NOT_UNIT_LEADER"
    message = _("Chỉ lãnh đạo đơn vị thực hiện bước này mới giao lại bước cho người khác.")


class Invalid(ValidationFailed):
    code = "ONESTOP_INVALID"
