"""The rulebook of a report (phản ánh, kiến nghị — PAKN): the one place that decides (docs/design.md rule 2).

The state table cites its basis per line; the guards refine it; `REPORT.require` is what services call
before every write, `REPORT.allowed` / `REPORT.decisions` is all the staff page and the API ask.

Scope (docs/design.md rule 4) is core.scope's one rule measured from the officer's unit — an officer of a
successor unit acts on the open reports its dissolved predecessor left — plus two role rules: the inspectors
handling a report (in charge or verifying) keep it, and an inspector oversees the conduct reports of the
level their inspection body belongs to (Luật Thanh tra 2022: Thanh tra Thành phố, a body of the city
committee, oversees the city; a commune's inspector, the commune), i.e. core.scope from `oversight_unit`.
"""
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kycuong.core.models import Unit, User
from kycuong.core.policy import CONFLICT, FORBIDDEN, Refusal, Rulebook, Transition
from kycuong.core.scope import sees_everything, unit_in_scope, unit_scope_q

from .errors import NotPermitted, ReportNotFound, TransitionNotAllowed
from .models import Channel, Kind
from .workflow import BASIS_PAKN, CITIZEN, INSPECTOR, OFFICER, SYSTEM, State

BASIS_INSPECTION = "Luật Thanh tra 2022; NĐ 43/2023/NĐ-CP"
# Conflicts of interest: whoever is complained about takes no part in handling the complaint.
BASIS_CONFLICT = "Luật Phòng, chống tham nhũng 2018 Đ.23 (kiểm soát xung đột lợi ích)"


# --- who ---------------------------------------------------------------------------------------------

def actor_of(user, report=None) -> str:
    """The actor kind: nobody signed in but holding the code is the reporter (a citizen); None is the system."""
    if user is None:
        return SYSTEM
    if not user.is_authenticated:
        return CITIZEN
    if user.role == User.Role.INSPECTOR:
        return INSPECTOR
    return OFFICER if user.is_officer else CITIZEN


def oversight_unit(user):
    """The unit an inspector's remit starts from: a provincial inspection body oversees its level (the
    parent, the city); any other inspector, their own unit."""
    unit = user.unit
    return unit.parent if unit.parent_id and unit.tier == Unit.Tier.PROVINCE else unit


def _is_inspector(user) -> bool:
    return bool(user and user.is_authenticated and user.role == User.Role.INSPECTOR and user.unit_id)


def report_scope_q(user) -> Q:
    """The reports an officer sees and acts on (a `Q` on Report); `in_scope` is the same rule for one."""
    if sees_everything(user):
        return Q()
    if not (user and user.is_authenticated and user.is_officer):
        return Q(pk__in=[])
    rule = unit_scope_q(user, "responsible_unit") | Q(inspector=user) | Q(verifier=user)
    if _is_inspector(user):
        rule |= Q(kind=Kind.CONDUCT) & unit_scope_q(user, "responsible_unit", from_unit=oversight_unit(user))
    return rule


def in_scope(user, report) -> bool:
    if sees_everything(user):
        return True
    if not (user and user.is_authenticated and user.is_officer):
        return False
    if user.pk in (report.inspector_id, report.verifier_id):
        return True
    if unit_in_scope(user, report.responsible_unit):
        return True
    return (_is_inspector(user) and report.kind == Kind.CONDUCT
            and unit_in_scope(user, report.responsible_unit, from_unit=oversight_unit(user)))


def require_intake(user, channel) -> None:
    """Hotline and walk-in reports are typed in by an officer; the portal and Open311 take anyone's."""
    if channel in (Channel.HOTLINE, Channel.WALK_IN) and actor_of(user) not in (OFFICER, INSPECTOR):
        raise NotPermitted(_("Chỉ cán bộ được nhập phản ánh qua đường dây nóng hoặc trực tiếp."),
                           code="FEEDBACK_STAFF_CHANNEL")


# --- guards --------------------------------------------------------------------------------------------

def _forbid(code, reason, **details) -> Refusal:
    return Refusal(code, reason, FORBIDDEN, details, NotPermitted)


def _conflict(code, reason, **details) -> Refusal:
    return Refusal(code, reason, CONFLICT, details, TransitionNotAllowed)


def conduct_only(ctx):
    """Verification is for conduct reports (indicator 5.1's second class, docs/legal/decision-766.md §1.2)."""
    if ctx.obj.kind != Kind.CONDUCT:
        return _conflict("FEEDBACK_CONDUCT_ONLY", _("Chỉ phản ánh về hành vi của cán bộ, công chức mới qua xác minh."))
    return None


def verified_first(ctx):
    """A conduct report is answered only after its verification is concluded (Luật Thanh tra 2022)."""
    if ctx.obj.kind == Kind.CONDUCT and ctx.obj.state != State.CONCLUDED:
        return _conflict("FEEDBACK_VERIFY_FIRST", _("Phản ánh về hành vi phải có kết luận xác minh trước khi trả lời."))
    return None


def one_inspector_in_charge(ctx):
    """Once an inspector takes a report, only they assign (or reassign) its verifier."""
    report = ctx.obj
    if report.inspector_id and report.inspector_id != ctx.user.pk:
        return _forbid("FEEDBACK_OTHER_INSPECTOR", _("Phản ánh này do thanh tra khác phụ trách."))
    return None


def handling_inspector(ctx):
    """Findings and the conclusion come from the inspector in charge or the verifier, no one else."""
    if ctx.user.pk not in (ctx.obj.inspector_id, ctx.obj.verifier_id):
        return _forbid("FEEDBACK_NOT_HANDLING", _("Chỉ thanh tra phụ trách hoặc người xác minh được ghi nhận, kết luận."))
    return None


def _complained_about(report):
    return report.official.user_id if report.official_id and report.official.user_id else None


def not_complained_about(ctx):
    """Separation of duties (BASIS_CONFLICT): the official a report is about never routes, verifies,
    concludes or answers it — no one examines their own conduct."""
    accused = ctx.memo("accused", lambda: _complained_about(ctx.obj))
    if accused is not None and accused == ctx.user.pk:
        return _forbid("FEEDBACK_SELF_VERIFICATION", _("Cán bộ bị phản ánh không được xử lý, xác minh phản ánh về mình."))
    return None


def verifier_fit(ctx):
    """Who may verify: an active inspector (Luật Thanh tra 2022), not the official complained about."""
    chosen = ctx.params.get("verifier")
    if chosen in (None, ""):
        return None  # nothing chosen yet: the service asks for one (FEEDBACK_VERIFIER_REQUIRED)
    person = User.objects.filter(pk=chosen, is_active=True).first() if str(chosen).isdigit() else None
    if person is None or person.role != User.Role.INSPECTOR or not person.unit_id:
        return _forbid("FEEDBACK_VERIFIER_NOT_INSPECTOR", _("Người xác minh phải là thanh tra."),
                       field="verifier")
    if person.pk == _complained_about(ctx.obj):
        return _forbid("FEEDBACK_VERIFIER_CONFLICT", _("Cán bộ bị phản ánh không được xác minh phản ánh về mình."),
                       field="verifier")
    return None


# --- the table -----------------------------------------------------------------------------------------

T, S = Transition, State
STAFF = frozenset({OFFICER, INSPECTOR})
TRANSITIONS: dict[str, Transition] = {
    "confirm_unit": T(frozenset({S.RECEIVED}), S.PROCESSING, STAFF,
                      BASIS_PAKN + ": cơ quan tiếp nhận phân loại, xác định đơn vị có trách nhiệm xử lý",
                      _("Xác nhận đơn vị xử lý"), (not_complained_about,)),
    "transfer": T(frozenset({S.RECEIVED, S.PROCESSING, S.INFO_REQUESTED}), S.RECEIVED, STAFF,
                  BASIS_PAKN + ": thời hạn xử lý tính từ lần chuyển gần nhất", _("Chuyển đơn vị xử lý"),
                  (not_complained_about,)),
    "refuse": T(frozenset({S.RECEIVED}), S.REFUSED, STAFF,
                BASIS_PAKN + ": từ chối trong 02 ngày làm việc kể từ khi nhận hoặc được chuyển đến",
                _("Từ chối tiếp nhận"), (not_complained_about,)),
    "request_info": T(frozenset({S.RECEIVED, S.PROCESSING}), S.INFO_REQUESTED, STAFF,
                      BASIS_PAKN + ": yêu cầu bổ sung lần đầu trong 05 ngày làm việc",
                      _("Đề nghị người phản ánh bổ sung thông tin"), (not_complained_about,)),
    "provide_info": T(frozenset({S.INFO_REQUESTED}), S.PROCESSING, frozenset({CITIZEN, OFFICER, INSPECTOR}),
                      BASIS_PAKN, _("Bổ sung thông tin")),
    "assign_verifier": T(frozenset({S.PROCESSING, S.VERIFYING}), S.VERIFYING, frozenset({INSPECTOR}),
                         BASIS_INSPECTION + ": xác minh phản ánh về hành vi của cán bộ, công chức",
                         _("Giao người xác minh"),
                         (conduct_only, one_inspector_in_charge, not_complained_about, verifier_fit)),
    "record_findings": T(frozenset({S.VERIFYING}), None, frozenset({INSPECTOR}),
                         BASIS_INSPECTION + ": ghi nhận kết quả xác minh, chứng cứ", _("Ghi nhận kết quả xác minh"),
                         (conduct_only, handling_inspector, not_complained_about)),
    "conclude": T(frozenset({S.VERIFYING}), S.CONCLUDED, frozenset({INSPECTOR}),
                  BASIS_INSPECTION + ": kết luận đúng, đúng một phần hoặc không đúng", _("Kết luận xác minh"),
                  (conduct_only, handling_inspector, not_complained_about)),
    "answer": T(frozenset({S.PROCESSING, S.CONCLUDED}), S.AWAITING_PUBLICATION, STAFF,
                BASIS_PAKN + ": xử lý xong (chờ công khai) trong 15 ngày làm việc",
                _("Trả lời, chuyển chờ công khai"), (verified_first, not_complained_about)),
    "publish": T(frozenset({S.AWAITING_PUBLICATION}), S.PUBLISHED, STAFF,
                 BASIS_PAKN + ": công khai trong 02 ngày làm việc sau khi chờ công khai",
                 _("Công khai kết quả trả lời")),
}


def _refuse_actor(ctx):
    return Refusal.of(NotPermitted)


def _refuse_state(ctx):
    return Refusal.of(TransitionNotAllowed, action=ctx.action, state=str(ctx.obj.state))


REPORT = Rulebook("feedback", TRANSITIONS, state_of=lambda r: r.state, actor_of=actor_of, in_scope=in_scope,
                  not_found=ReportNotFound, refuse_actor=_refuse_actor, refuse_state=_refuse_state)


def action_view(user, report, at=None) -> dict:
    """What the API answers: the allowed actions, and the refused ones this actor kind could take, with why."""
    decisions = REPORT.decisions(user, report, at)
    kind = actor_of(user, report)
    refused = [{"action": d.action, "label": str(d.label), "code": d.refusal.code, "reason": str(d.refusal.reason)}
               for d in decisions if not d.allowed and kind in d.transition.actors]
    return {"allowed_actions": [d.action for d in decisions if d.allowed], "refused_actions": refused}


