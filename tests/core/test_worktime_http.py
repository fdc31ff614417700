"""The worktime API, CLI and public page over the real calendar tables."""
import json
from datetime import date
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from kycuong.core.models import CalendarOverride

pytestmark = pytest.mark.django_db
URL = "/api/v1/worktime/due"


def get(client, **params):
    return client.get(URL, params)


def test_get_tet_2026(client):
    """docs/legal/working-time.md §8.2, CV 9859/VPCP-KGVX: Tết Bính Ngọ 14–22/02/2026 is skipped whole."""
    r = get(client, start="2026-02-13T09:00:00+07:00", amount="1", unit="working_days")
    assert r.status_code == 200, r.content
    assert r.json() == {
        "start": "2026-02-13T09:00:00+07:00",
        "effective_start": "2026-02-13T09:00:00+07:00",
        "due": "2026-02-23T09:00:00+07:00",
        "working_minutes": 480,
    }


def test_get_answers_in_plus_seven_whatever_the_input_offset(client):
    r = get(client, start="2026-03-02T02:00:00Z", amount="2", unit="working_hours")
    assert r.json()["start"] == "2026-03-02T09:00:00+07:00"
    assert r.json()["due"] == "2026-03-02T11:00:00+07:00"


def test_get_cutoff_moves_start_to_next_working_day(client):
    """docs/legal/working-time.md §2.3: a dossier received after 15:00 counts from the next working day (per procedure)."""
    r = get(client, start="2026-03-02T15:30:00+07:00", amount="0.5", unit="working_days", cutoff="15:00")
    assert r.json()["effective_start"] == "2026-03-03T08:00:00+07:00"
    assert r.json()["due"] == "2026-03-03T12:00:00+07:00"


def test_post_with_a_pause(client):
    """docs/legal/decision-766.md §1.4, docs/legal/one-stop.md §2.2: the supplement time is excluded; the clock resumes with what was left."""
    body = {
        "start": "2026-03-02T08:00:00+07:00", "amount": 2, "unit": "working_days",
        "pauses": [["2026-03-02T13:00:00+07:00", "2026-03-04T13:00:00+07:00"]],
    }
    r = client.post(URL, body, content_type="application/json")
    assert r.status_code == 200, r.content
    assert r.json()["due"] == "2026-03-05T17:00:00+07:00"
    assert r.json()["working_minutes"] == 960


def test_unit_code_uses_the_units_own_windows(client):
    from tests.factories import CommuneFactory, UnitFactory

    city = UnitFactory(city=True, work_windows="07:30-11:30,13:30-17:30")
    ward = CommuneFactory(parent=city)  # no windows of its own: inherits the city's
    r = get(client, start="2026-03-02T07:00:00+07:00", amount="8", unit="working_hours", unit_code=ward.code)
    assert r.json()["effective_start"] == "2026-03-02T07:30:00+07:00"
    assert r.json()["due"] == "2026-03-02T17:30:00+07:00"


@pytest.mark.parametrize(
    "params, code",
    [
        ({"start": "2026-03-02T08:00:00+07:00", "amount": "1", "unit": "weeks"}, "WT_UNKNOWN_UNIT"),
        ({"start": "2026-03-02T08:00:00+07:00", "amount": "-1", "unit": "working_days"}, "WT_NEGATIVE_AMOUNT"),
        ({"start": "2026-03-02T08:00:00", "amount": "1", "unit": "working_days"}, "WT_NAIVE_DATETIME"),
        ({"start": "02/03/2026 08:00", "amount": "1", "unit": "working_days"}, "WT_BAD_DATETIME"),
        ({"start": "2026-03-02T08:00:00+07:00", "amount": "abc", "unit": "working_days"}, "WT_BAD_AMOUNT"),
        ({"start": "2026-03-02T08:00:00+07:00", "amount": "0.3", "unit": "working_days"}, "WT_AMOUNT_GRANULARITY"),
        ({"start": "2026-03-02T08:00:00+07:00", "amount": "1", "unit": "working_days", "cutoff": "25:99"}, "WT_BAD_CUTOFF"),
        ({"start": "2026-03-02T08:00:00+07:00", "unit": "working_days"}, "VALIDATION_FAILED"),
    ],
)
def test_bad_input_answers_422_with_a_stable_code(client, params, code):
    r = get(client, **params)
    assert r.status_code == 422
    assert r.json()["code"] == code
    assert r.json()["message"]


@pytest.mark.parametrize(
    "pauses, code",
    [
        ([["2026-03-01T08:00:00+07:00", "2026-03-02T09:00:00+07:00"]], "WT_PAUSE_OUTSIDE_PERIOD"),
        ([["2026-04-01T08:00:00+07:00", "2026-04-02T09:00:00+07:00"]], "WT_PAUSE_OUTSIDE_PERIOD"),
        ([["2026-03-02T10:00:00+07:00", "2026-03-02T09:00:00+07:00"]], "WT_PAUSE_INVALID"),
        ([["2026-03-02T10:00:00", "2026-03-02T11:00:00+07:00"]], "WT_NAIVE_DATETIME"),
        ([["2026-03-02T10:00:00+07:00"]], "WT_PAUSE_INVALID"),
    ],
)
def test_bad_pauses_answer_422(client, pauses, code):
    body = {"start": "2026-03-02T08:00:00+07:00", "amount": 2, "unit": "working_days", "pauses": pauses}
    r = client.post(URL, body, content_type="application/json")
    assert r.status_code == 422, r.content
    assert r.json()["code"] == code


def test_unknown_unit_code_is_404(client):
    r = get(client, start="2026-03-02T08:00:00+07:00", amount="1", unit="working_days", unit_code="H99.999")
    assert r.status_code == 404
    assert r.json()["code"] == "CORE_UNIT_NOT_FOUND"


def test_openapi_documents_the_endpoint(client):
    spec = client.get("/api/v1/openapi.json").json()
    assert spec["openapi"].startswith("3.1")
    assert "/api/v1/worktime/due" in spec["paths"]
    assert {"get", "post"} <= set(spec["paths"]["/api/v1/worktime/due"])


def test_an_admin_edit_of_the_override_table_is_seen_at_once(client):
    """docs/legal/working-time.md §8.1: each year's swaps are announced late; admins add them and due dates follow."""
    params = {"start": "2026-03-02T08:00:00+07:00", "amount": "2", "unit": "working_days"}
    assert get(client, **params).json()["due"] == "2026-03-03T17:00:00+07:00"
    CalendarOverride.objects.create(date=date(2026, 3, 3), kind="day_off", name="Nghỉ thử nghiệm")
    assert get(client, **params).json()["due"] == "2026-03-04T17:00:00+07:00"


def test_seeded_overrides_match_the_shared_file():
    """The migration seeds every official swap day of shared/data/vn-calendar-overrides.json."""
    from django.conf import settings

    rows = json.loads(settings.KYCUONG_CALENDAR_OVERRIDES_FILE.read_text(encoding="utf-8"))["days"]
    assert {(r["date"], r["kind"]) for r in rows} == {
        (o.date.isoformat(), o.kind) for o in CalendarOverride.objects.all()
    }


def test_cli_prints_the_same_answer_as_the_api():
    out = StringIO()
    call_command("due", start="2026-02-13T09:00:00+07:00", amount="1", unit="working_days", explain=True, stdout=out)
    lines = out.getvalue().splitlines()
    assert json.loads(lines[0])["due"] == "2026-02-23T09:00:00+07:00"
    assert any(line.startswith("2026-02-17") and "holiday" in line for line in lines[1:])


def test_cli_pause_and_bad_input():
    out = StringIO()
    call_command("due", start="2026-03-02T08:00:00+07:00", amount="2", unit="working_days",
                 pause=["2026-03-02T13:00:00+07:00/2026-03-04T13:00:00+07:00"], stdout=out)
    assert json.loads(out.getvalue())["due"] == "2026-03-05T17:00:00+07:00"
    with pytest.raises(CommandError, match="WT_NEGATIVE_AMOUNT"):
        call_command("due", start="2026-03-02T08:00:00+07:00", amount="-1", unit="working_days")


def test_public_page_lists_skipped_days_with_reasons(client):
    r = client.get("/tinh-han/", {"date": "2026-02-13", "time": "09:00", "amount": "1", "unit": "working_days"})
    html = r.content.decode()
    assert r.status_code == 200
    assert "09:00 Thứ Hai, 23/02/2026" in html
    assert "17/02/2026" in html and "Ngày lễ, Tết" in html


def test_public_page_shows_makeup_saturday_as_counted(client):
    """docs/legal/working-time.md §8.2, CV 12729/VPCP-KGVX: Sat 10/01/2026 is worked, Fri 02/01/2026 is off."""
    r = client.get("/tinh-han/", {"date": "2025-12-31", "time": "08:00", "amount": "8", "unit": "working_days"})
    html = r.content.decode()
    assert "17:00 Thứ Hai, 12/01/2026" in html
    assert "02/01/2026" in html and "Ngày nghỉ hoán đổi" in html
    assert "10/01/2026" in html and "Ngày làm bù" in html


def test_public_page_error_summary(client):
    r = client.get("/tinh-han/", {"date": "2026-02-13", "time": "09:00", "amount": "-2", "unit": "working_days"})
    html = r.content.decode()
    assert "govuk-error-summary" in html and "Thời hạn không được là số âm" in html


def test_load_next_years_announcement_from_a_file(tmp_path):
    """docs/legal/working-time.md §8.1: each year the PM's swaps are announced; admins load them as data."""
    f = tmp_path / "2027.json"
    f.write_text(json.dumps({"days": [
        {"date": "2027-02-13", "kind": "makeup_workday", "name": "Làm bù thử", "basis": "CV thử"},
        {"date": "2026-01-02", "kind": "day_off", "name": "Tên mới", "basis": "CV 12729/VPCP-KGVX"},
    ]}), encoding="utf-8")
    out = StringIO()
    call_command("load_calendar_overrides", str(f), stdout=out)
    assert out.getvalue().strip() == "created=1 updated=1"
    assert CalendarOverride.objects.get(date=date(2026, 1, 2)).name == "Tên mới"


def test_a_bad_calendar_file_changes_nothing(tmp_path):
    f = tmp_path / "bad.json"
    f.write_text(json.dumps({"days": [
        {"date": "2027-02-13", "kind": "makeup_workday", "name": "ok"},
        {"date": "2027-13-45", "kind": "day_off", "name": "bad date"},
    ]}), encoding="utf-8")
    before = CalendarOverride.objects.count()
    with pytest.raises(CommandError, match="CORE_BAD_CALENDAR_ROW"):
        call_command("load_calendar_overrides", str(f))
    assert CalendarOverride.objects.count() == before


def test_vietnamese_decimal_comma_is_accepted(client):
    r = get(client, start="2026-03-02T08:00:00+07:00", amount="0,5", unit="working_days")
    assert r.status_code == 200 and r.json()["due"] == "2026-03-02T12:00:00+07:00"
