"""Conduct records, admonitions (nhắc nhở, phê bình, kiểm điểm — never measures) and the case proposal
that repeated admonitions make (docs/legal/discipline.md §6.1–6.2)."""
from __future__ import annotations

from datetime import date, datetime

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from kycuong.core.models import Official, Unit

from .. import sanctions
from ..errors import Invalid
from ..models import Admonition, CaseProposal, ConductRecord, ConductRule, Letter, SourceKind
from ..policy import SUBJECT
from .base import _event, _now

def proposal_threshold() -> int:
    """How many admonitions within 12 months propose a disciplinary case (configurable, docs/legal/discipline.md §6.2 ⚠️)."""
    return int(getattr(settings, "KYCUONG_ADMONITIONS_FOR_PROPOSAL", 3))


@transaction.atomic
def record_conduct(actor, *, unit: Unit, official: Official | None = None, source_kind: str, source_ref: str = "",
                   description: str, occurred_at: datetime | None = None, rule_code: str | None = None,
                   evidence=None) -> ConductRecord:
    """Record a fact about an official's (or a unit's) conduct. One record per (source, official, unit):
    recording the same source twice returns the first record."""
    if source_kind not in SourceKind.values:
        raise Invalid(_("Nguồn ghi nhận không hợp lệ."))
    if not (description or "").strip():
        raise Invalid(_("Hãy nhập nội dung ghi nhận."), details={"field": "description"})
    SUBJECT.require(actor, unit, "record_conduct")
    if evidence is not None:
        from kycuong.core.uploads import check_file

        check_file(evidence)
    existing = ConductRecord.objects.filter(source_kind=source_kind, source_ref=source_ref, official=official,
                                            unit=unit).first() if source_ref else None
    if existing:
        return existing
    rule = ConductRule.objects.filter(code=rule_code).first() if rule_code else None
    record = ConductRecord.objects.create(
        official=official, unit=unit, rule=rule, source_kind=source_kind, source_ref=source_ref,
        occurred_at=_now(occurred_at), description=description.strip(), created_by=actor,
        **({"evidence": evidence} if evidence is not None else {}),
    )
    _event("conduct", record.pk, "recorded", actor, {"source": source_kind, "ref": source_ref,
                                                     "official": official.pk if official else None,
                                                     "unit": unit.pk, "rule": rule_code or ""})
    return record


def record_from_report(report) -> ConductRecord | None:
    """A founded feedback report becomes a conduct record (source "complaint", ref = the report's code)."""
    unit = report.unit or (report.official.unit if report.official else None)
    if unit is None:
        return None
    text = _("Phản ánh %(code)s được kết luận %(c)s.") % {
        "code": report.code, "c": _("có cơ sở") if report.conclusion == "founded" else _("có cơ sở một phần")}
    if getattr(report, "findings", ""):
        text += " " + str(report.findings)
    return record_conduct(None, unit=unit, official=report.official, source_kind=SourceKind.COMPLAINT,
                          source_ref=report.code, description=text, occurred_at=report.concluded_at)


def record_late_dossier(dossier, now: datetime | None = None, actor=None) -> list[ConductRecord]:
    """For a late dossier: one record per step assignee who used more working time than allotted
    (onestop.services.accountability), for officials linked by their account."""
    from kycuong.onestop.services import accountability

    now = _now(now)
    made = []
    for over in accountability(dossier, now):
        user = over.step.assignee
        official = Official.objects.filter(user=user).first() if user is not None else None
        if official is None:
            continue
        hours = over.overrun_minutes / 60
        made.append(record_conduct(
            actor, unit=official.unit, official=official, source_kind=SourceKind.LATE_DOSSIER,
            source_ref=f"{dossier.code}#{over.step.order}", rule_code="NĐ118-HAN",
            description=_("Hồ sơ %(code)s trễ hạn: bước %(n)s “%(step)s” dùng quá %(h)s giờ làm việc so với thời gian được giao.")
            % {"code": dossier.code, "n": over.step.order, "step": over.step.name, "h": f"{hours:.1f}".replace(".", ",")},
            occurred_at=now,
        ))
    return made


@transaction.atomic
def admonish(actor, *, unit: Unit, kind: str, reason: str, issued_on: date, official: Official | None = None,
             record: ConductRecord | None = None, letter: Letter | None = None) -> Admonition:
    """Nhắc nhở / phê bình / kiểm điểm — a record of its own, never a disciplinary measure (docs/legal/discipline.md §6.2).
    The `proposal_threshold()`-th admonition of an official within 12 months proposes a case."""
    if kind not in Admonition.Kind.values:
        raise Invalid(_("Hình thức nhắc nhở, phê bình không hợp lệ."))
    SUBJECT.require(actor, unit, "admonish")  # a criticism letter's records: the system, after the letter's check
    item = Admonition.objects.create(official=official, unit=unit, kind=kind, reason=reason, issued_on=issued_on,
                                     record=record, letter=letter, issued_by=actor)
    _event("admonition", item.pk, "issued", actor, {"kind": kind, "official": official.pk if official else None,
                                                    "unit": unit.pk})
    if official is not None:
        _maybe_propose(official, issued_on)
    return item


def _maybe_propose(official, on):
    since = sanctions.add_months(on, -12)
    recent = list(Admonition.objects.filter(official=official, issued_on__gt=since, issued_on__lte=on))
    if len(recent) < proposal_threshold():
        return None
    if CaseProposal.objects.filter(official=official, state=CaseProposal.State.OPEN).exists():
        return None
    proposal = CaseProposal.objects.create(
        official=official, unit=official.unit,
        reason=_("%(n)s lần nhắc nhở, phê bình trong 12 tháng.") % {"n": len(recent)})
    proposal.admonitions.set(recent)
    _event("proposal", proposal.pk, "proposed", None, {"official": official.pk, "admonitions": [a.pk for a in recent]})
    return proposal
