"""Citizen accounts: sign up and sign in with a one-time code sent by e-mail or SMS; the profile.

Officers keep their password sign-in at /dang-nhap/. Thin: services decide, the session only remembers
which contact is waiting for a code.
"""
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kycuong.core.errors import DomainError
from kycuong.core.ratelimit import client_ip
from kycuong.onestop.views import error_items

from . import services, vneid
from .forms import CodeForm, ContactForm, ProfileForm, SignUpForm
from .models import OneTimeCode

SESSION_KEY = "portal_otp"
FIELD_FOR = {"PORTAL_NAME_REQUIRED": "full_name", "PORTAL_BAD_KIND": "kind", "PORTAL_BAD_ID_NUMBER": "id_number"}


def _next(request):
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return reverse("portal:mine")


def _ask(request, form, purpose, template):
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                destination = services.request_code(
                    data["contact"], purpose, ip=client_ip(request), full_name=data.get("full_name", ""),
                    kind=data.get("kind", "person"))
            except DomainError as exc:
                form.add_error(FIELD_FOR.get(exc.code, "contact"), str(exc.message))
                status = exc.status
            else:
                request.session[SESSION_KEY] = {"purpose": purpose, "contact": destination, "next": _next(request)}
                return redirect("portal:verify")
        else:
            status = 422
    return render(request, template, {"form": form, "errors": error_items(form), "next": _next(request),
                                      "vneid": vneid.enabled()}, status=status)


def sign_up(request):
    form = SignUpForm(request.POST or None)
    return _ask(request, form, OneTimeCode.Purpose.SIGN_UP, "portal/account/sign_up.html")


def sign_in(request):
    form = ContactForm(request.POST or None)
    return _ask(request, form, OneTimeCode.Purpose.SIGN_IN, "portal/account/sign_in.html")


def verify(request):
    pending = request.session.get(SESSION_KEY)
    if not pending:
        return redirect("portal:sign_in")
    form = CodeForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                user = services.verify_code(pending["contact"], pending["purpose"], form.cleaned_data["code"],
                                            ip=client_ip(request))
            except DomainError as exc:
                form.add_error("code", str(exc.message))
                status = exc.status
            else:
                request.session.pop(SESSION_KEY, None)
                login(request, user, backend="django.contrib.auth.backends.ModelBackend")
                return redirect(pending.get("next") or "portal:mine")
        else:
            status = 422
    return render(request, "portal/account/verify.html", {
        "form": form, "errors": error_items(form), "contact": pending["contact"],
        "signing_up": pending["purpose"] == OneTimeCode.Purpose.SIGN_UP}, status=status)


@require_POST
def sign_out(request):
    logout(request)
    return redirect("portal:home")


@login_required(login_url="portal:sign_in")
def profile(request):
    user = request.user
    current = services.profile_of(user)
    form = ProfileForm(request.POST or None, initial={
        "full_name": user.full_name, "id_number": current.id_number, "address": current.address})
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.update_profile(user, **form.cleaned_data)
            except DomainError as exc:
                form.add_error(FIELD_FOR.get(exc.code, "full_name"), str(exc.message))
                status = exc.status
            else:
                messages.success(request, _("Đã lưu thông tin tài khoản."))
                return redirect("portal:profile")
        else:
            status = 422
    return render(request, "portal/account/profile.html", {"form": form, "errors": error_items(form),
                                                           "profile": current}, status=status)


def vneid_start(request):
    """The VNeID (OIDC) adapter point: absent unless a deployment turns it on."""
    if not vneid.enabled():
        raise Http404(_("Đăng nhập bằng VNeID chưa được bật."))
    return redirect(vneid.authorization_url(request, request.build_absolute_uri(reverse("portal:vneid_start"))))
