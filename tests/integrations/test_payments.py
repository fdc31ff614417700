"""Online payment through the demo gateway (VNPay-style, HMAC-SHA512): 766 row 3.6 (DuocThanhToanTrucTuyen).
A forged, tampered or replayed callback changes nothing."""
import json
import urllib.request
from urllib.parse import parse_qsl, urlencode, urlsplit

import pytest

from kycuong.core.models import Event
from kycuong.integrations import demo_gateway, services
from kycuong.integrations.errors import AlreadyPaid
from kycuong.integrations.models import Payment
from kycuong.integrations.payments import payments
from kycuong.integrations.registry import Registry
from kycuong.onestop.models import Dossier, OnlinePayment



def start(citizen, code):
    payment, url = services.start_payment(citizen, code, gateway_key="demo",
                                          return_url="http://testserver/thanh-toan/demo/ket-qua/")
    params = dict(parse_qsl(urlsplit(url).query))
    return payment, params


def snapshot(code):
    d = Dossier.objects.get(code=code)
    return (d.paid_online, d.version, d.state, list(Payment.objects.values_list("state", "receipt_no")),
            Event.objects.count())


@pytest.mark.django_db
def test_registry_is_typed_and_refuses_duplicates():
    assert "demo" in payments and payments["demo"].key == "demo"
    reg = Registry[object]("thing")
    reg.register("a")(type("A", (), {}))
    with pytest.raises(ValueError):
        reg.register("a")(type("B", (), {}))


@pytest.mark.django_db
def test_successful_callback_records_flag_and_receipt_once(submitted, citizen):
    payment, params = start(citizen, submitted.code)
    assert demo_gateway.sign(params) == params["vnp_SecureHash"] and params["vnp_Amount"] == "15000000"
    result = demo_gateway.bank_result(params, "pay", "12345678")
    code, _p = services.handle_callback("demo", result)
    assert code == "00"
    d = Dossier.objects.get(code=submitted.code)
    assert d.paid_online == OnlinePayment.LOCAL_PORTAL
    payment.refresh_from_db()
    assert payment.state == "paid" and payment.receipt_no.startswith("BL-")
    assert Event.objects.filter(subject_id=d.code, kind="paid_online").count() == 1
    before = snapshot(d.code)
    code, _p = services.handle_callback("demo", result)  # the replay
    assert code == "02" and snapshot(d.code) == before
    with pytest.raises(AlreadyPaid):
        start(citizen, d.code)


@pytest.mark.django_db
def test_forged_and_tampered_callbacks_change_nothing(submitted, citizen):
    payment, params = start(citizen, submitted.code)
    before = snapshot(submitted.code)
    forged = demo_gateway.bank_result(params, "pay", "1")
    forged["vnp_SecureHash"] = "00" * 64
    assert services.handle_callback("demo", forged)[0] == "97"
    tampered = demo_gateway.bank_result(params, "pay", "1")
    tampered["vnp_Amount"] = "100"  # signature no longer matches
    assert services.handle_callback("demo", tampered)[0] == "97"
    cheap = demo_gateway.signed({**{k: v for k, v in demo_gateway.bank_result(params, "pay", "1").items()
                                     if k != "vnp_SecureHash"}, "vnp_Amount": "100"})
    assert services.handle_callback("demo", cheap)[0] == "04"  # signed but the wrong amount
    unknown = demo_gateway.signed({**{k: v for k, v in demo_gateway.bank_result(params, "pay", "1").items()
                                       if k != "vnp_SecureHash"}, "vnp_TxnRef": "NOPE"})
    assert services.handle_callback("demo", unknown)[0] == "01"
    assert snapshot(submitted.code) == before


@pytest.mark.django_db
def test_cancel_and_failure_leave_the_dossier_unpaid(submitted, citizen):
    for outcome, state in (("cancel", "cancelled"), ("fail", "failed")):
        payment, params = start(citizen, submitted.code)
        assert services.handle_callback("demo", demo_gateway.bank_result(params, outcome, "1"))[0] == "00"
        payment.refresh_from_db()
        assert payment.state == state
    assert Dossier.objects.get(code=submitted.code).paid_online == OnlinePayment.NONE


@pytest.mark.django_db
def test_only_the_applicant_can_pay(submitted, other_citizen):
    from kycuong.onestop.errors import DossierNotFound

    with pytest.raises(DossierNotFound):
        start(other_citizen, submitted.code)


@pytest.mark.django_db(transaction=True)
def test_bank_round_trip_over_real_http(live_server, client, submitted, citizen):
    """The simulated bank calls our IPN over HTTP; the signed return page shows the receipt; a replayed IPN
    over HTTP answers "already confirmed" and changes nothing."""
    client.force_login(citizen)
    r = client.post(f"/thanh-toan/ho-so/{submitted.code}/")
    assert r.status_code == 302 and r["Location"].startswith("/thanh-toan/ngan-hang-minh-hoa/?")
    params = dict(parse_qsl(urlsplit(r["Location"]).query))
    # The bank page is a real page of the live server: the browser would POST the choice to it.
    body = urlencode({**params, "outcome": "pay"}).encode()
    req = urllib.request.Request(live_server.url + "/thanh-toan/ngan-hang-minh-hoa/", data=body)
    # CSRF: the bank page is ours; fetch it first for the token.
    import http.cookiejar

    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar),
                                         _NoRedirect())
    page = opener.open(live_server.url + r["Location"]).read().decode()
    token = page.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
    body = urlencode({**params, "outcome": "pay", "csrfmiddlewaretoken": token}).encode()
    req = urllib.request.Request(live_server.url + "/thanh-toan/ngan-hang-minh-hoa/", data=body,
                                 headers={"Referer": live_server.url + "/"})
    try:
        opener.open(req)
    except urllib.error.HTTPError as exc:
        assert exc.code == 302
        back = exc.headers["Location"]
    assert Dossier.objects.get(code=submitted.code).paid_online == OnlinePayment.LOCAL_PORTAL
    page = client.get(urlsplit(back).path + "?" + urlsplit(back).query).content.decode()
    assert "Thanh toán thành công" in page and "BL-" in page
    before = snapshot(submitted.code)
    ipn = live_server.url + "/thanh-toan/demo/ipn/?" + urlsplit(back).query
    answer = json.loads(urllib.request.urlopen(ipn).read())
    assert answer["RspCode"] == "02" and snapshot(submitted.code) == before
    forged = ipn.replace("vnp_ResponseCode=00", "vnp_ResponseCode=24")
    assert json.loads(urllib.request.urlopen(forged).read())["RspCode"] == "97"
    assert client.get("/thanh-toan/demo/ket-qua/?" + urlsplit(forged).query).status_code == 400


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


@pytest.mark.django_db
def test_payment_of_a_dossier_waiting_for_it_resumes_processing(submitted, citizen, officers):
    """docs/legal/one-stop.md §2.1 state 6 (Yêu cầu thực hiện nghĩa vụ tài chính): once paid, processing resumes (state 4)."""
    from kycuong.onestop import services as onestop

    onestop.act(submitted.code, "accept", officers["counter"])
    onestop.act(submitted.code, "start_processing", officers["counter"])
    onestop.act(submitted.code, "request_payment", officers["counter"], amount_vnd=150_000)
    assert Dossier.objects.get(code=submitted.code).state == 6
    _payment, params = start(citizen, submitted.code)
    assert services.handle_callback("demo", demo_gateway.bank_result(params, "pay", "9"))[0] == "00"
    d = Dossier.objects.get(code=submitted.code)
    assert d.state == 4 and d.paid_online == OnlinePayment.LOCAL_PORTAL
