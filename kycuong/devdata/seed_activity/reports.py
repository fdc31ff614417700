"""Citizens' reports (feedback, PAKN): clocks, routing, conclusions, repeats, votes, founded conduct records."""
from __future__ import annotations

import json
import sys
import time
from collections import defaultdict

import numpy as np
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext

from kycuong.catalog.models import Procedure
from kycuong.core.models import Official, Unit
from kycuong.discipline.models import ConductRecord, SourceKind
from kycuong.feedback import repeats
from kycuong.feedback.models import Channel as ReportChannel
from kycuong.feedback.models import Conclusion, Kind, Report, Routing, Vote
from kycuong.feedback.services import CODE_ALPHABET, HANDLE_DAYS, INFO_DAYS, PUBLISH_DAYS, REFUSE_DAYS
from kycuong.feedback.workflow import State as ReportState

from ..seed import MARK, NAMES, _progress
from .base import DAY, HOUR, REPORTS_PER_DOSSIER, Clock, Window, _codes, _insert, _next_id, _text
# --- feedback reports -----------------------------------------------------------------------------------------

PROCEDURE_TEXTS = [
    ("Hồ sơ {code} quá hạn chưa có kết quả", "Tôi nộp hồ sơ {code} ({proc}) tại {unit}, đã quá ngày hẹn trả mà chưa nhận được kết quả, không được thông báo lý do."),
    ("Yêu cầu bổ sung giấy tờ không có trong quy định", "Khi làm thủ tục {proc} tại {unit}, cán bộ yêu cầu nộp thêm giấy tờ không có trong thành phần hồ sơ đã công khai."),
    ("Kiến nghị đơn giản hóa thủ tục {proc}", "Đề nghị {unit} xem xét giảm bớt thành phần hồ sơ và cho phép nộp trực tuyến toàn trình đối với thủ tục {proc}."),
    ("Phản ánh về thu phí thủ tục {proc}", "Mức phí thu khi làm thủ tục {proc} tại {unit} không đúng với mức phí đã công khai trên Cổng dịch vụ công."),
    ("Không tra cứu được tình trạng hồ sơ {code}", "Tôi không tra cứu được tình trạng giải quyết hồ sơ {code} trên Cổng dịch vụ công, đề nghị {unit} kiểm tra."),
]
CONDUCT_TEXTS = [
    ("Thái độ của cán bộ tiếp nhận hồ sơ", "Cán bộ {who} tại {unit} có thái độ thiếu tôn trọng, không hướng dẫn đầy đủ khi tôi hỏi về thủ tục {proc}."),
    ("Cán bộ hẹn lại nhiều lần", "Tôi đến {unit} nhiều lần nhưng cán bộ {who} đều hẹn lại, không giải thích lý do hồ sơ chậm."),
    ("Phản ánh việc gây khó khăn khi giải quyết hồ sơ", "Cán bộ {who} ({unit}) gợi ý nộp thêm chi phí ngoài quy định để hồ sơ {proc} được giải quyết nhanh."),
    ("Cán bộ vắng mặt tại quầy trong giờ làm việc", "Trong giờ làm việc, quầy tiếp nhận của {unit} không có cán bộ {who}, người dân phải chờ lâu."),
]
COUNTER_DESCRIPTIONS = ["Cán bộ tiếp nhận tại quầy số 1", "Cán bộ tiếp nhận tại quầy số 2", "Cán bộ trả kết quả",
                        "Cán bộ hướng dẫn thủ tục"]
ANSWERS = {  # keyed by value: numpy hands back plain strings
    Kind.PROCEDURE.value: "{unit} đã kiểm tra nội dung phản ánh, chấn chỉnh việc giải quyết và thông báo kết quả cho người phản ánh.",
    Kind.CONDUCT.value: "{unit} đã xác minh nội dung phản ánh về cán bộ, kết luận và xử lý theo quy định.",
}
FINDINGS = {
    Conclusion.FOUNDED.value: "Xác minh cho thấy nội dung phản ánh đúng.",
    Conclusion.PARTLY_FOUNDED.value: "Xác minh cho thấy nội dung phản ánh đúng một phần.",
    Conclusion.UNFOUNDED.value: "Xác minh cho thấy nội dung phản ánh không có cơ sở.",
}
REFUSAL = "Nội dung không thuộc phạm vi tiếp nhận, xử lý phản ánh, kiến nghị về quy định hành chính."
INFO_REQUEST = "Đề nghị cung cấp thêm thời gian, địa điểm cụ thể và giấy hẹn trả kết quả."
TRANSFER_REASON = "Không thuộc thẩm quyền, chuyển đơn vị có thẩm quyền giải quyết."


def _report_codes(n: int, rng) -> list[str]:
    taken = set(Report.objects.values_list("code", flat=True))
    alphabet = np.array(list(CODE_ALPHABET))
    codes = []
    while len(codes) < n:
        for row in alphabet[rng.integers(0, len(alphabet), size=(n - len(codes), 8))]:
            code = "PA-" + "".join(row.tolist())
            if code not in taken:
                taken.add(code)
                codes.append(code)
    return codes


def seed_feedback(d: dict, window: Window, rng: np.random.Generator, officials, citizens: list[int],
                  inspectors: list[int], per_year: int, out=sys.stderr) -> dict[str, int]:
    n = int(round(per_year * window.years * REPORTS_PER_DOSSIER))
    if n == 0 or len(d["id"]) == 0:
        return {"reports": 0}
    started = time.perf_counter()
    units = {u.pk: u for u in Unit.objects.all()}
    procedures = dict(Procedure.objects.values_list("pk", "name"))
    desk = Unit.objects.filter(parent__isnull=True).order_by("path").first()
    submitted = np.sort(rng.integers(window.start, window.now - HOUR, size=n))
    kind = np.where(rng.random(n) < 0.6, Kind.PROCEDURE, Kind.CONDUCT)
    channel = rng.choice([ReportChannel.PORTAL, ReportChannel.HOTLINE, ReportChannel.WALK_IN, ReportChannel.OPEN311],
                         size=n, p=[0.6, 0.2, 0.1, 0.1])
    # The dossier each report is about: one received before it was sent (dossiers sorted by receipt).
    order = np.argsort(d["received"], kind="stable")
    received_sorted = d["received"][order]
    limit = np.searchsorted(received_sorted, submitted)        # dossiers received before
    ok = limit > 0
    j = order[(rng.random(n) * np.maximum(limit, 1)).astype(np.int64)]
    names_dossier = ok & (((kind == Kind.PROCEDURE) & (rng.random(n) < 0.4)) | ((kind == Kind.CONDUCT) & (rng.random(n) < 0.1)))
    names_official = (kind == Kind.CONDUCT) & (rng.random(n) < 0.75)
    transferred = rng.random(n) < 0.04
    refused = rng.random(n) < 0.06
    info = ~refused & (rng.random(n) < 0.10)
    unit_ids = sorted(units)
    late_rate = dict(zip(unit_ids, rng.uniform(0.03, 0.25, size=len(unit_ids)), strict=True))

    dossier_id = np.where(names_dossier, d["id"][j], 0)
    procedure_id = d["procedure"][j]
    official_id = np.zeros(n, dtype=np.int64)
    named_unit = np.zeros(n, dtype=np.int64)
    responsible = np.zeros(n, dtype=np.int64)
    staff_pick = rng.random(n)
    for i in range(n):
        if names_official[i]:
            counter = int(d["receiving"][j[i]])
            people = officials.get(counter) or officials.get(int(d["unit"][j[i]]))
            pool = (people or {}).get(Official.Rank.STAFF) or [p for r in (people or {}).values() for p in r]
            if pool:
                official_id[i] = pool[int(staff_pick[i] * len(pool))]
                responsible[i] = counter if officials.get(counter) else int(d["unit"][j[i]])
                continue
            names_official[i] = False
        if kind[i] == Kind.CONDUCT:
            named_unit[i] = int(d["receiving"][j[i]])
        else:
            named_unit[i] = int(d["unit"][j[i]])
        responsible[i] = int(d["unit"][j[i]]) if names_dossier[i] else named_unit[i]
    # Repeats (feedback/repeats.py): ~5 % restate an earlier report (≤ 90 days before) word for word.
    repeat_src = np.full(n, -1, dtype=np.int64)
    lo = np.searchsorted(submitted, submitted - repeats.REPEAT_WINDOW_DAYS * DAY)
    draw, pick = rng.random(n), rng.random(n)
    for i in np.nonzero((draw < 0.05) & (lo < np.arange(n)))[0].tolist():
        e = int(lo[i] + int(pick[i] * (i - lo[i])))
        repeat_src[i] = e
        for column in (kind, dossier_id, procedure_id, official_id, named_unit, responsible, names_dossier,
                       names_official, j):
            column[i] = column[e]
    suggested = responsible.copy()
    first_unit = np.where(transferred, desk.pk, responsible)

    clock = Clock(unit_ids)
    # A transfer a working day or so after submission restarts the clocks (feedback.services._transfer).
    moved_at = clock.due(first_unit, submitted, 1) + rng.integers(0, 4 * HOUR, size=n)
    start = np.where(transferred, moved_at, submitted)
    refuse_due = clock.due(responsible, start, REFUSE_DAYS)
    info_due = clock.due(responsible, start, INFO_DAYS)
    handle_due = clock.due(responsible, start, HANDLE_DAYS)
    is_late = rng.random(n) < np.array([late_rate[u] for u in responsible.tolist()])
    u01 = rng.random((n, 8))
    refused_at = np.where(u01[:, 0] < 0.05, refuse_due + (u01[:, 1] * 3 * DAY).astype(np.int64) + HOUR,
                          start + ((refuse_due - start) * (0.1 + 0.8 * u01[:, 1])).astype(np.int64))
    confirmed_at = start + np.maximum(HOUR, ((refuse_due - start) * 0.6 * u01[:, 2]).astype(np.int64))
    info_at = np.where(u01[:, 3] < 0.08, info_due + (u01[:, 4] * 5 * DAY).astype(np.int64) + HOUR,
                       confirmed_at + ((info_due - confirmed_at) * u01[:, 4]).astype(np.int64))
    provided_at = info_at + DAY + (u01[:, 5] * 3 * DAY).astype(np.int64)
    handled_at = np.where(is_late, handle_due + HOUR + (u01[:, 6] * 20 * DAY).astype(np.int64),
                          start + ((handle_due - start) * (0.3 + 0.7 * u01[:, 6])).astype(np.int64))
    handled_at = np.maximum(handled_at, np.where(info, provided_at, confirmed_at) + 4 * HOUR)
    verify_at = np.where(info, provided_at, confirmed_at) + HOUR + (u01[:, 7] * DAY).astype(np.int64)
    handled_at = np.where(kind == Kind.CONDUCT, np.maximum(handled_at, verify_at + 3 * HOUR), handled_at)
    if_late_handle = handled_at > handle_due
    concluded_at = np.maximum(handled_at - 2 * HOUR - (u01[:, 7] * 20 * HOUR).astype(np.int64), verify_at + HOUR)
    concluded_at = np.minimum(concluded_at, handled_at - HOUR)
    publish_due = clock.due(responsible, handled_at, PUBLISH_DAYS)
    late_publish = rng.random(n) < 0.06
    published_at = np.where(late_publish, publish_due + HOUR + rng.integers(0, 5 * DAY, size=n),
                            handled_at + ((publish_due - handled_at) * rng.uniform(0.1, 0.9, size=n)).astype(np.int64))
    conclusion = rng.choice([Conclusion.FOUNDED, Conclusion.PARTLY_FOUNDED, Conclusion.UNFOUNDED], size=n,
                            p=[0.25, 0.2, 0.55])
    anonymous = rng.random(n) < 0.2
    with_account = (channel == ReportChannel.PORTAL) & ~anonymous & (rng.random(n) < 0.5)
    name_idx = rng.integers(0, len(NAMES), size=n)
    phone = rng.integers(10**8, 10**9, size=n)
    template = rng.integers(0, 100, size=n)
    citizen_idx = rng.integers(0, max(len(citizens), 1), size=n)
    inspector_idx = rng.integers(0, max(len(inspectors), 1), size=n)
    votes_n = np.where(rng.random(n) < 0.35, 1 + rng.poisson(2, size=n), 0)
    codes = _report_codes(n, rng)
    dossier_codes = _codes(dossier_id[dossier_id > 0])
    official_names = dict(Official.objects.filter(pk__in=official_id[official_id > 0].tolist())
                          .values_list("pk", "full_name"))
    first_id = _next_id(Report)
    now = window.now

    cols = defaultdict(list)
    routings = defaultdict(list)
    votes = defaultdict(list)
    founded = []
    root_of = np.full(n, -1, dtype=np.int64)
    words_cache = {}
    for i in range(n):
        pk = first_id + i
        k = str(kind[i])
        proc_name = procedures.get(int(procedure_id[i]), "")
        unit_name = units[int(responsible[i])].name
        who = official_names.get(int(official_id[i]), COUNTER_DESCRIPTIONS[template[i] % len(COUNTER_DESCRIPTIONS)])
        texts = PROCEDURE_TEXTS if k == Kind.PROCEDURE else CONDUCT_TEXTS
        if k == Kind.PROCEDURE and not dossier_id[i]:
            texts = texts[1:4]           # the texts that quote a dossier code need one
        title, text = texts[template[i] % len(texts)]
        fill = {"code": dossier_codes.get(int(dossier_id[i]), ""), "proc": proc_name, "unit": unit_name, "who": who}
        title, text = title.format(**fill)[:200], text.format(**fill) + " " + MARK
        repeat_of = None
        e = int(repeat_src[i])
        if e >= 0:
            title, text = cols["title"][e], cols["text"][e]
            if not (cols["state"][e] == ReportState.REFUSED and refused_at[e] <= submitted[i]):
                repeat_of = int(root_of[e]) if root_of[e] >= 0 else e     # a chain of repeats stays one matter
        root_of[i] = -1 if repeat_of is None else repeat_of
        if (title, text) not in words_cache:
            words_cache[(title, text)] = repeats.words_key(title, text)
        # State at `now` from the timeline.
        overdue = []
        state = ReportState.RECEIVED
        fields = dict(refused_at=None, info_requested_at=None, handled_at=None, published_at=None,
                      publish_due_at=None, concluded_at=None, conclusion="", findings="", public_answer="",
                      inspector=None, verifier=None, refusal_reason="", info_request="", confirmed=False)
        writes = 1
        if refused[i] and refused_at[i] <= now:
            state = ReportState.REFUSED
            fields.update(refused_at=refused_at[i], refusal_reason=REFUSAL)
            if refused_at[i] > refuse_due[i]:
                overdue.append("refuse")
            writes += 1
        elif not refused[i] and confirmed_at[i] <= now:
            state, fields["confirmed"] = ReportState.PROCESSING, True
            writes += 1
            if info[i] and info_at[i] <= now:
                fields.update(info_requested_at=info_at[i], info_request=INFO_REQUEST)
                state = ReportState.INFO_REQUESTED
                if info_at[i] > info_due[i]:
                    overdue.append("info")
                writes += 1
                if provided_at[i] <= now:
                    state = ReportState.PROCESSING
                    writes += 1
            if state == ReportState.PROCESSING and k == Kind.CONDUCT and verify_at[i] <= now:
                state = ReportState.VERIFYING
                fields.update(inspector=inspectors[inspector_idx[i]] if inspectors else None)
                fields["verifier"] = fields["inspector"]
                writes += 1
                if concluded_at[i] <= now:
                    state = ReportState.CONCLUDED
                    fields.update(concluded_at=concluded_at[i], conclusion=str(conclusion[i]),
                                  findings=FINDINGS[str(conclusion[i])])
                    writes += 1
            if state in (ReportState.PROCESSING, ReportState.CONCLUDED) and handled_at[i] <= now:
                state = ReportState.AWAITING_PUBLICATION
                fields.update(handled_at=handled_at[i], publish_due_at=publish_due[i],
                              public_answer=ANSWERS[k].format(unit=unit_name))
                if if_late_handle[i]:
                    overdue.append("handle")
                writes += 1
                if published_at[i] <= now:
                    state = ReportState.PUBLISHED
                    fields["published_at"] = published_at[i]
                    if published_at[i] > publish_due[i]:
                        overdue.append("publish")
                    writes += 1
        # Clocks run out while still open: what the periodic job (services.mark_overdue) would have marked.
        if state == ReportState.RECEIVED and refuse_due[i] < now:
            overdue.append("refuse")
        if state not in (ReportState.REFUSED, ReportState.AWAITING_PUBLICATION, ReportState.PUBLISHED) \
                and handle_due[i] < now and "handle" not in overdue:
            overdue.append("handle")
        if state == ReportState.AWAITING_PUBLICATION and publish_due[i] < now:
            overdue.append("publish")
        likes = dislikes = 0
        if state == ReportState.PUBLISHED and votes_n[i]:
            p_like = 0.35 if if_late_handle[i] or repeat_of is not None else 0.75
            values = np.where(rng.random(int(votes_n[i])) < p_like, 1, -1)
            at = np.minimum(published_at[i] + rng.integers(HOUR, 10 * DAY, size=len(values)), now - 60)
            voters = rng.integers(0, 2**63 - 1, size=(len(values), 4))
            for v, a, voter in zip(values.tolist(), at.tolist(), voters.tolist(), strict=True):
                votes["report_id"].append(pk)
                votes["voter"].append("s:" + "".join(f"{x:016x}" for x in voter))
                votes["value"].append(v)
                votes["at"].append(_text(a))
            likes, dislikes = int((values == 1).sum()), int((values == -1).sum())
        if fields["conclusion"] in (Conclusion.FOUNDED, Conclusion.PARTLY_FOUNDED):
            founded.append(i)

        cols["id"].append(pk)
        cols["code"].append(codes[i])
        cols["kind"].append(k)
        cols["channel"].append(str(channel[i]))
        cols["state"].append(str(state))
        cols["version"].append(writes)
        cols["title"].append(title)
        cols["text"].append(text)
        cols["words"].append(words_cache[(title, text)])
        cols["dossier_id"].append(int(dossier_id[i]) or None)
        cols["procedure_id"].append(int(procedure_id[i]) if k == Kind.PROCEDURE or dossier_id[i] else None)
        cols["named_unit_id"].append(int(named_unit[i]) or None)
        cols["official_id"].append(int(official_id[i]) or None)
        cols["official_description"].append("" if official_id[i] or k == Kind.PROCEDURE else who)
        cols["suggested_unit_id"].append(None if transferred[i] else int(suggested[i]))
        moved = transferred[i] and moved_at[i] <= now
        current = int(responsible[i]) if moved or not transferred[i] else desk.pk
        cols["responsible_unit_id"].append(current)
        cols["unit_confirmed"].append(int(fields["confirmed"]))
        cols["transfer_count"].append(int(moved))
        reporter = citizens[citizen_idx[i]] if with_account[i] and citizens else None
        cols["reporter_id"].append(reporter)
        cols["anonymous"].append(int(anonymous[i]))
        cols["reporter_name"].append("" if anonymous[i] else NAMES[name_idx[i]])
        cols["reporter_phone"].append("" if anonymous[i] else f"09{phone[i]:08d}"[:10])
        cols["submitted_at"].append(_text(submitted[i]))
        cols["clock_start_at"].append(_text(start[i] if moved or not transferred[i] else submitted[i]))
        if moved or not transferred[i]:
            due3 = (refuse_due[i], info_due[i], handle_due[i])
        else:  # still at the desk: the desk's clocks from submission
            due3 = tuple(clock.due(np.array([desk.pk]), np.array([submitted[i]]), days)[0]
                         for days in (REFUSE_DAYS, INFO_DAYS, HANDLE_DAYS))
        cols["refuse_due_at"].append(_text(due3[0]))
        cols["info_due_at"].append(_text(due3[1]))
        cols["handle_due_at"].append(_text(due3[2]))
        for name in ("publish_due_at", "refused_at", "info_requested_at", "handled_at", "published_at", "concluded_at"):
            cols[name].append(_text(fields[name]))
        cols["overdue"].append(json.dumps(overdue))
        cols["refusal_reason"].append(fields["refusal_reason"])
        cols["info_request"].append(fields["info_request"])
        cols["inspector_id"].append(fields["inspector"])
        cols["verifier_id"].append(fields["verifier"])
        cols["concluded_by_id"].append(fields["inspector"] if fields["conclusion"] else None)
        cols["findings"].append(fields["findings"])
        cols["conclusion"].append(fields["conclusion"])
        cols["public_answer"].append(fields["public_answer"])
        cols["likes"].append(likes)
        cols["dislikes"].append(dislikes)
        cols["repeat_of_id"].append(first_id + repeat_of if repeat_of is not None else None)
        cols["updated_at"].append(_text(now))
        # Routing history (feedback.services: suggested at submission, transferred, confirmed).
        routings["report_id"].append(pk)
        routings["step"].append(Routing.Step.SUGGESTED.value)
        routings["from_unit_id"].append(None)
        routings["to_unit_id"].append(desk.pk if transferred[i] else int(responsible[i]))
        routings["reason"].append("desk" if transferred[i] else "")
        routings["at"].append(_text(submitted[i]))
        if moved:
            routings["report_id"].append(pk)
            routings["step"].append(Routing.Step.TRANSFERRED.value)
            routings["from_unit_id"].append(desk.pk)
            routings["to_unit_id"].append(int(responsible[i]))
            routings["reason"].append(TRANSFER_REASON)
            routings["at"].append(_text(moved_at[i]))
        if fields["confirmed"]:
            routings["report_id"].append(pk)
            routings["step"].append(Routing.Step.CONFIRMED.value)
            routings["from_unit_id"].append(int(responsible[i]))
            routings["to_unit_id"].append(int(responsible[i]))
            routings["reason"].append("")
            routings["at"].append(_text(confirmed_at[i]))
        if (i + 1) % 20000 == 0:
            _progress("Phản ánh / reports", i + 1, n, started, out)
    _insert(Report, cols)
    _insert(Routing, routings)
    if votes:
        _insert(Vote, votes)
    records = _founded_records(founded, cols, official_id, named_unit, units, first_id)
    _progress("Phản ánh / reports", n, n, started, out)
    return {"reports": n, "routings": len(routings["report_id"]), "votes": len(votes["report_id"]),
            "complaint_records": records}


def _founded_records(founded, cols, official_id, named_unit, units, first_id) -> int:
    """What `discipline.services.record_from_report` makes for a founded report, row for row."""
    unit_of = dict(Official.objects.filter(pk__in=[int(official_id[i]) for i in founded if official_id[i]])
                   .values_list("pk", "unit_id"))
    rows = defaultdict(list)
    with translation.override(settings.LANGUAGE_CODE):
        for i in founded:
            official = int(official_id[i]) or None
            unit = unit_of.get(official) if official else int(named_unit[i]) or None
            if unit is None:
                continue
            text = gettext("Phản ánh %(code)s được kết luận %(c)s.") % {
                "code": cols["code"][i],
                "c": gettext("có cơ sở") if cols["conclusion"][i] == "founded" else gettext("có cơ sở một phần")}
            if cols["findings"][i]:
                text += " " + cols["findings"][i]
            rows["official_id"].append(official)
            rows["unit_id"].append(unit)
            rows["rule_id"].append(None)
            rows["source_kind"].append(SourceKind.COMPLAINT.value)
            rows["source_ref"].append(cols["code"][i])
            rows["occurred_at"].append(cols["concluded_at"][i])
            rows["description"].append(text)
            rows["created_at"].append(cols["concluded_at"][i])
    return _insert(ConductRecord, rows) if rows else 0
