"""Pages of the discipline score: the public ranking and its open data agree; the leadership dashboard is
for overseers only, in their scope; Vietnamese and English."""
import csv
import io
import json

import pytest
from django.urls import reverse

from kycuong.discipline.models import Directive, Task
from kycuong.scoreboard.discipline import queries as dq
from kycuong.scoreboard import queries

from .conftest import hn
from .test_discipline_queries import justice, rated, records  # noqa: F401


def test_public_ranking_and_open_data_agree(client, rated):
    page = client.get(reverse("scoreboard:discipline"), {"ky": "2026-03"})
    assert page.status_code == 200
    html = page.content.decode()
    assert "Điểm kỷ cương" in html and "Sở Tư pháp" in html and "Phường Hoàn Kiếm" in html
    assert "suy luận" in html                       # the inferred SIPAS formula is said on the page
    assert "Cán bộ 1" not in html                   # never a person's name on the public page
    data = json.loads(client.get(reverse("scoreboard:discipline_json"), {"ky": "2026-03"}).content)
    row = next(r for r in data["rows"] if r["unit_code"] == "H26.104")
    board = dq.discipline_board(queries.DEPARTMENTS, queries.parse_period("2026-03"))
    assert row["rank"] == next(r.rank for r in board if r.unit.code == "H26.104")
    assert row["complaints_numerator"] == 2 and row["officials"] == 10
    assert row["score"].replace(".", ",") in html
    assert data["sipas_formula"] == "inferred" and data["weights"]["index766"] == "30"
    assert {d["component"] for d in data["definitions"]} == {"index766", "sipas", "tasks", "feedback", "complaints", "meetings"}
    raw = client.get(reverse("scoreboard:discipline_csv"), {"ky": "2026-03"}).content.decode("utf-8-sig")
    csv_row = next(r for r in csv.DictReader(io.StringIO(raw)) if r["unit_code"] == "H26.104")
    assert csv_row["score"] == row["score"] and csv_row["meetings_numerator"] == "3"


def test_public_ranking_in_english(client, rated):
    client.cookies["kycuong_lang"] = "en"
    html = client.get(reverse("scoreboard:discipline"), {"ky": "2026-03"}).content.decode()
    assert "Discipline score of departments and communes" in html and "Components and weights" in html
    assert "Điểm kỷ cương" not in html


def test_bad_period(client, city):
    assert client.get(reverse("scoreboard:discipline"), {"ky": "2026-13"}).status_code == 400
    answer = client.get(reverse("scoreboard:discipline_json"), {"ky": "x"})
    assert answer.status_code == 400 and answer.json()["code"] == "SCOREBOARD_BAD_PERIOD"


def test_ranking_page_links_to_the_discipline_score(client, people):
    html = client.get(reverse("scoreboard:ranking")).content.decode()
    assert reverse("scoreboard:discipline") in html and reverse("scoreboard:dashboard") not in html
    client.force_login(people["specialist"])                # an officer without oversight: no dashboard link
    assert reverse("scoreboard:dashboard") not in client.get(reverse("scoreboard:ranking")).content.decode()
    client.force_login(people["leader"])
    assert reverse("scoreboard:dashboard") in client.get(reverse("scoreboard:ranking")).content.decode()
    assert reverse("scoreboard:dashboard") in client.get(reverse("scoreboard:discipline")).content.decode()


@pytest.fixture
def overdue(rated, people, receive):
    """One more open dossier of Sở Tư pháp (all past their appointment by now); an overdue task of Sở Xây dựng."""
    d = receive(at=hn(2026, 3, 2, 9))
    directive = Directive.objects.get()
    from kycuong.core.models import Unit

    Task.objects.create(directive=directive, unit=Unit.objects.get(code="H26.105"), title="x", due_at=hn(2026, 3, 1, 17))
    return d


def test_dashboard_access(client, overdue, people, make_officer):
    url = reverse("scoreboard:dashboard")
    assert client.get(url).status_code == 302                               # anonymous: sign in first
    client.force_login(people["citizen"])
    assert client.get(url).status_code == 404                               # a citizen never sees it
    client.force_login(people["specialist"])
    assert client.get(url).status_code == 404                               # an officer without oversight neither
    client.force_login(people["leader"])
    assert client.get(url, {"ky": "2026-03"}).status_code == 200
    inspector = make_officer(make_officer.Role.INSPECTOR, "H26.115")
    client.force_login(inspector)
    assert client.get(url).status_code == 200


def test_dashboard_shows_the_leaders_scope_only(client, overdue, people, make_officer):
    client.force_login(people["leader"])                                     # Sở Tư pháp
    ctx = client.get(reverse("scoreboard:dashboard"), {"ky": "2026-03"}).context
    # Four dossiers received on 2 March 2026 (three rated, one more), all still open and past their appointment.
    assert ctx["dossiers_total"] == 4 and [b["code"] for b in ctx["dossiers"]["bars"]] == ["H26.104"]
    assert ctx["tasks_total"] == 2                                            # tasks c and d: open, past due today
    assert {b["code"] for b in ctx["tasks"]["bars"]} == {"H26.104"}          # not Sở Xây dựng's task
    events = {b["key"]: b["count"] for b in ctx["events"]["bars"]}
    assert events["founded"] == 2 and events["meeting_violations"] == 3
    html = client.get(reverse("scoreboard:dashboard"), {"ky": "2026-03"}).content.decode()
    assert "?clock=overdue" in html and "<svg" in html and "<table" in html
    city_leader = make_officer(make_officer.Role.CITY_LEADERSHIP, "H26")
    client.force_login(city_leader)
    ctx = client.get(reverse("scoreboard:dashboard"), {"ky": "2026-03"}).context
    assert {b["code"] for b in ctx["tasks"]["bars"]} == {"H26.104", "H26.105"}


def test_dashboard_in_english(client, overdue, people):
    client.force_login(people["leader"])
    client.cookies["kycuong_lang"] = "en"
    html = client.get(reverse("scoreboard:dashboard"), {"ky": "2026-03"}).content.decode()
    assert "Leadership dashboard" in html and "Overdue dossiers" in html


def test_weights_in_the_back_office_are_add_only_and_record_who(client, city, make_officer):
    from datetime import date

    from kycuong.scoreboard.models import DisciplineWeights

    admin_user = make_officer(make_officer.Role.ADMINISTRATOR, "H26", is_staff=True, is_superuser=True)
    client.force_login(admin_user)
    add = reverse("admin:scoreboard_disciplineweights_add")
    form = {"effective_from": "2026-01-01", "index766": "40", "sipas": "20", "tasks": "10", "feedback": "10",
            "complaints": "10", "meetings": "10", "complaints_cap": "10", "meetings_cap": "20", "reason": "KH 12/KH-UBND"}
    assert client.post(add, form).status_code == 302
    row = DisciplineWeights.objects.get()
    assert row.created_by == admin_user and row.effective_from == date(2026, 1, 1) and row.index766 == 40
    again = client.post(add, {**form, "index766": "50"})                  # same date: refused, with the reason
    assert again.status_code == 200 and "Đã có bộ trọng số" in again.content.decode()
    bad = client.post(add, {**form, "effective_from": "2026-02-01", "sipas": "120"})
    assert bad.status_code == 200 and DisciplineWeights.objects.count() == 1
    change = reverse("admin:scoreboard_disciplineweights_change", args=[row.pk])
    client.post(change, {**form, "index766": "90"})
    row.refresh_from_db()
    assert row.index766 == 40                                               # never edited
    assert client.post(reverse("admin:scoreboard_disciplineweights_delete", args=[row.pk]), {"post": "yes"}).status_code == 403


def test_the_sipas_formula_is_pluggable(client, rated, settings):
    from kycuong.scoreboard.discipline import queries as dq
    from kycuong.scoreboard import queries

    settings.KYCUONG_SIPAS_FORMULA = "kycuong.scoreboard.discipline.score.sipas_pooled_share"
    row = next(r for r in dq.discipline_board(queries.DEPARTMENTS, queries.parse_period("2026-03"), now=hn(2026, 6, 1))
               if r.unit.code == "H26.104")
    assert row.components["sipas"].raw * 9 == 700                          # 7 of 9 answers pooled
    data = client.get(reverse("scoreboard:discipline_json"), {"ky": "2026-03"}).json()
    assert data["sipas_formula"] == "configured"
    assert "Công thức SIPAS ở đây là suy luận" not in client.get(reverse("scoreboard:discipline"), {"ky": "2026-03"}).content.decode()


def test_discipline_open_data_csv_cannot_execute(client, rated):
    """OWASP CSV injection: a unit name typed as a formula stays text in the open-data CSV."""
    from kycuong.core.models import Unit
    from tests.exportcheck import csv_live_cells

    Unit.objects.filter(code="H26.104").update(name="=1+2")
    raw = client.get(reverse("scoreboard:discipline_csv"), {"ky": "2026-03"}).content.decode("utf-8-sig")
    assert csv_live_cells(raw) == [] and "'=1+2" in raw
