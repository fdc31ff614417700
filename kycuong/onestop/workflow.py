"""The dossier states (the 10 national statuses, docs/legal/one-stop.md §2.1, [DVC-TH] HoSoEventUtils.cs) and the actor
kinds. The state table, its guards and who may do what now are in `onestop.policy` (docs/design.md rule 2).
"""
from django.utils.translation import gettext_lazy as _

from django.db import models


class State(models.IntegerChoices):
    SUBMITTED_ONLINE = 1, _("Mới đăng ký")
    RECEIVED = 2, _("Được tiếp nhận")
    REFUSED = 3, _("Không được tiếp nhận")
    PROCESSING = 4, _("Đang xử lý")
    SUPPLEMENT_REQUESTED = 5, _("Yêu cầu bổ sung giấy tờ")
    PAYMENT_REQUESTED = 6, _("Yêu cầu thực hiện nghĩa vụ tài chính")
    WITHDRAWN = 7, _("Công dân yêu cầu rút hồ sơ")
    STOPPED = 8, _("Dừng xử lý")
    FINISHED = 9, _("Đã xử lý xong")
    RETURNED = 10, _("Đã trả kết quả")


CITIZEN, OFFICER, SYSTEM = "citizen", "officer", "system"
OPEN_STATES = frozenset({State.SUBMITTED_ONLINE, State.RECEIVED, State.PROCESSING, State.SUPPLEMENT_REQUESTED,
                         State.PAYMENT_REQUESTED})
# States whose clock runs (receipt issued, not paused, not ended).
CLOCK_STATES = frozenset({State.RECEIVED, State.PROCESSING, State.PAYMENT_REQUESTED})


def allowed_actions(state: int, actor_kind: str = OFFICER) -> list[str]:
    """The state table alone (kept for callers that only need it); the table lives in `policy`."""
    from .policy import allowed_actions as table_actions

    return table_actions(state, actor_kind)
