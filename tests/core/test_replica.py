"""Which reads go to the replica (core.replica, issue 14): the public scoreboard, open data and lookup, on
GET, unless this browser wrote a moment ago; sessions and sign-in never; writes never. The real replica is
exercised end to end by the cluster test (benchmarks/cluster.py)."""
import pytest
from django.contrib.sessions.models import Session
from django.http import HttpResponse
from django.test import RequestFactory

from kycuong.core import replica
from kycuong.scoreboard.models import Counter

# The fixture adds a "replica" alias to settings only: the rule and the router read nothing else.
pytestmark = pytest.mark.filterwarnings("ignore:Overriding setting DATABASES")



@pytest.fixture
def with_replica(settings):
    settings.DATABASES = {**settings.DATABASES, "replica": dict(settings.DATABASES["default"])}


@pytest.mark.parametrize(("method", "path", "cookie", "expected"), [
    ("GET", "/bang-diem/", False, True),
    ("GET", "/bang-diem/mo/du-lieu.json", False, True),
    ("HEAD", "/api/v1/lookup/H26.104-261121-0001", False, True),
    ("GET", "/tra-cuu/", False, True),
    ("GET", "/bang-diem/", True, False),       # this browser wrote a moment ago: its own writes first
    ("POST", "/tra-cuu/", False, False),       # a write request reads where it writes
    ("GET", "/mot-cua/", False, False),        # officers' work pages read the primary
    ("GET", "/", False, False),
])
def test_the_rule(with_replica, method, path, cookie, expected):
    request = RequestFactory().generic(method, path)
    if cookie:
        request.COOKIES[replica.PRIMARY_COOKIE] = "1"
    assert replica.reads_on_replica(request) is expected


def test_without_a_replica_everything_reads_the_primary():
    assert not replica.configured()
    assert replica.reads_on_replica(RequestFactory().get("/bang-diem/")) is False


def test_the_router_sends_only_the_chosen_requests_reads_to_the_replica(with_replica):
    router, seen = replica.ReplicaRouter(), {}

    def view(request):
        seen["counter"] = router.db_for_read(Counter)
        seen["session"] = router.db_for_read(Session)
        seen["write"] = router.db_for_write(Counter)
        return HttpResponse()

    replica.ReplicaMiddleware(view)(RequestFactory().get("/bang-diem/"))
    assert seen == {"counter": "replica", "session": None, "write": "default"}
    replica.ReplicaMiddleware(view)(RequestFactory().get("/mot-cua/"))
    assert seen["counter"] is None
    assert router.db_for_read(Counter) is None  # nothing leaks past the request
    assert router.allow_migrate("replica", "scoreboard") is False and router.allow_migrate("default", "scoreboard")


def test_a_write_sends_the_same_browsers_reads_to_the_primary_for_a_while(with_replica, settings):
    settings.KYCUONG_READ_YOUR_WRITES_SECONDS = 10
    response = replica.ReplicaMiddleware(lambda r: HttpResponse())(RequestFactory().post("/tra-cuu/"))
    cookie = response.cookies[replica.PRIMARY_COOKIE]
    assert cookie["max-age"] == 10 and cookie["httponly"]
    response = replica.ReplicaMiddleware(lambda r: HttpResponse())(RequestFactory().get("/bang-diem/"))
    assert replica.PRIMARY_COOKIE not in response.cookies
