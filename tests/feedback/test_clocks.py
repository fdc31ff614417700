"""PAKN timings of docs/legal/decision-766.md §1.4 (VPCP note on QĐ 766/QĐ-TTg, indicator 5.2), with the real calendar.

Tết Bính Ngọ 2026: the civil service is off from Saturday 14/02 to Sunday 22/02/2026 (holidays package +
the swap days of shared/data). 1 working day = 8 working hours, 08:00–12:00 and 13:00–17:00. The expected
instants below are counted by hand on that calendar, not by the engine.
"""
from datetime import timedelta

import pytest

from kycuong.feedback import services
from kycuong.feedback.models import Routing

from .conftest import hn

pytestmark = pytest.mark.django_db


def test_report_before_tet_refusal_2wd_info_5wd_handling_15wd_skip_the_tet_break(submit):
    """docs/legal/decision-766.md §1.4: refuse ≤ 2 wd, first request for information ≤ 5 wd, handled ≤ 15 wd after submission.

    Submitted Friday 13/02/2026 16:00, the last hour before Tết: 1 h on 13/02, then nothing until Monday
    23/02. 2 wd = 16 h → 23/02 (8 h) + 7 h on 24/02 → 24/02 16:00; 5 wd → 27/02 16:00; 15 wd → 13/03 16:00.
    """
    report = submit(at=hn(2026, 2, 13, 16, 0))
    assert report.clock_start_at == hn(2026, 2, 13, 16, 0)
    assert report.refuse_due_at == hn(2026, 2, 24, 16, 0)
    assert report.info_due_at == hn(2026, 2, 27, 16, 0)
    assert report.handle_due_at == hn(2026, 3, 13, 16, 0)


def test_publication_due_2wd_after_awaiting_publication_across_tet(submit, people):
    """docs/legal/decision-766.md §1.4: published ≤ 2 wd after "chờ công khai". Answered Friday 13/02/2026 10:00 → 6 h that day
    (10–12, 13–17), 10 h after Tết: 23/02 (8 h) + 2 h on 24/02 → 24/02 10:00."""
    report = submit(at=hn(2026, 2, 10, 9))
    services.act(report.code, "confirm_unit", people["leader"], at=hn(2026, 2, 10, 10))
    report = services.act(report.code, "answer", people["leader"], answer="Đã chấn chỉnh.", at=hn(2026, 2, 13, 10))
    assert report.state == "awaiting_publication"
    assert report.publish_due_at == hn(2026, 2, 24, 10, 0)
    report = services.act(report.code, "publish", people["leader"], at=hn(2026, 2, 24, 10, 30))
    assert report.overdue == ["publish"]  # 30 minutes late: marked


def test_transferred_twice_the_clocks_restart_from_the_latest_transfer(submit, people):
    """docs/legal/decision-766.md §1.4: "handled ≤ 15 wd after submission or latest transfer" (and refusal ≤ 2 wd after transfer).

    Submitted Mon 02/03/2026 09:00 to Sở Tư pháp; transferred Wed 04/03 10:00 to Sở Xây dựng, then Fri
    06/03 14:00 to the City Inspectorate. From 06/03 14:00: 2 wd → Tue 10/03 14:00; 15 wd → Fri 27/03 14:00.
    The routing history keeps both transfers.
    """
    report = submit(procedure_code="HN-DEMO-CC01", at=hn(2026, 3, 2, 9))
    assert report.responsible_unit.code == "H26.104"
    first_handle_due = report.handle_due_at
    assert first_handle_due == hn(2026, 3, 23, 9, 0)
    report = services.act(report.code, "transfer", people["leader"], unit="H26.105", reason="Thuộc lĩnh vực xây dựng",
                          at=hn(2026, 3, 4, 10))
    assert report.handle_due_at == hn(2026, 3, 25, 10, 0)
    report = services.act(report.code, "transfer", people["desk"], unit="H26.115", reason="Cần thanh tra",
                          at=hn(2026, 3, 6, 14))
    assert report.transfer_count == 2
    assert report.clock_start_at == hn(2026, 3, 6, 14)
    assert report.refuse_due_at == hn(2026, 3, 10, 14, 0)
    assert report.handle_due_at == hn(2026, 3, 27, 14, 0)
    steps = list(Routing.objects.filter(report=report).values_list("step", "from_unit__code", "to_unit__code"))
    assert steps == [("suggested", None, "H26.104"), ("transferred", "H26.104", "H26.105"),
                     ("transferred", "H26.105", "H26.115")]


def test_refusal_after_2wd_is_marked_overdue_and_on_time_refusal_is_not(submit, people):
    """docs/legal/decision-766.md §1.4: refusal ≤ 2 wd after submission."""
    late = submit(at=hn(2026, 3, 2, 9))
    late = services.act(late.code, "refuse", people["leader"], reason="Không thuộc thẩm quyền",
                        at=hn(2026, 3, 4, 9, 1))
    assert late.overdue == ["refuse"]
    ok = submit(at=hn(2026, 3, 2, 9), text="Một phản ánh hoàn toàn khác về lệ phí chứng thực bản sao")
    ok = services.act(ok.code, "refuse", people["leader"], reason="Không thuộc thẩm quyền", at=hn(2026, 3, 4, 9))
    assert ok.overdue == []


def test_first_information_request_after_5wd_is_late_the_second_is_not_counted(submit, people):
    """docs/legal/decision-766.md §1.4: the FIRST request for more information ≤ 5 wd (02/03 09:00 → 09/03 09:00)."""
    report = submit(at=hn(2026, 3, 2, 9))
    assert report.info_due_at == hn(2026, 3, 9, 9)
    services.act(report.code, "confirm_unit", people["leader"], at=hn(2026, 3, 2, 10))
    report = services.act(report.code, "request_info", people["leader"], message="Cho biết ngày nộp hồ sơ",
                          at=hn(2026, 3, 9, 9, 30))
    assert report.overdue == ["info"]
    assert report.info_requested_at == hn(2026, 3, 9, 9, 30)


def test_handled_after_15wd_is_overdue_and_the_periodic_job_marks_open_reports(submit, people):
    """docs/legal/decision-766.md §1.4: handled (reaches "chờ công khai") ≤ 15 wd. A report still open after its deadline is marked
    by the periodic job once; one answered in time is not."""
    from kycuong.feedback import tasks

    open_one = submit(at=hn(2026, 3, 2, 9))
    answered = submit(at=hn(2026, 3, 2, 9), text="Lệ phí chứng thực thu sai quy định tại điểm tiếp nhận số 3")
    services.act(answered.code, "confirm_unit", people["leader"], at=hn(2026, 3, 3, 9))
    services.act(answered.code, "answer", people["leader"], answer="Đã hoàn trả lệ phí.", at=hn(2026, 3, 23, 9))
    assert tasks.mark_overdue(hn(2026, 3, 23, 9, 30)) >= 1
    assert tasks.mark_overdue(hn(2026, 3, 23, 9, 45)) == 0  # once
    open_one.refresh_from_db()
    answered.refresh_from_db()
    assert "handle" in open_one.overdue and "refuse" in open_one.overdue
    assert answered.overdue == []


def test_warning_the_working_day_before_the_handling_deadline(submit, people):
    """Warnings the working day before (as onestop's D-1 warning): due Mon 23/03 09:00, so from Fri 20/03
    09:00 the unit leaders are told, once."""
    from kycuong.core.models import Notification
    from kycuong.feedback import tasks

    report = submit(at=hn(2026, 3, 2, 9))
    services.act(report.code, "confirm_unit", people["leader"], at=hn(2026, 3, 2, 10))
    assert tasks.warn_due_tomorrow(hn(2026, 3, 19, 16)) == 0
    assert tasks.warn_due_tomorrow(hn(2026, 3, 20, 9, 30)) == 1
    assert tasks.warn_due_tomorrow(hn(2026, 3, 20, 10)) == 0
    note = Notification.objects.get(user=people["leader"], kind="feedback_due_soon")
    assert report.code in note.message and "23/03/2026" in note.message


def test_deadlines_are_stored_not_recomputed_when_the_calendar_changes(submit):
    """docs/design.md rule 5: a calendar edit does not silently move a stored deadline."""
    from kycuong.core.models import CalendarOverride

    report = submit(at=hn(2026, 3, 2, 9))
    CalendarOverride.objects.create(date=hn(2026, 3, 10).date(), kind="day_off", name="Nghỉ thử")
    report.refresh_from_db()
    assert report.handle_due_at == hn(2026, 3, 23, 9)
    assert report.handle_due_at - report.submitted_at == timedelta(days=21)
