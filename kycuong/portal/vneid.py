"""Sign-in with the national identity (VNeID) as an OpenID Connect adapter point — OFF by default.

No network call happens here: when KYCUONG_VNEID_ENABLED is true a deployment supplies the provider's
endpoints and client credentials, and this module builds the authorisation request (code flow with
state and nonce). Exchanging the code and reading the ID token is the provider-specific part a deployment
plugs in through KYCUONG_VNEID_CLIENT (a class with `exchange(code) -> claims`).
"""
import secrets
from urllib.parse import urlencode

from django.conf import settings
from django.utils.module_loading import import_string


def enabled() -> bool:
    return bool(getattr(settings, "KYCUONG_VNEID_ENABLED", False))


def authorization_url(request, redirect_uri: str) -> str:
    state, nonce = secrets.token_urlsafe(24), secrets.token_urlsafe(24)
    request.session["vneid_state"], request.session["vneid_nonce"] = state, nonce
    query = urlencode({
        "response_type": "code", "client_id": settings.KYCUONG_VNEID_CLIENT_ID, "redirect_uri": redirect_uri,
        "scope": "openid profile", "state": state, "nonce": nonce,
    })
    return f"{settings.KYCUONG_VNEID_AUTHORIZE_URL}?{query}"


def client():
    """The deployment's code-exchange client; None when not configured."""
    path = getattr(settings, "KYCUONG_VNEID_CLIENT", "")
    return import_string(path)() if path else None
