"""Citizen accounts: sign-up and sign-in by e-mail or phone with a one-time code (hashed, expiring,
attempt-limited, rate-limited); officers keep their password sign-in."""
import re
from datetime import timedelta

import pytest
from django.core import mail

from kycuong.core.models import User
from kycuong.core.ratelimit import RateLimited
from kycuong.portal import services
from kycuong.portal.errors import AccountExists, CodeExhausted, CodeWrong, NoAccount
from kycuong.portal.models import OneTimeCode, Profile
from kycuong.portal.sms import ConsoleSms

pytestmark = pytest.mark.django_db
UP, IN = OneTimeCode.Purpose.SIGN_UP, OneTimeCode.Purpose.SIGN_IN


def code_from_mail():
    return re.search(r"\b(\d{6})\b", mail.outbox[-1].body).group(1)


def test_sign_up_by_email_creates_a_citizen(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.request_code("Mai@ViDu.vn", UP, full_name="Hoàng Thị Mai", kind="business")
    code = code_from_mail()
    otp = OneTimeCode.objects.get()
    assert code not in otp.code_hash and len(otp.code_hash) == 64  # only a hash is stored
    user = services.verify_code("mai@vidu.vn", UP, code)
    assert user.role == User.Role.CITIZEN and user.email == "mai@vidu.vn" and not user.has_usable_password()
    assert Profile.objects.get(user=user).kind == "business"
    with pytest.raises(CodeWrong):  # used once
        services.verify_code("mai@vidu.vn", UP, code)


def test_sign_in_by_phone_through_the_sms_adapter(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.request_code("+84 912 345 678", UP, full_name="Trần Văn An")
    user = services.verify_code("0912345678", UP, re.search(r"\d{6}", ConsoleSms.outbox[-1].text).group(0))
    assert user.phone == "0912345678"
    with django_capture_on_commit_callbacks(execute=True):
        services.request_code("0912345678", IN)
    assert ConsoleSms.outbox[-1].to == "0912345678"
    again = services.verify_code("0912345678", IN, re.search(r"\d{6}", ConsoleSms.outbox[-1].text).group(0))
    assert again.pk == user.pk


def test_wrong_codes_are_counted_then_exhausted(settings):
    settings.KYCUONG_OTP_MAX_ATTEMPTS = 3
    services.request_code("mai@vidu.vn", UP, full_name="Mai")
    for _ in range(2):
        with pytest.raises(CodeWrong) as exc:
            services.verify_code("mai@vidu.vn", UP, "000000")
        assert exc.value.code == "PORTAL_CODE_WRONG"
    with pytest.raises(CodeExhausted):
        services.verify_code("mai@vidu.vn", UP, "000000")
    with pytest.raises(CodeExhausted):  # even the right code is now useless
        services.verify_code("mai@vidu.vn", UP, "123456")
    assert not User.objects.filter(role=User.Role.CITIZEN).exists()


def test_expired_code_is_refused(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.request_code("mai@vidu.vn", UP, full_name="Mai")
    OneTimeCode.objects.update(expires_at=OneTimeCode.objects.get().created_at - timedelta(seconds=1))
    with pytest.raises(CodeWrong):
        services.verify_code("mai@vidu.vn", UP, code_from_mail())


def test_sending_is_rate_limited(settings):
    settings.KYCUONG_OTP_SENDS_PER_MINUTE = 2
    services.request_code("mai@vidu.vn", UP, full_name="Mai")
    services.request_code("mai@vidu.vn", UP, full_name="Mai")
    with pytest.raises(RateLimited):
        services.request_code("mai@vidu.vn", UP, full_name="Mai")


def test_duplicate_sign_up_and_unknown_sign_in():
    from tests.portal.fixtures import make_citizen

    make_citizen("mai@vidu.vn", "Mai")
    with pytest.raises(AccountExists):
        services.request_code("mai@vidu.vn", UP, full_name="Mai")
    with pytest.raises(NoAccount):
        services.request_code("khac@vidu.vn", IN)


def test_bad_contact_is_refused_with_a_code():
    with pytest.raises(services.Invalid) as exc:
        services.request_code("12345", IN)
    assert exc.value.code == "PORTAL_BAD_CONTACT"


def test_views_sign_up_verify_profile_and_sign_out(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        r = client.post("/tai-khoan/dang-ky/", {"full_name": "Hoàng Thị Mai", "kind": "person",
                                                "contact": "mai@vidu.vn"})
    assert r.status_code == 302 and r["Location"] == "/tai-khoan/nhap-ma/"
    r = client.post("/tai-khoan/nhap-ma/", {"code": "000000"})
    assert r.status_code == 422 and 'href="#id_code"' in r.content.decode()
    r = client.post("/tai-khoan/nhap-ma/", {"code": code_from_mail()})
    assert r.status_code == 302 and r["Location"] == "/ho-so-cua-toi/"
    r = client.post("/tai-khoan/", {"full_name": "Hoàng Thị Mai", "id_number": "12", "address": ""})
    assert r.status_code == 422 and "12 chữ số" in r.content.decode()
    r = client.post("/tai-khoan/", {"full_name": "Hoàng Thị Mai", "id_number": "001190012345", "address": "Hà Nội"})
    assert r.status_code == 302
    assert Profile.objects.get(user__email="mai@vidu.vn").id_number == "001190012345"
    client.post("/tai-khoan/dang-xuat/")
    assert client.get("/ho-so-cua-toi/").status_code == 302


def test_sign_up_form_errors_are_linked(client):
    r = client.post("/tai-khoan/dang-ky/", {"full_name": "", "contact": "khong-hop-le"})
    html = r.content.decode()
    assert r.status_code == 422
    assert 'href="#id_full_name"' in html and "govuk-error-summary" in html


def test_vneid_is_off_by_default(client):
    assert client.get("/tai-khoan/vneid/").status_code == 404
    assert "VNeID" not in client.get("/tai-khoan/dang-nhap/").content.decode()


def test_vneid_adapter_builds_an_oidc_request_when_enabled(client, settings):
    settings.KYCUONG_VNEID_ENABLED = True
    settings.KYCUONG_VNEID_AUTHORIZE_URL = "https://vneid.example/authorize"
    settings.KYCUONG_VNEID_CLIENT_ID = "kycuong"
    r = client.get("/tai-khoan/vneid/")
    assert r.status_code == 302 and r["Location"].startswith("https://vneid.example/authorize?response_type=code")
    assert "state=" in r["Location"] and "nonce=" in r["Location"]


def test_officer_password_sign_in_still_works(client, make_officer, demo_city):
    make_officer(make_officer.Role.RECEIVING_OFFICER, "H26.103")
    r = client.post("/dang-nhap/", {"username": "user1", "password": "pw-Abc12345!"})
    assert r.status_code == 302
