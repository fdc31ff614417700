"""The API fuzzed (issue 18): schemathesis generates requests for every operation of /api/v1/openapi.json and
checks each answer: no 500, a documented status code, the documented content type, a body matching its schema.
25 examples per operation, derandomized (Hypothesis's fixed seed) so a CI failure reproduces; anonymous, with a
city leader's token, and along the links schemathesis infers (stateful). Never weaken a check to pass: fix the
handler, or document the answer (`response={...}`)."""
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


def test_stateful_city_leader(city_leader_token):
    """Schemathesis's stateful phase: sequences of calls along the links it infers from the schema (an
    answer's `code` or `id` fed into the operations that take one), with the same checks."""
    token = city_leader_token

    class Machine(schema.as_state_machine()):
        def get_call_kwargs(self, case):
            return {"headers": {"Authorization": f"Bearer {token}"}}

        def validate_response(self, response, case, additional_checks=(), **kwargs):
            case.validate_response(response, checks=CHECKS)

    Machine.run(settings=settings(max_examples=15, stateful_step_count=5, deadline=None, derandomize=True,
                                  database=None, suppress_health_check=list(HealthCheck)))

# --- what the fuzzing found (issue 18), each pinned with the request that failed ----------------------------

def _checked(method, path, token=None, **kwargs):
    """One request through schemathesis with the same checks: the answer must match the published schema."""
    case = schema[path][method].Case(**kwargs)
    headers = {"Authorization": f"Bearer {token}"} if token else None
    return case.call_and_validate(headers=headers, checks=CHECKS)


def test_huge_offsets_and_pages_are_422_not_500(city_leader_token):
    r = _checked("GET", "/api/v1/feedback/reports", city_leader_token, query={"offset": 9223372036854775808})
    assert r.status_code == 422
    r = _checked("GET", "/api/v1/catalog/procedures", query={"page": 1892197949485818368})
    assert r.status_code == 422


def test_on_time_rate_period_out_of_range_is_422(city_leader_token):
    r = _checked("GET", "/api/v1/discipline/on-time-rate", city_leader_token,
                 query={"start": "0001-01-01", "end": "0001-10-01"})
    assert r.status_code == 422 and r.json()["code"] == "PERIOD_OUT_OF_RANGE"


def test_a_demo_procedure_matches_its_schema(fuzz_city):
    # Two schemas named StepOut (catalog's and one-stop's) made this answer fail its own schema, and the
    # cutoff ("15:00:00", no UTC offset) was published as an RFC 3339 time.
    from kycuong.catalog.models import ProcedureVersion

    version = ProcedureVersion.objects.exclude(steps=None).exclude(cutoff=None).first()
    assert version is not None
    r = _checked("GET", "/api/v1/catalog/procedures/{code}", path_parameters={"code": version.procedure.code})
    assert r.status_code == 200 and r.json()["steps"] and r.json()["cutoff"] == version.cutoff.isoformat()
    components = schema.raw_schema["components"]["schemas"]
    assert {"StepOut", "ProcedureStepOut"} <= set(components)
    assert "role" in components["ProcedureStepOut"]["properties"]


def test_a_body_that_is_not_json_is_a_documented_400(fuzz_city):
    from django.test import Client

    r = Client().post("/api/v1/worktime/due", data=b"\x00", content_type="application/json")
    assert r.status_code == 400 and r.json()["code"] == "MALFORMED_BODY"
    assert "400" in schema.raw_schema["paths"]["/api/v1/worktime/due"]["post"]["responses"]


def test_nul_in_text_is_422_on_postgresql_too(fuzz_city, monkeypatch):
    # SQLite stores NUL; psycopg refuses it before sending the query (DataError): a 500 on PostgreSQL only.
    from django.db import DataError
    from django.test import Client

    import kycuong.catalog.api as catalog_api

    def refuse(*args, **kwargs):
        raise DataError("PostgreSQL text fields cannot contain NUL (0x00) bytes")

    monkeypatch.setattr(catalog_api, "search_procedures", refuse)
    r = Client().get("/api/v1/catalog/procedures", {"q": "a\x00b"})
    assert r.status_code == 422 and r.json()["code"] == "VALIDATION_FAILED"

    def other(*args, **kwargs):
        raise DataError("value too long for type character varying(20)")

    monkeypatch.setattr(catalog_api, "search_procedures", other)
    with pytest.raises(DataError):  # any other DataError stays a bug, not a 422
        Client(raise_request_exception=True).get("/api/v1/catalog/procedures", {"q": "x"})
