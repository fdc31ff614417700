"""The periodic due-date warning ("a periodic job warns the assignee and the leader the working
day before"), with fixed `now`. The demo dossier received Monday 2/3/2026 09:00 for HN-DEMO-CC01
(10 working days) is due Monday 16/3/2026 09:00; the working day before is Friday 13/3 — the last moment
for an apology (at least 1 working day before the due time, docs/legal/one-stop.md §2.2, NĐ 61/2018 Đ.19) — so the
warning window opens one working day earlier, Thursday 12/3 09:00 (16 working hours left)."""
import pytest

from kycuong.core import jobs
from kycuong.core.models import Notification
from kycuong.core.notifications import mark_read, notify, unread_for
from kycuong.onestop import tasks
from kycuong.onestop.models import Dossier
from kycuong.onestop.services import act

from .conftest import hn

DUE = hn(2026, 3, 16, 9, 0)
DAY_BEFORE = hn(2026, 3, 13, 9, 0)  # exactly one working day (8 h) before the appointment
WINDOW_OPENS = hn(2026, 3, 12, 9, 0)  # 16 working hours before it


def inbox(user):
    return list(Notification.objects.filter(user=user).values_list("kind", "subject", "message"))


@pytest.fixture
def dossier(receive):
    d = receive()
    assert d.due_at == DUE  # the dataset this file relies on
    return d


def test_warns_the_assignee_and_the_deciding_units_leaders_the_working_day_before(dossier, people):
    assert tasks.warn_due_tomorrow(DAY_BEFORE) == 1
    text = (f"Hồ sơ {dossier.code} đến hạn lúc 09:00 16/03/2026 — cần xử lý hoặc gửi văn bản xin lỗi, "
            "hẹn lại trước hạn 01 ngày làm việc.")
    assert inbox(people["counter"]) == [("dossier_due_soon", dossier.code, text)]   # holds step 1
    assert inbox(people["leader"]) == [("dossier_due_soon", dossier.code, text)]    # unit leader, H26.104
    for other in ("specialist", "clerk", "other", "citizen"):
        assert inbox(people[other]) == []
    dossier.refresh_from_db()
    assert dossier.warned_at == DAY_BEFORE


def test_not_before_sixteen_working_hours_before(dossier, people):
    assert tasks.warn_due_tomorrow(hn(2026, 3, 12, 8, 45)) == 0   # 16 h 15 min of working time left
    assert tasks.warn_due_tomorrow(hn(2026, 3, 11, 16, 0)) == 0
    assert Notification.objects.count() == 0


def test_the_warning_comes_while_an_apology_is_still_allowed(dossier, people):
    """docs/legal/one-stop.md §2.2 / NĐ 61/2018 Đ.19: the apology goes out at least 1 working day before the due time.
    Warned at 8 working hours left it would be too late; the window opens at 16 hours left, and an
    apology taken right after the warning is accepted."""
    assert tasks.warn_due_tomorrow(WINDOW_OPENS) == 1
    act(dossier.code, "apologize", people["counter"], at=WINDOW_OPENS, reason="Cần xác minh thêm",
        new_due=hn(2026, 3, 23, 9, 0))
    dossier.refresh_from_db()
    assert dossier.apology_count == 1 and dossier.due_at == hn(2026, 3, 23, 9, 0)


def test_an_apology_rearms_the_warning_for_the_new_appointment(dossier, people):
    """The rescheduled date (docs/legal/one-stop.md §2.2, at most once) is warned about too, without offering a second
    apology."""
    assert tasks.warn_due_tomorrow(WINDOW_OPENS) == 1
    act(dossier.code, "apologize", people["counter"], at=WINDOW_OPENS, reason="Cần xác minh thêm",
        new_due=hn(2026, 3, 23, 9, 0))
    dossier.refresh_from_db()
    assert dossier.warned_at is None
    assert tasks.warn_due_tomorrow(hn(2026, 3, 18, 17, 0)) == 0  # 24 h before the new date
    assert tasks.warn_due_tomorrow(hn(2026, 3, 19, 9, 0)) == 1   # 16 h before it
    messages = [m for _kind, _subject, m in inbox(people["leader"])]
    assert len(messages) == 2 and any("23/03/2026" in m and "không được hẹn lại lần nữa" in m for m in messages)


def test_a_completed_supplement_rearms_the_warning(dossier, people):
    """Supplement time is not counted (QĐ 766 note, docs/legal/working-time.md §2.3): the appointment moves by the pause,
    and the moved appointment is warned about again."""
    assert tasks.warn_due_tomorrow(WINDOW_OPENS) == 1
    act(dossier.code, "request_supplement", people["counter"], at=WINDOW_OPENS, reason="Thiếu bản sao")
    act(dossier.code, "complete_supplement", people["counter"], at=hn(2026, 3, 17, 9, 0))
    dossier.refresh_from_db()
    assert dossier.due_at == hn(2026, 3, 19, 9, 0) and dossier.warned_at is None  # 16 h left, from 17/3 09:00
    assert tasks.warn_due_tomorrow(hn(2026, 3, 17, 10, 0)) == 1


def test_weekend_between_counts_no_working_time(dossier):
    # Saturday 14/3 and Sunday 15/3 are not working time: Friday 17:00 is 1 working hour before.
    assert tasks.warn_due_tomorrow(hn(2026, 3, 14, 10, 0)) == 1


def test_running_twice_warns_once(dossier, people):
    assert tasks.warn_due_tomorrow(DAY_BEFORE) == 1
    assert tasks.warn_due_tomorrow(DAY_BEFORE) == 0
    assert tasks.warn_due_tomorrow(hn(2026, 3, 13, 15, 0)) == 0
    assert Notification.objects.count() == 2
    dossier.refresh_from_db()
    assert dossier.warned_at == DAY_BEFORE  # the first warning's time is kept


def test_a_run_that_lost_the_claim_sends_nothing(dossier, monkeypatch):
    """Two consumers read the same candidates; the `warned_at IS NULL` claim lets only one warn."""
    read_before_claim = list(Dossier.objects.filter(pk=dossier.pk))
    assert tasks.mark_warned([dossier.pk], DAY_BEFORE) == 1                 # the other run claimed it
    monkeypatch.setattr(tasks.queries, "due_for_warning", lambda now: Dossier.objects.filter(pk__in=[d.pk for d in read_before_claim]))
    assert tasks.warn_due_tomorrow(DAY_BEFORE) == 0
    assert Notification.objects.count() == 0


def test_overdue_paused_and_ended_dossiers_are_not_warned(receive, people):
    overdue = receive()
    paused = receive()
    act(paused.code, "request_supplement", people["counter"], reason="Thiếu ảnh", at=hn(2026, 3, 3, 9))
    stopped = receive()
    act(stopped.code, "stop", people["counter"], reason="Theo yêu cầu", at=hn(2026, 3, 3, 9))
    assert tasks.warn_due_tomorrow(hn(2026, 3, 16, 9, 1)) == 0          # overdue one minute: too late to warn
    assert tasks.warn_due_tomorrow(DAY_BEFORE) == 1                        # only `overdue` is still open and running
    assert set(Dossier.objects.exclude(warned_at=None).values_list("code", flat=True)) == {overdue.code}


def test_the_current_steps_assignee_is_warned_after_a_hand_over(dossier, people):
    act(dossier.code, "start_processing", people["counter"], assignee_id=people["specialist"].pk,
        at=hn(2026, 3, 2, 10))
    assert tasks.warn_due_tomorrow(DAY_BEFORE) == 1
    assert len(inbox(people["specialist"])) == 1
    assert inbox(people["counter"]) == []
    assert len(inbox(people["leader"])) == 1


def test_every_active_leader_of_the_deciding_unit_and_no_one_else(dossier, people, make_officer):
    R = make_officer.Role
    second = make_officer(R.UNIT_LEADER, "H26.104", full_name="Phó giám đốc")
    retired = make_officer(R.UNIT_LEADER, "H26.104", full_name="Đã nghỉ hưu", is_active=False)
    elsewhere = make_officer(R.UNIT_LEADER, "H26.105", full_name="Lãnh đạo sở khác")
    receiving = make_officer(R.UNIT_LEADER, "H26.200.01", full_name="Lãnh đạo nơi tiếp nhận")
    assert tasks.warn_due_tomorrow(DAY_BEFORE) == 1
    assert len(inbox(people["leader"])) == len(inbox(second)) == 1
    assert inbox(retired) == inbox(elsewhere) == inbox(receiving) == []


def test_a_leader_holding_the_step_is_warned_once(dossier, people):
    # The leader holds his own signature step (3): one notification, not two.
    act(dossier.code, "start_processing", people["counter"], assignee_id=people["specialist"].pk, at=hn(2026, 3, 2, 10))
    act(dossier.code, "handover", people["specialist"], assignee_id=people["leader"].pk, at=hn(2026, 3, 2, 11))
    assert tasks.warn_due_tomorrow(DAY_BEFORE) == 1
    assert len(inbox(people["leader"])) == 1


def test_mark_warned_writes_only_the_flag(dossier):
    before = Dossier.objects.values("version", "updated_at", "state", "due_at").get(pk=dossier.pk)
    assert tasks.mark_warned([dossier.pk], DAY_BEFORE) == 1
    assert tasks.mark_warned([dossier.pk], hn(2026, 3, 13, 10)) == 0
    row = Dossier.objects.values("version", "updated_at", "state", "due_at", "warned_at").get(pk=dossier.pk)
    assert row.pop("warned_at") == DAY_BEFORE
    assert row == before


def test_through_the_jobs_facade(dossier, people):
    # Under pytest the facade runs jobs inline (Huey immediate mode); in production the consumer does.
    assert jobs.enqueue("kycuong.onestop.tasks.warn_due_tomorrow", DAY_BEFORE).get() == 1
    assert Notification.objects.count() == 2
    assert tasks.warn_due_tomorrow_periodic.call_local(DAY_BEFORE) == 0


def test_the_warning_lands_in_the_unread_inbox(dossier, people):
    tasks.warn_due_tomorrow(DAY_BEFORE)
    leader = people["leader"]
    newer = notify(leader, "other", "X", "Tin khác")
    assert [n.subject for n in unread_for(leader)] == ["X", dossier.code]   # newest first
    assert mark_read(leader, ids=[newer.pk]) == 1
    assert [n.subject for n in unread_for(leader)] == [dossier.code]
    assert mark_read(leader) == 1
    assert list(unread_for(leader)) == []
    assert unread_for(None).count() == 0
