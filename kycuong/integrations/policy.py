"""The rulebook of an online payment of a dossier's fees: the one place that decides (docs/design.md rule 2).

The demand is the dossier's fee (`Dossier.fee_total_vnd`, integer VND, docs/design.md rule 8), due with an
online application (states 1–2) or demanded by the officer during processing (state 6, "Yêu cầu thực hiện
nghĩa vụ tài chính", docs/legal/one-stop.md §2.1). The applicant starts a payment; the gateway's verified callback (the
system) settles it. A payment not yet created has the state NEW, so starting one is a line of the table.

Money once (rule 8): a demand already paid refuses a new start, and a second start while one is pending
resumes that one (`pending_for`) instead of opening a second; the database constraint that makes two
paid payments impossible is still to come (see the report of issue "money once").
"""
from django.utils.translation import gettext_lazy as _

from kycuong.core.policy import CONFLICT, FORBIDDEN, Refusal, Rulebook, Transition
from kycuong.onestop.errors import DossierNotFound
from kycuong.onestop.models import OnlinePayment
from kycuong.onestop.workflow import State as DossierState

from .errors import AlreadyPaid, AmountMismatch, NothingToPay
from .models import Payment

NEW = "new"  # a payment not yet created: `start` leaves it
CITIZEN, OFFICER, SYSTEM = "citizen", "officer", "system"
CURRENCY = "VND"
S = Payment.State

BASIS_DEMAND = ("QĐ 766/QĐ-TTg chỉ tiêu 3.6, hồ sơ thanh toán trực tuyến (docs/legal/decision-766.md §1.2); "
                "trạng thái 6 “Yêu cầu thực hiện nghĩa vụ tài chính” (docs/legal/one-stop.md §2.1)")
BASIS_CALLBACK = "Thông báo kết quả thanh toán của cổng thanh toán (IPN, ký HMAC-SHA512), đối chiếu khoản phải nộp"
# The fee is paid with the online application (1 Mới đăng ký, 2 Được tiếp nhận) or on the officer's demand (6).
PAYABLE_DOSSIER_STATES = frozenset({DossierState.SUBMITTED_ONLINE, DossierState.RECEIVED,
                                    DossierState.PAYMENT_REQUESTED})


def actor_of(user, payment=None) -> str:
    if user is None:
        return SYSTEM
    if not user.is_authenticated:
        return CITIZEN
    return OFFICER if user.is_officer else CITIZEN


def in_scope(user, payment) -> bool:
    """The gateway (system) settles any payment; a person sees only the payments of their own dossiers."""
    if user is None:
        return True
    return bool(user.is_authenticated and payment.dossier.applicant_id == user.pk)


def pending_for(dossier):
    """The payment of this dossier still waiting at the gateway, if any (the one a new start resumes)."""
    return dossier.payments.filter(state=S.PENDING).order_by("-created_at", "-id").first()


def draft(dossier, user=None, gateway="") -> Payment:
    """The payment a start would create (unsaved): what the `start` decision is taken on."""
    return Payment(dossier=dossier, user=user, gateway=gateway, amount_vnd=max(int(dossier.fee_total_vnd or 0), 0))


# --- guards --------------------------------------------------------------------------------------------

def _refusal(error_class, kind=None, **details):
    return Refusal(error_class.code, error_class.message, kind or (FORBIDDEN if error_class.status == 403 else CONFLICT),
                   details, error_class)


def dossier_awaits_payment(ctx):
    """The fee is payable with the application or on the officer's demand (state 6), not on a closed dossier."""
    if ctx.obj.dossier.state not in PAYABLE_DOSSIER_STATES:
        return Refusal("PAYMENT_DOSSIER_NOT_PAYABLE", _("Hồ sơ không ở bước nộp phí, lệ phí."), CONFLICT,
                       {"dossier_state": int(ctx.obj.dossier.state)})
    return None


def demand_positive(ctx):
    """A demand of 0 đồng or less is nothing to pay (766 indicator 3.6 excludes all-zero fee lines)."""
    if int(ctx.obj.dossier.fee_total_vnd or 0) <= 0:
        return _refusal(NothingToPay, CONFLICT)
    return None


def not_paid_yet(ctx):
    """Money once (docs/design.md rule 8): a demand already paid, online or at the counter, is not paid again."""
    dossier = ctx.obj.dossier
    paid = ctx.memo("paid", lambda: dossier.paid_online != OnlinePayment.NONE
                    or dossier.payments.filter(state=S.PAID).exists())
    return _refusal(AlreadyPaid, CONFLICT) if paid else None


def amount_and_currency_match(ctx):
    """The callback must report exactly the demand this payment was opened for: same VND amount."""
    amount, currency = ctx.params.get("amount_vnd"), ctx.params.get("currency", CURRENCY)
    if currency != CURRENCY or amount != ctx.obj.amount_vnd:
        return _refusal(AmountMismatch, CONFLICT, expected=ctx.obj.amount_vnd, given=amount, currency=currency)
    return None


START_GUARDS = (dossier_awaits_payment, demand_positive, not_paid_yet)
T = Transition
TRANSITIONS = {
    "start": T(frozenset({NEW}), S.PENDING, frozenset({CITIZEN}), BASIS_DEMAND + ": người nộp hồ sơ thanh toán",
               _("Thanh toán trực tuyến"), START_GUARDS),
    "confirm": T(frozenset({S.PENDING}), S.PAID, frozenset({SYSTEM}), BASIS_CALLBACK + ": đã thanh toán",
                 _("Xác nhận đã thanh toán"), (amount_and_currency_match,)),
    "fail": T(frozenset({S.PENDING}), S.FAILED, frozenset({SYSTEM}), BASIS_CALLBACK + ": không thành công",
              _("Ghi nhận thanh toán không thành công"), (amount_and_currency_match,)),
    "cancel": T(frozenset({S.PENDING}), S.CANCELLED, frozenset({SYSTEM}), BASIS_CALLBACK + ": người nộp hủy",
                _("Hủy thanh toán"), (amount_and_currency_match,)),
    # The officer changed the demand (state 6, a new amount) while a payment of the old amount was pending.
    "supersede": T(frozenset({S.PENDING}), S.CANCELLED, frozenset({SYSTEM}),
                   BASIS_DEMAND + ": khoản phải nộp đã thay đổi, giao dịch cũ hết hiệu lực",
                   _("Hủy giao dịch theo khoản phải nộp cũ"), ()),
}


def _refuse_actor(ctx):
    if ctx.actor == OFFICER:
        reason = _("Chỉ người nộp hồ sơ thanh toán trực tuyến; cán bộ ghi nhận nộp tại quầy trên hồ sơ.")
    else:
        reason = _("Chỉ cổng thanh toán xác nhận kết quả thanh toán.")
    return Refusal("PAYMENT_NOT_PERMITTED", reason, FORBIDDEN)


def _refuse_state(ctx):
    state = PAYMENT.state_of(ctx.obj)
    return Refusal("PAYMENT_NOT_PENDING" if state != NEW else "PAYMENT_TRANSITION_NOT_ALLOWED",
                   _("Giao dịch thanh toán không còn chờ kết quả."), CONFLICT, {"state": str(state)})


PAYMENT = Rulebook("payment", TRANSITIONS, state_of=lambda p: p.state if p.pk else NEW, actor_of=actor_of,
                   in_scope=in_scope, not_found=DossierNotFound, refuse_actor=_refuse_actor,
                   refuse_state=_refuse_state)

OUTCOME_ACTIONS = {S.PAID: "confirm", S.FAILED: "fail", S.CANCELLED: "cancel"}


def may_start(user, dossier) -> bool:
    """The portal's "Thanh toán" button: may this user start (or resume) paying this dossier now?"""
    payment = draft(dossier, user)
    return PAYMENT.in_scope(user, payment) and PAYMENT.decide(user, payment, "start").allowed
