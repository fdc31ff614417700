"""The one-stop rulebook (docs/design.md, "One place decides"): the dossier state table, its guards and who
may do what now. `services` calls `DOSSIER.require` before every write; the API's `allowed_actions`, the
dossier page's buttons and the printed forms only ask `DOSSIER.decisions` / `allowed`.

States are the 10 national statuses (docs/legal/one-stop.md §2.1; `workflow.State`). Each action lists the states it
may leave, the state it reaches (None = stays), the actor kinds that may take it, and its legal basis.

Who (403, `errors.NotPermitted` and its subclasses):
* scope — an officer acts on dossiers whose deciding or receiving unit is in their scope
  (`core.scope.any_unit_in_scope`: their subtree, successor units included, so the officers of the
  unit that took over a dissolved one act on what it left); a citizen only on their own dossier.
  Outside scope the dossier "does not exist" (`DossierNotFound`, 404).
* the step rules (separation of duties) — an action that completes the current internal step
  (`STEP_ACTIONS`: start_processing closes the receiving step, handover, finish, return_result) is
  taken only by the step's assignee, or, while unassigned, by an officer of the step's unit holding the
  step's role; the approval/signature step (role `unit_leader`) only by a unit leader of that unit,
  even when assigned; a step marked `requires_second_person` never by someone who completed an earlier
  step of the same dossier. `reassign` is for a unit leader of the step's unit (or of a unit above it).
* administrators are NOT exempt from the step rules: they manage (they see every dossier and may take
  the actions that complete no step, e.g. record a withdrawal), but they hold no step role, so they never
  complete, approve or sign a step. Inspectors and city leadership likewise.

When (409, `errors.TransitionNotAllowed` and the once-only errors): the state table, a supplement only
once (NĐ 118/2025), the apology only once and at the latest one working day before the appointment (NĐ
61/2018 Đ.19 as reproduced in the 2025 processes, docs/legal/one-stop.md §2.2), a handover only to a next processing
step, finish only when no processing step remains.
"""
from datetime import timedelta

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kycuong.core.calendars import calendar_for
from kycuong.core.models import User
from kycuong.core.policy import Refusal, Rulebook, Transition
from kycuong.core.scope import any_unit_in_scope, unit_in_scope

from .errors import (
    ApologyTooLate, DossierNotFound, LastStep, LeaderStep, NoCurrentStep, NotPermitted, NotReceivingUnit,
    NotStepAssignee, NotStepUnit, NotUnitLeader, ResultTooEarly, SamePerson, SecondApology, SecondSupplement,
    StepsRemain, TransitionNotAllowed, WrongStepRole,
)
from .workflow import CITIZEN, OFFICER, SYSTEM, State

WORKING_DAY_MINUTES = 8 * 60
# The roles that work the steps of an internal process; a step without a role takes any of them.
STEP_ROLES = frozenset({User.Role.RECEIVING_OFFICER, User.Role.SPECIALIST, User.Role.UNIT_LEADER, User.Role.CLERK})
# The actions that close the current step (services._advance / _return_result).
STEP_ACTIONS = frozenset({"start_processing", "handover", "finish", "return_result"})


# --- who is who ---------------------------------------------------------------------------------------

def actor_kind(user, dossier=None) -> str:
    if user is None:
        return SYSTEM
    return OFFICER if user.is_officer else CITIZEN


def in_scope(user, dossier) -> bool:
    if user is None:
        return True  # the system (payment callbacks, jobs)
    if user.is_officer:
        return any_unit_in_scope(user, dossier.unit, dossier.receiving_unit)
    return dossier.applicant_id is not None and dossier.applicant_id == user.pk


def require_intake(user, receiving_unit) -> None:
    """Counter intake (no dossier yet, so no state table line): an officer receives for a unit in their own
    scope only — never records another unit's counter as the receiving one (NĐ 118/2025: the one-stop of the
    receiving agency)."""
    if user is None or not user.is_officer or not user.unit_id:
        raise NotPermitted()
    if not unit_in_scope(user, receiving_unit):
        raise NotReceivingUnit(details={"receiving_unit": receiving_unit.code})


def may_hold_step(user, step) -> bool:
    """Whether `user` may be given `step` (the assignee of a handover or a reassignment): an active officer
    of the step's unit holding the step's role (any working role when the step names none)."""
    if user is None or not user.is_active or not unit_in_scope(user, step.unit):
        return False
    return user.role == step.role if step.role else user.role in STEP_ROLES


def _is_unit_leader_of(user, unit) -> bool:
    return user is not None and user.role == User.Role.UNIT_LEADER and unit_in_scope(user, unit)


def _person(user) -> str:
    return (user.full_name or user.get_full_name() or user.username) if user is not None else ""


# --- reads the guards share --------------------------------------------------------------------------

def _current_step(ctx):
    def load():
        step = ctx.obj.current_step
        return step if step is not None and step.finished_at is None else None
    return ctx.memo("current_step", load)


def _later_steps(ctx):
    """The steps after the current one, in order (one query per decision set)."""
    def load():
        current = ctx.obj.current_step
        return list(ctx.obj.steps.filter(order__gt=current.order if current else 0).order_by("order")
                    .values("order", "is_return_step"))
    return ctx.memo("later_steps", load)


# --- guards -------------------------------------------------------------------------------------------

def supplement_once(ctx):
    """NĐ 118/2025/NĐ-CP: a dossier is asked to supplement only once."""
    if ctx.obj.supplement_count >= 1:
        return Refusal.of(SecondSupplement)
    return None


def apology_once(ctx):
    if ctx.obj.apology_count >= 1:
        return Refusal.of(SecondApology)
    return None


def apology_in_time(ctx):
    """At the latest one working day before the appointment, on the receiving unit's calendar."""
    due = ctx.obj.due_at
    if due is None or ctx.at >= due:
        return Refusal.of(ApologyTooLate, due_at=due.isoformat() if due else None)
    left = ctx.memo("apology_left", lambda: calendar_for(ctx.obj.receiving_unit).elapsed(ctx.at, due))
    if left < timedelta(minutes=WORKING_DAY_MINUTES):
        return Refusal.of(ApologyTooLate, due_at=due.isoformat())
    return None


def next_step_exists(ctx):
    later = _later_steps(ctx)
    if not later or later[0]["is_return_step"]:
        return Refusal.of(LastStep)
    return None


def no_step_remains(ctx):
    if any(not s["is_return_step"] for s in _later_steps(ctx)):
        return Refusal.of(StepsRemain)
    return None


def step_duty(ctx):
    """Separation of duties on the current step (see the module docstring)."""
    step = _current_step(ctx)
    if step is None:
        return None  # a procedure without an internal process: nothing to hand on
    user = ctx.user
    if step.role == User.Role.UNIT_LEADER and not _is_unit_leader_of(user, step.unit):
        return Refusal.of(LeaderStep, _("Bước “%(step)s” là bước phê duyệt, ký: chỉ lãnh đạo %(unit)s hoàn thành.")
                          % {"step": step.name, "unit": step.unit.name}, step=step.order)
    if step.assignee_id is not None:
        if step.assignee_id != user.pk:
            return Refusal.of(NotStepAssignee, _("Bước “%(step)s” đã được giao cho %(name)s; chỉ người được "
                                                 "giao mới hoàn thành bước này.")
                              % {"step": step.name, "name": _person(step.assignee)}, step=step.order)
    elif not unit_in_scope(user, step.unit):
        return Refusal.of(NotStepUnit, _("Bước “%(step)s” do %(unit)s thực hiện; bạn không thuộc đơn vị này.")
                          % {"step": step.name, "unit": step.unit.name}, step=step.order)
    elif not (user.role == step.role if step.role else user.role in STEP_ROLES):
        wanted = User.Role(step.role).label if step.role else _("cán bộ xử lý")
        return Refusal.of(WrongStepRole, _("Bước “%(step)s” do %(role)s thực hiện; vai trò của bạn không "
                                           "hoàn thành được bước này.") % {"step": step.name, "role": wanted},
                          step=step.order)
    if step.requires_second_person and _completed_earlier(ctx, step):
        return Refusal.of(SamePerson, _("Bước “%(step)s” phải do người khác với người đã thực hiện bước trước "
                                        "của hồ sơ hoàn thành (phân tách nhiệm vụ).") % {"step": step.name},
                          step=step.order)
    return None


def _completed_earlier(ctx, step) -> bool:
    return ctx.memo("completed_earlier", lambda: ctx.obj.steps.filter(
        order__lt=step.order, finished_by_id=ctx.user.pk).exists())


def has_current_step(ctx):
    if _current_step(ctx) is None:
        return Refusal.of(NoCurrentStep)
    return None


def leader_of_step_unit(ctx):
    step = _current_step(ctx)
    if not _is_unit_leader_of(ctx.user, step.unit):
        return Refusal.of(NotUnitLeader, _("Chỉ lãnh đạo %(unit)s mới giao lại bước “%(step)s”.")
                          % {"unit": step.unit.name, "step": step.name})
    return None


# --- the table ----------------------------------------------------------------------------------------

OPEN_WITH_STEP = frozenset({State.RECEIVED, State.PROCESSING, State.SUPPLEMENT_REQUESTED, State.PAYMENT_REQUESTED,
                            State.FINISHED})
MAU_06 = "TT 03/2025/TT-VPCP Mẫu số 06 (Phiếu kiểm soát quá trình giải quyết hồ sơ)"

T = Transition
TRANSITIONS: dict[str, Transition] = {
    "accept": T(frozenset({State.SUBMITTED_ONLINE}), State.RECEIVED, frozenset({OFFICER}),
                "NĐ 118/2025/NĐ-CP; TT 03/2025/TT-VPCP Phụ lục I Mẫu số 01 (Giấy tiếp nhận hồ sơ và hẹn trả kết quả)",
                gettext_lazy("Tiếp nhận hồ sơ trực tuyến")),
    "refuse": T(frozenset({State.SUBMITTED_ONLINE}), State.REFUSED, frozenset({OFFICER}),
                "TT 03/2025/TT-VPCP Phụ lục I Mẫu số 03 (Phiếu từ chối tiếp nhận hồ sơ)",
                gettext_lazy("Từ chối tiếp nhận")),
    "request_supplement": T(frozenset({State.SUBMITTED_ONLINE, State.RECEIVED, State.PROCESSING}),
                            State.SUPPLEMENT_REQUESTED, frozenset({OFFICER}),
                            "NĐ 118/2025/NĐ-CP: chỉ yêu cầu sửa đổi, bổ sung hồ sơ một lần; TT 03/2025 Mẫu số 02",
                            gettext_lazy("Yêu cầu bổ sung hồ sơ"), (supplement_once,)),
    "complete_supplement": T(frozenset({State.SUPPLEMENT_REQUESTED}), None, frozenset({CITIZEN, OFFICER}),
                             "QĐ 766/QĐ-TTg (ghi chú VPCP): thời gian bổ sung không tính vào thời gian xử lý",
                             gettext_lazy("Hoàn thành bổ sung")),
    "start_processing": T(frozenset({State.RECEIVED}), State.PROCESSING, frozenset({OFFICER}), MAU_06,
                          gettext_lazy("Chuyển xử lý"), (step_duty,)),
    "handover": T(frozenset({State.PROCESSING}), State.PROCESSING, frozenset({OFFICER}),
                  MAU_06 + ": mỗi lần giao nhận ghi thời điểm và trước hạn / đúng hạn / quá hạn",
                  gettext_lazy("Hoàn thành bước, chuyển bước tiếp theo"), (next_step_exists, step_duty)),
    "reassign": T(OPEN_WITH_STEP, None, frozenset({OFFICER}),
                  MAU_06 + ": người nhận của mỗi bước do đơn vị thực hiện bước phân công",
                  gettext_lazy("Giao lại bước đang thực hiện"), (has_current_step, leader_of_step_unit)),
    "request_payment": T(frozenset({State.PROCESSING}), State.PAYMENT_REQUESTED, frozenset({OFFICER}),
                         "docs/legal/one-stop.md §2.1 trạng thái 6", gettext_lazy("Yêu cầu thực hiện nghĩa vụ tài chính")),
    "confirm_payment": T(frozenset({State.PAYMENT_REQUESTED}), State.PROCESSING, frozenset({OFFICER, SYSTEM}),
                         "docs/legal/one-stop.md §2.1 trạng thái 6", gettext_lazy("Xác nhận đã thực hiện nghĩa vụ tài chính")),
    "apologize": T(frozenset({State.RECEIVED, State.PROCESSING, State.PAYMENT_REQUESTED}), None, frozenset({OFFICER}),
                   "NĐ 61/2018 Đ.19 (như các quy trình 2025, docs/legal/one-stop.md §2.2): chậm nhất 01 ngày trước hạn, xin lỗi "
                   "và hẹn lại, chỉ một lần", gettext_lazy("Xin lỗi và hẹn lại ngày trả kết quả"),
                   (apology_once, apology_in_time)),
    "withdraw": T(frozenset({State.SUBMITTED_ONLINE, State.RECEIVED, State.PROCESSING, State.SUPPLEMENT_REQUESTED,
                             State.PAYMENT_REQUESTED}), State.WITHDRAWN, frozenset({CITIZEN, OFFICER}),
                  "khoản 1 Điều 21 NĐ 118/2025/NĐ-CP", gettext_lazy("Rút hồ sơ theo yêu cầu")),
    "stop": T(frozenset({State.RECEIVED, State.PROCESSING, State.SUPPLEMENT_REQUESTED, State.PAYMENT_REQUESTED}),
              State.STOPPED, frozenset({OFFICER}),
              "Điều 21 NĐ 118/2025/NĐ-CP; TT 03/2025/TT-VPCP Đ.7 (Thông báo dừng giải quyết hồ sơ)",
              gettext_lazy("Dừng xử lý")),
    "finish": T(frozenset({State.PROCESSING}), State.FINISHED, frozenset({OFFICER}),
                "QĐ 766/QĐ-TTg ghi chú VPCP: thời điểm kết thúc xử lý", gettext_lazy("Hoàn thành xử lý"),
                (no_step_remains, step_duty)),
    "return_result": T(frozenset({State.FINISHED}), State.RETURNED, frozenset({OFFICER}),
                       "khoản 1 Điều 22 NĐ 118/2025/NĐ-CP", gettext_lazy("Trả kết quả"), (step_duty,)),
    # Not a state change and not an `act` action: the electronic result (services.attach_result).
    "attach_result": T(frozenset({State.FINISHED, State.RETURNED}), None, frozenset({OFFICER}),
                       "khoản 1 Điều 22 NĐ 118/2025/NĐ-CP (bản điện tử của kết quả)",
                       gettext_lazy("Đính kèm kết quả điện tử")),
}
assert STEP_ACTIONS <= set(TRANSITIONS)
# The actions written through `services.act` (attach_result has its own service function and page form).
ACT_ACTIONS = tuple(name for name in TRANSITIONS if name != "attach_result")


def _refuse_state(ctx):
    t = ctx.transition
    details = {"action": ctx.action, "state": int(ctx.obj.state), "allowed_from": sorted(int(s) for s in t.sources)}
    if ctx.action == "attach_result":  # the page names the rule: a result exists only once processing ended
        return Refusal.of(ResultTooEarly, **details)
    return Refusal.of(TransitionNotAllowed, **details)


DOSSIER = Rulebook(
    "onestop", TRANSITIONS, state_of=lambda d: d.state, actor_of=actor_kind, in_scope=in_scope,
    not_found=DossierNotFound, refuse_actor=lambda ctx: Refusal.of(NotPermitted), refuse_state=_refuse_state,
)


def open_to_actor(decision, user, dossier) -> bool:
    """Whether the table itself lets this actor kind take the action in this state (the refusal then
    comes from a guard: worth telling the user why, e.g. the API's `refused_actions`)."""
    t = decision.transition
    return actor_kind(user) in t.actors and dossier.state in t.sources


def allowed_actions(state, actor: str = OFFICER) -> list[str]:
    """The table alone (no guards, no scope): the actions an actor kind may take in a state."""
    return [name for name in ACT_ACTIONS if state in TRANSITIONS[name].sources and actor in TRANSITIONS[name].actors]
