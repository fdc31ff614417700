"""The API fuzzed (issue 18): schemathesis generates requests for every operation of /api/v1/openapi.json and
checks each answer: no 500, a documented status code, the documented content type, a body matching its schema."""
import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from kycuong.wsgi import application

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)


@pytest.fixture
def fuzz_city(demo_city_with_catalog):
    # A WSGI request ends with close_old_connections, which drops the test transaction's connection; the
    # Django test client disconnects it for the same reason.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield demo_city_with_catalog
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


FUZZ = settings(max_examples=25, deadline=None, derandomize=True, database=None,
                suppress_health_check=list(HealthCheck))


@schema.parametrize()
@FUZZ
def test_anonymous(case, fuzz_city):
    case.call_and_validate(checks=CHECKS)


@pytest.fixture
def city_leader_token(fuzz_city):
    from kycuong.core.tokens import issue_token
    from tests.factories import CityLeaderFactory

    leader = CityLeaderFactory(unit=fuzz_city.get(code="H26"))
    return issue_token(leader, "fuzz")[1]


@schema.parametrize()
@FUZZ
def test_city_leader(case, city_leader_token):
    case.call_and_validate(headers={"Authorization": f"Bearer {city_leader_token}"}, checks=CHECKS)
