"""The records behind each number of the discipline score ("every number on the board links to the
list of records behind it"): the list is the component's own selection, so its length is the number shown;
officers in scope only, as for the 766 board's records; Vietnamese and English."""
import re

import pytest
from django.urls import reverse

from kycuong.discipline.models import Attendance
from kycuong.feedback.models import Conclusion, Kind
from kycuong.scoreboard.discipline import queries as dq
from kycuong.scoreboard.discipline import score as ds
from kycuong.scoreboard import queries

from .conftest import hn
from .test_discipline_queries import LATER, MARCH, _report, justice, rated, records  # noqa: F401


def _row(code="H26.104", now=LATER):
    return next(r for r in dq.discipline_board(queries.DEPARTMENTS, MARCH, now=now) if r.unit.code == code)


def _behind(component, user, now=LATER, code="H26.104"):
    unit = _row(code, now).unit
    return list(dq.records_behind(component, unit, MARCH, user, now))


def _reasons(component, records, now=LATER):
    return sorted(dq.reason(component, r, now) for r in records)


def test_each_list_is_the_number_it_explains(rated, people):
    row, leader = _row(), people["leader"]
    c = row.components
    # SIPAS (docs/legal/reform.md §4.1, ⚠️ inferred formula): the ratings with an answer; their answered factors = answers.
    ratings = _behind(ds.SIPAS, leader)
    assert len(ratings) == 2
    assert sum(v is not None for r in ratings for v in r.scores().values()) == c["sipas"].denominator == 9
    # Tasks (discipline.queries.on_time_rate rule): every task counted, one on time.
    tasks = _behind(ds.TASKS, leader)
    assert len(tasks) == c["tasks"].denominator == 3
    assert _reasons(ds.TASKS, tasks) == ["late", "on_time", "overdue_open"]
    assert _reasons(ds.TASKS, tasks).count("on_time") == c["tasks"].numerator
    # Feedback (docs/legal/decision-766.md §1.2 row 5.2, QĐ 766): reports ended in March; handled on time, refused in time, late.
    reports = _behind(ds.FEEDBACK, leader)
    assert len(reports) == c["feedback"].denominator == 3
    assert _reasons(ds.FEEDBACK, reports) == ["late", "on_time", "on_time"]
    assert _reasons(ds.FEEDBACK, reports).count("on_time") == c["feedback"].numerator
    # Founded complaints: the two concluded founded / partly founded in March, for the unit concerned.
    founded = _behind(ds.COMPLAINTS, leader)
    assert len(founded) == c["complaints"].numerator == 2
    assert _reasons(ds.COMPLAINTS, founded) == sorted([Conclusion.FOUNDED, Conclusion.PARTLY_FOUNDED])
    # Meeting violations (QĐ 45/2018/QĐ-TTg Đ.15): absent unreported, late, left without consent.
    violations = _behind(ds.MEETINGS, leader)
    assert len(violations) == c["meetings"].numerator == 3
    assert _reasons(ds.MEETINGS, violations) == sorted(
        [Attendance.ABSENT_UNREPORTED, Attendance.LATE, Attendance.LEFT_UNREPORTED])
    # The per-100 denominator is recounted from the same officials.
    summary = dq.summary(ds.MEETINGS, dq.records_behind(ds.MEETINGS, row.unit, MARCH, leader, LATER), row.unit,
                         leader, LATER)
    assert summary["officials"] == row.officials == 10


def test_open_overdue_report_is_listed_as_overdue_and_counted_late(justice, people):
    # docs/legal/decision-766.md §1.2 row 5.2 (QĐ 766) + §1.4: still open past the handling deadline in the current period ⇒ late,
    # judged at `now` even before the periodic job marks it overdue.
    _report(50, justice["dept"], handle_due_at=hn(2026, 3, 20, 17))
    now = hn(2026, 3, 25, 9)
    row = _row(now=now)
    listed = _behind(ds.FEEDBACK, people["leader"], now=now)
    assert (row.components["feedback"].numerator, row.components["feedback"].denominator) == (0, 1)
    assert len(listed) == 1 and dq.reason(ds.FEEDBACK, listed[0], now) == "overdue_open"


def _numbers_on_page(html):
    """Rows of the records table (one <tr> per record in the body)."""
    body = html.split('<tbody class="govuk-table__body">', 1)[1].split("</tbody>", 1)[0]
    return len(re.findall(r"<tr class=\"govuk-table__row\">", body))


@pytest.mark.parametrize("component,expected", [
    (ds.SIPAS, 2), (ds.TASKS, 3), (ds.FEEDBACK, 3), (ds.COMPLAINTS, 2), (ds.MEETINGS, 3)])
def test_each_page_lists_what_the_ranking_shows(client, rated, people, component, expected):
    client.force_login(people["leader"])
    board = next(r for r in dq.discipline_board(queries.DEPARTMENTS, MARCH) if r.unit.code == "H26.104")
    shown = board.components[component]
    page = client.get(reverse("scoreboard:discipline_behind", args=["H26.104", component]), {"ky": "2026-03"})
    assert page.status_code == 200
    html = page.content.decode()
    assert _numbers_on_page(html) == expected == page.context["summary"]["records"]
    if component in (ds.TASKS, ds.FEEDBACK):
        assert expected == shown.denominator and page.context["summary"]["on_time"] == shown.numerator
    elif component == ds.SIPAS:
        assert page.context["summary"]["answers"] == shown.denominator
    else:
        assert expected == shown.numerator and page.context["summary"]["officials"] == shown.denominator
    for item in page.context["items"]:
        assert item["url"] in html                 # each record links to its own page
    assert "Hoàng Thị Mai" not in html              # no citizen's name (the ratings' author, the applicant)


def test_access_is_the_766_drill_downs(client, rated, people):
    url = reverse("scoreboard:discipline_behind", args=["H26.104", ds.MEETINGS])
    anonymous = client.get(url, {"ky": "2026-03"})
    assert anonymous.status_code == 302 and "next=" in anonymous["Location"]
    client.force_login(people["citizen"])
    assert client.get(url).status_code == 404
    client.force_login(people["other"])                 # an officer of Sở Xây dựng: outside the scope
    assert client.get(url).status_code == 404
    assert client.get(reverse("scoreboard:behind", args=["H26.104", "2.1"])).status_code == 404  # same rule
    client.force_login(people["specialist"])             # an officer of Sở Tư pháp
    assert client.get(url, {"ky": "2026-03"}).status_code == 200
    assert client.get(reverse("scoreboard:discipline_behind", args=["H26.105", ds.MEETINGS])).status_code == 404
    assert client.get(reverse("scoreboard:discipline_behind", args=["H26.104", "nope"])).status_code == 404
    # index766: its records are the 766 board's, behind the unit's own page.
    index = client.get(reverse("scoreboard:discipline_behind", args=["H26.104", ds.INDEX766]), {"ky": "2026-03"})
    assert index.status_code == 302 and index["Location"].startswith(reverse("scoreboard:unit", args=["H26.104"]))


def test_ranking_links_numbers_only_for_officers_who_may_see_them(client, rated, people):
    ranking = reverse("scoreboard:discipline")
    mine = reverse("scoreboard:discipline_behind", args=["H26.104", ds.MEETINGS])
    html = client.get(ranking, {"ky": "2026-03"}).content.decode()
    assert "/bang-diem/ky-cuong/H26" not in html         # the public sees plain numbers
    client.force_login(people["citizen"])
    assert "/bang-diem/ky-cuong/H26" not in client.get(ranking, {"ky": "2026-03"}).content.decode()
    client.force_login(people["leader"])
    html = client.get(ranking, {"ky": "2026-03"}).content.decode()
    assert f"{mine}?ky=2026-03" in html
    assert reverse("scoreboard:discipline_behind", args=["H26.105", ds.MEETINGS]) not in html
    client.force_login(people["other"])
    html = client.get(ranking, {"ky": "2026-03"}).content.decode()
    assert mine not in html and reverse("scoreboard:discipline_behind", args=["H26.105", ds.TASKS]) in html


def test_long_lists_are_paged(client, justice, people):
    for i in range(55):
        _report(200 + i, justice["dept"], kind=Kind.CONDUCT, named_unit=justice["dept"],
                conclusion=Conclusion.FOUNDED, concluded_at=hn(2026, 3, 20, 9))
    client.force_login(people["leader"])
    url = reverse("scoreboard:discipline_behind", args=["H26.104", ds.COMPLAINTS])
    first = client.get(url, {"ky": "2026-03"})
    assert len(first.context["items"]) == 50 and first.context["summary"]["records"] == 55
    assert "page=2" in first.content.decode()
    second = client.get(url, {"ky": "2026-03", "page": "2"})
    assert len(second.context["items"]) == 5
    assert not {i["record"].pk for i in first.context["items"]} & {i["record"].pk for i in second.context["items"]}


def test_vietnamese_and_english(client, rated, people):
    client.force_login(people["leader"])
    url = reverse("scoreboard:discipline_behind", args=["H26.104", ds.TASKS])
    html = client.get(url, {"ky": "2026-03"}).content.decode()
    assert "các bản ghi được tính" in html and "Quá hạn, chưa hoàn thành" in html and "3 nhiệm vụ" in html
    client.cookies["kycuong_lang"] = "en"
    html = client.get(url, {"ky": "2026-03"}).content.decode()
    assert "records counted" in html and "Overdue, not completed" in html and "3 tasks" in html
    assert "các bản ghi được tính" not in html and "Quá hạn" not in html
    html = client.get(reverse("scoreboard:discipline_behind", args=["H26.104", ds.MEETINGS]),
                      {"ky": "2026-03"}).content.decode()
    assert "violations" in html and "Denominator: 10 active officials." in html
    assert "Vắng họp" not in html and "Mẫu số" not in html
