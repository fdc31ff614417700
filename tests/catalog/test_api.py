"""GET /procedures and GET /procedures/{code} (mounted by the project at /api/v1/catalog)."""
from datetime import date

import pytest

from kycuong.catalog import services

BASE = "/api/test-catalog"


@pytest.fixture
def catalog(make_procedure, units):
    make_procedure("1.001193", name="Đăng ký khai sinh", effective_from=date(2021, 1, 4), cutoff="15:00",
                   fees=[{"name": "Lệ phí", "amount_vnd": 50_000, "note": ""}])
    services.publish_version("1.001193", effective_from=date(2025, 7, 1), name="Đăng ký khai sinh (2025)")
    for i in range(25):
        make_procedure(f"9.{i:06d}", name=f"Thủ tục thử {i:02d}", level="province", all_communes=False,
                       deciding_units=["H26.104"])


def test_list_is_paginated_and_folded(client, catalog):
    body = client.get(f"{BASE}/procedures").json()
    assert body["count"] == 26 and len(body["items"]) == 20
    assert len(client.get(f"{BASE}/procedures", {"page": 2}).json()["items"]) == 6
    body = client.get(f"{BASE}/procedures", {"q": "dang ky khai sinh"}).json()
    assert body["count"] == 1
    item = body["items"][0]
    assert item["code"] == "1.001193" and item["name"] == "Đăng ký khai sinh (2025)"
    assert item["limit_text"] == "05 ngày làm việc" and item["limit_amount"] == "5.0"
    assert client.get(f"{BASE}/procedures", {"level": "commune"}).json()["count"] == 1
    assert client.get(f"{BASE}/procedures", {"field": "HT", "online_level": "partial"}).json()["count"] == 26


def test_list_rejects_unknown_filter_values(client, catalog):
    """docs/design.md rule 6: bad input is a 422 with a code, never a 500."""
    response = client.get(f"{BASE}/procedures", {"level": "quận"})
    assert response.status_code == 422


def test_detail(client, catalog):
    body = client.get(f"{BASE}/procedures/1.001193").json()
    assert body["name"] == "Đăng ký khai sinh (2025)" and body["complete"] is True
    assert [p["code"] for p in body["completeness"]] == ["name", "sequence", "method", "dossier", "time_limit", "subjects", "agency"]
    assert body["steps"][-1]["is_return_step"] and body["steps_ok"]
    assert body["fees"] == [{"name": "Lệ phí", "amount_vnd": 50_000, "note": ""}]
    assert body["cutoff"].startswith("15:00") and body["channels"] == ["direct", "online"]
    assert [v["effective_from"] for v in body["versions"]] == ["2025-07-01", "2021-01-04"]
    old = client.get(f"{BASE}/procedures/1.001193", {"on_date": "2024-01-01"}).json()
    assert old["name"] == "Đăng ký khai sinh" and old["effective_to"] == "2025-06-30"


def test_detail_not_found(client, catalog):
    response = client.get(f"{BASE}/procedures/1.999999")
    assert response.status_code == 404
    assert response.json()["code"] == "CATALOG_PROCEDURE_NOT_FOUND"
    response = client.get(f"{BASE}/procedures/1.001193", {"on_date": "2020-01-01"})
    assert response.status_code == 404 and response.json()["code"] == "CATALOG_NO_VERSION_ON_DATE"


def test_project_mount_when_wired(client, catalog):
    """The router is registered at /api/v1/catalog: the same answers come from there."""
    response = client.get("/api/v1/catalog/procedures/1.001193")
    assert response["Content-Type"].startswith("application/json")
    assert response.status_code == 200


def test_openapi_describes_the_catalog(client, db):
    schema = client.get(f"{BASE}/openapi.json").json()
    assert "/api/test-catalog/procedures" in schema["paths"]
    assert "/api/test-catalog/procedures/{code}" in schema["paths"]
