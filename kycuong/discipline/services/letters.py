"""Outgoing letters in the NĐ 30/2020 layout (docs/legal/documents.md §7): numbering per agency, type and year, the
criticism letter after a meeting and the conclusions notice with the tasks it assigns."""
from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from kycuong.core.models import Unit

from ..errors import Invalid
from ..models import Admonition, Attendance, Directive, Letter, Meeting, NumberCounter, Task
from .base import _event, _now
from .conduct import admonish
from .meetings import load_meeting

def next_number(unit: Unit, doc_type: str, year: int) -> int:
    """The next number of `doc_type` for the agency in `year`; numbers restart each year (docs/legal/documents.md §7)."""
    for _attempt in range(3):
        if NumberCounter.objects.filter(unit=unit, doc_type=doc_type, year=year).update(last=F("last") + 1):
            return NumberCounter.objects.filter(unit=unit, doc_type=doc_type, year=year).values_list("last", flat=True).get()
        try:
            with transaction.atomic():
                NumberCounter.objects.create(unit=unit, doc_type=doc_type, year=year, last=1)
            return 1
        except IntegrityError:
            continue
    raise RuntimeError("number counter contention")


def symbol_for(unit: Unit, doc_type: str, drafting: str = "") -> str:
    """Ký hiệu: công văn "<agency>-<drafting unit>" (e.g. UBND-NC); typed documents "<type>-<agency>"."""
    agency = unit.short_name or "UBND"
    if doc_type == "CV":
        return f"{agency}-{drafting}" if drafting else agency
    return f"{doc_type}-{agency}"


def absentees(meeting: Meeting) -> dict:
    """Who the criticism letter names: units absent without reason, people absent without reason (personal
    invitations), and people who left without reporting."""
    rows = list(meeting.invitations.select_related("unit", "official", "delegate").order_by("unit__path", "pk"))
    units, people, leavers = [], [], []
    for inv in rows:
        who = inv.attendee
        if inv.final_state == Attendance.ABSENT_UNREPORTED:
            if inv.expected_rank:
                units.append({"unit": inv.unit.name, "person": who.full_name if who else "",
                              "position": who.position if who else ""})
            else:
                people.append({"name": who.full_name, "position": who.position, "unit": inv.unit.name})
        elif inv.final_state == Attendance.LEFT_UNREPORTED:
            leavers.append({"name": who.full_name if who else "", "position": who.position if who else "",
                            "unit": inv.unit.name})
    return {"units": units, "people": people, "leavers": leavers}


@transaction.atomic
def draft_criticism(actor, meeting_pk, *, at=None) -> Letter:
    """One click after the meeting: the công văn "V/v phê bình…" naming exactly those absent without
    reason and those who left without reporting, numbered per agency/type/year; each named person gets a
    phê bình record (not a disciplinary measure, docs/legal/discipline.md §6.2). Drafting twice returns the first draft."""
    at = _now(at)
    meeting = load_meeting(meeting_pk, actor, "draft_criticism", at)
    existing = meeting.letters.filter(kind=Letter.Kind.CRITICISM).first()
    if existing:
        return existing
    named = absentees(meeting)
    local = timezone.localtime(at)
    number = next_number(meeting.unit, "CV", local.year)
    when = timezone.localtime(meeting.starts_at)
    recipients = sorted({u["unit"] for u in named["units"]} | {p["unit"] for p in named["people"] + named["leavers"]})
    letter = Letter.objects.create(
        kind=Letter.Kind.CRITICISM, meeting=meeting, unit=meeting.unit, doc_type="CV", number=number,
        year=local.year, symbol=symbol_for(meeting.unit, "CV", "NC"), issued_on=local.date(),
        subject=_("V/v phê bình việc chấp hành chế độ hội họp tại %(title)s") % {"title": meeting.title},
        body={"named": named, "meeting": {"title": meeting.title, "date": f"{when:%d/%m/%Y}", "time": f"{when:%H:%M}",
                                          "place": meeting.place, "chair": meeting.chair.full_name,
                                          "chair_position": meeting.chair.position}},
        recipients=recipients + [_("Lưu: VT")],
        signer_title=meeting.chair.position or _("Chủ tịch"), signer_name=meeting.chair.full_name, created_by=actor,
    )
    reason = letter.subject
    for inv in meeting.invitations.filter(final_state__in=[Attendance.ABSENT_UNREPORTED, Attendance.LEFT_UNREPORTED]):
        admonish(None, unit=inv.unit, official=inv.attendee, kind=Admonition.Kind.CRITICISM, reason=reason,
                 issued_on=local.date(), letter=letter)
    _event("meeting", meeting.pk, "criticism_drafted", actor, {"letter": letter.pk, "number": letter.number_text}, at=at)
    return letter


@transaction.atomic
def issue_conclusions(actor, meeting_pk, *, conclusions: str, tasks=(), at=None) -> Letter:
    """The conclusions notice (thông báo kết luận) within 5 working days of the meeting (QĐ 45/2018),
    with the tasks it assigns (owner unit + deadline) tracked as a directive."""
    at = _now(at)
    meeting = load_meeting(meeting_pk, actor, "issue_conclusions", at)
    if not (conclusions or "").strip():
        raise Invalid(_("Hãy nhập nội dung kết luận."), details={"field": "conclusions"})
    local = timezone.localtime(at)
    number = next_number(meeting.unit, "TB", local.year)
    letter = Letter.objects.create(
        kind=Letter.Kind.CONCLUSIONS, meeting=meeting, unit=meeting.unit, doc_type="TB", number=number,
        year=local.year, symbol=symbol_for(meeting.unit, "TB"), issued_on=local.date(),
        subject=_("Kết luận của %(chair)s tại %(title)s") % {"chair": meeting.chair.full_name, "title": meeting.title},
        body={"conclusions": conclusions.strip(), "on_time": at <= meeting.conclusions_due_at,
              "tasks": [{"unit": u.name, "title": t, "due": f"{timezone.localtime(d):%d/%m/%Y}"} for u, t, d in tasks]},
        recipients=sorted({u.name for u, _t, _d in tasks}) + [_("Lưu: VT")],
        signer_title=meeting.chair.position, signer_name=meeting.chair.full_name, created_by=actor)
    if tasks:
        directive = Directive.objects.create(number=letter.number_text, issued_on=local.date(),
                                             doc_type=Directive.Type.NOTICE, title=letter.subject, unit=meeting.unit,
                                             meeting=meeting, created_by=actor)
        for unit, title, due in tasks:
            Task.objects.create(directive=directive, unit=unit, title=title, due_at=_now(due))
    _event("meeting", meeting.pk, "conclusions_issued", actor,
           {"letter": letter.pk, "on_time": letter.body["on_time"], "tasks": len(tasks)}, at=at)
    return letter
