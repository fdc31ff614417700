"""Directives and tasks: reports with evidence, accept/return, on time / late / overdue-open, the per-unit
on-time rate, and the periodic reminders (kycuong.core.jobs) that the unit's leader sees."""
from datetime import date, datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from kycuong.core import jobs
from kycuong.core.errors import DomainError
from kycuong.core.models import Notification, Unit
from kycuong.discipline import queries, services, tasks
from kycuong.discipline.models import Task

from tests.pdfs import PDF  # a real one-page PDF: uploads open every PDF with pypdf

from .conftest import hn


def utc(*args):
    return datetime(*args)  # naive UTC, as Huey's scheduler passes it


@pytest.fixture
def plan(people):
    """Kế hoạch 04/KH-UBND of the city: three tasks for Sở Tư pháp, one for Sở Xây dựng."""
    u104, u105 = Unit.objects.get(code="H26.104"), Unit.objects.get(code="H26.105")
    return services.create_directive(
        people["city_leader"], number="04/KH-UBND", issued_on=date(2026, 2, 2), doc_type="KH",
        title="Kế hoạch cải cách hành chính năm 2026", unit=Unit.objects.get(code="H26"),
        tasks=[(u104, "Rà soát thủ tục", hn(2026, 3, 10, 17)), (u104, "Số hóa hồ sơ", hn(2026, 3, 5, 17)),
               (u104, "Báo cáo quý", hn(2026, 3, 20, 17)), (u105, "Cải tạo bộ phận một cửa", hn(2026, 3, 5, 17))])


def task(plan, title):
    return plan.tasks.get(title=title)


def test_report_accept_return_and_the_three_statuses(plan, people):
    """on time: accepted, reported by the deadline; late: accepted, reported after; overdue-open: not done
    and past the deadline — a returned report does not stop the clock."""
    review, spec = people["city_leader"], people["specialist"]
    t1 = task(plan, "Rà soát thủ tục")
    r = services.report_task(spec, t1.pk, text="Đã rà soát 40 thủ tục",
                             evidence=SimpleUploadedFile("bien-ban.pdf", PDF), at=hn(2026, 3, 9, 10))
    with pytest.raises(DomainError):
        services.review_report(review, r.pk, accept=False, note="")  # a return needs a reason
    services.review_report(review, r.pk, accept=False, note="Thiếu phụ lục", at=hn(2026, 3, 9, 15))
    t1.refresh_from_db()
    assert t1.state == "returned" and queries.task_status(t1, hn(2026, 3, 11, 9)) == queries.OVERDUE_OPEN
    r2 = services.report_task(spec, t1.pk, text="Bổ sung phụ lục", at=hn(2026, 3, 11, 9))
    services.review_report(review, r2.pk, accept=True, at=hn(2026, 3, 11, 10))
    t1.refresh_from_db()
    assert t1.state == "accepted" and t1.done_at == hn(2026, 3, 11, 9)
    assert queries.task_status(t1) == queries.LATE
    t2 = task(plan, "Số hóa hồ sơ")
    r3 = services.report_task(spec, t2.pk, text="Xong", at=hn(2026, 3, 5, 16))
    services.review_report(review, r3.pk, accept=True, at=hn(2026, 3, 6, 9))
    t2.refresh_from_db()
    assert queries.task_status(t2) == queries.ON_TIME


def test_evidence_is_checked_by_content(plan, people):
    with pytest.raises(DomainError) as err:
        services.report_task(people["specialist"], task(plan, "Rà soát thủ tục").pk, text="x",
                             evidence=SimpleUploadedFile("virus.pdf", b"MZ\x90\x00" + b"\x00" * 64))
    assert err.value.code == "UPLOAD_BAD_TYPE"
    assert not Task.objects.filter(state="reported").exists()


def test_only_the_unit_reports_and_only_the_issuer_reviews(plan, people):
    t = task(plan, "Rà soát thủ tục")
    with pytest.raises(DomainError):
        services.report_task(people["other_leader"], t.pk, text="Không phải đơn vị mình")
    r = services.report_task(people["specialist"], t.pk, text="Xong")
    with pytest.raises(DomainError):
        services.review_report(people["leader"], r.pk, accept=True)  # Sở Tư pháp did not issue the plan


def test_on_time_rate_counts_overdue_open_work(plan, people):
    """queries.on_time_rate: on_time / (on_time + late + overdue_open) over tasks due in the period and
    already past; tasks still ahead are not counted."""
    spec, review = people["specialist"], people["city_leader"]
    t2 = task(plan, "Số hóa hồ sơ")
    services.review_report(review, services.report_task(spec, t2.pk, text="Xong", at=hn(2026, 3, 5, 9)).pk, accept=True)
    u104, u105 = Unit.objects.get(code="H26.104"), Unit.objects.get(code="H26.105")
    rates = {r.unit.code: r for r in queries.on_time_rate([u104, u105], hn(2026, 3, 1), hn(2026, 4, 1), now=hn(2026, 3, 12, 9))}
    assert (rates["H26.104"].on_time, rates["H26.104"].late, rates["H26.104"].overdue_open) == (1, 0, 1)
    assert rates["H26.104"].rate == 0.5          # "Báo cáo quý" (due 20/3) not counted yet
    assert rates["H26.105"].rate == 0.0
    assert queries.on_time_rate([u104], hn(2026, 1, 1), hn(2026, 2, 1), now=hn(2026, 3, 12))[0].rate is None


def test_periodic_job_reminds_before_the_deadline_and_reports_the_late_task_to_the_leader(plan, people, client):
    """Through the jobs facade (Huey; immediate under pytest): on Thursday 19/3 09:00 "Báo cáo quý" (due
    Friday 20/3 17:00, within 2 working days) is reminded to Sở Tư pháp's leader; the three tasks already
    past their deadline are reported late to their unit's leaders and the issuer — once."""
    result = jobs.enqueue("kycuong.discipline.tasks.remind_tasks", hn(2026, 3, 19, 9)).get()
    assert result == {"reminded": 1, "overdue": 3}
    leader = list(Notification.objects.filter(user=people["leader"]).order_by("kind", "message")
                  .values_list("kind", "message"))
    assert [k for k, _m in leader] == ["task_due_soon", "task_overdue", "task_overdue"]
    assert "Báo cáo quý" in leader[0][1] and "20/03/2026" in leader[0][1]
    assert Notification.objects.filter(user=people["other_leader"], kind="task_overdue").count() == 1
    assert Notification.objects.filter(user=people["city_leader"], kind="task_overdue").count() == 3  # the issuer
    assert not Notification.objects.filter(user=people["specialist"]).exists()
    assert tasks.remind_tasks_periodic.call_local(hn(2026, 3, 19, 10)) == {"reminded": 0, "overdue": 0}
    # visible to the leader on the tasks page
    client.force_login(people["leader"])
    page = client.get("/ky-luat/nhiem-vu/").content.decode()
    assert "Báo cáo quý" in page and "đã quá hạn" in page and "Quá hạn, chưa hoàn thành" in page


def test_remind_tasks_is_registered_as_periodic_in_working_hours(db):
    names = lambda ts: {t.name for t in jobs.huey.read_periodic(ts)}  # noqa: E731
    assert "remind_tasks" in names(utc(2026, 3, 2, 2, 15))        # Monday 09:15 Hà Nội
    assert "remind_tasks" not in names(utc(2026, 3, 8, 2, 15))    # Sunday
