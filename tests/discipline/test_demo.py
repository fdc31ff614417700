"""The demo data of the discipline app (called by `manage.py seed_demo`)."""
from kycuong.core.models import Official, Unit
from kycuong.discipline.models import Attendance, Directive, Letter, Meeting


def test_demo_has_officials_a_past_meeting_and_a_directive(demo_city, demo):
    demo.accounts()
    made = demo.discipline()
    assert made == Official.objects.count() > 3 * 100
    sotp = Unit.objects.get(code="H26.104")
    assert set(Official.objects.filter(unit=sotp).values_list("rank", flat=True)) == {"head", "deputy", "staff"}
    assert Official.objects.get(user__username="chuyenvien").unit == sotp
    meeting = Meeting.objects.get()
    assert meeting.state == "closed" and meeting.invitations.count() == 10
    states = set(meeting.invitations.values_list("final_state", flat=True))
    assert {Attendance.ABSENT_REPORTED, Attendance.ABSENT_UNREPORTED, Attendance.LEFT_UNREPORTED,
            Attendance.LEFT_WITH_CONSENT, Attendance.LATE, Attendance.PRESENT} == states
    assert Letter.objects.get().kind == "criticism"
    assert Directive.objects.get().tasks.count() == 4
    assert demo.discipline() == 0  # idempotent
