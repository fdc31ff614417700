"""The only code that changes payments. A callback is trusted only after its signature and amount check, and
only a pending payment moves: a forged or replayed callback changes nothing (tested)."""
import logging
import secrets

from django.db import transaction
from django.utils import timezone

from kycuong.core import events
from kycuong.onestop import services as onestop
from kycuong.onestop.errors import DossierNotFound
from kycuong.onestop.models import Dossier, OnlinePayment
from kycuong.onestop.workflow import OPEN_STATES, State

from . import demo_gateway  # noqa: F401  (registers the demo gateway)
from .errors import AlreadyPaid, AmountMismatch, BadSignature, NothingToPay, PaymentInvalid, UnknownPayment
from .models import Payment
from .payments import payments

log = logging.getLogger(__name__)
PAYABLE_STATES = OPEN_STATES | {State.FINISHED}


def gateway(key: str):
    if key not in payments:
        raise PaymentInvalid(code="PAYMENT_UNKNOWN_GATEWAY")
    return payments[key]


@transaction.atomic
def start_payment(user, code: str, *, gateway_key: str, return_url: str, client_ip: str = "") -> tuple[Payment, str]:
    """Open a pending payment of the dossier's fees and return where to send the citizen."""
    gw = gateway(gateway_key)
    dossier = Dossier.objects.select_for_update().filter(code=code, applicant=user).first() if user else None
    if dossier is None:
        raise DossierNotFound()
    if dossier.paid_online != OnlinePayment.NONE or dossier.payments.filter(state=Payment.State.PAID).exists():
        raise AlreadyPaid()
    if not dossier.fee_total_vnd:
        raise NothingToPay()
    if dossier.state not in PAYABLE_STATES:
        raise PaymentInvalid(code="PAYMENT_DOSSIER_CLOSED")
    ref = f"{timezone.localtime():%y%m%d}{secrets.token_hex(5).upper()}"
    payment = Payment.objects.create(dossier=dossier, user=user, gateway=gw.key, txn_ref=ref,
                                     amount_vnd=dossier.fee_total_vnd)
    events.append("payment", ref, "payment_started", actor=user, data={"dossier": code, "amount_vnd": payment.amount_vnd})
    return payment, gw.redirect_url(payment, return_url=return_url, client_ip=client_ip)


def handle_callback(gateway_key: str, params: dict) -> tuple[str, Payment | None]:
    """The server-to-server notification (IPN). Returns (ack code, payment); never raises for bad input."""
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
        if payment.amount_vnd != outcome.amount_vnd:
            return codes["amount"], payment
        if payment.state != Payment.State.PENDING:
            return codes["already"], payment
        now = timezone.now()
        payment.state = outcome.status
        payment.finished_at = now
        payment.response_code = outcome.response_code
        payment.gateway_txn_no = outcome.gateway_txn_no
        if outcome.status == Payment.State.PAID:
            payment.receipt_no = f"BL-{timezone.localtime(now):%y%m%d}-{payment.pk:06d}"
        payment.save(update_fields=["state", "finished_at", "response_code", "gateway_txn_no", "receipt_no"])
        events.append("payment", payment.txn_ref, f"payment_{outcome.status}",
                      data={"dossier": payment.dossier.code, "amount_vnd": payment.amount_vnd,
                            "response_code": outcome.response_code, "receipt_no": payment.receipt_no})
        if outcome.status == Payment.State.PAID:
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

