import pytest

pytestmark = pytest.mark.django_db


def test_demo_dossiers_go_through_the_services(city):
    from kycuong.core import events
    from kycuong.devdata.demo.core import load_demo_accounts
    from kycuong.devdata.demo.onestop import load_demo_dossiers
    from kycuong.onestop.models import Dossier

    load_demo_accounts()
    assert load_demo_dossiers() == 12
    assert load_demo_dossiers() == 0  # idempotent
    assert {2, 4, 5, 10} <= set(Dossier.objects.values_list("state", flat=True))
    assert events.verify("dossier") == []
