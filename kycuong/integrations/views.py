"""Payment pages: start (citizen), the demo bank (simulated gateway), the server callback (IPN) and the
browser's return. Thin: services decide; the demo bank talks to our callback over real HTTP."""
import json
import logging
import secrets
import urllib.request
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from kycuong.core.errors import DomainError

from . import demo_gateway, services
from .errors import BadSignature

log = logging.getLogger(__name__)


def _mine(code):
    return reverse("portal:my_dossier", args=[code])


@login_required(login_url="portal:sign_in")
@require_POST
def pay(request, code):
    return_url = request.build_absolute_uri(reverse("integrations:return", args=["demo"]))
    try:
        _payment, url = services.start_payment(request.user, code, gateway_key="demo", return_url=return_url,
                                               client_ip=request.META.get("REMOTE_ADDR", ""))
    except DomainError as exc:
        if exc.status == 404:
            return render(request, "portal/mine/not_found.html", status=404)
        messages.error(request, str(exc.message))
        return redirect(_mine(code))
    return redirect(url)


def demo_bank(request):
    """The simulated bank: checks the merchant's signature, offers pay / cancel / fail."""
    params = request.GET.dict() if request.method == "GET" else request.POST.dict()
    request_params = {k: v for k, v in params.items() if k.startswith("vnp_")}
    try:
        demo_gateway.check(request_params)
    except BadSignature as exc:
        return render(request, "integrations/bank_error.html", {"message": exc.message}, status=400)
    return_url = request_params.get("vnp_ReturnUrl", "")
    # The bank only sends customers back to this site (any of its configured host names).
    if not url_has_allowed_host_and_scheme(return_url, allowed_hosts={request.get_host(), *settings.ALLOWED_HOSTS}):
        return render(request, "integrations/bank_error.html",
                      {"message": _("Địa chỉ trả về không hợp lệ.")}, status=400)
    if request.method != "POST":
        amount = int(request_params.get("vnp_Amount", "0")) // 100
        return render(request, "integrations/demo_bank.html", {
            "params": request_params, "amount": f"{amount:,}".replace(",", "."),
            "order": request_params.get("vnp_OrderInfo", "")})
    outcome = request.POST.get("outcome", "")
    result = demo_gateway.bank_result(request_params, outcome, txn_no=str(secrets.randbelow(10 ** 8)))
    ipn = request.build_absolute_uri(reverse("integrations:ipn", args=["demo"])) + "?" + urlencode(result)
    try:  # server to server, over real HTTP, as the bank would
        with urllib.request.urlopen(ipn, timeout=15) as response:  # noqa: S310 - our own configured URL
            log.info("demo bank IPN answer: %s", json.loads(response.read() or b"{}"))
    except Exception:  # noqa: BLE001 - a bank retries later; the return page says "waiting"
        log.exception("demo bank could not reach the IPN endpoint")
    return redirect(return_url + "?" + urlencode(result))


@csrf_exempt
@require_GET
def ipn(request, gateway_key):
    """Instant payment notification, server to server. Answers the gateway's JSON; never 500."""
    try:
        code, _payment = services.handle_callback(gateway_key, request.GET.dict())
    except DomainError:
        code = demo_gateway.IPN_CODES["error"]
    return JsonResponse(services.gateway(gateway_key).ack(code) if gateway_key == "demo" else {"RspCode": code})


@require_GET
def payment_return(request, gateway_key):
    try:
        outcome, payment = services.verify_return(gateway_key, request.GET.dict())
    except DomainError as exc:
        return render(request, "integrations/return.html", {"error": exc.message, "code": exc.code}, status=400)
    return render(request, "integrations/return.html", {"outcome": outcome, "payment": payment,
                                                        "mine": _mine(payment.dossier.code)})


