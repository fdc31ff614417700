"""The payment adapter interface and its registry. A gateway turns a pending Payment into a redirect URL and
turns the gateway's signed parameters (return URL or server callback) into a verified `Outcome`.
"""
from dataclasses import dataclass

from .registry import Registry


@dataclass(frozen=True)
class Outcome:
    txn_ref: str
    amount_vnd: int
    status: str            # "paid" | "failed" | "cancelled"
    response_code: str
    gateway_txn_no: str = ""
    currency: str = "VND"  # fees are integer VND (docs/design.md rule 8); anything else is refused by the policy


class PaymentGateway:
    key: str = ""
    label: str = ""
    # The DuocThanhToanTrucTuyen value this gateway means (1 DVCQG, 2 local payment portal), docs/legal/decision-766.md §1.2 3.6.
    online_payment_value: int = 2

    def redirect_url(self, payment, *, return_url: str, client_ip: str) -> str:
        raise NotImplementedError

    def verify(self, params: dict) -> Outcome:
        """Check the signature and read the outcome; raise BadSignature when it does not verify."""
        raise NotImplementedError

    def ack(self, code: str) -> dict:
        """The body the gateway expects back from our callback endpoint."""
        raise NotImplementedError


payments: Registry[PaymentGateway] = Registry("payment gateway")
