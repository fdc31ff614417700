"""Disciplinary cases (NĐ 172/2025/NĐ-CP; viên chức NĐ 112/2020 + 71/2023): opening with stored limits,
deferrals, the notice, the council, the step clocks and the one decision; proposals from admonitions."""
from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from kycuong.core.calendars import calendar_for
from kycuong.core.models import Official

from .. import sanctions
from ..errors import DisciplineNotFound, Invalid, MeasureNotAllowed
from ..models import Case, CaseProposal, ConductRule, Deferral, Violation
from ..policy import CASE, PROPOSAL, SUBJECT
from .base import _bump, _event, _lock, _now

def _active_decisions(official, on: date):
    return [c for c in Case.objects.filter(official=official, state=Case.State.DECIDED, effective_on__isnull=False)
            if sanctions.decision_in_force(c.effective_on, on)]


@transaction.atomic
def open_case(actor, *, official: Official, discovered_on: date, violations, complex_case=False,
              proposal: CaseProposal | None = None, at=None) -> Case:
    """Open a case with its violations (description, severity, committed_on, ended_on, rule code,
    no_limitation_reason). Each violation's limitation expiry (Đ.5 k.3–4) and the processing deadline
    (Đ.5 k.5) are computed now and stored."""
    at = _now(at)
    SUBJECT.require(actor, official, "open_case", at)
    if not violations:
        raise Invalid(_("Hãy nhập ít nhất một hành vi vi phạm."), details={"field": "violations"})
    case = Case.objects.create(
        official=official, unit=official.unit, category=official.category, is_leader=official.is_leader,
        discovered_on=discovered_on, complex_case=complex_case,
        deadline_on=sanctions.processing_deadline(discovered_on, complex_case=complex_case),
        step="report", step_started_at=at, step_due_at=sanctions.step_due(calendar_for(official.unit), at, "report"),
        created_by=actor)
    for v in violations:
        rule = ConductRule.objects.filter(code=v.get("rule")).first() if v.get("rule") else None
        warranted = sanctions.suggested_measure(v["severity"], official.category, is_leader=official.is_leader)
        start = v.get("ended_on") or v.get("concluded_on") or v["committed_on"]
        later = [x["committed_on"] for x in violations if x["committed_on"] > start]
        Violation.objects.create(
            case=case, description=v["description"], rule=rule, severity=v["severity"],
            committed_on=v["committed_on"], ended_on=v.get("ended_on"),
            no_limitation_reason=v.get("no_limitation_reason", ""), warranted=warranted,
            limitation_expires_on=sanctions.limitation_expiry(start, warranted, later_violations=later,
                                                              no_limitation_reason=v.get("no_limitation_reason", "")))
    if proposal is not None:  # open_proposal asked PROPOSAL first
        CaseProposal.objects.filter(pk=proposal.pk).update(state=CaseProposal.State.OPENED, case=case)
    _event("case", case.pk, "opened", actor, {"official": official.pk, "violations": len(violations),
                                             "deadline": case.deadline_on})
    return case


def _load_case(pk, actor, action, at=None, **params):
    """The case, locked, once the policy allows `action` (scope, separation of duties, state, Đ.3 …)."""
    case = _lock(Case.objects.filter(pk=pk)).select_related("official__user", "unit").first()
    if case is None:
        raise DisciplineNotFound()
    CASE.require(actor, case, action, at, params=params)
    return case


@transaction.atomic
def add_deferral(actor, case_pk, *, reason, start: date, end: date) -> Case:
    """A period not counted (Đ.3, Đ.5 k.6): the processing deadline moves by its length."""
    case = _load_case(case_pk, actor, "defer")
    if reason not in sanctions.DEFERRAL_REASONS and reason not in ("criminal", "complaint"):
        raise Invalid(_("Lý do tạm hoãn không hợp lệ."), details={"field": "reason"})
    if end < start:
        raise Invalid(_("Ngày kết thúc phải sau ngày bắt đầu."), details={"field": "end"})
    Deferral.objects.create(case=case, reason=reason, start=start, end=end)
    periods = [sanctions.Period(d.start, d.end) for d in case.deferrals.all()]
    deadline = sanctions.processing_deadline(case.discovered_on, complex_case=case.complex_case, excluded=periods)
    _bump(Case, case, deadline_on=deadline)
    _event("case", case.pk, "deferred", actor, {"reason": reason, "start": start, "end": end, "deadline": deadline})
    return case


@transaction.atomic
def notify_consideration(actor, case_pk, *, on: date) -> Case:
    """Written notice of disciplinary consideration: refused once the limitation has expired for every
    violation (Đ.5 k.3), or during a deferral (Đ.3)."""
    case = _load_case(case_pk, actor, "notify", on=on)
    live = [v for v in case.violations.all() if not sanctions.limitation_expired(on, v.limitation_expires_on)]
    _bump(Case, case, notice_on=on)
    _event("case", case.pk, "notified", actor, {"on": on, "expired": case.violations.count() - len(live)})
    return case


@transaction.atomic
def set_council(actor, case_pk, members) -> Case:
    """Hội đồng kỷ luật of 3 (Đ.17) without the person or their relatives (Đ.2 k.11)."""
    members = list(members)
    case = _load_case(case_pk, actor, "set_council", members=members)
    ids = [m.pk for m in members]
    case.council.set(members)
    _event("case", case.pk, "council_set", actor, {"members": ids})
    return case


@transaction.atomic
def advance_step(actor, case_pk, *, at=None) -> Case:
    """Close the current step and start the next with its working-day clock (Đ.16–21)."""
    at = _now(at)
    case = _load_case(case_pk, actor, "advance", at)
    keys = [s.key for s in sanctions.STEPS]
    i = keys.index(case.step)
    nxt = keys[i + 1]
    late = at > case.step_due_at if case.step_due_at else False
    _bump(Case, case, step=nxt, step_started_at=at, step_due_at=sanctions.step_due(calendar_for(case.unit), at, nxt))
    _event("case", case.pk, "step", actor, {"from": keys[i], "to": nxt, "late": late}, at=at)
    return case


def required_measure(case: Case) -> str:
    """The lightest measure the case may end in: the heaviest warranted by its acts (Đ.2 k.2), one level
    heavier if an act was committed while an earlier decision was in force (Đ.2 k.3)."""
    violations = list(case.violations.all())
    base = sanctions.heaviest(v.warranted for v in violations)
    for v in violations:
        if _active_decisions_on(case, v.committed_on):
            return sanctions.one_level_heavier(base, case.category, is_leader=case.is_leader)
    return base


def _active_decisions_on(case, day):
    return [c for c in _active_decisions(case.official, day) if c.pk != case.pk]


def is_recidivist(case: Case) -> bool:
    """Same violation again within 12 months of an earlier decision's effect (Đ.2 k.8)."""
    earlier = Case.objects.filter(official=case.official, state=Case.State.DECIDED).exclude(pk=case.pk)
    for prior in earlier:
        prior_rules = {v.rule_id for v in prior.violations.all() if v.rule_id}
        for v in case.violations.all():
            if v.rule_id in prior_rules and sanctions.is_recidivism(prior.effective_on, v.rule_id, v.committed_on, v.rule_id):
                return True
    return False


@transaction.atomic
def decide(actor, case_pk, *, measure: str, decided_on: date, effective_on: date | None = None, at=None) -> Case:
    """One measure per case (Đ.2 k.2), among those for the person's category (Đ.7), not lighter than the
    case requires; in force 12 months from its effect (Đ.2 k.9)."""
    at = _now(at)
    case = _load_case(case_pk, actor, "decide", at, on=decided_on)
    allowed = sanctions.measures_for(case.category, is_leader=case.is_leader)
    if measure not in allowed:
        raise MeasureNotAllowed(details={"allowed": list(allowed)})
    needed = required_measure(case)
    if sanctions.WEIGHT[measure] < sanctions.WEIGHT[needed]:
        raise MeasureNotAllowed(_("Hình thức kỷ luật nhẹ hơn mức phải áp dụng (NĐ 172/2025 Đ.2 k.2–3)."),
                                details={"required": needed})
    effective_on = effective_on or decided_on
    _bump(Case, case, state=Case.State.DECIDED, measure=measure, decided_on=decided_on, effective_on=effective_on,
          lapses_on=sanctions.decision_lapses_on(effective_on), step="decision")
    _event("case", case.pk, "decided", actor, {"measure": measure, "effective": effective_on,
                                              "recidivism": is_recidivist(case)}, at=at)
    return case


@transaction.atomic
def open_proposal(actor, proposal_pk, *, discovered_on: date, severity=sanctions.MINOR) -> Case:
    """The inspector opens a proposed case: its admonitions become the violations to examine."""
    proposal = _load_proposal(proposal_pk, actor, "open")
    violations = [{"description": a.reason, "severity": severity, "committed_on": a.issued_on}
                  for a in proposal.admonitions.all()]
    return open_case(actor, official=proposal.official, discovered_on=discovered_on, violations=violations,
                     proposal=proposal)


def _load_proposal(pk, actor, action):
    proposal = _lock(CaseProposal.objects.filter(pk=pk)).select_related("official__user", "unit").first()
    if proposal is None:
        raise DisciplineNotFound()
    PROPOSAL.require(actor, proposal, action)
    return proposal


@transaction.atomic
def dismiss_proposal(actor, proposal_pk, *, reason="") -> CaseProposal:
    """The inspector sets a proposal aside: not yet a matter for discipline (docs/legal/discipline.md §6.2)."""
    proposal = _load_proposal(proposal_pk, actor, "dismiss")
    CaseProposal.objects.filter(pk=proposal.pk).update(state=CaseProposal.State.DISMISSED)
    _event("proposal", proposal.pk, "dismissed", actor, {"reason": (reason or "").strip()[:1000]})
    proposal.state = CaseProposal.State.DISMISSED
    return proposal

