"""The page (/tra-cuu/…) and the API (GET /api/v1/lookup/{code}) are two doors of ONE lookup service
(onestop/lookup.py): same answer for the same code, same mask, same refusals, and the per-IP budget and
the per-dossier cap on wrong phone guesses count across both doors."""
import json

import pytest
from django.core.cache import cache
from ninja.responses import NinjaJSONEncoder

from kycuong.onestop import lookup as service
from kycuong.onestop.api import LookupOut
from kycuong.onestop.services import act

from .conftest import hn

API = "/api/v1/lookup"


@pytest.fixture(autouse=True)
def _limits(settings):
    settings.KYCUONG_LOOKUP_RATE_PER_MINUTE = 1000  # the per-IP test sets its own
    cache.clear()
    yield
    cache.clear()


def page(client, code, proof=None, ip="10.9.0.1"):
    if proof is None:
        return client.get(f"/tra-cuu/{code}/", REMOTE_ADDR=ip)
    return client.post(f"/tra-cuu/{code}/", {"so_cuoi": proof}, REMOTE_ADDR=ip)


def api(client, code, proof=None, ip="10.9.0.1"):
    return client.get(f"{API}/{code}", {} if proof is None else {"phone_last4": proof}, REMOTE_ADDR=ip)


def page_body(response) -> dict:
    """The answer the page rendered, as the API would encode it."""
    return json.loads(json.dumps(response.context["a"], cls=NinjaJSONEncoder))


def test_the_page_and_the_api_give_the_same_answer(client, receive, people):
    d = receive()
    act(d.code, "start_processing", people["counter"], at=hn(2026, 3, 2, 10), assignee_id=people["specialist"].pk)
    from_api = api(client, d.code).json()
    shown = page(client, d.code)
    assert shown.status_code == 200 and page_body(shown) == from_api
    html = shown.content.decode()
    for text in (from_api["procedure"], from_api["unit"], from_api["state"]["label"], from_api["timeliness_label"],
                 *[s["name"] for s in from_api["steps_done"]], *[e["label"] for e in from_api["timeline"]]):
        assert text in html
    # Lower case and surrounding spaces name the same dossier on both doors.
    assert page_body(page(client, d.code.lower())) == api(client, d.code.lower()).json() == from_api


def test_a_proven_visitor_gets_the_same_personal_part_and_mask(client, receive):
    d = receive()
    from_api = api(client, d.code, "5678").json()
    shown = page(client, d.code, "5678")
    assert from_api["verified"] is True and page_body(shown) == from_api
    assert from_api["personal"] == {"applicant_name": "Hoàng Thị Mai", "phone_masked": "******5678"}
    assert "******5678" in shown.content.decode() and "0912345678" not in shown.content.decode()
    assert service.mask_phone("0912 345 678") == "******5678"
    LookupOut.model_validate(from_api)


@pytest.mark.parametrize("typed, code", [
    ("1234", "ONESTOP_LOOKUP_PROOF_MISMATCH"), ("12", "ONESTOP_LOOKUP_PROOF_MALFORMED"),
    ("abcd", "ONESTOP_LOOKUP_PROOF_MALFORMED"), ("５６７８", "ONESTOP_LOOKUP_PROOF_MALFORMED"),
    ("", "ONESTOP_LOOKUP_PROOF_MALFORMED"),
])
def test_a_refused_proof_gives_the_same_code_and_message(client, receive, typed, code):
    """Full-width digits used to reach hmac.compare_digest as non-ASCII text on the page: a 500."""
    d = receive()
    from_api = api(client, d.code, typed).json()
    shown = page(client, d.code, typed)
    assert shown.status_code == 422 and from_api["verified"] is False and from_api["personal"] is None
    assert from_api["proof_error"]["code"] == code == shown.context["a"]["proof_error"]["code"]
    assert from_api["proof_error"]["message"] in shown.content.decode()
    LookupOut.model_validate(from_api)


def test_wrong_guesses_on_the_page_cap_the_api(client, receive):
    d = receive()
    for i in range(service.MAX_WRONG_PER_DOSSIER):
        assert page(client, d.code, f"{i:04d}", ip=f"10.9.1.{i}").status_code == 422
    right = api(client, d.code, "5678", ip="10.9.2.1").json()
    assert right["verified"] is False and right["personal"] is None
    assert right["proof_error"]["code"] == "ONESTOP_LOOKUP_PROOF_LOCKED"
    assert "Hoàng Thị Mai" not in json.dumps(right, ensure_ascii=False)
    assert "tạm khóa" in page(client, d.code, "5678", ip="10.9.2.2").content.decode()


def test_wrong_guesses_on_the_api_cap_the_page(client, receive):
    d = receive()
    for i in range(service.MAX_WRONG_PER_DOSSIER):
        body = api(client, d.code, f"{i:04d}", ip=f"10.9.3.{i}").json()
        assert body["proof_error"]["code"] == "ONESTOP_LOOKUP_PROOF_MISMATCH"
    shown = page(client, d.code, "5678", ip="10.9.4.1")
    html = shown.content.decode()
    assert shown.status_code == 422 and "Hoàng Thị Mai" not in html and "tạm khóa" in html
    assert api(client, d.code, "5678", ip="10.9.4.2").json()["proof_error"]["code"] == "ONESTOP_LOOKUP_PROOF_LOCKED"
    # Another dossier is not affected.
    other = receive(at=hn(2026, 3, 2, 10))
    assert api(client, other.code, "5678", ip="10.9.4.3").json()["verified"] is True


def test_malformed_proofs_are_not_guesses(client, receive):
    d = receive()
    for i in range(service.MAX_WRONG_PER_DOSSIER + 2):
        api(client, d.code, "12", ip=f"10.9.5.{i}")
        page(client, d.code, "abc", ip=f"10.9.6.{i}")
    assert api(client, d.code, "5678").json()["verified"] is True


@pytest.mark.parametrize("code", ["x" * 65, "-H26", ".H26", "H26%00", "H26<script>", "H26 1", "Đ26.104"])
def test_the_same_pattern_refuses_on_both_doors(client, city, code):
    assert not service.valid(code)
    r = api(client, code)
    assert r.status_code == 404 and r.json()["code"] == "ONESTOP_DOSSIER_NOT_FOUND"
    assert page(client, code).status_code == 404
    assert client.get("/tra-cuu/", {"ma": code}).status_code == 400  # the form says why


def test_one_per_ip_budget_for_both_doors(client, receive, settings):
    settings.KYCUONG_LOOKUP_RATE_PER_MINUTE = 6
    d = receive()
    assert page(client, d.code, "0000").status_code == 422   # 2
    assert api(client, d.code, "1111").status_code == 200    # 4 (a wrong guess: 200 with proof_error)
    assert page(client, d.code).status_code == 200           # 5
    assert api(client, d.code).status_code == 200            # 6
    assert page(client, d.code).status_code == 429
    r = api(client, d.code)
    assert r.status_code == 429 and r.json()["code"] == "RATE_LIMITED"
    assert api(client, d.code, ip="10.9.7.1").status_code == 200  # per address
