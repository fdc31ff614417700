"""Scoreboard pages: public ranking and unit pages, open data with the same numbers, officers' drill-down."""
import csv
import io
import json

from decimal import Decimal

import pytest
from django.urls import reverse

from kycuong.core.models import Unit
from kycuong.onestop.services import act
from kycuong.scoreboard import queries
from kycuong.scoreboard.queries import parse_period

from .conftest import hn

PERIOD = "2026-03"


@pytest.fixture
def march(receive, people, django_capture_on_commit_callbacks):
    """Sở Tư pháp (H26.104): one dossier finished on time and one finished late in March 2026."""
    with django_capture_on_commit_callbacks(execute=True):
        made = []
        for finish in (hn(2026, 3, 5, 9), hn(2026, 3, 27, 9)):
            d = receive(at=hn(2026, 3, 2, 9))
            d = act(d.code, "start_processing", people["counter"], at=hn(2026, 3, 2, 10),
                    assignee_id=people["specialist"].pk)
            d = act(d.code, "handover", people["specialist"], at=hn(2026, 3, 2, 11))
            d = act(d.code, "handover", people["leader"], at=hn(2026, 3, 2, 14))
            made.append(act(d.code, "finish", people["clerk"], at=finish))
    return made


def test_board_and_unit_page_agree(march):
    unit = Unit.objects.get(code="H26.104")
    period = parse_period(PERIOD)
    board = {s.unit.code: s for s in queries.board(queries.DEPARTMENTS, period, now=hn(2026, 6, 1))}
    one = queries.unit_score(unit, period, now=hn(2026, 6, 1))
    assert [(r.indicator.code, r.numerator, r.denominator, r.points) for r in board["H26.104"].rows] == \
           [(r.indicator.code, r.numerator, r.denominator, r.points) for r in one.rows]
    progress = {r.indicator.code: r for r in one.rows}["2.1"]
    assert (progress.numerator, progress.denominator, progress.points) == (1, 2, 10)
    # Communes are ranked apart from departments.
    assert "H26.104" not in {s.unit.code for s in queries.board(queries.COMMUNES, period, now=hn(2026, 6, 1))}


def test_public_ranking_and_open_data_show_the_same_numbers(client, march):
    page = client.get(reverse("scoreboard:ranking"), {"ky": PERIOD})
    assert page.status_code == 200
    html = page.content.decode()
    assert "Sở Tư pháp" in html and "Phường Hoàn Kiếm" in html
    data = json.loads(client.get(reverse("scoreboard:open_json"), {"ky": PERIOD}).content)
    row = next(r for r in data["rows"] if r["unit_code"] == "H26.104" and r["indicator"] == "2.1")
    assert (row["numerator"], row["denominator"], row["points"]) == (1, 2, "10.00")
    assert {d["code"] for d in data["definitions"]} >= {"2.1", "3.3", "5.4"}
    raw = client.get(reverse("scoreboard:open_csv"), {"ky": PERIOD}).content.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(raw)))
    csv_row = next(r for r in rows if r["unit_code"] == "H26.104" and r["indicator"] == "2.1")
    assert (csv_row["numerator"], csv_row["denominator"], csv_row["points"]) == ("1", "2", "10.00")
    estimate = next(r for r in data["rows"] if r["unit_code"] == "H26.104")["estimate_total"]
    assert estimate.replace(".", ",") in html  # the page shows the same total as the open data


def test_bad_period_gets_a_clear_answer(client, city):
    page = client.get(reverse("scoreboard:ranking"), {"ky": "2026-13"})
    assert page.status_code == 400
    assert "Kỳ không hợp lệ" in page.content.decode()
    answer = client.get(reverse("scoreboard:open_json"), {"ky": "abc"})
    assert answer.status_code == 400 and answer.json()["code"] == "SCOREBOARD_BAD_PERIOD"


def test_unit_page_links_to_the_dossiers_behind_only_for_officers_in_scope(client, march, people):
    url = reverse("scoreboard:unit", args=["H26.104"])
    behind = reverse("scoreboard:behind", args=["H26.104", "2.1"])
    assert behind not in client.get(url, {"ky": PERIOD}).content.decode()  # the public sees numbers, not dossiers
    assert client.get(behind, {"ky": PERIOD}).status_code == 302           # sign in first
    client.force_login(people["leader"])
    assert behind in client.get(url, {"ky": PERIOD}).content.decode()
    page = client.get(behind, {"ky": PERIOD})
    late = march[1]
    assert page.status_code == 200
    assert late.code in page.content.decode() and march[0].code not in page.content.decode()
    client.force_login(people["other"])                                     # Sở Xây dựng: not their unit
    assert client.get(behind, {"ky": PERIOD}).status_code == 404
    client.force_login(people["citizen"])
    assert client.get(behind, {"ky": PERIOD}).status_code == 404


def test_exports_carry_the_board_numbers(client, march, people):
    """XLSX and the PDF report (NĐ 30/2020 Đ.8.2 parts, Liberation Serif embedded) show the page's numbers."""
    from openpyxl import load_workbook

    from tests.documents.pdfcheck import fonts, text

    assert client.get(reverse("scoreboard:xlsx"), {"ky": PERIOD}).status_code == 302
    client.force_login(people["leader"])
    book = load_workbook(io.BytesIO(client.get(reverse("scoreboard:xlsx"), {"ky": PERIOD}).content))
    sheet = book["Sở, ban, ngành"]
    header = [c.value for c in sheet[1]]
    row = next(r for r in sheet.iter_rows(min_row=2, values_only=True) if r[1] == "H26.104")
    assert row[header.index("2.1 tử/mẫu")] == "1/2"
    assert "Định nghĩa" in book.sheetnames
    pdf = client.get(reverse("scoreboard:report"), {"ky": PERIOD})
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    words = text(pdf.content)
    # The header's left column (agency, number) is read before its right column (national name, motto, place).
    order = ["ỦY BAN NHÂN DÂN THÀNH PHỐ HÀ NỘI", "Số:", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
             "Độc lập - Tự do - Hạnh phúc", "Hà Nội, ngày", "BÁO CÁO", "Bộ chỉ số 766, kỳ 2026-03", "Sở Tư pháp", "Nơi nhận:", "CHỦ TỊCH"]
    positions = [words.upper().find(w.upper()) for w in order]
    assert all(p >= 0 for p in positions), dict(zip(order, positions, strict=True))
    assert positions == sorted(positions)
    assert fonts(pdf.content) and all(fonts(pdf.content).values())
    assert all("Liberation" in name for name in fonts(pdf.content))


def test_unit_page_shows_the_trend_with_its_data_table(client, march):
    """Each unit's trend as a chart with an accessible data table beside it (same numbers)."""
    from kycuong.scoreboard.queries import trend

    unit = Unit.objects.get(code="H26.104")
    points = trend(unit, months=12, now=hn(2026, 4, 15, 9))
    assert [p["period"] for p in points][-2:] == ["2026-03", "2026-04"]
    march_point = next(p for p in points if p["period"] == "2026-03")
    assert (march_point["dossiers"], march_point["on_time_rate"]) == (2, Decimal("0.5"))
    html = client.get(reverse("scoreboard:unit", args=["H26.104"]), {"ky": PERIOD}).content.decode()
    assert 'id="xu-huong"' in html and "<svg" in html and 'role="img"' in html
    assert "<th scope=\"row\" class=\"govuk-table__header\">2026-03</th>" in html  # the trend ends at the chosen period
    estimate = queries.unit_score(unit, parse_period(PERIOD)).estimate
    # The bar's height on the 180-unit axis, unlocalised (no decimal comma inside SVG).
    assert f'height="{round(180 * float(estimate) / 100, 1)}"' in html


def test_new_indicators_reach_open_data_exports_and_drill_down(client, march, people):
    """1.3, 3.1, 3.2 (catalog) and 5.1–5.3 (reports) go through `_score`, so open data and the XLSX
    carry them; officers drill to the procedures and reports behind them, within scope (docs/legal/decision-766.md §1.2)."""
    from openpyxl import load_workbook

    from kycuong.feedback import services as fb

    report = fb.submit(fb.ReportInput(kind="procedure", procedure_code="HN-DEMO-CC01", title="Giấy tờ thừa",
                                      text="Thủ tục đòi bản sao không có trong quy định."), at=hn(2026, 3, 2, 9))
    fb.act(report.code, "confirm_unit", people["leader"], at=hn(2026, 3, 2, 10))
    fb.act(report.code, "answer", people["leader"], answer="Đã chấn chỉnh.", at=hn(2026, 3, 31, 9))  # late
    from kycuong.scoreboard import services

    services.rebuild()
    data = json.loads(client.get(reverse("scoreboard:open_json"), {"ky": PERIOD}).content)
    mine = {r["indicator"]: r for r in data["rows"] if r["unit_code"] == "H26.104"}
    assert (mine["5.2"]["numerator"], mine["5.2"]["denominator"], mine["5.2"]["points"]) == (0, 1, "0.00")
    assert (mine["5.1"]["numerator"], mine["5.1"]["denominator"], mine["5.1"]["points"]) == (1, 1, None)
    assert mine["1.3"]["denominator"] and mine["3.1"]["denominator"]
    assert {d["code"] for d in data["definitions"]} >= {"1.3", "3.1", "3.2", "5.1", "5.2", "5.3"}
    client.force_login(people["leader"])
    book = load_workbook(io.BytesIO(client.get(reverse("scoreboard:xlsx"), {"ky": PERIOD}).content))
    sheet = book["Sở, ban, ngành"]
    header = [c.value for c in sheet[1]]
    xrow = next(r for r in sheet.iter_rows(min_row=2, values_only=True) if r[1] == "H26.104")
    assert xrow[header.index("5.2 tử/mẫu")] == "0/1"
    page = client.get(reverse("scoreboard:unit", args=["H26.104"]), {"ky": PERIOD}).content.decode()
    assert reverse("scoreboard:behind", args=["H26.104", "5.2"]) in page
    behind = client.get(reverse("scoreboard:behind", args=["H26.104", "5.2"]), {"ky": PERIOD})
    assert behind.status_code == 200 and report.code in behind.content.decode()
    assert client.get(reverse("scoreboard:behind", args=["H26.104", "3.1"]), {"ky": PERIOD}).status_code == 200
    client.force_login(people["other"])  # Sở Xây dựng: not their unit
    assert client.get(reverse("scoreboard:behind", args=["H26.104", "5.2"]), {"ky": PERIOD}).status_code == 404


def test_ranking_exports_cannot_execute(client, march, people):
    """OWASP CSV injection: a unit name typed as a formula stays text in the open-data CSV and the XLSX."""
    from tests.exportcheck import csv_live_cells, xlsx_formulas

    Unit.objects.filter(code="H26.104").update(name='=HYPERLINK("http://x.example","Sở")')
    raw = client.get(reverse("scoreboard:open_csv"), {"ky": PERIOD}).content.decode("utf-8-sig")
    assert csv_live_cells(raw) == [] and "'=HYPERLINK" in raw
    client.force_login(people["leader"])
    assert xlsx_formulas(client.get(reverse("scoreboard:xlsx"), {"ky": PERIOD}).content) == []
