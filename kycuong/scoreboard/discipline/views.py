"""Pages of our discipline score: the public ranking and its open data, and the leadership dashboard.

Public: unit-level aggregates only (counts and rates per department or commune) — never a person's record.
The dashboard is for overseers (unit leaders, inspectors, city leadership, administrators) within their scope.
"""
import json

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kycuong.core.exports import csv_response
from kycuong.core.queries import visible_units
from kycuong.discipline.access import is_overseer
from kycuong.onestop.queries import page as one_page
from kycuong.portal.forms import FACTORS as SIPAS_FACTORS

from . import queries as dq
from . import score as ds
from .. import queries
from ..views import _context, officer_visible_unit

COMPONENT_NAMES = {
    ds.INDEX766: gettext_lazy("Bộ chỉ số 766 (ước tính nội bộ)"),
    ds.SIPAS: gettext_lazy("Mức độ hài lòng SIPAS"),
    ds.TASKS: gettext_lazy("Nhiệm vụ hoàn thành đúng hạn"),
    ds.FEEDBACK: gettext_lazy("Phản ánh, kiến nghị xử lý đúng hạn"),
    ds.COMPLAINTS: gettext_lazy("Phản ánh về cán bộ có cơ sở / 100 cán bộ"),
    ds.MEETINGS: gettext_lazy("Vi phạm chế độ hội họp / 100 cán bộ"),
}
COMPONENT_DEFINITIONS = {
    ds.INDEX766: gettext_lazy("Tổng điểm Bộ chỉ số 766 quy về thang 100 trên các chỉ tiêu có số liệu (ước tính nội bộ)."),
    ds.SIPAS: gettext_lazy("Tỷ lệ trả lời “hài lòng” hoặc “rất hài lòng” (mức 4–5) theo từng yếu tố SIPAS, lấy trung bình các yếu tố có câu trả lời; đánh giá có thời điểm trong kỳ. Công thức suy luận, chưa đối chiếu Quyết định 1001/QĐ-BNV."),
    ds.TASKS: gettext_lazy("Nhiệm vụ có hạn trong kỳ và đã qua hạn: hoàn thành đúng hạn ÷ (đúng hạn + trễ hạn + quá hạn chưa hoàn thành) × 100."),
    ds.FEEDBACK: gettext_lazy("Phản ánh, kiến nghị kết thúc xử lý (hoặc từ chối) trong kỳ, cùng phản ánh đang quá hạn ở kỳ hiện tại: đúng hạn ÷ tổng × 100 (quy tắc chỉ tiêu 5.2)."),
    ds.COMPLAINTS: gettext_lazy("Phản ánh về hành vi cán bộ được kết luận đúng hoặc đúng một phần trong kỳ, trên 100 cán bộ đang công tác; 0 được 100 điểm, từ ngưỡng trở lên được 0 điểm."),
    ds.MEETINGS: gettext_lazy("Lượt vắng họp không báo cáo, về sớm không được đồng ý, đến muộn ở các cuộc họp trong kỳ, trên 100 cán bộ; 0 được 100 điểm, từ ngưỡng trở lên được 0 điểm."),
}
CAVEATS = {
    "small_volume": gettext_lazy("ít hồ sơ"),
    "few_officials": gettext_lazy("ít cán bộ, tỷ lệ /100 dao động mạnh"),
    "missing": gettext_lazy("thiếu thành phần, đã chia lại trọng số"),
}


def _drillable_units(user) -> set:
    """Units whose numbers link to the records behind them: an officer's scope (`views.may_drill`'s rule);
    nobody else — per-official records are never public."""
    if not (user.is_authenticated and user.is_officer):
        return set()
    return set(visible_units(user).values_list("pk", flat=True))


def _drill_url(unit, component, ctx, drillable):
    if unit.pk not in drillable:
        return None
    if component == ds.INDEX766:
        return f"{reverse('scoreboard:unit', args=[unit.code])}?ky={ctx['period'].key}&ho={ctx['profile']}"
    return f"{reverse('scoreboard:discipline_behind', args=[unit.code, component])}?ky={ctx['period'].key}"


def _tables(ctx, user):
    tables = []
    drillable = _drillable_units(user)
    now = timezone.now()  # one instant for the shared reads and every component
    inputs = queries.board_inputs(ctx["period"], now)
    for key, title in ((queries.DEPARTMENTS, _("Sở, ban, ngành")), (queries.COMMUNES, _("Phường, xã"))):
        rows = dq.discipline_board(key, ctx["period"], ctx["profile"], now=now, inputs=inputs)
        tables.append({"key": key, "title": title, "drillable": any(r.unit.pk in drillable for r in rows), "rows": [{
            "row": r,
            "cells": [{"component": c, "value": r.result.values[c], "raw": r.components[c],
                       "url": _drill_url(r.unit, c, ctx, drillable)} for c in ds.COMPONENTS],
            "caveats": [CAVEATS[k] for k in r.caveats],
            "missing": [COMPONENT_NAMES[c] for c in r.result.missing],
        } for r in rows]})
    return tables


def _weights_context(period):
    weights = dq.weights_for(period)
    return {"weights": weights, "weight_rows": [
        {"code": c, "name": COMPONENT_NAMES[c], "definition": COMPONENT_DEFINITIONS[c], "weight": weights.weights[c],
         "cap": weights.caps.get(c)} for c in ds.COMPONENTS],
        "sipas_default": dq.sipas_formula_is_default(), "few_officials": dq.FEW_OFFICIALS}


def ranking(request):
    """Public: departments and communes ranked apart by our discipline score, caveats beside each row."""
    ctx = _context(request)
    ctx.update(_weights_context(ctx["period"]), tables=_tables(ctx, request.user),
               component_headers=[COMPONENT_NAMES[c] for c in ds.COMPONENTS])
    return render(request, "scoreboard/discipline_ranking.html", ctx, status=400 if ctx["period_error"] else 200)


# --- the records behind one number --------------------------------------------------------------------------

PAGE_SIZE = 50
REASONS = {
    "on_time": gettext_lazy("Đúng hạn"),
    "late": gettext_lazy("Trễ hạn"),
    "overdue_open": gettext_lazy("Quá hạn, chưa hoàn thành"),
    "founded": gettext_lazy("Có cơ sở (đúng)"),
    "partly_founded": gettext_lazy("Có cơ sở một phần (đúng một phần)"),
}


def _reason_label(component, code):
    if component == ds.MEETINGS:
        from kycuong.discipline.services import VIOLATIONS

        return VIOLATIONS[code][1]
    return REASONS.get(code, code)


def _record_url(component, record):
    if component == ds.SIPAS:
        return reverse("onestop:dossier", args=[record.dossier.code])
    if component == ds.TASKS:
        return reverse("discipline:task", args=[record.pk])
    if component in (ds.FEEDBACK, ds.COMPLAINTS):
        return reverse("feedback:staff_report", args=[record.code])
    return reverse("discipline:meeting", args=[record.meeting_id])


@login_required
def behind(request, code, component):
    """The records counted in one unit's number for one component and period — officers within their scope
    only, decided as for the 766 board's records (`views.officer_visible_unit`)."""
    unit = officer_visible_unit(request, code)
    if component == ds.INDEX766:   # its records are the 766 board's: the unit's own page, which drills further
        return redirect(_drill_url(unit, component, _context(request), {unit.pk}))
    if component not in dq.DRILLABLE:
        raise Http404()
    ctx = _context(request, unit=unit, component=component, name=COMPONENT_NAMES[component],
                   definition=COMPONENT_DEFINITIONS[component])
    now = timezone.now()
    records = dq.records_behind(component, unit, ctx["period"], request.user, now)
    try:
        number = max(1, min(int(request.GET.get("page") or 1), 100_000))
    except ValueError:
        number = 1
    page = one_page(records, number, PAGE_SIZE)
    summary = dq.summary(component, records, unit, request.user, now)
    summary["reasons"] = [{"label": _reason_label(component, k), "count": n}
                          for k, n in sorted(summary.get("by_reason", {}).items())]
    items = []
    for record in page.rows:
        item = {"record": record, "url": _record_url(component, record)}
        if component == ds.SIPAS:
            scores = record.scores()
            item["scores"] = [scores[f] for f in ds.SIPAS_FACTORS]
        else:
            item["reason"] = _reason_label(component, dq.reason(component, record, now))
        items.append(item)
    query = request.GET.copy()
    query.pop("page", None)
    ctx.update(page=page, items=items, summary=summary, query=query.urlencode(), now=now,
               factor_names=[dict(SIPAS_FACTORS)[f] for f in ds.SIPAS_FACTORS])
    return render(request, "scoreboard/discipline_behind.html", ctx)


# --- open data -------------------------------------------------------------------------------------------------

def _open_rows(period, profile):
    now = timezone.now()
    inputs = queries.board_inputs(period, now)
    for group in (queries.DEPARTMENTS, queries.COMMUNES):
        for r in dq.discipline_board(group, period, profile, now=now, inputs=inputs):
            row = {"period": period.key, "ranking": group, "rank": r.rank, "unit_code": r.unit.code,
                   "unit_name": r.unit.name, "score": ds.display(r.score), "dossiers": r.volume,
                   "officials": r.officials, "missing": " ".join(r.result.missing), "caveats": " ".join(r.caveats)}
            for c in ds.COMPONENTS:
                v = r.components[c]
                row[f"{c}_numerator"] = v.numerator
                row[f"{c}_denominator"] = v.denominator
                row[f"{c}_raw"] = ds.display(v.raw)
                row[f"{c}_points"] = ds.display(r.result.values[c])
                row[f"{c}_weight_used"] = ds.display(r.result.used_weights[c])
            yield row


def _open_fields():
    fields = ["period", "ranking", "rank", "unit_code", "unit_name", "score", "dossiers", "officials", "missing", "caveats"]
    for c in ds.COMPONENTS:
        fields += [f"{c}_numerator", f"{c}_denominator", f"{c}_raw", f"{c}_points", f"{c}_weight_used"]
    return fields


def open_data_json(request):
    ctx = _context(request)
    if ctx["period_error"]:
        return HttpResponse(json.dumps({"code": "SCOREBOARD_BAD_PERIOD", "message": ctx["period_error"]},
                                       ensure_ascii=False), status=400, content_type="application/json")
    weights = dq.weights_for(ctx["period"])
    body = {
        "period": ctx["period"].key, "profile": ctx["profile"],
        "note": _("Điểm kỷ cương là chỉ số nội bộ của Thành phố; trọng số và cách quy đổi công bố kèm theo. "
                  "Công thức SIPAS là suy luận, chưa đối chiếu Quyết định 1001/QĐ-BNV."),
        "formula": "score = Σ weight_c × points_c ÷ Σ weight_c (over components with data)",
        "weights": {c: str(weights.weights[c]) for c in ds.COMPONENTS},
        "caps_per_100_officials": {c: str(weights.caps[c]) for c in ds.PER_100},
        "weights_effective_from": weights.effective_from.isoformat() if weights.effective_from else None,
        "sipas_formula": "inferred" if dq.sipas_formula_is_default() else "configured",
        "definitions": [{"component": c, "name": str(COMPONENT_NAMES[c]), "definition": str(COMPONENT_DEFINITIONS[c])}
                        for c in ds.COMPONENTS],
        "caveat_codes": {k: str(v) for k, v in CAVEATS.items()},
        "rows": list(_open_rows(ctx["period"], ctx["profile"])),
    }
    return HttpResponse(json.dumps(body, ensure_ascii=False, indent=1), content_type="application/json; charset=utf-8")


def open_data_csv(request):
    ctx = _context(request)
    if ctx["period_error"]:
        return HttpResponse(ctx["period_error"], status=400, content_type="text/plain; charset=utf-8")
    return csv_response(f"diem-ky-cuong-{ctx['period'].key}.csv", _open_fields(),
                        _open_rows(ctx["period"], ctx["profile"]))


# --- leadership dashboard ------------------------------------------------------------------------------------

def _hbars(items, width=480, bar=22):
    """Horizontal bars (label, count) as SVG coordinates; the page shows the same numbers in a table."""
    top = max((i["count"] for i in items), default=0) or 1
    bars = []
    for n, item in enumerate(items):
        w = round(width * item["count"] / top, 1)
        bars.append({**item, "y": n * (bar + 8), "w": w, "h": bar, "text_y": n * (bar + 8) + bar * 0.7})
    return {"bars": bars, "width": width, "height": max(len(items), 1) * (bar + 8)}


EVENT_NAMES = {
    "conduct": gettext_lazy("Ghi nhận vi phạm công vụ"),
    "admonitions": gettext_lazy("Nhắc nhở, phê bình, kiểm điểm"),
    "cases": gettext_lazy("Vụ việc kỷ luật được mở"),
    "founded": gettext_lazy("Phản ánh về cán bộ có cơ sở"),
    "meeting_violations": gettext_lazy("Vi phạm chế độ hội họp"),
}
TOP_UNITS = 15


@login_required
def dashboard(request):
    """Leadership: overdue dossiers and tasks now, discipline events of the period — in the officer's scope."""
    if not is_overseer(request.user):
        raise Http404()
    ctx = _context(request)
    now = timezone.now()
    dossiers = dq.overdue_dossiers_by_unit(request.user, now)
    tasks = dq.overdue_tasks_by_unit(request.user, now)
    events = dq.discipline_events(request.user, ctx["period"])
    event_items = [{"key": k, "name": EVENT_NAMES[k], "count": events[k]} for k in dq.EVENT_KINDS]
    ctx.update(
        dossiers=_hbars(dossiers[:TOP_UNITS]), dossiers_total=sum(r["count"] for r in dossiers),
        dossiers_units=len(dossiers),
        tasks=_hbars(tasks[:TOP_UNITS]), tasks_total=sum(r["count"] for r in tasks), tasks_units=len(tasks),
        events=_hbars(event_items), top_units=TOP_UNITS, now=now,
    )
    return render(request, "scoreboard/dashboard.html", ctx, status=400 if ctx["period_error"] else 200)

