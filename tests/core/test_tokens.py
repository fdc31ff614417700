"""API authentication: `kycuong token`, bearer tokens (valid, missing, wrong, revoked, disabled account),
the browser session with CSRF, the 401 answer, and the rate limiter."""
import hashlib
import re
from io import StringIO

import pytest
from django.core.cache import cache
from django.core.management import CommandError, call_command
from django.test import Client

from kycuong.core.models import ApiToken
from kycuong.core.ratelimit import RateLimited, charge
from kycuong.core.tokens import issue_token, user_for_token

pytestmark = pytest.mark.django_db
URL = "/api/v1/dossiers"


@pytest.fixture
def officer(db):
    from tests.factories import SpecialistFactory

    return SpecialistFactory(full_name="Trần Văn Minh")  # any officer of any unit: no city needed


def bearer(token):
    return {"Authorization": f"Bearer {token}"}


def run_token(*args):
    out, err = StringIO(), StringIO()
    call_command("token", *args, stdout=out, stderr=err)
    return out.getvalue().strip(), err.getvalue()


def test_command_prints_a_new_token_once_and_stores_only_its_hash(officer):
    token, note = run_token(officer.username, "--name", "tích hợp")
    assert re.fullmatch(r"[A-Za-z0-9_-]{43}", token)  # secrets.token_urlsafe(32)
    row = ApiToken.objects.get(user=officer)
    assert row.name == "tích hợp" and not row.revoked and row.last_used_at is None
    assert row.key_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in {str(v) for v in ApiToken.objects.values_list("name", "key_hash").get()}
    assert "chỉ hiện một lần" in note  # the explanation goes to stderr, stdout is the bare token
    again, _note = run_token(officer.username)
    assert again != token and ApiToken.objects.filter(user=officer).count() == 2


def test_command_refuses_unknown_and_disabled_users(officer):
    with pytest.raises(CommandError):
        run_token("nobody")
    officer.is_active = False
    officer.save(update_fields=["is_active"])
    with pytest.raises(CommandError):
        run_token(officer.username)


def test_command_lists_and_revokes(officer, client):
    token, _note = run_token(officer.username, "--name", "cũ")
    row = ApiToken.objects.get(user=officer)
    listing, _note = run_token(officer.username, "--list")
    assert listing.startswith(f"{row.pk}\tactive\tcũ\t")
    run_token(officer.username, "--revoke", str(row.pk))
    assert ApiToken.objects.get(pk=row.pk).revoked
    assert client.get(URL, headers=bearer(token)).status_code == 401
    with pytest.raises(CommandError):  # already revoked
        run_token(officer.username, "--revoke", str(row.pk))


def test_valid_bearer_token_admits_and_records_last_use(officer, client):
    _row, token = issue_token(officer)
    r = client.get(URL, headers=bearer(token))
    assert r.status_code == 200, r.content
    assert r.json()["items"] == []
    assert ApiToken.objects.get(user=officer).last_used_at is not None
    assert user_for_token(token) == officer


@pytest.mark.parametrize("headers", [
    {}, bearer("not-a-token"), bearer(""), {"Authorization": "Basic dXNlcjpwdw=="}, {"Authorization": "Bearer"},
    bearer("x" * 5000),
])
def test_missing_or_wrong_token_gets_401_in_the_house_format(officer, client, headers):
    r = client.get(URL, headers=headers)
    assert r.status_code == 401
    body = r.json()
    assert body["code"] == "AUTH_REQUIRED" and "đăng nhập" in body["message"]
    assert r["WWW-Authenticate"].startswith("Bearer")


def test_revoked_token_and_disabled_account_are_refused(officer, client):
    row, token = issue_token(officer)
    assert client.get(URL, headers=bearer(token)).status_code == 200
    ApiToken.objects.filter(pk=row.pk).update(revoked=True)
    assert client.get(URL, headers=bearer(token)).status_code == 401
    _row, token2 = issue_token(officer)
    officer.is_active = False
    officer.save(update_fields=["is_active"])
    assert client.get(URL, headers=bearer(token2)).json()["code"] == "AUTH_REQUIRED"


def test_post_without_credentials_is_401_not_a_csrf_403(officer):
    client = Client(enforce_csrf_checks=True)
    r = client.post(URL, "{}", content_type="application/json")
    assert r.status_code == 401 and r.json()["code"] == "AUTH_REQUIRED"
    r = client.post(URL, "{}", content_type="application/json", headers=bearer("wrong"))
    assert r.status_code == 401


def test_browser_session_is_accepted_with_csrf_on_writes(officer):
    client = Client(enforce_csrf_checks=True)
    client.force_login(officer)
    assert client.get(URL).status_code == 200
    r = client.post(URL, "{}", content_type="application/json")
    assert r.status_code == 403 and r.json()["code"] == "CSRF_FAILED"
    # A token client needs no CSRF token even when a session cookie is also present.
    _row, token = issue_token(officer)
    r = client.post(URL, "{}", content_type="application/json", headers=bearer(token))
    assert r.status_code == 422  # past authentication: the empty body is what is wrong


def test_openapi_documents_both_schemes(client):
    schemes = client.get("/api/v1/openapi.json").json()["components"]["securitySchemes"]
    assert schemes["BearerToken"] == {"type": "http", "scheme": "bearer"}
    assert schemes["SessionAuth"]["in"] == "cookie"


def test_rate_limiter_counts_per_window_and_per_client():
    cache.clear()
    for _ in range(3):
        charge("t", "1.2.3.4", limit=3, now=1000.0)
    with pytest.raises(RateLimited) as err:
        charge("t", "1.2.3.4", limit=3, now=1010.0)
    assert err.value.status == 429 and err.value.code == "RATE_LIMITED"
    assert err.value.details["retry_after_seconds"] == 60 - 1010 % 60
    charge("t", "5.6.7.8", limit=3, now=1010.0)  # another client has its own budget
    charge("t", "1.2.3.4", limit=3, now=1080.0)  # the next minute starts afresh
    with pytest.raises(RateLimited):
        charge("t", "9.9.9.9", limit=3, cost=4, now=1000.0)
