"""Scoreboard pages: the public ranking and unit pages, open data, and the officers' drill-down to dossiers.

Thin: every number comes from `queries` (one definition, rule 9); these views only choose and format.
"""
import json
from datetime import datetime
from datetime import timezone as dt_timezone

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from kycuong.core.exports import csv_response
from kycuong.core.models import Unit
from kycuong.core.queries import visible_units
from kycuong.feedback.queries import visible_reports
from kycuong.onestop.queries import visible_dossiers

from . import board_cache, export
from . import indicators as ind
from . import queries
from .queries import BadPeriod

PROFILES = {ind.PROFILE_CLASSIC: _("Bộ chỉ số theo Quyết định (3.1–3.3)"),
            ind.PROFILE_FULL_ONLINE: _("Chỉ số toàn trình (3.x, 12 điểm)")}


def _period_and_profile(request):
    """?ky=2026-11 (default: this month) and ?ho=classic|full_online. A bad period falls back with an error."""
    error = None
    raw = request.GET.get("ky", "")
    try:
        period = queries.parse_period(raw) if raw else queries.current_month()
    except BadPeriod as exc:
        period, error = queries.current_month(), str(exc.message)
    profile = request.GET.get("ho", ind.PROFILE_CLASSIC)
    if profile not in PROFILES:
        profile = ind.PROFILE_CLASSIC
    return period, profile, error


def _period_choices(now=None):
    """The last 12 months, the quarters and halves of this and last year, and both years."""
    today = timezone.localtime(now or timezone.now()).date()
    keys = []
    y, m = today.year, today.month
    for _i in range(12):
        keys.append(f"{y}-{m:02d}")
        y, m = (y - 1, 12) if m == 1 else (y, m - 1)
    for year in (today.year, today.year - 1):
        keys += [f"{year}-Q{q}" for q in range(4, 0, -1)] + [f"{year}-H2", f"{year}-H1", str(year)]
    return keys


def _context(request, **extra):
    period, profile, error = _period_and_profile(request)
    return {"period": period, "profile": profile, "profiles": PROFILES, "period_error": error,
            "period_choices": _period_choices(), "groups": ind.GROUPS, "bands": ind.BANDS,
            "small_volume": queries.SMALL_VOLUME, **extra}


def _volume(score) -> int:
    row = next((r for r in score.rows if r.indicator.code == "2.1"), None)
    return row.denominator or 0 if row else 0


def ranking(request):
    """Public transparency page: departments and communes ranked separately. The tables are rendered once and
    shared until the counters change (board_cache); the rest of the page is the visitor's own."""
    ctx = _context(request)

    def tables_html():
        tables = []
        both = queries.boards(ctx["period"], ctx["profile"])  # one set of reads for the two rankings
        for key, title in ((queries.DEPARTMENTS, _("Sở, ban, ngành")), (queries.COMMUNES, _("Phường, xã"))):
            rows = [{"rank": i, "score": s, "volume": _volume(s), "band": ind.band(s.estimate),
                     "groups": [s.group_points(g.code) for g in ind.GROUPS]}
                    for i, s in enumerate(both[key], start=1)]
            tables.append({"key": key, "title": title, "rows": rows})
        return render_to_string("scoreboard/_ranking_tables.html", {**ctx, "tables": tables})

    ctx["tables_html"], computed_at = board_cache.cached("ranking", ctx["period"].key, ctx["profile"], tables_html)
    ctx["computed_at"] = datetime.fromtimestamp(computed_at, tz=dt_timezone.utc)
    return render(request, "scoreboard/ranking.html", ctx, status=400 if ctx["period_error"] else 200)


def unit_detail(request, code):
    """One unit: every indicator with its definition, numbers, rate, points and where the data come from."""
    unit = get_object_or_404(Unit, code=code)
    ctx = _context(request, unit=unit)
    score = queries.unit_score(unit, ctx["period"], ctx["profile"])
    ctx.update(score=score, band=ind.band(score.estimate), trend=_chart(queries.trend(unit, profile=ctx["profile"], until=ctx["period"].last)),
               group_rows=[{"group": g, "points": score.group_points(g.code),
                            "rows": [r for r in score.rows if r.indicator.group == g.code]} for g in ind.GROUPS],
               can_drill=may_drill(request.user, unit),
               drillable=DRILLABLE)
    return render(request, "scoreboard/unit.html", ctx)


def _chart(points, width=640, height=180):
    """Bars of the monthly estimate (0–100) as SVG coordinates; the page shows the same numbers in a table."""
    step = width / max(len(points), 1)
    bars = []
    for i, p in enumerate(points):
        value = float(p["estimate"]) if p["estimate"] is not None else 0.0
        h = height * value / 100
        bars.append({**p, "x": round(i * step + step * 0.15, 1), "w": round(step * 0.7, 1),
                     "y": round(height - h, 1), "h": round(h, 1), "label_x": round(i * step + step / 2, 1)})
    return {"bars": bars, "width": width, "height": height}


# Indicators whose numbers link to the records behind them.
DRILLABLE = ind.DOSSIER_COUNTED + ind.CATALOG_COUNTED + ind.REPORT_COUNTED


def officer_visible_unit(request, code) -> Unit:
    """Who may see the records behind a unit's numbers: officers whose scope holds the unit; anyone else gets
    404 (not 403: a unit outside one's scope is not confirmed to have records). Callers are login_required."""
    if not request.user.is_officer:
        raise Http404()
    return get_object_or_404(visible_units(request.user), code=code)


def may_drill(user, unit) -> bool:
    """The same rule as `officer_visible_unit`, for deciding whether a number is a link."""
    return bool(user.is_authenticated and user.is_officer and visible_units(user).filter(pk=unit.pk).exists())


@login_required
def behind(request, code, indicator):
    """The records that cost a unit points on one indicator — dossiers, procedures or reports — for
    officers, within their scope only (the procedures are public anyway; dossiers and reports are scoped)."""
    unit = officer_visible_unit(request, code)
    if indicator not in DRILLABLE:
        raise Http404()
    ctx = _context(request, unit=unit, indicator=ind.BY_CODE[indicator])
    if indicator in ind.CATALOG_COUNTED:
        ctx["records"] = "procedures"
        rows = queries.procedures_behind(unit, ctx["period"], indicator)
    elif indicator in ind.REPORT_COUNTED:
        ctx["records"] = "reports"
        rows = queries.reports_behind(unit, ctx["period"], indicator, base=visible_reports(request.user))
    else:
        ctx["records"] = "dossiers"
        rows = queries.dossiers_behind(unit, ctx["period"], indicator, base=visible_dossiers(request.user))
    ctx["page"] = Paginator(rows, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    ctx["query"] = query.urlencode()
    return render(request, "scoreboard/behind.html", ctx)


# --- exports for leadership ------------------------------------------------------------------------------

def _leadership(request):
    if not (request.user.is_authenticated and request.user.is_officer):
        raise Http404()


@login_required
def export_xlsx(request):
    _leadership(request)
    ctx = _context(request)
    response = HttpResponse(export.ranking_xlsx(ctx["period"], ctx["profile"]),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="bang-diem-766-{ctx["period"].key}.xlsx"'
    return response


@login_required
def report_pdf(request):
    _leadership(request)
    ctx = _context(request)
    pdf = export.report_pdf(ctx["period"], ctx["profile"], base_url=request.build_absolute_uri("/"))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="bao-cao-766-{ctx["period"].key}.pdf"'
    return response


# --- open data ---------------------------------------------------------------------------------------------

def _open_rows(period, profile):
    both = queries.boards(period, profile)
    for group in (queries.DEPARTMENTS, queries.COMMUNES):
        for rank, score in enumerate(both[group], start=1):
            for r in score.rows:
                yield {
                    "period": period.key, "profile": profile, "ranking": group, "rank": rank,
                    "unit_code": score.unit.code, "unit_name": score.unit.name, "indicator": r.indicator.code,
                    "numerator": r.numerator, "denominator": r.denominator,
                    "rate": None if r.rate is None else str(r.rate.quantize(ind.TWO_PLACES * ind.TWO_PLACES)),
                    "points": None if r.points is None else ind.display(r.points),
                    "max_points": str(r.indicator.max_points),
                    "estimate_total": None if score.estimate is None else ind.display(score.estimate),
                }


def _shared_open_rows(period, profile) -> list[dict]:
    return board_cache.cached("open_rows", period.key, profile, lambda: list(_open_rows(period, profile)))[0]


def open_data_json(request):
    ctx = _context(request)
    if ctx["period_error"]:
        return HttpResponse(json.dumps({"code": "SCOREBOARD_BAD_PERIOD", "message": ctx["period_error"]},
                                       ensure_ascii=False), status=400, content_type="application/json")
    body = {
        "period": ctx["period"].key, "profile": ctx["profile"],
        "note": _("Ước tính nội bộ từ dữ liệu của thành phố, không phải chỉ số do Cổng DVCQG công bố."),
        "definitions": [{"code": i.code, "group": i.group, "name": str(i.name), "max_points": str(i.max_points),
                         "target": None if i.target is None else str(i.target), "source": i.source,
                         "definition": str(i.definition), "profile": i.profile, "confidence": i.mark}
                        for i in ind.INDICATORS],
        "rows": _shared_open_rows(ctx["period"], ctx["profile"]),
    }
    return HttpResponse(json.dumps(body, ensure_ascii=False, indent=1), content_type="application/json; charset=utf-8")


def open_data_csv(request):
    ctx = _context(request)
    if ctx["period_error"]:
        return HttpResponse(ctx["period_error"], status=400, content_type="text/plain; charset=utf-8")
    fields = ["period", "profile", "ranking", "rank", "unit_code", "unit_name", "indicator", "numerator",
              "denominator", "rate", "points", "max_points", "estimate_total"]
    return csv_response(f"bang-diem-766-{ctx['period'].key}.csv", fields, _shared_open_rows(ctx["period"], ctx["profile"]))
