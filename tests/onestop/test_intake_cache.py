"""Intake caches the procedure version (catalog.queries.procedure_for_intake) and the calendar fingerprint
(core.calendars): a catalog edit or a calendar override must never be served stale.

Same process: seen at once (signals). Another process: seen once FINGERPRINT_TTL_S has passed (the
fingerprint moves on every catalog write). A rolled-back edit is never served.
"""
from contextlib import contextmanager
from datetime import date

from django.db import transaction
import pytest

from kycuong.catalog import queries as cq
from kycuong.catalog import services as catalog
from kycuong.core import calendars
from kycuong.core.models import CalendarOverride
from kycuong.onestop.errors import Invalid

from .conftest import PROC, hn

AT = hn(2026, 3, 2, 9)


def version():
    return cq.procedure_by_code(PROC, on_date=AT.date())


def steps_of(dossier):
    return [(s.name, s.allotted_minutes) for s in dossier.steps.order_by("order")]


NEW_STEPS = [
    {"name": "Tiếp nhận", "role": "receiving_officer", "hours": "4"},
    {"name": "Thẩm định (sửa)", "role": "", "unit": "H26.104", "hours": "68"},
    {"name": "Phê duyệt", "role": "unit_leader", "hours": "8"},
    {"name": "Trả kết quả", "role": "receiving_officer", "hours": "0", "is_return_step": True},
]


@contextmanager
def edited_by_another_process(monkeypatch):
    """Run the edits in the block as another server process would: this process's caches keep what they
    held (its own signals are undone), and only the database changes."""
    monkeypatch.setitem(cq._fingerprint_memo, "dirty", 0)  # no uncommitted edit of ours pending
    cq.procedure_for_intake(PROC, AT.date())  # cached, fingerprint memoised
    memo, cache = dict(cq._fingerprint_memo), dict(cq._intake_versions)
    yield
    cq._fingerprint_memo.update(memo)
    cq._intake_versions.clear()
    cq._intake_versions.update(cache)


def test_a_step_edit_is_seen_by_the_next_intake(receive):
    """The internal process (QĐ 766/QĐ-TTg, quy trình nội bộ) a dossier gets is the catalog's at receipt."""
    before = receive()
    assert [n for n, _m in steps_of(before)][1] != "Thẩm định (sửa)"
    catalog.set_steps(version(), NEW_STEPS)
    after = receive()
    assert steps_of(after) == [("Tiếp nhận", 240), ("Thẩm định (sửa)", 4080), ("Phê duyệt", 480), ("Trả kết quả", 0)]


def test_a_fee_edit_is_seen_by_the_next_intake(receive):
    catalog.set_fees(version(), [{"name": "Lệ phí", "amount_vnd": 123_000}])
    assert receive().fee_total_vnd == 123_000


def test_a_new_mandatory_document_is_required_by_the_next_intake(receive, all_documents):
    """Completeness check at intake against the procedure's required documents (NĐ 61/2018 Đ.15)."""
    docs = all_documents(PROC, AT.date())
    current = [{"name": d.name, "originals": d.originals, "copies": d.copies, "mandatory": d.mandatory}
               for d in version().documents.order_by("order")]
    receive(documents=docs)
    catalog.set_documents(version(), current + [{"name": "Giấy tờ mới bắt buộc", "originals": 1}])
    with pytest.raises(Invalid) as err:  # the old ids went with the old rows
        receive(documents=docs)
    assert err.value.code == "ONESTOP_UNKNOWN_DOCUMENT"
    docs = [d.pk for d in version().documents.exclude(name="Giấy tờ mới bắt buộc")]
    with pytest.raises(Invalid) as err:
        receive(documents=docs)
    assert err.value.code == "ONESTOP_DOCUMENTS_MISSING" and "Giấy tờ mới bắt buộc" in err.value.details["missing"]


def test_another_process_edit_is_seen_within_the_fingerprint_ttl(receive, monkeypatch):
    now = [1000.0]
    monkeypatch.setattr(cq, "_clock", lambda: now[0])
    with edited_by_another_process(monkeypatch):
        catalog.set_steps(version(), NEW_STEPS)
    # Within the TTL this process may still use what it cached (the documented bound)…
    assert "Thẩm định (sửa)" not in [n for n, _m in steps_of(receive())]
    # …and once it has passed, the moved fingerprint brings the edit in.
    now[0] += cq.FINGERPRINT_TTL_S
    assert "Thẩm định (sửa)" in [n for n, _m in steps_of(receive())]


def test_the_catalog_fingerprint_moves_with_steps_fees_documents_and_units(city):
    """Another process only learns of an edit through this fingerprint."""
    from kycuong.core.services import save_unit

    def rename_unit():
        unit = version().deciding_units.get()
        unit.code = "H26.999"
        save_unit(unit)

    seen = [cq.catalog_fingerprint(fresh=True)]
    for edit in (lambda: catalog.set_steps(version(), NEW_STEPS),
                 lambda: catalog.set_fees(version(), [{"name": "Phí", "amount_vnd": 1}]),
                 lambda: catalog.set_documents(version(), [{"name": "Đơn", "originals": 1}]),
                 rename_unit):
        edit()
        seen.append(cq.catalog_fingerprint(fresh=True))
    assert len(set(seen)) == len(seen)


def test_a_rolled_back_catalog_edit_is_never_served(receive):
    receive()
    with pytest.raises(RuntimeError), transaction.atomic():
        catalog.set_fees(version(), [{"name": "Lệ phí", "amount_vnd": 999_000}])
        assert receive().fee_total_vnd == 999_000  # inside the edit's transaction: the edit
        raise RuntimeError("roll back")
    assert receive().fee_total_vnd != 999_000


# --- calendar overrides (worktime: the official calendar, docs/legal/working-time.md §8.2) -----------------

def test_a_calendar_override_is_seen_by_the_next_appointment(receive):
    """A swap day off added by the admin (docs/legal/working-time.md §8.2) moves the next appointment at once."""
    first = receive()
    assert first.due_at == hn(2026, 3, 16, 9)
    CalendarOverride.objects.create(date=date(2026, 3, 3), kind="day_off", name="Nghỉ hoán đổi thử")
    assert receive().due_at == hn(2026, 3, 17, 9)


def test_another_process_override_is_seen_within_the_fingerprint_ttl(receive, monkeypatch):
    now = [5000.0]
    monkeypatch.setattr(calendars, "_clock", lambda: now[0])
    monkeypatch.setitem(calendars._memo, "dirty", 0)
    assert receive().due_at == hn(2026, 3, 16, 9)  # fingerprint memoised now
    memo, cached = dict(calendars._memo), dict(calendars._cache)
    CalendarOverride.objects.create(date=date(2026, 3, 3), kind="day_off", name="Nghỉ hoán đổi thử")
    calendars._memo.update(memo)  # as if the edit had been made by another process
    calendars._cache.update(cached)
    assert receive().due_at == hn(2026, 3, 16, 9)  # within the TTL: the memoised calendar
    now[0] += calendars.FINGERPRINT_TTL_S
    assert receive().due_at == hn(2026, 3, 17, 9)


def test_a_rolled_back_override_is_never_served(receive):
    with pytest.raises(RuntimeError), transaction.atomic():
        CalendarOverride.objects.create(date=date(2026, 3, 3), kind="day_off", name="Nghỉ hoán đổi thử")
        assert receive().due_at == hn(2026, 3, 17, 9)
        raise RuntimeError("roll back")
    assert receive().due_at == hn(2026, 3, 16, 9)
