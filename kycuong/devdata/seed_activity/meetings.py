"""Meetings with their attendance, and directives with their tasks (discipline)."""
from __future__ import annotations

import sys
import time
from collections import defaultdict
from datetime import date, datetime, timedelta
from datetime import timezone as dt_timezone

import numpy as np
from django.conf import settings
from django.utils import timezone, translation

from kycuong.core.models import Official, Unit
from kycuong.discipline.models import (
    Attendance, ConductRecord, ConductRule, Directive, Invitation, Meeting, SourceKind, Task, TaskReport,
)

from ..seed import MARK, _progress
from .base import COMMUNE_KINDS, DAY, DEPARTMENT_KINDS, HOUR, Clock, Window, _epoch, _insert, _local, _next_id, _text
# --- meetings ------------------------------------------------------------------------------------------------

def _working_days(window: Window, clock: Clock, unit_id: int) -> list[date]:
    cal = clock.calendars[unit_id]
    days, d = [], window.first_day
    last = timezone.localtime(datetime.fromtimestamp(window.now, dt_timezone.utc)).date()
    while d < last:
        if cal.is_working_day(d):
            days.append(d)
        d += timedelta(days=1)
    return days


def _at(day: date, hour: int, minute: int = 0) -> int:
    return _epoch(timezone.make_aware(datetime.combine(day, datetime.min.time()).replace(hour=hour, minute=minute)))


MEETING_TITLES = {"weekly": "Giao ban lãnh đạo tuần {week}/{year} — {unit}",
                  "monthly": "Họp cơ quan tháng {month:02d}/{year} — {unit}",
                  "city": "Hội nghị giao ban Ủy ban nhân dân Thành phố tháng {month:02d}/{year}"}


def seed_meetings(window: Window, rng: np.random.Generator, officials, share: float, out=sys.stderr) -> dict[str, int]:
    """Weekly leadership briefings and monthly staff meetings per unit; the city's monthly meeting of
    departments and communes (invited by unit, the head expected). Closed, with final attendance."""
    from kycuong.discipline.services import VIOLATIONS, late_grace

    started = time.perf_counter()
    units = list(Unit.objects.filter(valid_to__isnull=True).exclude(kind=Unit.Kind.SERVICE_POINT).order_by("path"))
    units = [u for u in units if officials.get(u.pk, {}).get(Official.Rank.HEAD)]
    clock = Clock([u.pk for u in units])
    days = _working_days(window, clock, units[0].pk) if units else []
    if not days:
        return {"meetings": 0}
    weeks = sorted({(d.isocalendar()[0], d.isocalendar()[1]) for d in days})
    first_day_of_week = {}
    for d in days:
        first_day_of_week.setdefault((d.isocalendar()[0], d.isocalendar()[1]), d)
    months = sorted({(d.year, d.month) for d in days})
    last_of_month = {}
    for d in days:
        last_of_month[(d.year, d.month)] = d
    # Every week and every month at Hà Nội scale; thinned with the dossier volume, never below two
    # briefings and one staff meeting a unit a year.
    weekly = min(len(weeks), max(2 * window.years, int(round(len(weeks) * share))))
    monthly = min(len(months), max(window.years, int(round(len(months) * share))))
    plan = []   # (unit, kind, day, hour, invitees [(unit_id, official_id, expected_rank)])
    city = next((u for u in units if u.kind == Unit.Kind.CITY_COMMITTEE), None)
    for u in units:
        people = officials[u.pk]
        leaders = people[Official.Rank.HEAD] + people[Official.Rank.DEPUTY]
        staff = people[Official.Rank.STAFF]
        for w in np.sort(rng.choice(len(weeks), size=weekly, replace=False)).tolist():
            key = weeks[w]
            day = first_day_of_week[key]
            picks = staff[:: max(1, len(staff) // 6)][:6]      # the division heads
            plan.append((u, "weekly", day, 8, [(u.pk, p, "") for p in leaders + picks], {"week": key[1], "year": key[0]}))
        for m in np.sort(rng.choice(len(months), size=monthly, replace=False)).tolist():
            year, month = months[m]
            plan.append((u, "monthly", last_of_month[(year, month)], 14, [(u.pk, p, "") for p in leaders + staff],
                         {"month": month, "year": year}))
    if city is not None:
        invited = [u for u in units if u.kind in DEPARTMENT_KINDS + COMMUNE_KINDS]
        for m in np.sort(rng.choice(len(months), size=monthly, replace=False)).tolist():
            year, month = months[m]
            day = next(d for d in days if (d.year, d.month) == (year, month))
            plan.append((city, "city", day, 8, [(u.pk, officials[u.pk][Official.Rank.HEAD][0], Official.Rank.HEAD.value)
                                                for u in invited], {"month": month, "year": year}))
    plan = [p for p in plan if _at(p[2], p[3]) + 3 * HOUR < window.now]
    meeting_id = _next_id(Meeting)
    meetings, invitations, records = defaultdict(list), defaultdict(list), defaultdict(list)
    rules = dict(ConductRule.objects.values_list("code", "pk"))
    grace = int(late_grace().total_seconds())
    conclusions_due = clock.due(np.array([p[0].pk for p in plan], dtype=np.int64),
                                np.array([_at(p[2], p[3]) + (2 * HOUR if p[1] != "weekly" else 90 * 60) for p in plan],
                                         dtype=np.int64), 5)
    with translation.override(settings.LANGUAGE_CODE):
        labels = {state: (code, str(label)) for state, (code, label) in VIOLATIONS.items()}
        for m, (unit, kind, day, hour, invitees, fill) in enumerate(plan):
            pk = meeting_id + m
            starts = _at(day, hour)
            ends = starts + (90 * 60 if kind == "weekly" else 2 * HOUR)
            chair = officials[unit.pk][Official.Rank.HEAD][0]
            title = MEETING_TITLES[kind].format(unit=unit.name, **fill)[:280] + " " + MARK
            meetings["id"].append(pk)
            meetings["title"].append(title[:300])
            meetings["unit_id"].append(unit.pk)
            meetings["chair_id"].append(chair)
            meetings["starts_at"].append(_text(starts))
            meetings["ends_at"].append(_text(ends))
            meetings["place"].append("Phòng họp số 1, trụ sở " + unit.name)
            meetings["state"].append(Meeting.State.CLOSED.value)
            meetings["closed_at"].append(_text(ends + 600))
            meetings["conclusions_due_at"].append(_text(conclusions_due[m]))
            meetings["created_at"].append(_text(starts - 3 * DAY))
            meetings["version"].append(2)
            fate = rng.random(len(invitees))
            jitter = rng.integers(-15 * 60, 8 * 60, size=len(invitees))
            lateness = rng.integers(grace + 60, 40 * 60, size=len(invitees))
            local_when = _local(starts)
            for (inv_unit, official, rank), f, jit, late in zip(invitees, fate.tolist(), jitter.tolist(), lateness.tolist(),
                                                           strict=True):
                reply, reason, replied = Invitation.Reply.ACCEPTED, "", starts - 2 * DAY
                check_in, check_out, consent = starts + jit, ends, None
                if f < 0.05:                       # declined and reported to the chair
                    state, reply, reason, check_in, check_out = Attendance.ABSENT_REPORTED, Invitation.Reply.DECLINED, \
                        "Bận công tác đã được phân công trước.", None, None
                elif f < 0.065:                    # absent without reporting
                    state, check_in, check_out = Attendance.ABSENT_UNREPORTED, None, None
                    reply, replied = (Invitation.Reply.PENDING, None) if f < 0.06 else (reply, replied)
                elif f < 0.095:
                    state, check_in = Attendance.LATE, starts + late
                elif f < 0.1:
                    state, check_out = Attendance.LEFT_UNREPORTED, ends - 40 * 60
                elif f < 0.11:
                    state, check_out, consent = Attendance.LEFT_WITH_CONSENT, ends - 30 * 60, ends - 35 * 60
                else:
                    state = Attendance.PRESENT
                invitations["meeting_id"].append(pk)
                invitations["unit_id"].append(inv_unit)
                invitations["expected_rank"].append(rank)
                invitations["official_id"].append(official)
                invitations["delegate_id"].append(None)
                invitations["reply"].append(reply.value)
                invitations["reply_reason"].append(reason)
                invitations["replied_at"].append(_text(replied))
                invitations["checked_in_at"].append(_text(check_in))
                invitations["checked_out_at"].append(_text(check_out))
                invitations["leave_consent_at"].append(_text(consent))
                invitations["leave_reason"].append("Có việc đột xuất." if consent else "")
                invitations["final_state"].append(state.value)
                if state in labels:               # discipline.services.close_meeting records the violation
                    code, label = labels[state]
                    records["official_id"].append(official)
                    records["unit_id"].append(inv_unit)
                    records["rule_id"].append(rules.get(code))
                    records["source_kind"].append(SourceKind.MEETING.value)
                    records["source_ref"].append(f"meeting:{pk}")
                    records["occurred_at"].append(_text(starts))
                    records["description"].append(f"{label}: {title} ({local_when:%H:%M %d/%m/%Y}).")
                    records["created_at"].append(_text(ends + 600))
            if (m + 1) % 2000 == 0:
                _progress("Cuộc họp / meetings", m + 1, len(plan), started, out)
    _insert(Meeting, meetings)
    _insert(Invitation, invitations)
    if records:
        _insert(ConductRecord, records)
    _progress("Cuộc họp / meetings", len(plan), len(plan), started, out)
    return {"meetings": len(plan), "invitations": len(invitations["meeting_id"]),
            "meeting_records": len(records["unit_id"])}


# --- directives and tasks -------------------------------------------------------------------------------------

DIRECTIVE_TITLES = [
    ("KH", "Kế hoạch cải cách hành chính năm {year}"), ("CT", "Chỉ thị về tăng cường kỷ luật, kỷ cương hành chính"),
    ("CV", "V/v chấn chỉnh tình trạng hồ sơ trễ hạn"), ("TB", "Thông báo kết luận của Chủ tịch tại cuộc họp giao ban"),
    ("QĐ", "Quyết định ban hành Kế hoạch kiểm tra công vụ năm {year}"),
    ("CV", "V/v đẩy mạnh thanh toán trực tuyến, số hóa hồ sơ"),
]
TASK_TITLES = ["Rà soát, công khai thủ tục hành chính thuộc thẩm quyền", "Báo cáo tình hình giải quyết hồ sơ trễ hạn",
               "Số hóa hồ sơ, kết quả giải quyết thủ tục hành chính", "Tổ chức kiểm tra công vụ tại bộ phận một cửa",
               "Giải quyết dứt điểm phản ánh, kiến nghị tồn đọng", "Báo cáo kết quả thực hiện kế hoạch cải cách hành chính",
               "Tuyên truyền, hướng dẫn người dân nộp hồ sơ trực tuyến", "Rà soát, đề xuất đơn giản hóa thủ tục hành chính"]


def seed_tasks(window: Window, rng: np.random.Generator, share: float, out=sys.stderr) -> dict[str, int]:
    started = time.perf_counter()
    units = list(Unit.objects.filter(valid_to__isnull=True).order_by("path"))
    city = next((u for u in units if u.kind == Unit.Kind.CITY_COMMITTEE), None)
    departments = [u for u in units if u.kind in DEPARTMENT_KINDS]
    communes = [u for u in units if u.kind in COMMUNE_KINDS]
    clock = Clock([u.pk for u in units])
    per_year = {"city": 300, "department": 40, "commune": 20}
    issuers = ([(city, "city")] if city else []) + [(u, "department") for u in departments] + [(u, "commune") for u in communes]
    days = _working_days(window, clock, units[0].pk)
    plan = []     # (issuer, day, [assignees])
    for issuer, level in issuers:
        count = max(1, int(round(per_year[level] * share * window.years)))
        for day_idx in np.sort(rng.integers(0, len(days), size=count)).tolist():
            if level == "city":
                k = int(rng.integers(1, 16))
                pool = departments + communes
                assignees = [pool[x] for x in rng.choice(len(pool), size=min(k, len(pool)), replace=False).tolist()]
            elif level == "department" and rng.random() < 0.7 and communes:
                k = int(rng.integers(1, 7))
                assignees = [communes[x] for x in rng.choice(len(communes), size=min(k, len(communes)), replace=False).tolist()]
            else:
                assignees = [issuer] * int(rng.integers(1, 3))
            plan.append((issuer, days[day_idx], assignees))
    unit_ids = sorted({u.pk for u in units})
    on_time_rate = dict(zip(unit_ids, rng.uniform(0.7, 0.97, size=len(unit_ids)), strict=True))
    directive_id, task_id = _next_id(Directive), _next_id(Task)
    directives, tasks, reports = defaultdict(list), defaultdict(list), defaultdict(list)
    numbers = defaultdict(int)
    now = window.now
    assignee_units, issued_at = [], []
    for p, (_issuer, day, assignees) in enumerate(plan):
        for a in assignees:
            assignee_units.append(a.pk)
            issued_at.append(_at(day, 8) + p % 3600)
    assignee_units = np.array(assignee_units, dtype=np.int64)
    issued_at = np.array(issued_at, dtype=np.int64)
    n = len(assignee_units)
    due = clock.due(assignee_units, issued_at, rng.integers(5, 46, size=n))
    on_time = rng.random(n) < np.array([on_time_rate[u] for u in assignee_units.tolist()])
    never = ~on_time & (rng.random(n) < 0.12)          # some late tasks are never done
    done = np.where(on_time, issued_at + ((due - issued_at) * rng.uniform(0.3, 0.98, size=n)).astype(np.int64),
                    due + HOUR + rng.integers(0, 30 * DAY, size=n))
    decided = done + rng.integers(2 * HOUR, 3 * DAY, size=n)
    returned_first = rng.random(n) < 0.06
    title_idx = rng.integers(0, len(TASK_TITLES), size=n)
    t = 0
    for p, (issuer, day, assignees) in enumerate(plan):
        doc_type, title = DIRECTIVE_TITLES[int(rng.integers(0, len(DIRECTIVE_TITLES)))]
        numbers[(issuer.pk, doc_type, day.year)] += 1
        number = numbers[(issuer.pk, doc_type, day.year)]
        agency = issuer.short_name or "UBND"
        symbol = f"{agency}-VP" if doc_type == "CV" else f"{doc_type}-{agency}"
        pk = directive_id + p
        directives["id"].append(pk)
        directives["number"].append(f"{number}/{symbol}"[:60])
        directives["issued_on"].append(day.isoformat())
        directives["doc_type"].append(doc_type)
        directives["title"].append((title.format(year=day.year) + " " + MARK)[:300])
        directives["unit_id"].append(issuer.pk)
        directives["meeting_id"].append(None)
        directives["created_by_id"].append(None)
        for _assignee in assignees:  # its unit is assignee_units[t]
            tid = task_id + t
            state, done_at, reminded, notified = Task.State.OPEN, None, None, None
            reports_before = len(reports["task_id"])
            if returned_first[t] and not never[t] and done[t] - 3 * DAY <= now:
                back = done[t] - 3 * DAY
                _task_report(reports, tid, back - 4 * DAY, back, TaskReport.Decision.RETURNED)
                state = Task.State.RETURNED
            if not never[t] and done[t] <= now:
                if decided[t] <= now:
                    state, done_at = Task.State.ACCEPTED, done[t]
                    _task_report(reports, tid, done[t], decided[t], TaskReport.Decision.ACCEPTED)
                else:
                    state = Task.State.REPORTED
                    _task_report(reports, tid, done[t], None, TaskReport.Decision.PENDING)
            # Bookkeeping of discipline.tasks.remind_tasks, as if the job had run.
            remind_at = due[t] - 2 * DAY
            finished_by = done[t] if not never[t] else None
            if remind_at <= now and (finished_by is None or finished_by > remind_at):
                reminded = remind_at
            if due[t] + 900 <= now and (state != Task.State.ACCEPTED or done[t] > due[t]):
                notified = due[t] + 900
            tasks["id"].append(tid)
            tasks["directive_id"].append(pk)
            tasks["unit_id"].append(int(assignee_units[t]))
            tasks["title"].append(TASK_TITLES[title_idx[t]])
            tasks["due_at"].append(_text(due[t]))
            tasks["state"].append(state.value)
            tasks["done_at"].append(_text(done_at))
            tasks["reminded_at"].append(_text(reminded))
            tasks["overdue_notified_at"].append(_text(notified))
            # report_task and decide_task each bump the version once.
            made = len(reports["task_id"]) - reports_before
            tasks["version"].append(1 + 2 * made - (state == Task.State.REPORTED))
            t += 1
        if (p + 1) % 2000 == 0:
            _progress("Nhiệm vụ / tasks", t, n, started, out)
    _insert(Directive, directives)
    _insert(Task, tasks)
    if reports:
        _insert(TaskReport, reports)
    _progress("Nhiệm vụ / tasks", n, n, started, out)
    return {"directives": len(plan), "tasks": n, "task_reports": len(reports["task_id"])}


def _task_report(reports, task_id, submitted, decided, decision):
    reports["task_id"].append(task_id)
    reports["text"].append("Báo cáo kết quả thực hiện nhiệm vụ. " + MARK)
    reports["evidence"].append("")
    reports["submitted_at"].append(_text(submitted))
    reports["submitted_by_id"].append(None)
    reports["decision"].append(decision.value)
    reports["decided_at"].append(_text(decided))
    reports["decided_by_id"].append(None)
    reports["note"].append("" if decision != TaskReport.Decision.RETURNED else "Đề nghị bổ sung số liệu.")
