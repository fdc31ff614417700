"""Directives and their tasks: the unit reports with evidence, the issuer accepts or returns the report."""
from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from kycuong.core.models import Unit

from ..errors import DisciplineNotFound, Invalid
from ..models import Directive, Task, TaskReport
from ..policy import SUBJECT, TASK
from .base import _bump, _event, _lock, _now

@transaction.atomic
def create_directive(actor, *, number, issued_on, doc_type, title, unit: Unit, tasks=()) -> Directive:
    """A plan, letter or directive assigning tasks (unit, title, deadline) to units."""
    SUBJECT.require(actor, unit, "create_directive")
    if doc_type not in Directive.Type.values:
        raise Invalid(_("Loại văn bản không hợp lệ."), details={"field": "doc_type"})
    if not (number or "").strip() or not (title or "").strip():
        raise Invalid(_("Hãy nhập số, ký hiệu và trích yếu."), details={"field": "number"})
    directive = Directive.objects.create(number=number.strip(), issued_on=issued_on, doc_type=doc_type,
                                         title=title.strip(), unit=unit, created_by=actor)
    for task_unit, task_title, due in tasks:
        Task.objects.create(directive=directive, unit=task_unit, title=task_title, due_at=_now(due))
    _event("directive", directive.pk, "issued", actor, {"number": directive.number, "tasks": len(tasks)})
    return directive


def _load_task(pk):
    task = _lock(Task.objects.filter(pk=pk)).select_related("directive__unit", "unit").first()
    if task is None:
        raise DisciplineNotFound()
    return task


@transaction.atomic
def report_task(actor, task_pk, *, text, evidence=None, at=None, expected_version=None) -> TaskReport:
    """The unit reports progress with evidence (checked by content, kycuong.core.uploads)."""
    at = _now(at)
    task = _load_task(task_pk)
    TASK.require(actor, task, "report", at)
    if not (text or "").strip():
        raise Invalid(_("Hãy nhập nội dung báo cáo."), details={"field": "text"})
    if evidence is not None:
        from kycuong.core.uploads import check_file

        check_file(evidence)
    report = TaskReport.objects.create(task=task, text=text.strip(), submitted_at=at, submitted_by=actor,
                                       **({"evidence": evidence} if evidence is not None else {}))
    _bump(Task, task, expected_version, state=Task.State.REPORTED)
    _event("task", task.pk, "reported", actor, {"report": report.pk}, at=at)
    return report


@transaction.atomic
def review_report(actor, report_pk, *, accept: bool, note="", at=None) -> TaskReport:
    """The issuer accepts (the task is done as of the report) or returns it with a note."""
    report = TaskReport.objects.filter(pk=report_pk).first()
    if report is None:
        raise DisciplineNotFound()
    at = _now(at)
    task = _load_task(report.task_id)
    TASK.require(actor, task, "accept" if accept else "return", at, params={"report": report})
    if not accept and not (note or "").strip():
        raise Invalid(_("Hãy nêu lý do trả lại báo cáo."), details={"field": "note"})
    TaskReport.objects.filter(pk=report.pk).update(
        decision=TaskReport.Decision.ACCEPTED if accept else TaskReport.Decision.RETURNED,
        decided_at=at, decided_by=actor, note=note)
    if accept:
        _bump(Task, task, state=Task.State.ACCEPTED, done_at=report.submitted_at)
    else:
        _bump(Task, task, state=Task.State.RETURNED)
    _event("task", task.pk, "accepted" if accept else "returned", actor, {"report": report.pk}, at=at)
    report.refresh_from_db()
    return report
