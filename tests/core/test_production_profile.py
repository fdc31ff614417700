"""The production profile (docs/security.md): the server refuses shipped secrets outside the demo, and
`check --deploy` is clean with the production settings from the environment. Real processes, real env."""
import os
import secrets
import subprocess
import sys
from pathlib import Path

from django.test import override_settings

from kycuong.core.checks import no_default_secrets

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "KYCUONG_DEMO": "false", "KYCUONG_DEBUG": "false",
    "KYCUONG_SECRET_KEY": secrets.token_urlsafe(48), "KYCUONG_AUDIT_KEY": secrets.token_urlsafe(32),
    "KYCUONG_PAYMENT_DEMO_SECRET": secrets.token_urlsafe(32),
    "KYCUONG_HSTS_SECONDS": "31536000", "KYCUONG_HSTS_INCLUDE_SUBDOMAINS": "true", "KYCUONG_HSTS_PRELOAD": "true",
    "KYCUONG_SSL_REDIRECT": "true", "KYCUONG_SECURE_COOKIES": "true", "KYCUONG_BEHIND_TLS_PROXY": "true",
    "KYCUONG_ALLOWED_HOSTS": "dichvucong.hanoi.example",
}


def run(args, extra, tmp_path):
    # A clean environment: no KYCUONG_ setting, no database URL, and not the async-unsafe switch the browser
    # tests set for their live server (Django's check refuses it in deployment, rightly).
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("KYCUONG_") and k not in ("DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE")}
    env.update(KYCUONG_VAR_DIR=str(tmp_path), **extra)
    return subprocess.run([sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)


def test_check_deploy_fails_with_any_shipped_secret(tmp_path):
    for name in ("KYCUONG_SECRET_KEY", "KYCUONG_AUDIT_KEY", "KYCUONG_PAYMENT_DEMO_SECRET"):
        profile = {k: v for k, v in PRODUCTION.items() if k != name}
        done = run(["manage.py", "check", "--deploy", "--fail-level", "ERROR"], profile, tmp_path)
        assert done.returncode != 0, name
        assert "kycuong.E001" in done.stderr and name.replace("KYCUONG_SECRET_KEY", "SECRET_KEY") in done.stderr


def test_check_deploy_is_clean_with_the_production_profile(tmp_path):
    done = run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], PRODUCTION, tmp_path)
    assert done.returncode == 0, done.stderr
    assert "System check identified no issues" in done.stdout


def test_the_wsgi_application_refuses_to_start_with_a_shipped_secret(tmp_path):
    profile = {k: v for k, v in PRODUCTION.items() if k != "KYCUONG_AUDIT_KEY"}
    done = run(["-c", "import kycuong.wsgi"], profile, tmp_path)
    assert done.returncode != 0 and "kycuong.E001" in done.stderr and "KYCUONG_AUDIT_KEY" in done.stderr
    assert run(["-c", "import kycuong.wsgi"], PRODUCTION, tmp_path).returncode == 0


def test_demo_and_debug_may_use_the_shipped_secrets():
    with override_settings(KYCUONG_DEMO=True, DEBUG=False):
        assert no_default_secrets() == []
    with override_settings(KYCUONG_DEMO=False, DEBUG=True):
        assert no_default_secrets() == []
    with override_settings(KYCUONG_DEMO=False, DEBUG=False, SECRET_KEY="short"):
        assert {e.id for e in no_default_secrets()} == {"kycuong.E001"}
