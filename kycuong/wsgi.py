"""The WSGI application. It refuses to start with a shipped secret outside the demo (core.checks)."""
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kycuong.settings")
application = get_wsgi_application()


def _refuse_default_secrets():
    from django.core import checks
    from django.core.management.base import SystemCheckError

    from kycuong.core.checks import TAG

    errors = [e for e in checks.run_checks(tags=[TAG]) if e.is_serious()]
    if errors:
        raise SystemCheckError("\n".join(f"{e.id}: {e.msg} {e.hint}" for e in errors))


_refuse_default_secrets()
