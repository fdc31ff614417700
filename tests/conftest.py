import os

import pytest

# Processes the tests start (servers, concurrent writers) run with the demo secrets too (core.checks).
os.environ.setdefault("KYCUONG_DEMO", "true")


@pytest.fixture
def demo_city(db):
    """The demo Hà Nội: units (and the demo catalog when the catalog app provides it)."""
    from kycuong.devdata.demo.core import load_demo_units

    load_demo_units()
    from kycuong.core.models import Unit

    return Unit.objects


@pytest.fixture
def make_officer(db):
    from kycuong.core.models import Unit, User
    from kycuong.core.services import create_user

    counter = {"n": 0}

    def make(role, unit_code, **extra):
        counter["n"] += 1
        unit = Unit.objects.get(code=unit_code) if unit_code else None
        return create_user(f"user{counter['n']}", "pw-Abc12345!", role=role, unit=unit, **extra)

    make.Role = User.Role
    return make


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # PBKDF2 costs ~0.5 s a hash on this machine; tests don't test hashing strength.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _vietnamese_by_default():
    # LocaleMiddleware leaves the last request's language active in the thread: a test that asked for
    # English must not change the words the next test sees. Every test starts in Vietnamese.
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)
