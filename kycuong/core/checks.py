"""System checks of the production profile (docs/security.md): no shipped secret outside the demo.

Registered without `deploy=True`, so `check`, `check --deploy`, every management command and the WSGI
application (kycuong/wsgi.py) all refuse a default or short secret unless KYCUONG_DEBUG or KYCUONG_DEMO is on.
"""
from django.conf import settings
from django.core.checks import Error, Tags, register

TAG = "kycuong_secrets"
MIN_LENGTH = 32


@register(TAG, Tags.security)
def no_default_secrets(app_configs=None, **kwargs):
    if settings.DEBUG or settings.KYCUONG_DEMO:
        return []
    errors = []
    for name, demo_value in settings.DEMO_SECRETS.items():
        value = getattr(settings, name, "") or ""
        if value == demo_value or len(value) < MIN_LENGTH:
            env = "KYCUONG_SECRET_KEY" if name == "SECRET_KEY" else name
            errors.append(Error(
                f"{name} is the shipped demo value or shorter than {MIN_LENGTH} characters.",
                hint=f"Set {env} in the environment to a long random value (deploy/kycuong.env.example).",
                id="kycuong.E001"))
    return errors
