"""The words shown for a dossier's clock, its 766 verdict and its timeline events — one table each, for
the officer pages (views), the API and the public lookup (portal), so they never say different things.

Every clock and verdict is a word first, with a GOV.UK tag colour on top of it (never colour alone).
"""
from django.utils.translation import gettext_lazy

CLOCK_TAGS = {
    "on_track": (gettext_lazy("Trong hạn"), "govuk-tag--green"),
    "due_soon": (gettext_lazy("Sắp đến hạn"), "govuk-tag--yellow"),
    "overdue": (gettext_lazy("Quá hạn"), "govuk-tag--red"),
    "paused": (gettext_lazy("Tạm dừng chờ bổ sung"), "govuk-tag--blue"),
    "ended": (gettext_lazy("Đã kết thúc"), "govuk-tag--grey"),
    "not_started": (gettext_lazy("Chưa tính hạn"), "govuk-tag--grey"),
}
# services.timeliness (QĐ 766: trước hạn / đúng hạn / quá hạn).
VERDICT_TAGS = {
    "early": (gettext_lazy("Trước hạn"), "govuk-tag--green"),
    "on_time": (gettext_lazy("Đúng hạn"), "govuk-tag--turquoise"),
    "late": (gettext_lazy("Quá hạn"), "govuk-tag--red"),
    "not_counted": (gettext_lazy("Chưa tính (hồ sơ chưa được tiếp nhận)"), "govuk-tag--grey"),
}
CLOCK_LABELS = {kind: label for kind, (label, _css) in CLOCK_TAGS.items()}
TIMELINESS_LABELS = {kind: label for kind, (label, _css) in VERDICT_TAGS.items()}
EVENT_LABELS = {
    "submitted_online": gettext_lazy("Nộp hồ sơ trực tuyến"),
    "received": gettext_lazy("Tiếp nhận hồ sơ, hẹn ngày trả kết quả"),
    "refused": gettext_lazy("Từ chối tiếp nhận hồ sơ"),
    "supplement_requested": gettext_lazy("Yêu cầu bổ sung, hoàn thiện hồ sơ"),
    "supplement_completed": gettext_lazy("Hoàn thành bổ sung hồ sơ"),
    "processing_started": gettext_lazy("Chuyển xử lý"),
    "handed_over": gettext_lazy("Chuyển bước xử lý tiếp theo"),
    "reassigned": gettext_lazy("Giao lại bước đang thực hiện"),
    "payment_requested": gettext_lazy("Yêu cầu thực hiện nghĩa vụ tài chính"),
    "payment_confirmed": gettext_lazy("Đã thực hiện nghĩa vụ tài chính"),
    "apologized": gettext_lazy("Xin lỗi và hẹn lại ngày trả kết quả"),
    "withdrawn": gettext_lazy("Rút hồ sơ theo yêu cầu của người nộp"),
    "stopped": gettext_lazy("Dừng giải quyết hồ sơ"),
    "finished": gettext_lazy("Hoàn thành xử lý"),
    "result_returned": gettext_lazy("Trả kết quả"),
    "warned": gettext_lazy("Cảnh báo sắp đến hạn"),
    # Written by the portal's additions to onestop.services (online payment, electronic result).
    "paid_online": gettext_lazy("Đã thanh toán trực tuyến phí, lệ phí"),
    "result_attached": gettext_lazy("Đính kèm kết quả điện tử"),
}


def tag(kind: str, table=CLOCK_TAGS) -> dict:
    label, css = table.get(kind, (kind, "govuk-tag--grey"))
    return {"label": label, "css": css, "kind": kind}
