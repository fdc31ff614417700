"""The payment rulebook, one rule per test: who starts, when the fee is payable, a demand above 0, money
once (paid refuses, pending resumes), and callbacks that settle only a pending payment for its exact amount."""
from urllib.parse import parse_qsl, urlsplit

import pytest

from kycuong.core.errors import Conflict
from kycuong.integrations import demo_gateway, services
from kycuong.integrations.errors import AlreadyPaid, NothingToPay
from kycuong.integrations.models import Payment
from kycuong.integrations.policy import PAYMENT, TRANSITIONS, draft, may_start
from kycuong.onestop import services as onestop
from kycuong.onestop.errors import DossierNotFound, Invalid
from kycuong.onestop.models import Dossier, OnlinePayment

pytestmark = pytest.mark.django_db
RETURN = "http://testserver/thanh-toan/demo/ket-qua/"


def start(user, code):
    payment, url = services.start_payment(user, code, gateway_key="demo", return_url=RETURN)
    return payment, dict(parse_qsl(urlsplit(url).query))


def to_state_6(code, officer, amount):
    from kycuong.onestop import services as onestop

    onestop.act(code, "accept", officer)
    onestop.act(code, "start_processing", officer)
    onestop.act(code, "request_payment", officer, amount_vnd=amount)
    return Dossier.objects.get(code=code)


def test_every_line_cites_its_basis():
    for name, t in TRANSITIONS.items():
        assert "docs/legal/" in t.basis or "IPN" in t.basis, name


def test_only_the_dossiers_applicant_starts_a_payment(submitted, citizen, other_citizen, officers):
    with pytest.raises(DossierNotFound):  # another citizen: the dossier does not exist for them
        start(other_citizen, submitted.code)
    refusal = PAYMENT.decide(officers["counter"], draft(submitted), "start").refusal
    assert refusal.code == "PAYMENT_NOT_PERMITTED" and refusal.forbidden  # officers record counter payments
    assert PAYMENT.decide(citizen, draft(submitted), "start").allowed


def test_fee_payable_with_the_application_or_on_demand_state_6_vn_rules_2_1(submitted, citizen, officers):
    from kycuong.onestop import services as onestop

    onestop.act(submitted.code, "accept", officers["counter"])
    onestop.act(submitted.code, "start_processing", officers["counter"])
    with pytest.raises(Conflict) as err:  # processing, no demand made: not the time to pay
        start(citizen, submitted.code)
    assert err.value.code == "PAYMENT_DOSSIER_NOT_PAYABLE" and err.value.status == 409
    onestop.act(submitted.code, "request_payment", officers["counter"], amount_vnd=200_000)
    payment, params = start(citizen, submitted.code)
    assert payment.amount_vnd == 200_000 and params["vnp_Amount"] == "20000000"


def test_a_demand_of_zero_or_less_is_refused_with_a_stable_code_qd766_3_6(submitted, citizen, officers):
    # One-stop no longer asks for 0 đồng (issue 18: ONESTOP_BAD_AMOUNT); a demand stored as 0 (imported, or
    # from before that rule) must still be refused here.
    with pytest.raises(Invalid) as refused:
        to_state_6(submitted.code, officers["counter"], 0)
    assert refused.value.code == "ONESTOP_BAD_AMOUNT"
    onestop.act(submitted.code, "request_payment", officers["counter"], amount_vnd=1000)
    Dossier.objects.filter(code=submitted.code).update(fee_total_vnd=0)
    d = Dossier.objects.get(code=submitted.code)
    with pytest.raises(NothingToPay) as err:
        start(citizen, d.code)
    assert err.value.code == "PAYMENT_NOTHING_TO_PAY" and err.value.status == 409
    d.fee_total_vnd = -1  # never stored (the field is positive), still refused if it ever came in
    assert PAYMENT.decide(citizen, draft(d), "start").refusal.code == "PAYMENT_NOTHING_TO_PAY"
    assert not may_start(citizen, d)


def test_a_paid_demand_refuses_a_new_start_money_once(submitted, citizen):
    Dossier.objects.filter(pk=submitted.pk).update(paid_online=OnlinePayment.NATIONAL_PORTAL)
    with pytest.raises(AlreadyPaid):
        start(citizen, submitted.code)
    assert Payment.objects.count() == 0


def test_a_second_start_resumes_the_pending_payment(submitted, citizen):
    first, p1 = start(citizen, submitted.code)
    second, p2 = start(citizen, submitted.code)
    assert second.pk == first.pk and p2["vnp_TxnRef"] == p1["vnp_TxnRef"]
    assert Payment.objects.filter(dossier=submitted).count() == 1


def test_a_new_demand_supersedes_the_pending_payment_of_the_old_amount(submitted, citizen, officers):
    old, _p = start(citizen, submitted.code)
    to_state_6(submitted.code, officers["counter"], 300_000)
    new, _p = start(citizen, submitted.code)
    old.refresh_from_db()
    assert old.state == "cancelled" and new.pk != old.pk and new.amount_vnd == 300_000
    assert Payment.objects.filter(dossier=submitted, state="pending").count() == 1


def test_callbacks_settle_only_pending_payments_and_only_the_system_settles(submitted, citizen):
    payment, params = start(citizen, submitted.code)
    refusal = PAYMENT.decide(citizen, payment, "confirm", params={"amount_vnd": payment.amount_vnd}).refusal
    assert refusal.code == "PAYMENT_NOT_PERMITTED" and refusal.forbidden
    paid = demo_gateway.bank_result(params, "pay", "1")
    assert services.handle_callback("demo", paid)[0] == "00"
    payment.refresh_from_db()
    refusal = PAYMENT.decide(None, payment, "fail", params={"amount_vnd": payment.amount_vnd}).refusal
    assert refusal.code == "PAYMENT_NOT_PENDING"
    assert services.handle_callback("demo", demo_gateway.bank_result(params, "fail", "2"))[0] == "02"
    payment.refresh_from_db()
    assert payment.state == "paid"


def test_callback_amount_and_currency_must_match_the_demand(submitted, citizen):
    payment, params = start(citizen, submitted.code)
    base = {k: v for k, v in demo_gateway.bank_result(params, "pay", "1").items() if k != "vnp_SecureHash"}
    assert services.handle_callback("demo", demo_gateway.signed({**base, "vnp_Amount": "100"}))[0] == "04"
    assert services.handle_callback("demo", demo_gateway.signed({**base, "vnp_CurrCode": "USD"}))[0] == "04"
    payment.refresh_from_db()
    assert payment.state == "pending"
    assert services.handle_callback("demo", demo_gateway.signed({**base, "vnp_CurrCode": "VND"}))[0] == "00"


def test_the_portal_pay_button_asks_the_policy(client, submitted, citizen, officers):
    client.force_login(citizen)
    url = f"/ho-so-cua-toi/{submitted.code}/"
    assert 'data-testid="pay-button"' in client.get(url).content.decode()  # fee due with the application
    from kycuong.onestop import services as onestop

    onestop.act(submitted.code, "accept", officers["counter"])
    onestop.act(submitted.code, "start_processing", officers["counter"])
    assert 'data-testid="pay-button"' not in client.get(url).content.decode()  # no demand now
    onestop.act(submitted.code, "request_payment", officers["counter"], amount_vnd=150_000)
    assert 'data-testid="pay-button"' in client.get(url).content.decode()
    _payment, params = start(citizen, submitted.code)
    services.handle_callback("demo", demo_gateway.bank_result(params, "pay", "1"))
    assert 'data-testid="pay-button"' not in client.get(url).content.decode()  # paid: money once
