import pytest

pytestmark = pytest.mark.django_db


def test_demo_dossiers_go_through_the_services(city, demo):
    from kycuong.core import events
    from kycuong.onestop.models import Dossier

    demo.accounts()
    assert demo.dossiers() == 12
    assert demo.dossiers() == 0  # idempotent
    assert {2, 4, 5, 10} <= set(Dossier.objects.values_list("state", flat=True))
    assert events.verify("dossier") == []
