"""Conduct records from their sources (founded complaints, late dossiers), admonitions and the proposal
they trigger (docs/legal/discipline.md §6.2)."""
from dataclasses import dataclass
from datetime import date, datetime

import pytest

from kycuong.core import events
from kycuong.core.errors import DomainError
from kycuong.discipline.models import Admonition, CaseProposal, ConductRecord, ConductRule

from .conftest import hn


@dataclass
class StandInReport:
    """The attributes kycuong.feedback.signals documents for `report` (the real model lives on another branch)."""

    code: str
    official: object
    unit: object
    conclusion: str
    concluded_at: datetime
    findings: str
    concluded_by: object


def test_rule_catalog_is_seeded_with_sources(db):
    """Luật CBCC 2025 Đ.14, NĐ 118/2025 one-stop duties, "4 xin 4 luôn", QĐ 45/2018 Đ.15 — each with its source."""
    groups = set(ConductRule.objects.values_list("group", flat=True))
    assert {"prohibited", "one_stop", "manners", "meeting"} <= groups
    assert ConductRule.objects.get(code="CBCC14-BOVIEC").source == "Luật CBCC 2025 Đ.14"
    assert not ConductRule.objects.filter(source="").exists()


def test_report_founded_signal_creates_a_complaint_record_once(people):
    """feedback → discipline: the receiver connected in DisciplineConfig.ready() records source "complaint",
    ref = the report's code; the same report sent twice gives one record."""
    from kycuong.feedback.signals import report_founded

    report = StandInReport(code="PA-260302-0007", official=people["me"], unit=people["me"].unit,
                           conclusion="founded", concluded_at=hn(2026, 3, 2, 10), findings="Gây phiền hà khi tiếp dân",
                           concluded_by=people["inspector"])
    report_founded.send(sender=StandInReport, report=report)
    report_founded.send(sender=StandInReport, report=report)
    rec = ConductRecord.objects.get(source_kind="complaint")
    assert (rec.source_ref, rec.official, rec.unit.code) == ("PA-260302-0007", people["me"], "H26.104")
    assert "Gây phiền hà" in rec.description and rec.occurred_at == hn(2026, 3, 2, 10)
    assert [e.kind for e in events.timeline("conduct", str(rec.pk))] == ["recorded"]


def test_report_about_a_unit_only(people):
    from kycuong.core.models import Unit
    from kycuong.feedback.signals import report_founded

    unit = Unit.objects.get(code="H26.105")
    report_founded.send(sender=None, report=StandInReport("PA-1", None, unit, "partly_founded", hn(2026, 3, 2, 10), "", None))
    rec = ConductRecord.objects.get(source_ref="PA-1")
    assert rec.official is None and rec.unit == unit and "một phần" in rec.description


def test_late_dossier_records_the_assignees_who_consumed_the_overrun(people, demo):
    """A late dossier: one record per step assignee (linked by Official.user) whose step overran
    (kycuong.onestop.services.accountability)."""
    from kycuong.catalog.queries import procedure_by_code
    from kycuong.discipline.services import record_late_dossier
    from kycuong.onestop.services import Applicant, act, receive_at_counter

    demo.restore("catalog")
    counter = __import__("kycuong.core.services", fromlist=["create_user"]).create_user(
        "counter", "pw-Abc12345!", role="receiving_officer", unit=people["me"].unit.__class__.objects.get(code="H26.200.01"))
    docs = [d.pk for d in procedure_by_code("HN-DEMO-CC01", on_date=date(2026, 3, 2)).documents.all()]
    d = receive_at_counter(counter, procedure_code="HN-DEMO-CC01", applicant=Applicant(name="Hoàng Thị Mai"),
                           documents=docs, at=hn(2026, 3, 2, 9))
    d = act(d.code, "start_processing", counter, at=hn(2026, 3, 2, 11), assignee_id=people["specialist"].pk)
    d = act(d.code, "handover", people["specialist"], at=hn(2026, 3, 16, 11), assignee_id=people["leader"].pk)
    made = record_late_dossier(d, hn(2026, 3, 16, 12))
    assert [(r.official, r.source_kind, r.rule.code) for r in made] == [(people["me"], "late_dossier", "NĐ118-HAN")]
    assert made[0].source_ref == f"{d.code}#2"
    assert record_late_dossier(d, hn(2026, 3, 16, 12))[0].pk == made[0].pk  # once per step
    # the evening job finds the dossier once it is finished late, and records nothing twice
    d = act(d.code, "handover", people["leader"], at=hn(2026, 3, 16, 14))
    act(d.code, "finish", people["secretary"], at=hn(2026, 3, 16, 15))  # the clerk's step (onestop.policy)
    from kycuong.core import jobs

    assert jobs.enqueue("kycuong.discipline.tasks.record_late_dossiers", hn(2026, 3, 16, 18)).get() == 1
    assert ConductRecord.objects.filter(source_kind="late_dossier").count() == 1


def test_admonitions_are_not_measures_and_repeated_ones_propose_a_case(people, settings):
    """docs/legal/discipline.md §6.2: nhắc nhở / phê bình / kiểm điểm are their own records; the configured number within
    12 months proposes a disciplinary case (a proposal, not a decision)."""
    from kycuong.discipline import services

    settings.KYCUONG_ADMONITIONS_FOR_PROPOSAL = 3
    me, leader = people["me"], people["leader"]
    services.admonish(leader, unit=me.unit, official=me, kind="nhac_nho", reason="Đi muộn", issued_on=date(2025, 1, 5))
    services.admonish(leader, unit=me.unit, official=me, kind="nhac_nho", reason="Đi muộn", issued_on=date(2026, 2, 1))
    services.admonish(leader, unit=me.unit, official=me, kind="phe_binh", reason="Không trả lời giấy mời",
                      issued_on=date(2026, 3, 1))
    assert not CaseProposal.objects.exists()  # the 2025 one is more than 12 months back
    services.admonish(leader, unit=me.unit, official=me, kind="kiem_diem", reason="Chậm hồ sơ", issued_on=date(2026, 3, 5))
    proposal = CaseProposal.objects.get()
    assert proposal.official == me and proposal.admonitions.count() == 3 and proposal.case is None
    assert not me.cases.exists()
    # the inspector opens it as a case
    case = services.open_proposal(people["inspector"], proposal.pk, discovered_on=date(2026, 3, 6))
    proposal.refresh_from_db()
    assert proposal.state == "opened" and proposal.case == case and case.violations.count() == 3


def test_only_overseers_of_the_unit_record_conduct(people):
    from kycuong.discipline import services

    me = people["me"]
    for who in ("specialist", "other_leader", "secretary"):
        with pytest.raises(DomainError):
            services.record_conduct(people[who], unit=me.unit, official=me, source_kind="inspection",
                                    description="Không đeo thẻ")
    rec = services.record_conduct(people["leader"], unit=me.unit, official=me, source_kind="inspection",
                                  description="Không đeo thẻ công chức", rule_code="NĐ118-TRANGPHUC")
    assert rec.rule.group == "one_stop"
    assert Admonition.objects.count() == 0
