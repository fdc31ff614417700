import pytest

pytestmark = pytest.mark.django_db


def test_seed_feedback_demo_goes_through_the_services_once(city):
    from kycuong.core import events
    from kycuong.devdata.demo.core import load_demo_accounts
    from kycuong.devdata.demo.feedback import seed_feedback_demo
    from kycuong.feedback.models import Report

    load_demo_accounts()
    assert seed_feedback_demo() == 5
    assert seed_feedback_demo() == 0
    assert set(Report.objects.values_list("state", flat=True)) == {"published", "verifying", "received"}
    assert Report.objects.filter(repeat_of__isnull=False).count() == 1
    assert events.verify("feedback_report") == []
