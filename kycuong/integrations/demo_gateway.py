"""A demo gateway that behaves like VNPay (the most common Vietnamese gateway): the citizen is redirected to
the "bank" (a page served by this app), which calls our IPN endpoint server to server over real HTTP and
then sends the browser back to the return URL. Every message is signed with HMAC-SHA512 over the sorted,
URL-encoded `vnp_*` parameters; amounts travel ×100 as VNPay does.
"""
import hashlib
import hmac
from urllib.parse import quote_plus, urlencode

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from .errors import BadSignature, PaymentInvalid
from .payments import Outcome, PaymentGateway, payments

# VNPay response codes used here.
SUCCESS, CANCELLED, FAILED = "00", "24", "51"
IPN_CODES = {"ok": "00", "unknown": "01", "already": "02", "amount": "04", "signature": "97", "error": "99"}


def secret() -> bytes:
    return settings.KYCUONG_PAYMENT_DEMO_SECRET.encode()


def canonical(params: dict) -> str:
    items = sorted((k, str(v)) for k, v in params.items()
                   if k.startswith("vnp_") and k not in ("vnp_SecureHash", "vnp_SecureHashType") and v != "")
    return "&".join(f"{k}={quote_plus(v)}" for k, v in items)


def sign(params: dict) -> str:
    return hmac.new(secret(), canonical(params).encode(), hashlib.sha512).hexdigest()


def signed(params: dict) -> dict:
    return {**params, "vnp_SecureHash": sign(params)}


def check(params: dict) -> None:
    given = str(params.get("vnp_SecureHash", ""))
    if not given or not hmac.compare_digest(given.lower(), sign(params)):
        raise BadSignature()


@payments.register("demo")
class DemoGateway(PaymentGateway):
    label = "Cổng thanh toán minh họa (kiểu VNPay)"
    online_payment_value = 2

    def redirect_url(self, payment, *, return_url, client_ip):
        params = signed({
            "vnp_Version": "2.1.0", "vnp_Command": "pay", "vnp_TmnCode": settings.KYCUONG_PAYMENT_DEMO_TMN_CODE,
            "vnp_Amount": str(payment.amount_vnd * 100), "vnp_CurrCode": "VND", "vnp_TxnRef": payment.txn_ref,
            "vnp_OrderInfo": f"Thanh toan phi ho so {payment.dossier.code}", "vnp_OrderType": "other",
            "vnp_Locale": "vn", "vnp_ReturnUrl": return_url, "vnp_IpAddr": client_ip or "127.0.0.1",
            "vnp_CreateDate": timezone.localtime(payment.created_at).strftime("%Y%m%d%H%M%S"),
        })
        return reverse("integrations:demo_bank") + "?" + urlencode(params)

    def verify(self, params):
        check(params)
        try:
            amount = int(params["vnp_Amount"])
            ref = str(params["vnp_TxnRef"])
            code = str(params["vnp_ResponseCode"])
        except (KeyError, ValueError) as exc:
            raise PaymentInvalid(code="PAYMENT_MALFORMED") from exc
        if amount % 100:
            raise PaymentInvalid(code="PAYMENT_MALFORMED")
        status = "paid" if code == SUCCESS and params.get("vnp_TransactionStatus") == SUCCESS else (
            "cancelled" if code == CANCELLED else "failed")
        return Outcome(txn_ref=ref, amount_vnd=amount // 100, status=status, response_code=code,
                       gateway_txn_no=str(params.get("vnp_TransactionNo", "")),
                       currency=str(params.get("vnp_CurrCode") or "VND"))

    def ack(self, code):
        messages = {"00": "Confirm Success", "01": "Order not found", "02": "Order already confirmed",
                    "04": "Invalid amount", "97": "Invalid signature", "99": "Unknown error"}
        return {"RspCode": code, "Message": messages.get(code, "Unknown error")}


def bank_result(request_params: dict, outcome: str, txn_no: str) -> dict:
    """What the simulated bank sends back (IPN and return URL) after the customer's choice."""
    code = {"pay": SUCCESS, "cancel": CANCELLED}.get(outcome, FAILED)
    params = {k: v for k, v in request_params.items() if k in (
        "vnp_TmnCode", "vnp_Amount", "vnp_TxnRef", "vnp_OrderInfo")}
    params.update({"vnp_ResponseCode": code, "vnp_TransactionStatus": SUCCESS if code == SUCCESS else "02",
                   "vnp_TransactionNo": txn_no if code == SUCCESS else "0", "vnp_BankCode": "NCB",
                   "vnp_PayDate": timezone.localtime().strftime("%Y%m%d%H%M%S")})
    return signed(params)
