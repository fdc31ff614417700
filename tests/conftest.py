import os

import pytest

# Processes the tests start (servers, concurrent writers) run with the demo secrets too (core.checks).
os.environ.setdefault("KYCUONG_DEMO", "true")

# --- the demo data: the ONE place tests reach the demo loaders ------------------------------------------------
#
# Loading the demo city through the services (≈190 units, ≈30 procedures with their versions, steps,
# documents) costs far more than most tests that need it. It is loaded once per session, inside a
# transaction that is rolled back, and the rows it wrote are kept in memory as layers ("units", then
# "catalog" on top). A test that wants the city gets those exact rows back with one bulk insert per table,
# inside its own transaction: the test database stays empty between tests, so tests that build their
# own data (or count rows) are unaffected, and transactional tests (flush at teardown) erase nothing that
# a later test relies on. The loaders themselves are still tested for real (tests/*/test_demo.py call
# them through `demo`).


class DemoLoaders:
    """The demo loaders (kycuong/devdata), imported here only."""

    @staticmethod
    def units():
        from kycuong.devdata.demo.core import load_demo_units

        return load_demo_units()

    @staticmethod
    def catalog():
        from kycuong.devdata.demo.catalog import load_demo_catalog

        return load_demo_catalog()

    @staticmethod
    def accounts():
        from kycuong.devdata.demo.core import load_demo_accounts

        return load_demo_accounts()

    @staticmethod
    def dossiers():
        from kycuong.devdata.demo.onestop import load_demo_dossiers

        return load_demo_dossiers()

    @staticmethod
    def feedback():
        from kycuong.devdata.demo.feedback import seed_feedback_demo

        return seed_feedback_demo()

    @staticmethod
    def discipline():
        from kycuong.devdata.demo.discipline import seed_discipline_demo

        return seed_discipline_demo()

    def __init__(self, layers=None):
        self._layers = layers or {}

    def restore(self, *names):
        """Put the named layers' rows back (skipping any already there) and forget the per-process caches
        the loaders' signals would have cleared. Works in a test transaction and in a transactional test."""
        from django.core.management.color import no_style
        from django.db import connection, transaction

        from kycuong.catalog.queries import forget_intake_versions
        from kycuong.core.calendars import clear_cache

        with transaction.atomic():
            for name in names:
                layer = self._layers[name]
                model, first = layer[0][0], layer[0][1][0]
                if model._base_manager.filter(pk=first[model._meta.pk.attname]).exists():
                    continue
                for model, rows in layer:
                    model._base_manager.bulk_create([model(**row) for row in rows])
                models = [model for model, _rows in layer]
                with connection.cursor() as cursor:  # PostgreSQL: the sequences after the explicit ids
                    for sql in connection.ops.sequence_reset_sql(no_style(), models):
                        cursor.execute(sql)
            forget_intake_versions()
            clear_cache()


def _all_rows():
    """{model: {pk: row dict}} for every table (the demo loaders write to few; reading all is ~60 cheap queries)."""
    from django.apps import apps

    out = {}
    for model in apps.get_models(include_auto_created=True):
        if model._meta.proxy or not model._meta.managed:
            continue
        names = [f.attname for f in model._meta.concrete_fields]
        key = names.index(model._meta.pk.attname)
        out[model] = {row[key]: dict(zip(names, row, strict=True))
                      for row in model._base_manager.order_by("pk").values_list(*names)}
    return out


def _added(before, after):
    """The rows `after` has that `before` has not, per model in a stable order; the loaders only add rows."""
    layer = []
    for model, rows in after.items():
        old = before[model]
        changed = [pk for pk in old if rows.get(pk) != old[pk]]
        assert not changed, f"a demo loader changed existing {model.__name__} rows {changed[:5]}"
        new = [row for pk, row in rows.items() if pk not in old]
        if new:
            layer.append((model, new))
    return layer


@pytest.fixture(scope="session")
def demo(django_db_setup, django_db_blocker):
    """The demo loaders plus `demo.restore("units", "catalog")`: the rows they write, captured once."""
    from django.core.cache import cache
    from django.db import transaction
    from django.test import override_settings

    with django_db_blocker.unblock(), override_settings(
            PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        with transaction.atomic():
            empty = _all_rows()
            DemoLoaders.units()
            units = _all_rows()
            DemoLoaders.catalog()
            layers = {"units": _added(empty, units), "catalog": _added(units, _all_rows())}
            transaction.set_rollback(True)
        cache.clear()
    return DemoLoaders(layers)


@pytest.fixture
def demo_city(db, demo):
    """The demo Hà Nội's units (the organisation tree with the service centre, wards and communes)."""
    demo.restore("units")
    from kycuong.core.models import Unit

    return Unit.objects


@pytest.fixture
def demo_city_with_catalog(demo_city, demo):
    """The demo units and the demo catalog (fields, legal bases, procedures with their versions)."""
    demo.restore("catalog")
    return demo_city


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


@pytest.fixture(autouse=True)
def _empty_cache():
    # Each test starts with an empty cache: no rendering (scoreboard.board_cache), lookup answer or rate
    # count an earlier test left behind.
    from django.core.cache import cache

    cache.clear()
