"""The only code that changes discipline records (design.md rule 1): each public function is one
transaction that checks who acts and in which state, writes, and appends a chained event."""
from __future__ import annotations

from datetime import date, datetime, timedelta

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kycuong.core import events
from kycuong.core.calendars import calendar_for
from kycuong.core.models import Official, Unit

from . import sanctions
from .access import can
from .errors import (
    BadToken, CouncilConflict, Deferred, DisciplineNotFound, Invalid, LimitationExpired, MeasureNotAllowed,
    NotPermitted, StaleVersion, WrongState,
)
from .models import (
    Admonition, Attendance, Case, CaseProposal, ConductRecord, ConductRule, Deferral, Directive, Invitation, Letter,
    Meeting, NumberCounter, Relation, SourceKind, Task, TaskReport, Violation,
)

TOKEN_SALT = "kycuong.discipline.attendance"
SYSTEM_LABEL = "Hệ thống"


def _now(at):
    moment = at or timezone.now()
    if timezone.is_naive(moment):
        raise Invalid(gettext_lazy("Thời điểm phải có múi giờ."), code="DISCIPLINE_NAIVE_DATETIME")
    return moment


def _event(subject, subject_id, kind, actor, data=None, at=None):
    return events.append(
        subject, str(subject_id), kind, data=data or {}, actor=actor, at=at,
        unit=(actor.unit if actor is not None and getattr(actor, "unit_id", None) else None),
        actor_label=None if actor is not None else SYSTEM_LABEL,
    )


def _require(user, perm, obj=None):
    if user is None:
        return  # the system (signals, periodic jobs)
    if not can(user, perm, obj):
        raise NotPermitted()


def _lock(qs):
    return qs.select_for_update() if connection.features.has_select_for_update else qs


def _bump(model, obj, expected_version=None, **fields):
    """Write `fields` and bump `version` in one UPDATE guarded by the version read (no lost updates)."""
    old = obj.version
    if expected_version is not None and int(expected_version) != old:
        raise StaleVersion()
    fields["version"] = old + 1
    if model.objects.filter(pk=obj.pk, version=old).update(**fields) != 1:
        raise StaleVersion()
    for key, value in fields.items():
        setattr(obj, key, value)


# --- conduct records, admonitions, proposals -----------------------------------------------------------------

def proposal_threshold() -> int:
    """How many admonitions within 12 months propose a disciplinary case (configurable, vn-rules §6.2 ⚠️)."""
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
    _require(actor, "oversee", unit)
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
    """Nhắc nhở / phê bình / kiểm điểm — a record of its own, never a disciplinary measure (vn-rules §6.2).
    The `proposal_threshold()`-th admonition of an official within 12 months proposes a case."""
    if kind not in Admonition.Kind.values:
        raise Invalid(_("Hình thức nhắc nhở, phê bình không hợp lệ."))
    if letter is None:  # a criticism letter's phê bình records follow the letter's own permission
        _require(actor, "oversee", unit)
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


# --- meetings and attendance ---------------------------------------------------------------------------------

def _holder(unit, rank):
    ranks = [rank] if rank else [Official.Rank.HEAD]
    if rank == Official.Rank.DEPUTY:
        ranks.append(Official.Rank.HEAD)
    for r in ranks:
        official = Official.objects.filter(unit=unit, rank=r, active=True).order_by("pk").first()
        if official:
            return official
    return None


@transaction.atomic
def create_meeting(actor, *, title, unit: Unit, chair: Official, starts_at, ends_at, place="", online_link="",
                   units=(), officials=()) -> Meeting:
    """A meeting inviting units (each with its expected rank, head or deputy) and named officials."""
    _require(actor, "organise", unit)
    if not (title or "").strip():
        raise Invalid(_("Hãy nhập tên cuộc họp."), details={"field": "title"})
    starts_at, ends_at = _now(starts_at), _now(ends_at)
    if ends_at <= starts_at:
        raise Invalid(_("Giờ kết thúc phải sau giờ bắt đầu."), details={"field": "ends_at"})
    if not units and not officials:
        raise Invalid(_("Hãy mời ít nhất một đơn vị hoặc một người."), details={"field": "units"})
    meeting = Meeting.objects.create(title=title.strip(), unit=unit, chair=chair, starts_at=starts_at,
                                     ends_at=ends_at, place=place, online_link=online_link, created_by=actor)
    seen = set()
    for invited_unit, rank in units:
        if invited_unit.pk in seen:
            continue
        seen.add(invited_unit.pk)
        Invitation.objects.create(meeting=meeting, unit=invited_unit, expected_rank=rank,
                                  official=_holder(invited_unit, rank))
    for official in officials:
        if not Invitation.objects.filter(meeting=meeting, official=official).exists():
            Invitation.objects.create(meeting=meeting, unit=official.unit, official=official)
    _event("meeting", meeting.pk, "created", actor, {"title": meeting.title, "units": len(seen),
                                                     "officials": len(officials)})
    return meeting


def token_for(invitation: Invitation) -> str:
    """The personal signed code of an invitee (django.core.signing): it names the invitation and meeting."""
    return signing.dumps({"i": invitation.pk, "m": invitation.meeting_id}, salt=TOKEN_SALT, compress=True)


def invitation_for_token(token: str) -> Invitation:
    try:
        data = signing.loads(token, salt=TOKEN_SALT)
    except signing.BadSignature as exc:
        raise BadToken() from exc
    inv = Invitation.objects.select_related("meeting", "unit", "official", "delegate").filter(
        pk=data.get("i"), meeting_id=data.get("m")).first()
    if inv is None:
        raise BadToken()
    return inv


def _load_invitation(pk):
    inv = _lock(Invitation.objects.filter(pk=pk)).select_related("meeting").first()
    if inv is None:
        raise DisciplineNotFound()
    if inv.meeting.state != Meeting.State.PLANNED:
        raise WrongState(_("Cuộc họp đã kết thúc; không thay đổi được điểm danh."))
    return inv


@transaction.atomic
def reply(invitation_pk, *, accept: bool, reason: str = "", delegate: Official | None = None, actor=None, at=None):
    """The invitee answers (QĐ 45/2018 Đ.15). A head who cannot come reports to the chair with a reason and
    may name a delegate, who then attends in their place."""
    inv = _load_invitation(invitation_pk)
    if actor is not None:
        _require(actor, "organise", inv.meeting.unit)
    if not accept and not (reason or "").strip():
        raise Invalid(_("Hãy nêu lý do vắng mặt để báo cáo người chủ trì."), details={"field": "reason"})
    if delegate is not None and delegate.unit_id != inv.unit_id:
        raise Invalid(_("Người đi thay phải cùng đơn vị được mời."), details={"field": "delegate"})
    at = _now(at)
    Invitation.objects.filter(pk=inv.pk).update(
        reply=Invitation.Reply.ACCEPTED if accept else Invitation.Reply.DECLINED, reply_reason=(reason or "").strip(),
        delegate=delegate if not accept else None, replied_at=at)
    _event("meeting", inv.meeting_id, "replied", actor, {"invitation": inv.pk, "accept": accept,
                                                        "delegate": delegate.pk if delegate else None}, at=at)
    inv.refresh_from_db()
    return inv


@transaction.atomic
def check_in(invitation_pk, *, at=None, actor=None) -> Invitation:
    """Check-in by the personal QR code (actor None) or by the secretary on a tablet (actor)."""
    inv = _load_invitation(invitation_pk)
    if actor is not None:
        _require(actor, "organise", inv.meeting.unit)
    if inv.checked_in_at:
        return inv
    at = _now(at)
    if at < inv.meeting.starts_at - timedelta(hours=2) or at > inv.meeting.ends_at:
        raise WrongState(_("Chỉ điểm danh được trong thời gian diễn ra cuộc họp."))
    Invitation.objects.filter(pk=inv.pk).update(checked_in_at=at)
    _event("meeting", inv.meeting_id, "checked_in", actor, {"invitation": inv.pk, "by": "secretary" if actor else "qr"}, at=at)
    inv.checked_in_at = at
    return inv


@transaction.atomic
def check_out(invitation_pk, *, at=None, actor=None, reason="") -> Invitation:
    """Check-out. Before the end it is leaving early: allowed only with the chair's consent recorded
    (consent_leave) — otherwise it stays on record as leaving without reporting."""
    inv = _load_invitation(invitation_pk)
    if actor is not None:
        _require(actor, "organise", inv.meeting.unit)
    if not inv.checked_in_at:
        raise WrongState(_("Chưa điểm danh vào họp."))
    if inv.checked_out_at:
        return inv
    at = _now(at)
    Invitation.objects.filter(pk=inv.pk).update(checked_out_at=at, leave_reason=(reason or "").strip()[:1000])
    _event("meeting", inv.meeting_id, "checked_out", actor, {"invitation": inv.pk, "early": at < inv.meeting.ends_at,
                                                            "consent": bool(inv.leave_consent_at)}, at=at)
    inv.checked_out_at = at
    return inv


@transaction.atomic
def consent_leave(actor, invitation_pk, *, reason="", at=None) -> Invitation:
    """The chair's consent to leave early, recorded by the chair or the secretary (QĐ 45/2018 Đ.15)."""
    inv = _load_invitation(invitation_pk)
    _require(actor, "organise", inv.meeting.unit)
    at = _now(at)
    Invitation.objects.filter(pk=inv.pk).update(leave_consent_at=at, leave_consent_by=actor,
                                                leave_reason=(reason or inv.leave_reason)[:1000])
    _event("meeting", inv.meeting_id, "leave_consented", actor, {"invitation": inv.pk}, at=at)
    inv.refresh_from_db()
    return inv


def late_grace() -> timedelta:
    return timedelta(minutes=int(getattr(settings, "KYCUONG_MEETING_LATE_MINUTES", 10)))


def final_state(inv: Invitation, meeting: Meeting) -> str:
    """One of the six final states (vn-rules §6.3). Leaving early outranks lateness; a declined invitation
    with a named delegate who never came is an absence without reason."""
    if not inv.checked_in_at:
        if inv.reply == Invitation.Reply.DECLINED and inv.delegate_id is None:
            return Attendance.ABSENT_REPORTED
        return Attendance.ABSENT_UNREPORTED
    if inv.checked_out_at and inv.checked_out_at < meeting.ends_at:
        return Attendance.LEFT_WITH_CONSENT if inv.leave_consent_at else Attendance.LEFT_UNREPORTED
    if inv.checked_in_at > meeting.starts_at + late_grace():
        return Attendance.LATE
    return Attendance.PRESENT


VIOLATIONS = {
    Attendance.ABSENT_UNREPORTED: ("QĐ45-D15-THANHPHAN", gettext_lazy("Vắng họp không báo cáo người chủ trì")),
    Attendance.LEFT_UNREPORTED: ("QĐ45-D15-DUTHOIGIAN", gettext_lazy("Rời cuộc họp trước khi kết thúc không báo cáo, không được chủ trì đồng ý")),
    Attendance.LATE: ("QĐ45-D15-DUNGGIO", gettext_lazy("Đến họp muộn")),
}


@transaction.atomic
def close_meeting(actor, meeting_pk, *, at=None, expected_version=None) -> Meeting:
    """End the meeting: fix each invitee's final state, set the 5-working-day limit of the conclusions
    notice (QĐ 45/2018), and record the attendance violations as conduct records."""
    meeting = _lock(Meeting.objects.filter(pk=meeting_pk)).first()
    if meeting is None:
        raise DisciplineNotFound()
    _require(actor, "organise", meeting.unit)
    if meeting.state != Meeting.State.PLANNED:
        raise WrongState()
    at = _now(at)
    cal = calendar_for(meeting.unit)
    _bump(Meeting, meeting, expected_version, state=Meeting.State.CLOSED, closed_at=at,
          conclusions_due_at=cal.due(max(meeting.ends_at, meeting.starts_at), 5, "working_days").due)
    counts = {}
    for inv in meeting.invitations.select_related("unit", "official", "delegate"):
        state = final_state(inv, meeting)
        Invitation.objects.filter(pk=inv.pk).update(final_state=state)
        counts[state] = counts.get(state, 0) + 1
        if state in VIOLATIONS:
            code, label = VIOLATIONS[state]
            who = inv.attendee
            record_conduct(None, unit=inv.unit, official=who, source_kind=SourceKind.MEETING,
                           source_ref=f"meeting:{meeting.pk}", rule_code=code, occurred_at=meeting.starts_at,
                           description=f"{label}: {meeting.title} ({timezone.localtime(meeting.starts_at):%H:%M %d/%m/%Y}).")
    _event("meeting", meeting.pk, "closed", actor, {"counts": counts}, at=at)
    return meeting


# --- letters (NĐ 30/2020) ------------------------------------------------------------------------------------

def next_number(unit: Unit, doc_type: str, year: int) -> int:
    """The next number of `doc_type` for the agency in `year`; numbers restart each year (vn-rules §7)."""
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
    phê bình record (not a disciplinary measure, vn-rules §6.2). Drafting twice returns the first draft."""
    meeting = _lock(Meeting.objects.filter(pk=meeting_pk)).select_related("unit", "chair").first()
    if meeting is None:
        raise DisciplineNotFound()
    _require(actor, "organise", meeting.unit)
    if meeting.state != Meeting.State.CLOSED:
        raise WrongState(_("Chỉ dự thảo công văn phê bình sau khi cuộc họp kết thúc."))
    existing = meeting.letters.filter(kind=Letter.Kind.CRITICISM).first()
    if existing:
        return existing
    at = _now(at)
    named = absentees(meeting)
    if not (named["units"] or named["people"] or named["leavers"]):
        raise WrongState(_("Không có đơn vị, cá nhân nào vắng không lý do hoặc về sớm không báo cáo."))
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
    meeting = _lock(Meeting.objects.filter(pk=meeting_pk)).select_related("unit", "chair").first()
    if meeting is None:
        raise DisciplineNotFound()
    _require(actor, "organise", meeting.unit)
    if meeting.state != Meeting.State.CLOSED:
        raise WrongState(_("Chỉ ban hành thông báo kết luận sau khi cuộc họp kết thúc."))
    if meeting.letters.filter(kind=Letter.Kind.CONCLUSIONS).exists():
        raise WrongState(_("Cuộc họp đã có thông báo kết luận."))
    if not (conclusions or "").strip():
        raise Invalid(_("Hãy nhập nội dung kết luận."), details={"field": "conclusions"})
    at = _now(at)
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


# --- directives and tasks -------------------------------------------------------------------------------------

@transaction.atomic
def create_directive(actor, *, number, issued_on, doc_type, title, unit: Unit, tasks=()) -> Directive:
    """A plan, letter or directive assigning tasks (unit, title, deadline) to units."""
    _require(actor, "organise", unit)
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
    task = _load_task(task_pk)
    if not actor.has_perm("core.view_unit_data", task.unit):  # an officer of the unit (subtree)
        raise NotPermitted()
    if task.state not in (Task.State.OPEN, Task.State.RETURNED):
        raise WrongState()
    if not (text or "").strip():
        raise Invalid(_("Hãy nhập nội dung báo cáo."), details={"field": "text"})
    if evidence is not None:
        from kycuong.core.uploads import check_file

        check_file(evidence)
    at = _now(at)
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
    task = _load_task(report.task_id)
    _require(actor, "organise", task.directive.unit)
    if report.decision != TaskReport.Decision.PENDING or task.state != Task.State.REPORTED:
        raise WrongState()
    if not accept and not (note or "").strip():
        raise Invalid(_("Hãy nêu lý do trả lại báo cáo."), details={"field": "note"})
    at = _now(at)
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


# --- disciplinary cases (NĐ 172/2025; viên chức NĐ 112/2020 + 71/2023) ----------------------------------------

def _active_decisions(official, on: date):
    return [c for c in Case.objects.filter(official=official, state=Case.State.DECIDED, effective_on__isnull=False)
            if sanctions.decision_in_force(c.effective_on, on)]


@transaction.atomic
def open_case(actor, *, official: Official, discovered_on: date, violations, complex_case=False,
              proposal: CaseProposal | None = None, at=None) -> Case:
    """Open a case with its violations (description, severity, committed_on, ended_on, rule code,
    no_limitation_reason). Each violation's limitation expiry (Đ.5 k.3–4) and the processing deadline
    (Đ.5 k.5) are computed now and stored."""
    _require(actor, "handle_case", official.unit)
    if official.category not in sanctions.LADDERS:
        raise MeasureNotAllowed(_("Người lao động không thuộc đối tượng xử lý kỷ luật theo NĐ 172/2025."))
    if not violations:
        raise Invalid(_("Hãy nhập ít nhất một hành vi vi phạm."), details={"field": "violations"})
    at = _now(at)
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
    if proposal is not None:
        CaseProposal.objects.filter(pk=proposal.pk).update(state=CaseProposal.State.OPENED, case=case)
    _event("case", case.pk, "opened", actor, {"official": official.pk, "violations": len(violations),
                                             "deadline": case.deadline_on})
    return case


def _load_case(pk, actor):
    case = _lock(Case.objects.filter(pk=pk)).select_related("official", "unit").first()
    if case is None:
        raise DisciplineNotFound()
    _require(actor, "handle_case", case.unit)
    return case


@transaction.atomic
def add_deferral(actor, case_pk, *, reason, start: date, end: date) -> Case:
    """A period not counted (Đ.3, Đ.5 k.6): the processing deadline moves by its length."""
    case = _load_case(case_pk, actor)
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
    case = _load_case(case_pk, actor)
    periods = [sanctions.Period(d.start, d.end) for d in case.deferrals.all()]
    if sanctions.deferred_on(on, periods):
        raise Deferred()
    live = [v for v in case.violations.all() if not sanctions.limitation_expired(on, v.limitation_expires_on)]
    if not live:
        raise LimitationExpired()
    _bump(Case, case, notice_on=on)
    _event("case", case.pk, "notified", actor, {"on": on, "expired": case.violations.count() - len(live)})
    return case


@transaction.atomic
def set_council(actor, case_pk, members) -> Case:
    """Hội đồng kỷ luật of 3 (Đ.17) without the person or their relatives (Đ.2 k.11)."""
    case = _load_case(case_pk, actor)
    ids = [m.pk for m in members]
    relatives = set(Relation.objects.filter(official=case.official).values_list("relative_id", flat=True)) | set(
        Relation.objects.filter(relative=case.official).values_list("official_id", flat=True))
    problems = sanctions.council_problems(case.official_id, ids, relatives)
    if problems:
        raise CouncilConflict(details={"problems": problems})
    case.council.set(members)
    _event("case", case.pk, "council_set", actor, {"members": ids})
    return case


@transaction.atomic
def advance_step(actor, case_pk, *, at=None) -> Case:
    """Close the current step and start the next with its working-day clock (Đ.16–21)."""
    case = _load_case(case_pk, actor)
    if case.state != Case.State.OPEN:
        raise WrongState()
    at = _now(at)
    keys = [s.key for s in sanctions.STEPS]
    i = keys.index(case.step)
    if i + 1 >= len(keys):
        raise WrongState(_("Bước cuối là quyết định kỷ luật."))
    if keys[i + 1] == "invitation" and case.council.count() != sanctions.COUNCIL_SIZE:
        raise CouncilConflict()
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
    case = _load_case(case_pk, actor)
    if case.state != Case.State.OPEN:
        raise WrongState(_("Mỗi vụ việc chỉ có một quyết định kỷ luật."))
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
    proposal = _lock(CaseProposal.objects.filter(pk=proposal_pk)).select_related("official").first()
    if proposal is None:
        raise DisciplineNotFound()
    if proposal.state != CaseProposal.State.OPEN:
        raise WrongState()
    violations = [{"description": a.reason, "severity": severity, "committed_on": a.issued_on}
                  for a in proposal.admonitions.all()]
    return open_case(actor, official=proposal.official, discovered_on=discovered_on, violations=violations,
                     proposal=proposal)
