"""Disciplinary cases (NĐ 172/2025/NĐ-CP; viên chức NĐ 112/2020 + 71/2023 ⚠️) and the proposals that
repeated admonitions make (docs/legal/discipline.md §6.1–6.2). Every action on a case or a proposal is refused to the official
under discipline and to their relatives (Đ.2 k.11), and is taken by a case handler of the unit's scope.

The measure itself (Đ.2 k.2–3, Đ.7) is input, checked by the service (422); who and when are decided here.
"""
from django.utils.translation import gettext_lazy as _

from kycuong.core.policy import Refusal
from kycuong.core.scope import unit_in_scope

from .. import sanctions
from ..access import is_overseer
from ..errors import CouncilConflict, Deferred, LimitationExpired, WrongState
from ..models import Case, CaseProposal
from .common import CASE_HANDLERS, T, book, in_scope_of, local_date, not_a_party, relatives_of
from .conduct import subject_to_discipline

COUNCIL_STEPS = ("report", "council")  # the council is formed before the invitation step (Đ.17–18)


def record_visible(user, obj) -> bool:
    """Overseers of the unit's scope, and the official concerned (queries.cases, queries.proposals)."""
    if user is None:
        return True
    if not getattr(user, "is_authenticated", False):
        return False
    if is_overseer(user) and unit_in_scope(user, obj.unit):
        return True
    return bool(obj.official.user_id and obj.official.user_id == user.pk)


def _deferrals(ctx):
    return ctx.memo("deferrals", lambda: [sanctions.Period(d.start, d.end) for d in ctx.obj.deferrals.all()])


def not_deferred(ctx):
    """NĐ 172/2025 Đ.3: no disciplinary consideration while the person is on leave or treatment, pregnant or
    on maternity leave, or prosecuted — the case takes no step in that time."""
    return Refusal.of(Deferred) if sanctions.deferred_on(local_date(ctx), _deferrals(ctx)) else None


def within_limitation(ctx):
    """NĐ 172/2025 Đ.5 k.3: the notice of consideration must come within the limitation of at least one act."""
    on = local_date(ctx)
    if any(not sanctions.limitation_expired(on, v.limitation_expires_on) for v in ctx.obj.violations.all()):
        return None
    return Refusal.of(LimitationExpired)


def not_last_step(ctx):
    keys = [s.key for s in sanctions.STEPS]
    if keys.index(ctx.obj.step) + 1 < len(keys):
        return None
    return Refusal.of(WrongState, _("Bước cuối là quyết định kỷ luật."))


def council_before_invitation(ctx):
    """NĐ 172/2025 Đ.17–18: the council of 3 is formed before the invitation to its meeting goes out."""
    keys = [s.key for s in sanctions.STEPS]
    i = keys.index(ctx.obj.step)
    if i + 1 < len(keys) and keys[i + 1] == "invitation" and ctx.obj.council.count() != sanctions.COUNCIL_SIZE:
        return Refusal.of(CouncilConflict)
    return None


def council_not_yet_convened(ctx):
    """NĐ 172/2025 Đ.17–18: the council is formed within 5 working days of the report; once it has been
    invited to sit, its members no longer change."""
    if ctx.obj.step in COUNCIL_STEPS:
        return None
    return Refusal.of(WrongState, _("Hội đồng kỷ luật đã được triệu tập; không thay đổi thành viên."))


def council_fits(ctx):
    """NĐ 172/2025 Đ.17 (3 members) and Đ.2 k.11 (neither the person nor a relative) for the members given."""
    members = ctx.params.get("members")
    if members is None:
        return None
    case = ctx.obj
    problems = sanctions.council_problems(case.official_id, [m.pk for m in members], relatives_of(case.official_id))
    return Refusal.of(CouncilConflict, problems=problems) if problems else None


handler_of_case = in_scope_of(lambda c: c.unit, "handler_of_case")
not_own_case = not_a_party(lambda c: c.official, "not_own_case")

CASE = book("case", {
    "notify": T({Case.State.OPEN}, None, CASE_HANDLERS,
                "NĐ 172/2025/NĐ-CP Đ.5 k.3–4 (thời hiệu tính đến ngày thông báo bằng văn bản về việc xem xét xử lý "
                "kỷ luật), Đ.3 (chưa xem xét trong thời gian nghỉ, điều trị, thai sản, bị khởi tố)",
                _("Thông báo xem xét kỷ luật"), not_deferred, within_limitation),
    "defer": T({Case.State.OPEN}, None, CASE_HANDLERS,
               "NĐ 172/2025/NĐ-CP Đ.3, Đ.5 k.6: thời gian không tính vào thời hạn xử lý kỷ luật",
               _("Ghi nhận thời gian không tính")),
    "set_council": T({Case.State.OPEN}, None, CASE_HANDLERS,
                     "NĐ 172/2025/NĐ-CP Đ.17 (Hội đồng 03 thành viên, thành lập trong 05 ngày làm việc), Đ.2 k.11 "
                     "(không gồm người bị xem xét, người thân của họ)",
                     _("Thành lập Hội đồng kỷ luật"), council_not_yet_convened, council_fits),
    "advance": T({Case.State.OPEN}, None, CASE_HANDLERS,
                 "NĐ 172/2025/NĐ-CP Đ.16–21: các bước kiểm điểm, báo cáo (03 ngày làm việc), Hội đồng (05), triệu "
                 "tập (05), kiến nghị (05), quyết định (05); Đ.3: không xem xét trong thời gian tạm hoãn",
                 _("Hoàn thành bước, chuyển bước tiếp theo"), not_deferred, not_last_step, council_before_invitation),
    "decide": T({Case.State.OPEN}, Case.State.DECIDED, CASE_HANDLERS,
                "NĐ 172/2025/NĐ-CP Đ.2 k.2 (một hình thức cho vụ việc), Đ.7 (hình thức theo đối tượng), Đ.21 "
                "(quyết định kỷ luật), Đ.2 k.9 (hiệu lực 12 tháng); Đ.3: không quyết định trong thời gian tạm hoãn",
                _("Quyết định kỷ luật"), not_deferred),
}, state_of=lambda c: c.state, in_scope=record_visible, guards=(handler_of_case, not_own_case))


# --- proposals (from repeated admonitions) ---------------------------------------------------------------------

PROPOSAL = book("proposal", {
    "open": T({CaseProposal.State.OPEN}, CaseProposal.State.OPENED, CASE_HANDLERS,
              "Nhắc nhở, phê bình lặp lại là căn cứ đề xuất, không phải hình thức kỷ luật (docs/legal/discipline.md §6.2); "
              "mở vụ việc theo NĐ 172/2025/NĐ-CP Đ.5 k.5 (thời hạn tính từ ngày phát hiện), Đ.16",
              _("Mở vụ việc"), subject_to_discipline(lambda p: p.official)),
    "dismiss": T({CaseProposal.State.OPEN}, CaseProposal.State.DISMISSED, CASE_HANDLERS,
                 "Chưa đến mức phải xử lý kỷ luật: không mở vụ việc (docs/legal/discipline.md §6.2)",
                 _("Không xử lý")),
}, state_of=lambda p: p.state, in_scope=record_visible,
    guards=(in_scope_of(lambda p: p.unit, "handler_of_proposal"), not_a_party(lambda p: p.official, "not_own_case")))
