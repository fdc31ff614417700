import pytest

pytestmark = pytest.mark.django_db


def test_seed_feedback_demo_goes_through_the_services_once(city, demo):
    from kycuong.core import events
    from kycuong.feedback.models import Report

    demo.accounts()
    assert demo.feedback() == 5
    assert demo.feedback() == 0
    assert set(Report.objects.values_list("state", flat=True)) == {"published", "verifying", "received"}
    assert Report.objects.filter(repeat_of__isnull=False).count() == 1
    assert events.verify("feedback_report") == []
