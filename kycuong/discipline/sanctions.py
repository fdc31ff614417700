"""The rules of disciplining cán bộ, công chức (NĐ 172/2025/NĐ-CP) and viên chức (NĐ 112/2020/NĐ-CP as
amended by NĐ 71/2023/NĐ-CP), as pure functions: no Django, no database (docs/legal/discipline.md §6.1).

Each function names its article; tests/discipline/test_sanctions.py has one test per article.
Dates are `datetime.date`; working-day step deadlines take any calendar with `.due(start, n, "working_days")`
(the worktime engine), so this module stays pure.
"""
from __future__ import annotations

import calendar as _calendar
from dataclasses import dataclass
from datetime import date, timedelta

# --- measures ------------------------------------------------------------------------------------------

KHIEN_TRACH = "khien_trach"
CANH_CAO = "canh_cao"
CACH_CHUC = "cach_chuc"
BUOC_THOI_VIEC = "buoc_thoi_viec"
BAI_NHIEM = "bai_nhiem"

# Severity of the measures, light → heavy (NĐ 172/2025 Đ.7).
WEIGHT = {KHIEN_TRACH: 1, CANH_CAO: 2, CACH_CHUC: 3, BUOC_THOI_VIEC: 4, BAI_NHIEM: 4}

CAN_BO, CONG_CHUC, VIEN_CHUC = "can_bo", "cong_chuc", "vien_chuc"

# Which measures exist for whom, light → heavy.
LADDERS = {
    # NĐ 172/2025 Đ.7 k.1: cán bộ — cách chức only for a post held by approval or appointment.
    CAN_BO: (KHIEN_TRACH, CANH_CAO, CACH_CHUC, BAI_NHIEM),
    # NĐ 172/2025 Đ.7 k.2: công chức — cách chức only for leaders and managers.
    CONG_CHUC: (KHIEN_TRACH, CANH_CAO, CACH_CHUC, BUOC_THOI_VIEC),
    # NĐ 112/2020 Đ.15 as amended by NĐ 71/2023 — ⚠️ not re-verified (docs/legal/discipline.md §6.1).
    VIEN_CHUC: (KHIEN_TRACH, CANH_CAO, CACH_CHUC, BUOC_THOI_VIEC),
}
UNVERIFIED = frozenset({VIEN_CHUC})

# Severity of a violation (NĐ 172/2025 Đ.6).
MINOR, SERIOUS, VERY_SERIOUS = "minor", "serious", "very_serious"


def measures_for(category: str, *, is_leader: bool = False) -> tuple[str, ...]:
    """The measures that may be imposed on a person (NĐ 172/2025 Đ.7; viên chức NĐ 112/2020 ⚠️).

    Cách chức applies only to leaders and managers (công chức, viên chức) or to a cán bộ holding a post
    by approval or appointment; a person without a post is never offered it. `lao_dong` has none here."""
    ladder = LADDERS.get(category, ())
    return tuple(m for m in ladder if m != CACH_CHUC or is_leader)


def heaviest(measures) -> str | None:
    """Several acts in one case → one measure, the heaviest (NĐ 172/2025 Đ.2 k.2)."""
    measures = [m for m in measures if m]
    return max(measures, key=lambda m: WEIGHT[m]) if measures else None


def one_level_heavier(measure: str, category: str, *, is_leader: bool = False) -> str:
    """A violation committed while a disciplinary decision is in force is punished one level heavier
    (NĐ 172/2025 Đ.2 k.3); the heaviest measure stays as it is."""
    ladder = measures_for(category, is_leader=is_leader)
    if measure not in ladder:
        raise ValueError(f"{measure} is not a measure for {category}")
    i = ladder.index(measure)
    return ladder[min(i + 1, len(ladder) - 1)]


def suggested_measure(severity: str, category: str, *, is_leader: bool = False, prior: str | None = None) -> str:
    """The measure the facts point to (NĐ 172/2025 Đ.8–11): a first, minor violation → khiển trách (Đ.8);
    a serious one, or a repeat after khiển trách → cảnh cáo (Đ.9); a very serious one, or a repeat after
    cảnh cáo → cách chức for leaders (Đ.10), else the heaviest (buộc thôi việc / bãi nhiệm, Đ.11)."""
    ladder = measures_for(category, is_leader=is_leader)
    if not ladder:
        raise ValueError(f"no disciplinary measures for {category}")
    level = {MINOR: 1, SERIOUS: 2, VERY_SERIOUS: 3}[severity]
    if prior:
        level = max(level, WEIGHT[prior] + 1)
    candidates = [m for m in ladder if WEIGHT[m] >= level]
    return candidates[0] if candidates else ladder[-1]


# --- periods -------------------------------------------------------------------------------------------

def add_months(day: date, months: int) -> date:
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    return date(year, month, min(day.day, _calendar.monthrange(year, month)[1]))


LIMITATION_MINOR_MONTHS = 60    # NĐ 172/2025 Đ.5 k.3 a): violations warranting khiển trách
LIMITATION_OTHER_MONTHS = 120   # NĐ 172/2025 Đ.5 k.3 b): the others

# NĐ 172/2025 Đ.5 k.4: no limitation period.
NO_LIMITATION_REASONS = {
    "party_expulsion": "Đảng viên vi phạm đến mức phải xử lý kỷ luật bằng hình thức khai trừ",
    "internal_politics": "Vi phạm quy định về công tác bảo vệ chính trị nội bộ",
    "national_interest": "Xâm hại lợi ích quốc gia trong lĩnh vực quốc phòng, an ninh, đối ngoại",
    "forged_diploma": "Sử dụng văn bằng, chứng chỉ, giấy chứng nhận, xác nhận giả hoặc không hợp pháp",
}


def limitation_expiry(start: date, warranted: str, *, no_limitation_reason: str = "",
                      later_violations=()) -> date | None:
    """Last day on which disciplinary consideration may still be notified, or None if there is no
    limitation (NĐ 172/2025 Đ.5 k.3–4).

    `start` is the end of the violation (or the competent authority's conclusion when the end is
    unknown); 5 years (60 months) when the violation warrants khiển trách, else 10 years (120 months).
    A new violation within the period restarts it from the new violation (Đ.5 k.3)."""
    if no_limitation_reason:
        if no_limitation_reason not in NO_LIMITATION_REASONS:
            raise ValueError(f"unknown no-limitation reason {no_limitation_reason!r}")
        return None
    months = LIMITATION_MINOR_MONTHS if warranted == KHIEN_TRACH else LIMITATION_OTHER_MONTHS
    expiry = add_months(start, months)
    for new in sorted(later_violations):
        if start < new <= expiry:
            expiry = add_months(new, months)
    return expiry


def limitation_expired(notice: date, expiry: date | None) -> bool:
    """True if the written notice of disciplinary consideration comes after the limitation (Đ.5 k.3)."""
    return expiry is not None and notice > expiry


@dataclass(frozen=True)
class Period:
    start: date
    end: date  # inclusive

    def days(self) -> int:
        return (self.end - self.start).days + 1


def merge(periods) -> list[Period]:
    out: list[Period] = []
    for p in sorted(periods, key=lambda p: p.start):
        if p.end < p.start:
            raise ValueError("a period ends before it starts")
        if out and p.start <= out[-1].end + timedelta(days=1):
            out[-1] = Period(out[-1].start, max(out[-1].end, p.end))
        else:
            out.append(p)
    return out


PROCESSING_DAYS = 90          # NĐ 172/2025 Đ.5 k.5
PROCESSING_DAYS_COMPLEX = 150  # NĐ 172/2025 Đ.5 k.5, complex cases


def processing_deadline(discovered: date, *, complex_case: bool = False, excluded=()) -> date:
    """Last day to decide: 90 days from discovery, 150 for a complex case (Đ.5 k.5), not counting the
    periods of Đ.5 k.6 — deferral (Đ.3), criminal proceedings, complaints and lawsuits — which push the
    deadline by their length where they fall inside the running period."""
    deadline = discovered + timedelta(days=(PROCESSING_DAYS_COMPLEX if complex_case else PROCESSING_DAYS) - 1)
    for p in merge(excluded):
        if p.end < discovered or p.start > deadline:
            continue
        overlap = Period(max(p.start, discovered), p.end)
        deadline += timedelta(days=overlap.days())
    return deadline


# NĐ 172/2025 Đ.3: no disciplinary consideration while one of these lasts.
DEFERRAL_REASONS = {
    "illness": "Đang nghỉ hằng năm, nghỉ theo chế độ, nghỉ việc riêng được cho phép; đang điều trị bệnh hiểm nghèo, mất khả năng nhận thức, ốm đau nặng",
    "maternity": "Đang mang thai, nghỉ thai sản, nuôi con dưới 12 tháng tuổi",
    "prosecution": "Đang bị khởi tố, tạm giữ, tạm giam chờ kết luận của cơ quan có thẩm quyền",
}


def deferred_on(day: date, deferrals) -> bool:
    """True while a deferral period of NĐ 172/2025 Đ.3 lasts: the case may not take a step."""
    return any(p.start <= day <= p.end for p in deferrals)


# --- procedure steps (NĐ 172/2025 Đ.16–21, công chức) ---------------------------------------------------

@dataclass(frozen=True)
class Step:
    key: str
    label: str
    working_days: int
    basis: str


STEPS = (
    Step("report", "Báo cáo kết quả kiểm điểm", 3, "NĐ 172/2025 Đ.16: trong 03 ngày làm việc kể từ ngày kết thúc cuộc họp kiểm điểm"),
    Step("council", "Thành lập Hội đồng kỷ luật", 5, "NĐ 172/2025 Đ.17: trong 05 ngày làm việc kể từ khi nhận báo cáo"),
    Step("invitation", "Gửi giấy triệu tập họp Hội đồng kỷ luật", 5, "NĐ 172/2025 Đ.18: chậm nhất 05 ngày làm việc trước ngày họp"),
    Step("recommendation", "Hội đồng kiến nghị hình thức kỷ luật", 5, "NĐ 172/2025 Đ.19–20: trong 05 ngày làm việc kể từ khi kết thúc cuộc họp"),
    Step("decision", "Quyết định kỷ luật", 5, "NĐ 172/2025 Đ.21: trong 05 ngày làm việc kể từ khi nhận kiến nghị"),
)
STEP_BY_KEY = {s.key: s for s in STEPS}


def step_due(cal, started, key: str):
    """Due instant of a step: `started` plus its working days on the unit's calendar (Đ.16–21)."""
    return cal.due(started, STEP_BY_KEY[key].working_days, "working_days").due


def invitation_in_time(cal, sent, meeting) -> bool:
    """The council's invitation must reach the person at least 5 working days before the meeting (Đ.18)."""
    return cal.due(sent, STEP_BY_KEY["invitation"].working_days, "working_days").due <= meeting


# --- council (NĐ 172/2025 Đ.2 k.11, Đ.17) -----------------------------------------------------------------

COUNCIL_SIZE = 3

# Đ.2 k.11: relatives who may not sit on the council (nor chair the kiểm điểm meeting).
RELATIVE_KINDS = {
    "spouse": "Vợ, chồng",
    "parent": "Cha, mẹ (đẻ, nuôi), cha, mẹ vợ/chồng",
    "child": "Con (đẻ, nuôi), con dâu, con rể",
    "sibling": "Anh, chị, em ruột; anh, chị, em ruột của vợ/chồng; vợ/chồng của anh, chị, em ruột",
}


def council_problems(subject: int, members, relatives) -> list[str]:
    """Why a council may not sit: not exactly 3 members (Đ.17), the person disciplined among them, or a
    relative of theirs (Đ.2 k.11). `relatives` is the set of ids related to `subject`. [] when fine."""
    members = list(members)
    problems = []
    if len(set(members)) != COUNCIL_SIZE:
        problems.append("size")
    if subject in members:
        problems.append("subject")
    if set(members) & set(relatives):
        problems.append("relative")
    return problems


# --- decisions in time (NĐ 172/2025 Đ.2 k.8–9) ---------------------------------------------------------------

DECISION_MONTHS = 12
RECIDIVISM_MONTHS = 12


def decision_lapses_on(effective: date) -> date:
    """A decision is in force for 12 months from its effect, then lapses (Đ.2 k.9)."""
    return add_months(effective, DECISION_MONTHS)


def decision_in_force(effective: date, on: date, *, new_violations=()) -> bool:
    """In force from `effective` for 12 months; it lapses automatically only if no new violation was
    committed in that time (Đ.2 k.9) — otherwise it stays in force until the new one is handled."""
    if on < effective:
        return False
    if on < decision_lapses_on(effective):
        return True
    return any(effective <= v < decision_lapses_on(effective) for v in new_violations)


def is_recidivism(prior_effective: date, prior_rule: str, violation_day: date, rule: str) -> bool:
    """Tái phạm: the same violation again within 12 months of the earlier decision taking effect (Đ.2 k.8)."""
    return rule == prior_rule and prior_effective <= violation_day < add_months(prior_effective, RECIDIVISM_MONTHS)
