"""Versions by effective date (docs/legal/in-force.md §0: version every rule set by the date the dossier was created)."""
from datetime import date

import pytest

from kycuong.catalog import services
from kycuong.catalog.queries import procedure_by_code, procedure_versions
from kycuong.core.errors import NotFound, ValidationFailed


def test_publishing_closes_the_previous_version(make_procedure):
    """docs/legal/in-force.md §0: a new version from 01/7/2025 closes the old one on 30/6/2025; nothing overlaps."""
    first = make_procedure(effective_from=date(2021, 1, 4), limit_amount="5")
    second = services.publish_version("1.001193", effective_from=date(2025, 7, 1), name="Đăng ký khai sinh (mới)")
    first.refresh_from_db()
    assert first.effective_to == date(2025, 6, 30)
    assert second.effective_to is None
    # The new version is a copy of the old one with the changes applied.
    assert second.limit_amount == first.limit_amount and second.steps.count() == 4 and second.documents.count() == 1
    assert second.procedure.name == "Đăng ký khai sinh (mới)"


def test_version_in_force_by_date(make_procedure):
    """docs/legal/in-force.md §0: a dossier is judged by the version in force on its date (effective_from/effective_to inclusive)."""
    make_procedure(effective_from=date(2021, 1, 4))
    services.publish_version("1.001193", effective_from=date(2025, 7, 1), limit_amount="3", steps=[
        {"name": "Tiếp nhận", "role": "receiving_officer", "hours": 4},
        {"name": "Thẩm định", "role": "specialist", "hours": 20},
        {"name": "Trả kết quả", "role": "receiving_officer", "hours": 0, "is_return_step": True},
    ])
    assert procedure_by_code("1.001193", date(2025, 6, 30)).limit_amount == 5
    assert procedure_by_code("1.001193", date(2025, 7, 1)).limit_amount == 3
    assert procedure_by_code("1.001193").limit_amount == 3
    with pytest.raises(NotFound) as exc:
        procedure_by_code("1.001193", date(2020, 12, 31))
    assert exc.value.code == "CATALOG_NO_VERSION_ON_DATE"
    with pytest.raises(NotFound) as exc:
        procedure_by_code("9.999999")
    assert exc.value.code == "CATALOG_PROCEDURE_NOT_FOUND" and exc.value.status == 404
    assert [v.effective_from for v in procedure_versions("1.001193")] == [date(2025, 7, 1), date(2021, 1, 4)]


def test_history_is_appended_not_rewritten(make_procedure):
    """A version cannot start on or before the latest one's start."""
    make_procedure(effective_from=date(2025, 7, 1))
    for start in (date(2025, 7, 1), date(2024, 1, 1)):
        with pytest.raises(ValidationFailed) as exc:
            services.publish_version("1.001193", effective_from=start)
        assert exc.value.code == "CATALOG_VERSION_NOT_AFTER"


def test_failed_publication_leaves_the_previous_version_open(make_procedure):
    """docs/design.md rule 6: nothing half-written survives an error (the old version is not closed)."""
    first = make_procedure(effective_from=date(2021, 1, 4))
    with pytest.raises(ValidationFailed):
        services.publish_version("1.001193", effective_from=date(2025, 7, 1), limit_amount="7")
    first.refresh_from_db()
    assert first.effective_to is None
    assert first.procedure.versions.count() == 1


def test_corrections_cannot_create_overlaps(make_procedure):
    first = make_procedure(effective_from=date(2021, 1, 4))
    services.publish_version("1.001193", effective_from=date(2025, 7, 1))
    first.refresh_from_db()
    with pytest.raises(ValidationFailed) as exc:
        services.update_version(first, effective_to=None)
    assert exc.value.code == "CATALOG_VERSION_OVERLAP"


def test_abolish_and_delete_latest(make_procedure):
    first = make_procedure(effective_from=date(2021, 1, 4))
    second = services.publish_version("1.001193", effective_from=date(2025, 7, 1))
    with pytest.raises(ValidationFailed) as exc:
        services.delete_version(first)
    assert exc.value.code == "CATALOG_VERSION_NOT_LATEST"
    services.delete_version(second)
    first.refresh_from_db()
    assert first.effective_to is None  # reopened
    services.abolish_procedure("1.001193", last_day=date(2025, 12, 31))
    with pytest.raises(NotFound):
        procedure_by_code("1.001193", date(2026, 1, 1))
    assert procedure_by_code("1.001193", date(2025, 12, 31)).pk == first.pk
