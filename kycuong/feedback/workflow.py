"""The states of a report (phản ánh, kiến nghị — PAKN) and the actor kinds. The state table, its guards
and who may act live in `feedback.policy` (docs/design.md rule 2); this module keeps the names other apps import.

The clocks come from docs/legal/decision-766.md §1.4 (VPCP note on QĐ 766/QĐ-TTg, indicators 5.1–5.3): refusal
≤ 2 working days after submission or transfer, first request for more information ≤ 5, handled (reaches
"chờ công khai") ≤ 15 after submission or the latest transfer, published ≤ 2 after "chờ công khai".
"""
from django.db import models
from django.utils.translation import gettext_lazy as _


class State(models.TextChoices):
    RECEIVED = "received", _("Mới tiếp nhận, chờ phân loại")
    PROCESSING = "processing", _("Đang xử lý")
    INFO_REQUESTED = "info_requested", _("Yêu cầu bổ sung thông tin")
    VERIFYING = "verifying", _("Đang xác minh")
    CONCLUDED = "concluded", _("Đã có kết luận xác minh")
    AWAITING_PUBLICATION = "awaiting_publication", _("Chờ công khai")
    PUBLISHED = "published", _("Đã công khai")
    REFUSED = "refused", _("Từ chối tiếp nhận")


CITIZEN, OFFICER, INSPECTOR, SYSTEM = "citizen", "officer", "inspector", "system"
# Handled in the sense of docs/legal/decision-766.md §1.4: the report reached "chờ công khai" or "đã công khai" (or was refused).
HANDLED_STATES = frozenset({State.AWAITING_PUBLICATION, State.PUBLISHED})
CLOSED_STATES = frozenset({State.PUBLISHED, State.REFUSED})
OPEN_STATES = frozenset(State) - CLOSED_STATES

BASIS_PAKN = "QĐ 766/QĐ-TTg, ghi chú kỹ thuật VPCP (docs/legal/decision-766.md §1.4)"
