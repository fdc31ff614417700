"""The state machine of a report (phản ánh, kiến nghị — PAKN) as data (design.md rule 2).

Each action lists the states it may leave, the state it reaches (None = stays), who may take it, and its
legal basis. The clocks come from vn-rules §1.4 (VPCP note on QĐ 766/QĐ-TTg, indicators 5.1–5.3): refusal
≤ 2 working days after submission or transfer, first request for more information ≤ 5, handled (reaches
"chờ công khai") ≤ 15 after submission or the latest transfer, published ≤ 2 after "chờ công khai".
"""
from dataclasses import dataclass

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
# Handled in the sense of §1.4: the report reached "chờ công khai" or "đã công khai" (or was refused).
HANDLED_STATES = frozenset({State.AWAITING_PUBLICATION, State.PUBLISHED})
CLOSED_STATES = frozenset({State.PUBLISHED, State.REFUSED})
OPEN_STATES = frozenset(State) - CLOSED_STATES

BASIS_PAKN = "QĐ 766/QĐ-TTg, ghi chú kỹ thuật VPCP (vn-rules §1.4)"


@dataclass(frozen=True)
class Transition:
    sources: frozenset
    target: State | None
    actors: frozenset
    basis: str
    label: str


T = Transition
S = State
TRANSITIONS: dict[str, Transition] = {
    "confirm_unit": T(frozenset({S.RECEIVED}), S.PROCESSING, frozenset({OFFICER, INSPECTOR}),
                      BASIS_PAKN + ": cơ quan tiếp nhận phân loại, xác định đơn vị có trách nhiệm xử lý",
                      _("Xác nhận đơn vị xử lý")),
    "transfer": T(frozenset({S.RECEIVED, S.PROCESSING, S.INFO_REQUESTED}), S.RECEIVED,
                  frozenset({OFFICER, INSPECTOR}),
                  BASIS_PAKN + ": thời hạn xử lý tính từ lần chuyển gần nhất", _("Chuyển đơn vị xử lý")),
    "refuse": T(frozenset({S.RECEIVED}), S.REFUSED, frozenset({OFFICER, INSPECTOR}),
                BASIS_PAKN + ": từ chối trong 02 ngày làm việc kể từ khi nhận hoặc được chuyển đến",
                _("Từ chối tiếp nhận")),
    "request_info": T(frozenset({S.RECEIVED, S.PROCESSING}), S.INFO_REQUESTED, frozenset({OFFICER, INSPECTOR}),
                      BASIS_PAKN + ": yêu cầu bổ sung lần đầu trong 05 ngày làm việc",
                      _("Đề nghị người phản ánh bổ sung thông tin")),
    "provide_info": T(frozenset({S.INFO_REQUESTED}), S.PROCESSING, frozenset({CITIZEN, OFFICER, INSPECTOR}),
                      BASIS_PAKN, _("Bổ sung thông tin")),
    "assign_verifier": T(frozenset({S.PROCESSING, S.VERIFYING}), S.VERIFYING, frozenset({INSPECTOR}),
                         "Luật Thanh tra 2022; NĐ 43/2023/NĐ-CP: xác minh phản ánh về hành vi của cán bộ, công chức",
                         _("Giao người xác minh")),
    "record_findings": T(frozenset({S.VERIFYING}), None, frozenset({INSPECTOR}),
                         "Luật Thanh tra 2022: ghi nhận kết quả xác minh, chứng cứ", _("Ghi nhận kết quả xác minh")),
    "conclude": T(frozenset({S.VERIFYING}), S.CONCLUDED, frozenset({INSPECTOR}),
                  "Luật Thanh tra 2022: kết luận đúng, đúng một phần hoặc không đúng",
                  _("Kết luận xác minh")),
    "answer": T(frozenset({S.PROCESSING, S.CONCLUDED}), S.AWAITING_PUBLICATION, frozenset({OFFICER, INSPECTOR}),
                BASIS_PAKN + ": xử lý xong (chờ công khai) trong 15 ngày làm việc", _("Trả lời, chuyển chờ công khai")),
    "publish": T(frozenset({S.AWAITING_PUBLICATION}), S.PUBLISHED, frozenset({OFFICER, INSPECTOR}),
                 BASIS_PAKN + ": công khai trong 02 ngày làm việc sau khi chờ công khai",
                 _("Công khai kết quả trả lời")),
}


def allowed_actions(report, actor_kind: str) -> list[str]:
    names = []
    for name, t in TRANSITIONS.items():
        if report.state not in t.sources or actor_kind not in t.actors:
            continue
        if name in ("assign_verifier", "record_findings", "conclude") and report.kind != "conduct":
            continue
        if name == "answer" and report.kind == "conduct" and report.state != S.CONCLUDED:
            continue  # a conduct report is answered after its verification
        names.append(name)
    return names
