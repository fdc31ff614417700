"""The only code that changes payments; `policy.PAYMENT` decides before every write. A callback is trusted
only after its signature, and moves only a pending payment for its exact amount: a forged or replayed
callback changes nothing (tested)."""
import logging
import secrets

from django.db import transaction
from django.utils import timezone

from kycuong.core import events
from kycuong.onestop import services as onestop
from kycuong.onestop.errors import DossierNotFound
from kycuong.onestop.models import Dossier

from . import demo_gateway, policy  # importing demo_gateway registers the demo gateway
from .errors import AmountMismatch, BadSignature, PaymentInvalid, UnknownPayment
from .models import Payment
from .payments import payments
from .policy import PAYMENT

log = logging.getLogger(__name__)


def gateway(key: str):
    if key not in payments:
        raise PaymentInvalid(code="PAYMENT_UNKNOWN_GATEWAY")
    return payments[key]


@transaction.atomic
def start_payment(user, code: str, *, gateway_key: str, return_url: str, client_ip: str = "") -> tuple[Payment, str]:
    """Open a pending payment of the dossier's fees — or resume the one already pending — and return where
    to send the citizen. `policy.PAYMENT` decides; a stranger's dossier does not exist for them (404)."""
    gw = gateway(gateway_key)
    dossier = Dossier.objects.select_for_update().filter(code=code).first() if user else None
    if dossier is None:
        raise DossierNotFound()
    PAYMENT.require(user, policy.draft(dossier, user, gw.key), "start")
    pending = policy.pending_for(dossier)
    if pending is not None and pending.gateway == gw.key and pending.amount_vnd == dossier.fee_total_vnd:
        # A second start (another tab, a double click, coming back later) resumes the pending payment.
        events.append("payment", pending.txn_ref, "payment_resumed", actor=user, data={"dossier": code})
        return pending, gw.redirect_url(pending, return_url=return_url, client_ip=client_ip)
    if pending is not None:  # the demand changed, or another gateway: the old transaction lapses
        _settle(pending, "supersede", timezone.now(), data={"reason": "new_demand"})
    ref = f"{timezone.localtime():%y%m%d}{secrets.token_hex(5).upper()}"
    payment = Payment.objects.create(dossier=dossier, user=user, gateway=gw.key, txn_ref=ref,
                                     amount_vnd=dossier.fee_total_vnd)
    events.append("payment", ref, "payment_started", actor=user, data={"dossier": code, "amount_vnd": payment.amount_vnd})
    return payment, gw.redirect_url(payment, return_url=return_url, client_ip=client_ip)


def _settle(payment, action, now, *, outcome=None, data=None):
    """Move a pending payment to its end state (the policy has allowed `action`) and record it."""
    payment.state = PAYMENT.transitions[action].target
    payment.finished_at = now
    if outcome is not None:
        payment.response_code = outcome.response_code
        payment.gateway_txn_no = outcome.gateway_txn_no
    if payment.state == Payment.State.PAID:
        payment.receipt_no = f"BL-{timezone.localtime(now):%y%m%d}-{payment.pk:06d}"
    payment.save(update_fields=["state", "finished_at", "response_code", "gateway_txn_no", "receipt_no"])
    events.append("payment", payment.txn_ref, f"payment_{payment.state}",
                  data={"dossier": payment.dossier.code, "amount_vnd": payment.amount_vnd,
                        "response_code": payment.response_code, "receipt_no": payment.receipt_no, **(data or {})})


# Which gateway answer a refusal of the callback gets (VNPay IPN codes).
_ACK_FOR = {AmountMismatch.code: "amount", "PAYMENT_NOT_PENDING": "already"}


def handle_callback(gateway_key: str, params: dict) -> tuple[str, Payment | None]:
    """The server-to-server notification (IPN). Returns (ack code, payment); never raises for bad input.

    Only the policy moves a payment: the system may settle a pending payment, for exactly its amount in VND."""
    gw = gateway(gateway_key)
    codes = demo_gateway.IPN_CODES
    try:
        outcome = gw.verify(params)
    except BadSignature:
        log.warning("payment callback with a bad signature refused: %s", params.get("vnp_TxnRef"))
        return codes["signature"], None
    except PaymentInvalid:
        return codes["error"], None
    with transaction.atomic():
        payment = (Payment.objects.select_for_update().select_related("dossier")
                   .filter(txn_ref=outcome.txn_ref, gateway=gw.key).first())
        if payment is None:
            return codes["unknown"], None
        action = policy.OUTCOME_ACTIONS.get(outcome.status)
        if action is None:
            return codes["error"], payment
        decision = PAYMENT.decide(None, payment, action, params={"amount_vnd": outcome.amount_vnd,
                                                                 "currency": outcome.currency})
        if not decision.allowed:
            return codes[_ACK_FOR.get(decision.refusal.code, "error")], payment
        now = timezone.now()
        _settle(payment, action, now, outcome=outcome)
        if payment.state == Payment.State.PAID:
            onestop.record_online_payment(payment.dossier.code, online=gw.online_payment_value,
                                          amount_vnd=payment.amount_vnd, receipt_no=payment.receipt_no,
                                          reference=payment.txn_ref, at=now)
    return codes["ok"], payment


def verify_return(gateway_key: str, params: dict):
    """The browser's return: only read (the callback is what records). Raises BadSignature when forged."""
    outcome = gateway(gateway_key).verify(params)
    payment = Payment.objects.select_related("dossier").filter(txn_ref=outcome.txn_ref).first()
    if payment is None:
        raise UnknownPayment()
    if payment.amount_vnd != outcome.amount_vnd:
        raise AmountMismatch()
    return outcome, payment

