"""The public ranking is rendered once and shared (issue 14: /bang-diem/ fast under load): a second visit
reads no counters; a change to the counters reaches the page within the freshness window; no ranking is
older than its maximum age; open data shares the same rule."""
import time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kycuong.onestop.services import act
from kycuong.scoreboard import board_cache

from .conftest import hn

PERIOD = "2026-03"


def _counter_reads(client, url, **params):
    with CaptureQueriesContext(connection) as queries:
        page = client.get(url, params)
    assert page.status_code == 200
    return page, sum("scoreboard_counter" in q["sql"] for q in queries.captured_queries)


def _finished_in_march(receive, people, finish):
    d = receive(at=hn(2026, 3, 2, 9))
    d = act(d.code, "start_processing", people["counter"], at=hn(2026, 3, 2, 10), assignee_id=people["specialist"].pk)
    d = act(d.code, "handover", people["specialist"], at=hn(2026, 3, 2, 11))
    d = act(d.code, "handover", people["leader"], at=hn(2026, 3, 2, 14))
    return act(d.code, "finish", people["clerk"], at=finish)


@pytest.fixture
def one_finished(receive, people, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _finished_in_march(receive, people, hn(2026, 3, 5, 9))


def test_a_second_visit_reads_no_counters(client, one_finished):
    url = reverse("scoreboard:ranking")
    first, reads = _counter_reads(client, url, ky=PERIOD)
    assert reads > 0
    second, reads = _counter_reads(client, url, ky=PERIOD)
    assert reads == 0
    assert "Sở Tư pháp" in second.content.decode() and "Số liệu tính lúc" in second.content.decode()
    # Another period, profile or language is its own rendering.
    assert _counter_reads(client, url, ky="2026-02")[1] > 0
    assert _counter_reads(client, url, ky=PERIOD, ho="full_online")[1] > 0


def test_a_change_to_the_counters_reaches_the_page(client, settings, receive, people, one_finished,
                                                   django_capture_on_commit_callbacks):
    settings.KYCUONG_SCOREBOARD_FRESH_SECONDS = 0  # no grace: the next visit after a change renders again
    url = reverse("scoreboard:ranking")
    assert _counter_reads(client, url, ky=PERIOD)[1] > 0
    assert _counter_reads(client, url, ky=PERIOD)[1] == 0
    before = board_cache.version()
    with django_capture_on_commit_callbacks(execute=True):  # the counters move after commit
        _finished_in_march(receive, people, hn(2026, 3, 27, 9))
    assert board_cache.version() != before
    assert _counter_reads(client, url, ky=PERIOD)[1] > 0


def test_within_the_freshness_window_a_change_waits(client, settings, one_finished):
    settings.KYCUONG_SCOREBOARD_FRESH_SECONDS = 60
    url = reverse("scoreboard:ranking")
    _counter_reads(client, url, ky=PERIOD)
    board_cache.changed()
    assert _counter_reads(client, url, ky=PERIOD)[1] == 0  # a burst of changes costs one render per window


def test_no_ranking_outlives_its_maximum_age(client, settings, one_finished):
    settings.KYCUONG_SCOREBOARD_MAX_AGE_SECONDS = 1  # the live parts change with the clock alone
    url = reverse("scoreboard:ranking")
    _counter_reads(client, url, ky=PERIOD)
    assert _counter_reads(client, url, ky=PERIOD)[1] == 0
    time.sleep(1.1)
    assert _counter_reads(client, url, ky=PERIOD)[1] > 0


def test_open_data_is_shared_the_same_way(client, one_finished):
    url = reverse("scoreboard:open_json")
    first, reads = _counter_reads(client, url, ky=PERIOD)
    assert reads > 0
    second, reads = _counter_reads(client, url, ky=PERIOD)
    assert reads == 0 and second.json()["rows"] == first.json()["rows"]
    assert _counter_reads(client, reverse("scoreboard:open_csv"), ky=PERIOD)[1] == 0  # same rows as the JSON


def test_maximum_age_zero_turns_sharing_off(client, settings, one_finished):
    settings.KYCUONG_SCOREBOARD_MAX_AGE_SECONDS = 0
    url = reverse("scoreboard:ranking")
    _counter_reads(client, url, ky=PERIOD)
    assert _counter_reads(client, url, ky=PERIOD)[1] > 0
