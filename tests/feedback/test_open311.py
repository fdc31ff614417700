"""Open311 GeoReport v2 (http://wiki.open311.org/GeoReport_v2) at /open311/v2/.

(a) the independent PyPI client `georeport` against a live server; (b) every JSON answer validated with
`jsonschema` against our own schemas (kycuong/feedback/open311/schemas, written from the specification);
(c) XML and JSON carry the same data; wrong key → 403, unknown id → 404, bad input → 400, each with the
spec's error body.
"""
import json
from datetime import datetime, timezone as dt_timezone
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
from jsonschema import Draft202012Validator
from referencing import Registry, Resource

from kycuong.feedback import queries, services
from kycuong.feedback.models import Report

from .conftest import hn

SCHEMAS = Path(__file__).resolve().parents[2] / "kycuong" / "feedback" / "open311" / "schemas"
BASE = "/open311/v2"


def _registry():
    resources = []
    for path in SCHEMAS.glob("*.schema.json"):
        body = json.loads(path.read_text(encoding="utf-8"))
        resources.append((body["$id"], Resource.from_contents(body)))
    return Registry().with_resources(resources)


REGISTRY = _registry()


def validate(data, schema_name):
    schema = json.loads((SCHEMAS / schema_name).read_text(encoding="utf-8"))
    validator = Draft202012Validator(schema, registry=REGISTRY, format_checker=Draft202012Validator.FORMAT_CHECKER)
    problems = [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(data)]
    assert not problems, problems
    return data


def check_datetimes(rows):
    """date-time format, checked here too (jsonschema's checker needs optional packages)."""
    for row in rows:
        for key in ("requested_datetime", "updated_datetime", "expected_datetime"):
            if row.get(key) is not None:
                assert datetime.fromisoformat(row[key]).utcoffset() is not None, (key, row[key])


@pytest.fixture
def api_key(db):
    return services.issue_api_key("Ứng dụng thử")[1]


@pytest.fixture
def sample(submit, people):
    """One procedure report (published, with a phone number in the answer) and one conduct report."""
    proc = submit(text="Thủ tục công chứng đòi thêm bản sao. Gọi tôi: 0912345678", at=hn(2026, 11, 2, 9))
    services.act(proc.code, "confirm_unit", people["leader"], at=hn(2026, 11, 2, 10))
    services.act(proc.code, "answer", people["leader"], answer="Đã chấn chỉnh; liên hệ 0987654321.",
                 at=hn(2026, 11, 3, 9))
    services.act(proc.code, "publish", people["leader"], at=hn(2026, 11, 3, 10))
    cond = submit(kind="conduct", procedure_code="", official_id=people["official"].pk,
                  text="Cán bộ quầy 3 quát tháo", reporter_name="Nguyễn Văn Dân", at=hn(2026, 11, 4, 9))
    return proc, cond


def xml_items(content, root, item):
    tree = ET.fromstring(content)
    assert tree.tag == root
    return [_element(e) for e in tree.findall(item)]


def _element(e):
    children = list(e)
    if not children:
        return e.text or None
    if all(c.tag == children[0].tag for c in children) and len(children) > 1 or e.tag in (
            "attributes", "values", "endpoints", "formats"):
        return [_element(c) for c in children]
    return {c.tag: _element(c) for c in children}


def as_text(value):
    """JSON value as the XML carries it: strings, booleans as true/false, None as an empty element."""
    if isinstance(value, dict):
        return {k: as_text(v) for k, v in value.items()}
    if isinstance(value, list):
        return [as_text(v) for v in value] if value else None  # an empty list is an empty element
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


# --- (a) the georeport client against a live server ----------------------------------------------------

@pytest.mark.django_db(transaction=True)
def test_georeport_client_lists_services_and_reads_requests(live_server, people, submit):
    import requests
    from georeport import GeoReport

    key = services.issue_api_key("georeport")[1]
    root = live_server.url + BASE
    client = GeoReport(root, api_key=key)
    services_json = client.get_service_list()
    assert {s["service_code"] for s in services_json} == {"pakn-tthc", "pakn-cbcc"}
    definition = client.get_service_definition("pakn-cbcc")
    assert "behaviour" in {a["code"] for a in definition["attributes"]}

    posted = requests.post(root + "/requests.json", data={
        "api_key": key, "service_code": "pakn-tthc", "description": "Thủ tục đăng ký yêu cầu giấy tờ thừa",
        "attribute[procedure_code]": "HN-DEMO-CC01", "lat": "21.028511", "long": "105.804817",
        "first_name": "Lan", "email": "lan@example.org"}, timeout=20)
    assert posted.status_code == 201, posted.text
    request_id = posted.json()[0]["service_request_id"]

    listed = client.get_service_requests()
    assert request_id in [r["service_request_id"] for r in listed]
    one = client.get_service_request(request_id)
    assert one["service_code"] == "pakn-tthc" and one["status"] == "open"
    assert one["agency_responsible"] == "Sở Tư pháp" and one["lat"] == pytest.approx(21.028511)
    xml_client = GeoReport(root, output_format="xml")
    assert {s["service_code"] for s in xml_client.get_service_list()} == {"pakn-tthc", "pakn-cbcc"}
    assert xml_client.get_service_request(request_id)["service_request_id"] == request_id


# --- (b) JSON answers against our schemas, (c) XML = JSON -----------------------------------------------

@pytest.mark.django_db
def test_every_json_answer_validates_and_xml_carries_the_same_data(client, sample, api_key, settings):
    proc, cond = sample
    settings.USE_TZ = True
    pairs = [
        ("services", "services.schema.json", "services", "service"),
        ("services/pakn-cbcc", "service-definition.schema.json", None, None),
        ("services/pakn-tthc", "service-definition.schema.json", None, None),
        ("requests", "requests.schema.json", "service_requests", "request"),
        (f"requests/{proc.code}", "requests.schema.json", "service_requests", "request"),
        (f"requests/{cond.code}", "requests.schema.json", "service_requests", "request"),
        ("discovery", "discovery.schema.json", None, None),
    ]
    query = "?start_date=2026-10-01T00:00:00Z&end_date=2026-12-01T00:00:00Z"
    for path, schema, root, item in pairs:
        suffix = query if path == "requests" else ""
        j = client.get(f"{BASE}/{path}.json{suffix}")
        x = client.get(f"{BASE}/{path}.xml{suffix}")
        assert j.status_code == x.status_code == 200, path
        assert j["Content-Type"].startswith("application/json") and x["Content-Type"].startswith("text/xml")
        data = validate(j.json(), schema)
        if schema.startswith("requests"):
            check_datetimes(data)
        if item:
            assert xml_items(x.content, root, item) == as_text(data), path
        else:
            assert _element(ET.fromstring(x.content)) == as_text(data), path
    rows = {r["service_request_id"]: r for r in client.get(f"{BASE}/requests.json{query}").json()}
    assert set(rows) == {proc.code, cond.code}
    assert rows[proc.code]["status"] == "closed" and "0987654321" not in rows[proc.code]["status_notes"]
    assert "0912345678" not in rows[proc.code]["description"]
    assert rows[cond.code]["description"] is None  # no allegation text about a named official
    assert "Nguyễn Văn Dân" not in json.dumps(rows, ensure_ascii=False)
    # 15 working days from Wed 04/11/2026 09:00; Tue 24/11 (Ngày Văn hóa Việt Nam) is a day off in the calendar.
    assert rows[cond.code]["expected_datetime"] == "2026-11-26T09:00:00+07:00"


@pytest.mark.django_db
def test_post_form_encoded_creates_a_request_in_the_staff_queue_and_token_resolves(client, people, api_key):
    response = client.post(f"{BASE}/requests.json", {
        "api_key": api_key, "service_code": "pakn-cbcc", "description": "Cán bộ đòi tiền",
        "attribute[behaviour]": "nhung_nhieu", "attribute[unit_code]": "H26.200.01", "phone": "0912345678"})
    assert response.status_code == 201
    body = validate(response.json(), "request-created.schema.json")[0]
    report = Report.objects.get(code=body["service_request_id"])
    assert report.channel == "open311" and report.responsible_unit.code == "H26.200.01"
    assert report.attributes == {"behaviour": "nhung_nhieu", "unit_code": "H26.200.01"}
    assert report.code in set(queries.queue(people["counter"]).values_list("code", flat=True))
    client.force_login(people["counter"])
    assert report.code in client.get("/phan-anh/can-bo/").content.decode()
    token = client.get(f"{BASE}/tokens/{body['token']}.json")
    assert validate(token.json(), "token.schema.json") == [{"service_request_id": report.code,
                                                            "token": body["token"]}]
    xml = client.post(f"{BASE}/requests.xml", {"api_key": api_key, "service_code": "pakn-tthc",
                                               "description": "Góp ý thủ tục"})
    assert xml.status_code == 201 and ET.fromstring(xml.content).find("request/service_request_id").text


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_errors_403_404_400_with_the_spec_error_body(client, people, api_key, fmt):
    def error(response, status):
        assert response.status_code == status
        if fmt == "json":
            body = validate(response.json(), "errors.schema.json")
            assert body[0]["code"] == status
        else:
            tree = ET.fromstring(response.content)
            assert tree.tag == "errors" and tree.find("error/code").text == str(status)
            assert tree.find("error/description").text

    good = {"api_key": api_key, "service_code": "pakn-tthc", "description": "Góp ý"}
    error(client.post(f"{BASE}/requests.{fmt}", {**good, "api_key": "sai"}), 403)
    error(client.post(f"{BASE}/requests.{fmt}", {k: v for k, v in good.items() if k != "api_key"}), 403)
    error(client.get(f"{BASE}/requests/PA-KHONGCO1.{fmt}"), 404)
    error(client.get(f"{BASE}/services/khong-co.{fmt}"), 404)
    error(client.get(f"{BASE}/tokens/khongco.{fmt}"), 404)
    for bad in ({"service_code": ""}, {"service_code": "khong-co"}, {"description": ""},
                {"service_code": "pakn-cbcc"},  # required attribute[behaviour] missing
                {"service_code": "pakn-cbcc", "attribute[behaviour]": "khong-co"},
                {"lat": "21.0"}, {"lat": "abc", "long": "105"}, {"media_url": "javascript:alert(1)"},
                {"attribute[dossier_code]": "H26.104-000000-9999"}, {"description": "có\x00NUL"},
                {"first_name": "A\x00"}):
        error(client.post(f"{BASE}/requests.{fmt}", {**good, **bad}), 400)
    for query in ("start_date=hom-qua", "start_date=2026-01-01T00:00:00Z&end_date=2026-06-01T00:00:00Z",
                  "status=dang-xu-ly", "page_size=5000", "page=0", "service_code=khong-co"):
        error(client.get(f"{BASE}/requests.{fmt}?{query}"), 400)
    assert Report.objects.count() == 0  # nothing half-written by any refused request


@pytest.mark.django_db
def test_get_requests_filters_default_90_days_and_pages(client, submit, people):
    from django.utils import timezone

    now = timezone.now()
    old = submit(text="Phản ánh cũ về lệ phí", at=now - timezone.timedelta(days=120))
    recent = [submit(text=f"Phản ánh số {i} về chủ đề {i * 7919}", at=now - timezone.timedelta(days=i + 1))
              for i in range(5)]
    conduct = submit(kind="conduct", procedure_code="", text="Thái độ cán bộ", at=now - timezone.timedelta(days=2))
    ids = lambda r: [x["service_request_id"] for x in r.json()]  # noqa: E731
    default = ids(client.get(f"{BASE}/requests.json"))
    assert old.code not in default and len(default) == 6
    assert ids(client.get(f"{BASE}/requests.json?service_request_id={old.code},{recent[0].code}")) == [
        recent[0].code, old.code]  # overrides the date range
    assert ids(client.get(f"{BASE}/requests.json?service_code=pakn-cbcc")) == [conduct.code]
    assert ids(client.get(f"{BASE}/requests.json?status=closed")) == []
    assert len(ids(client.get(f"{BASE}/requests.json?status=open"))) == 6
    page1 = ids(client.get(f"{BASE}/requests.json?page_size=4"))
    page2 = ids(client.get(f"{BASE}/requests.json?page_size=4&page=2"))
    assert len(page1) == 4 and len(page2) == 2 and not set(page1) & set(page2)
    start = (now - timezone.timedelta(days=2, hours=12)).astimezone(dt_timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert set(ids(client.get(f"{BASE}/requests.json?start_date={start}"))) == {
        recent[0].code, recent[1].code, conduct.code}


@pytest.mark.django_db
def test_api_keys_are_stored_hashed_created_in_admin_and_revocable(client, people):
    from kycuong.core.services import create_user
    from kycuong.feedback.models import ApiKey

    admin = create_user("quantri", "pw-Abc12345!", role="administrator", is_superuser=True)
    client.force_login(admin)
    response = client.post("/admin/feedback/apikey/add/", {"name": "Ứng dụng phường", "active": "on"}, follow=True)
    key = ApiKey.objects.get(name="Ứng dụng phường")
    shown = [str(m) for m in response.context["messages"]]
    raw = shown[0].rsplit(": ", 1)[1]
    assert key.key_hash == services.hash_key(raw) and raw not in key.key_hash and key.prefix == raw[:8]
    client.logout()
    good = {"api_key": raw, "service_code": "pakn-tthc", "description": "Góp ý"}
    assert client.post(f"{BASE}/requests.json", good).status_code == 201
    ApiKey.objects.filter(pk=key.pk).update(active=False)
    assert client.post(f"{BASE}/requests.json", good).status_code == 403
