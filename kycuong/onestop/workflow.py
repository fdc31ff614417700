"""The dossier state machine as data (design.md rule 2), after Signalen's workflow.py.

States are the 10 national statuses (vn-rules §2.1, [DVC-TH] HoSoEventUtils.cs). Each action lists the
states it may leave, the state it reaches (None = stays), who may take it, and its legal basis.
"""
from dataclasses import dataclass

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


@dataclass(frozen=True)
class Transition:
    sources: frozenset
    target: State | None
    actors: frozenset
    basis: str
    label: str


T = Transition
TRANSITIONS: dict[str, Transition] = {
    "accept": T(frozenset({State.SUBMITTED_ONLINE}), State.RECEIVED, frozenset({OFFICER}),
                "NĐ 118/2025/NĐ-CP; TT 03/2025/TT-VPCP Phụ lục I Mẫu số 01 (Giấy tiếp nhận hồ sơ và hẹn trả kết quả)",
                _("Tiếp nhận hồ sơ trực tuyến")),
    "refuse": T(frozenset({State.SUBMITTED_ONLINE}), State.REFUSED, frozenset({OFFICER}),
                "TT 03/2025/TT-VPCP Phụ lục I Mẫu số 03 (Phiếu từ chối tiếp nhận hồ sơ)",
                _("Từ chối tiếp nhận")),
    "request_supplement": T(frozenset({State.SUBMITTED_ONLINE, State.RECEIVED, State.PROCESSING}),
                            State.SUPPLEMENT_REQUESTED, frozenset({OFFICER}),
                            "NĐ 118/2025/NĐ-CP: chỉ yêu cầu sửa đổi, bổ sung hồ sơ một lần; TT 03/2025 Mẫu số 02",
                            _("Yêu cầu bổ sung hồ sơ")),
    "complete_supplement": T(frozenset({State.SUPPLEMENT_REQUESTED}), None, frozenset({CITIZEN, OFFICER}),
                             "QĐ 766/QĐ-TTg (ghi chú VPCP): thời gian bổ sung không tính vào thời gian xử lý",
                             _("Hoàn thành bổ sung")),
    "start_processing": T(frozenset({State.RECEIVED}), State.PROCESSING, frozenset({OFFICER}),
                          "TT 03/2025/TT-VPCP Mẫu số 06 (Phiếu kiểm soát quá trình giải quyết hồ sơ)",
                          _("Chuyển xử lý")),
    "handover": T(frozenset({State.PROCESSING}), State.PROCESSING, frozenset({OFFICER}),
                  "TT 03/2025/TT-VPCP Mẫu số 06: mỗi lần giao nhận ghi thời điểm và trước hạn / đúng hạn / quá hạn",
                  _("Hoàn thành bước, chuyển bước tiếp theo")),
    "request_payment": T(frozenset({State.PROCESSING}), State.PAYMENT_REQUESTED, frozenset({OFFICER}),
                         "vn-rules §2.1 trạng thái 6", _("Yêu cầu thực hiện nghĩa vụ tài chính")),
    "confirm_payment": T(frozenset({State.PAYMENT_REQUESTED}), State.PROCESSING, frozenset({OFFICER, SYSTEM}),
                         "vn-rules §2.1 trạng thái 6", _("Xác nhận đã thực hiện nghĩa vụ tài chính")),
    "apologize": T(frozenset({State.RECEIVED, State.PROCESSING, State.PAYMENT_REQUESTED}), None, frozenset({OFFICER}),
                   "NĐ 61/2018 Đ.19 (như các quy trình 2025): chậm nhất 01 ngày trước hạn, xin lỗi và hẹn lại, chỉ một lần",
                   _("Xin lỗi và hẹn lại ngày trả kết quả")),
    "withdraw": T(frozenset({State.SUBMITTED_ONLINE, State.RECEIVED, State.PROCESSING, State.SUPPLEMENT_REQUESTED,
                             State.PAYMENT_REQUESTED}), State.WITHDRAWN, frozenset({CITIZEN, OFFICER}),
                  "khoản 1 Điều 21 NĐ 118/2025/NĐ-CP", _("Rút hồ sơ theo yêu cầu")),
    "stop": T(frozenset({State.RECEIVED, State.PROCESSING, State.SUPPLEMENT_REQUESTED, State.PAYMENT_REQUESTED}),
              State.STOPPED, frozenset({OFFICER}),
              "Điều 21 NĐ 118/2025/NĐ-CP; TT 03/2025/TT-VPCP Đ.7 (Thông báo dừng giải quyết hồ sơ)",
              _("Dừng xử lý")),
    "finish": T(frozenset({State.PROCESSING}), State.FINISHED, frozenset({OFFICER}),
                "QĐ 766/QĐ-TTg ghi chú VPCP: thời điểm kết thúc xử lý", _("Hoàn thành xử lý")),
    "return_result": T(frozenset({State.FINISHED}), State.RETURNED, frozenset({OFFICER}),
                       "khoản 1 Điều 22 NĐ 118/2025/NĐ-CP", _("Trả kết quả")),
}


def allowed_actions(state: int, actor_kind: str = OFFICER) -> list[str]:
    return [name for name, t in TRANSITIONS.items() if state in t.sources and actor_kind in t.actors]
