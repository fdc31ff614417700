"""The catalog's rules as pure functions: no database writes, usable by services, forms, import and pages.

Each check returns problems (a stable code + a Vietnamese message) instead of raising, so the admin
can show all of them at once and the import can report them per row; `services` turns them into
`ValidationFailed`.
"""
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils.translation import gettext_lazy as _

from kycuong.core.models import User

from .models import HOURS_PER_DAY, LimitUnit, OnlineLevel

ZERO = Decimal(0)
HALF = Decimal("0.5")
DEFAULT_HOURLY_RATE_VND = 40_000  # Đồng Nai QĐ 2816/QĐ-UBND 20/11/2025: average income 2024 (docs/legal/reform.md §5)
STEP_ROLES = frozenset(User.OFFICER_ROLES)


@dataclass(frozen=True)
class Problem:
    code: str
    message: str
    step: int | None = None  # 1-based position in the step list, when the problem is about one step

    def as_dict(self):
        body = {"code": self.code, "message": str(self.message)}
        if self.step is not None:
            body["step"] = self.step
        return body


def number_vi(value) -> str:
    """4 → "4", 4.50 → "4,5" (Vietnamese decimal comma)."""
    d = Decimal(value).normalize()
    if d == d.to_integral_value():
        return str(int(d))
    return format(d, "f").replace(".", ",")


def limit_in_words(amount, unit) -> str:
    """"05 ngày làm việc", "02 giờ làm việc", "1,5 ngày làm việc", "15 ngày (theo lịch)".

    Whole numbers get two digits, as procedure catalogues print them.
    """
    if amount is None:
        return ""
    d = Decimal(amount)
    n = f"{int(d):02d}" if d == d.to_integral_value() else number_vi(d)
    if unit == LimitUnit.WORKING_HOURS:
        return str(_("%(n)s giờ làm việc") % {"n": n})
    if unit == LimitUnit.CALENDAR_DAYS:
        return str(_("%(n)s ngày (theo lịch)") % {"n": n})
    return str(_("%(n)s ngày làm việc") % {"n": n})


def limit_hours(amount, unit) -> Decimal:
    """The limit in working hours: 1 working day = 8 h (docs/legal/working-time.md §2.3)."""
    d = Decimal(amount)
    return d if unit == LimitUnit.WORKING_HOURS else d * HOURS_PER_DAY


def _is_half_multiple(d: Decimal) -> bool:
    return (d / HALF) == (d / HALF).to_integral_value()


def check_limit(amount, unit, target=None) -> list[Problem]:
    """Legal limit > 0 in halves; the unit's own target, if any, in halves and not above the limit."""
    problems = []
    if unit not in LimitUnit.values:
        problems.append(Problem("CATALOG_BAD_LIMIT_UNIT", _("Đơn vị thời hạn phải là ngày làm việc, giờ làm việc hoặc ngày theo lịch.")))
        return problems
    try:
        d = Decimal(amount)
    except (TypeError, InvalidOperation):
        return [Problem("CATALOG_LIMIT_REQUIRED", _("Chưa ghi thời hạn giải quyết."))]
    if d <= ZERO:
        problems.append(Problem("CATALOG_LIMIT_NOT_POSITIVE", _("Thời hạn giải quyết phải lớn hơn 0.")))
    elif not _is_half_multiple(d):
        problems.append(Problem("CATALOG_LIMIT_NOT_HALF",
                                _("Thời hạn giải quyết chỉ được lẻ nửa đơn vị (ví dụ 1,5); đang ghi %(v)s.") % {"v": number_vi(d)}))
    if target is not None and target != "":
        t = Decimal(target)
        if t <= ZERO or not _is_half_multiple(t):
            problems.append(Problem("CATALOG_TARGET_INVALID",
                                    _("Thời hạn cam kết phải lớn hơn 0 và chỉ được lẻ nửa đơn vị.")))
        elif t > d:
            problems.append(Problem(
                "CATALOG_TARGET_OVER_LIMIT",
                _("Thời hạn cam kết của đơn vị (%(t)s) không được dài hơn thời hạn luật định (%(l)s).")
                % {"t": limit_in_words(t, unit), "l": limit_in_words(d, unit)},
            ))
    return problems


def check_online(online_level, full_online_eligible, channel_online) -> list[Problem]:
    """NĐ 42/2022/NĐ-CP k.1 Đ.11: any online service is at least "một phần"; "toàn trình" needs eligibility."""
    problems = []
    if online_level not in OnlineLevel.values:
        return [Problem("CATALOG_BAD_ONLINE_LEVEL", _("Mức độ trực tuyến không hợp lệ."))]
    if online_level == OnlineLevel.FULL and not full_online_eligible:
        problems.append(Problem("CATALOG_FULL_ONLINE_NOT_ELIGIBLE",
                                _("Thủ tục chưa được xác định đủ điều kiện toàn trình nên không thể ghi mức “Toàn trình”.")))
    if online_level != OnlineLevel.NONE and not channel_online:
        problems.append(Problem("CATALOG_ONLINE_WITHOUT_CHANNEL",
                                _("Thủ tục có dịch vụ công trực tuyến thì phải có kênh tiếp nhận trực tuyến.")))
    if online_level == OnlineLevel.NONE and channel_online:
        problems.append(Problem("CATALOG_CHANNEL_WITHOUT_ONLINE_LEVEL",
                                _("Có kênh tiếp nhận trực tuyến thì mức độ trực tuyến ít nhất là “Một phần” (k.1 Đ.11 NĐ 42/2022/NĐ-CP).")))
    return problems


def _attr(step, name, default=None):
    if isinstance(step, dict):
        return step.get(name, default)
    return getattr(step, name, default)


@dataclass(frozen=True)
class StepCheck:
    ok: bool
    total_hours: Decimal
    required_hours: Decimal | None
    exact: bool  # True: the steps must add up exactly; False (calendar days): they must not exceed
    problems: tuple = field(default_factory=tuple)

    @property
    def summary(self) -> str:
        if self.required_hours is None:
            return ""
        if self.ok:
            if self.exact:
                return str(_("Tổng thời gian các bước %(t)s giờ, bằng thời hạn giải quyết (%(r)s giờ).")
                           % {"t": number_vi(self.total_hours), "r": number_vi(self.required_hours)})
            return str(_("Tổng thời gian các bước %(t)s giờ, không vượt %(r)s giờ (thời hạn tính theo ngày lịch).")
                       % {"t": number_vi(self.total_hours), "r": number_vi(self.required_hours)})
        return "; ".join(str(p.message) for p in self.problems)


def check_steps(limit_amount, limit_unit, steps) -> StepCheck:
    """The internal process against the legal limit (docs/legal/working-time.md §2.3; Hà Nội QĐ 1594/QĐ-TTPVHCC, Nghệ An QĐ 3857/QĐ-UBND).

    * 1 working day = 8 working hours; half-day steps (4 h) are allowed;
    * the last step is "trả kết quả" and takes no time; there is exactly one;
    * every other step takes time, and has a role (core.User.Role, officers only) or a unit;
    * working_days / working_hours: the steps add up exactly to the limit;
      calendar_days: the steps, planned in working hours, do not exceed N × 8 h.

    `steps` are model instances or dicts with name, role, unit (or unit_id), hours, is_return_step.
    """
    steps = list(steps)
    problems: list[Problem] = []
    total = ZERO
    try:
        required = limit_hours(limit_amount, limit_unit) if limit_amount not in (None, "") else None
    except (TypeError, InvalidOperation):
        required = None
    exact = limit_unit != LimitUnit.CALENDAR_DAYS
    if not steps:
        problems.append(Problem("CATALOG_STEPS_MISSING",
                                _("Chưa khai báo quy trình nội bộ (các bước xử lý và bước trả kết quả).")))
        return StepCheck(False, total, required, exact, tuple(problems))

    returns = [i for i, s in enumerate(steps, 1) if _attr(s, "is_return_step")]
    for i, step in enumerate(steps, 1):
        name = (_attr(step, "name") or "").strip()
        if not name:
            problems.append(Problem("CATALOG_STEP_NO_NAME", _("Bước %(i)s chưa có tên.") % {"i": i}, i))
        label = name or str(i)
        try:
            hours = Decimal(_attr(step, "hours") if _attr(step, "hours") not in (None, "") else "x")
        except InvalidOperation:
            problems.append(Problem("CATALOG_STEP_BAD_HOURS",
                                    _("Bước “%(s)s”: số giờ không hợp lệ.") % {"s": label}, i))
            continue
        if hours < ZERO:
            problems.append(Problem("CATALOG_STEP_BAD_HOURS",
                                    _("Bước “%(s)s”: số giờ không được âm.") % {"s": label}, i))
            continue
        role = _attr(step, "role") or ""
        unit = _attr(step, "unit") or _attr(step, "unit_id")
        if role and role not in STEP_ROLES:
            problems.append(Problem("CATALOG_STEP_BAD_ROLE",
                                    _("Bước “%(s)s”: vai trò “%(r)s” không phải vai trò của cán bộ.") % {"s": label, "r": role}, i))
        if not role and not unit:
            problems.append(Problem("CATALOG_STEP_NO_ACTOR",
                                    _("Bước “%(s)s”: phải ghi vai trò hoặc đơn vị thực hiện.") % {"s": label}, i))
        if _attr(step, "is_return_step"):
            if hours != ZERO:
                problems.append(Problem(
                    "CATALOG_RETURN_STEP_HAS_TIME",
                    _("Bước trả kết quả “%(s)s” không tính thời gian nhưng đang ghi %(h)s giờ.") % {"s": label, "h": number_vi(hours)},
                    i,
                ))
        else:
            if hours == ZERO:
                problems.append(Problem("CATALOG_STEP_ZERO_HOURS",
                                        _("Bước “%(s)s” phải có thời gian (chỉ bước trả kết quả mới ghi 0 giờ).") % {"s": label}, i))
            total += hours

    if not returns:
        problems.append(Problem("CATALOG_RETURN_STEP_MISSING",
                                _("Thiếu bước trả kết quả (bước cuối cùng, không tính thời gian).")))
    elif len(returns) > 1:
        problems.append(Problem("CATALOG_RETURN_STEP_DUPLICATE", _("Chỉ được có một bước trả kết quả.")))
    elif returns[0] != len(steps):
        problems.append(Problem("CATALOG_RETURN_STEP_NOT_LAST", _("Bước trả kết quả phải là bước cuối cùng."), returns[0]))

    if required is not None and required > ZERO:
        words = limit_in_words(limit_amount, limit_unit)
        args = {"t": number_vi(total), "r": number_vi(required), "l": words, "d": number_vi(abs(required - total))}
        if exact and total < required:
            problems.append(Problem(
                "CATALOG_STEPS_SHORT",
                _("Tổng thời gian các bước (%(t)s giờ) ít hơn thời hạn giải quyết %(l)s (%(r)s giờ); còn thiếu %(d)s giờ.") % args,
            ))
        elif total > required:
            if exact:
                msg = _("Tổng thời gian các bước (%(t)s giờ) vượt thời hạn giải quyết %(l)s (%(r)s giờ); thừa %(d)s giờ.")
            else:
                msg = _("Tổng thời gian các bước (%(t)s giờ) vượt %(r)s giờ (%(l)s × 8 giờ); thừa %(d)s giờ.")
            problems.append(Problem("CATALOG_STEPS_OVER", msg % args))
    return StepCheck(not problems, total, required, exact, tuple(problems))


# ---- The 7 parts every published procedure must show (k.2 Đ.8 NĐ 63/2010/NĐ-CP; QĐ 766 indicator 1.3) ----

PARTS = (
    ("name", _("Tên thủ tục")),
    ("sequence", _("Trình tự thực hiện")),
    ("method", _("Cách thức thực hiện")),
    ("dossier", _("Thành phần, số lượng hồ sơ")),
    ("time_limit", _("Thời hạn giải quyết")),
    ("subjects", _("Đối tượng thực hiện")),
    ("agency", _("Cơ quan thực hiện")),
)
PART_LABELS = dict(PARTS)


def missing_parts(version) -> list[str]:
    """Codes of the parts (see PARTS) a saved ProcedureVersion lacks; [] means complete.

    method = at least one receiving channel; dossier = ≥ 1 document and ≥ 1 set; agency = the published
    authority text, a deciding unit, or "every commune".
    """
    missing = []
    if not (version.name or "").strip():
        missing.append("name")
    if not (version.sequence or "").strip():
        missing.append("sequence")
    if not (version.channel_direct or version.channel_online or version.channel_postal):
        missing.append("method")
    docs = version.documents.all()
    if not docs or not version.dossier_sets or any(d.originals + d.copies < 1 for d in docs):
        missing.append("dossier")
    if not version.limit_amount or version.limit_amount <= 0 or not version.limit_unit:
        missing.append("time_limit")
    if not (version.subjects or "").strip():
        missing.append("subjects")
    if not ((version.deciding_authority or "").strip() or version.all_communes or version.deciding_units.all()):
        missing.append("agency")
    return missing


def completeness(version) -> list[dict]:
    """All 7 parts with a present flag, in the legal order (for pages and the API)."""
    missing = set(missing_parts(version))
    return [{"code": code, "label": str(label), "present": code not in missing} for code, label in PARTS]


# ---- Compliance cost (TT 02/2017/TT-VPCP simplified; worked formula of Đồng Nai QĐ 2816/QĐ-UBND, docs/legal/reform.md §5) ---

@dataclass(frozen=True)
class ComplianceCost:
    cost_before_vnd: int
    cost_after_vnd: int
    saving_vnd: int
    reduction_percent: Decimal | None


def _vnd(amount: Decimal) -> int:
    return int(amount.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def compliance_cost(time_before, time_after, unit, dossiers_per_year, vnd_per_hour=DEFAULT_HOURLY_RATE_VND) -> ComplianceCost:
    """cost = (time in working hours × hourly cost) × dossiers per year; saving = before − after;
    reduction = saving ÷ before. Days count 8 h each (also calendar days, as the source formula does).
    """
    before = _vnd(limit_hours(time_before, unit) * vnd_per_hour * dossiers_per_year)
    after = _vnd(limit_hours(time_after, unit) * vnd_per_hour * dossiers_per_year)
    saving = before - after
    pct = (Decimal(saving) * 100 / before).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP) if before else None
    return ComplianceCost(before, after, saving, pct)
