"""The 7-part completeness check, limits in words, the unit's own target, online levels."""
from decimal import Decimal

import pytest

from kycuong.catalog import checks
from kycuong.core.errors import ValidationFailed


def test_complete_procedure_has_no_missing_part(make_procedure):
    """k.2 Đ.8 NĐ 63/2010/NĐ-CP (QĐ 766 indicator 1.3): tên, trình tự, cách thức, hồ sơ, thời hạn, đối tượng, cơ quan."""
    version = make_procedure()
    assert checks.missing_parts(version) == []
    parts = checks.completeness(version)
    assert [p["code"] for p in parts] == ["name", "sequence", "method", "dossier", "time_limit", "subjects", "agency"]
    assert all(p["present"] for p in parts)


def test_missing_parts_are_reported_in_legal_order(make_procedure):
    """k.2 Đ.8 NĐ 63/2010/NĐ-CP: each of the 7 parts missing is reported by its code."""
    version = make_procedure(sequence="", channels=[], online_level="none", documents=[], subjects="  ",
                             deciding_authority="", all_communes=False)
    assert checks.missing_parts(version) == ["sequence", "method", "dossier", "subjects", "agency"]


def test_agency_part_is_satisfied_by_a_deciding_unit(make_procedure, units):
    """k.2 Đ.8 NĐ 63/2010/NĐ-CP "cơ quan thực hiện": a deciding unit is enough."""
    version = make_procedure(deciding_authority="", all_communes=False, deciding_units=["H26.104"], level="province")
    assert "agency" not in checks.missing_parts(version)


@pytest.mark.parametrize("amount, unit, words", [
    ("5", "working_days", "05 ngày làm việc"),
    ("10", "working_days", "10 ngày làm việc"),
    ("1.5", "working_days", "1,5 ngày làm việc"),
    ("2", "working_hours", "02 giờ làm việc"),
    ("15", "calendar_days", "15 ngày (theo lịch)"),
])
def test_limit_in_words(amount, unit, words):
    """docs/legal/working-time.md §2.3 (DonViTinh is part of each procedure): "05 ngày làm việc", halves, hours, calendar days."""
    assert checks.limit_in_words(Decimal(amount), unit) == words


def test_limit_halves_only():
    """docs/legal/working-time.md §2.3: half-day units are allowed ("1/2 ngày"), finer fractions are not."""
    assert checks.check_limit(Decimal("2.5"), "working_days") == []
    assert [p.code for p in checks.check_limit(Decimal("2.3"), "working_days")] == ["CATALOG_LIMIT_NOT_HALF"]
    assert [p.code for p in checks.check_limit(Decimal("0"), "working_days")] == ["CATALOG_LIMIT_NOT_POSITIVE"]


def test_service_target_must_not_exceed_the_legal_limit(make_procedure):
    """Brief part 4: the unit's own service target is optional and may not exceed the legal limit."""
    with pytest.raises(ValidationFailed) as exc:
        make_procedure(service_target_amount="6")
    assert exc.value.code == "CATALOG_TARGET_OVER_LIMIT"
    assert "06 ngày làm việc" in str(exc.value.message) and "05 ngày làm việc" in str(exc.value.message)
    assert make_procedure(service_target_amount="4").service_target_amount == 4


def test_full_online_needs_eligibility_and_an_online_channel(make_procedure):
    """k.1 Đ.11 NĐ 42/2022/NĐ-CP: toàn trình only when eligible; any online service is at least một phần."""
    with pytest.raises(ValidationFailed) as exc:
        make_procedure(online_level="full", full_online_eligible=False)
    assert exc.value.code == "CATALOG_FULL_ONLINE_NOT_ELIGIBLE"
    with pytest.raises(ValidationFailed) as exc:
        make_procedure(online_level="partial", channels=["direct"])
    assert exc.value.code == "CATALOG_ONLINE_WITHOUT_CHANNEL"
    with pytest.raises(ValidationFailed) as exc:
        make_procedure(online_level="none", channels=["online"])
    assert exc.value.code == "CATALOG_CHANNEL_WITHOUT_ONLINE_LEVEL"
    assert make_procedure(online_level="full", full_online_eligible=True).online_level == "full"


def test_text_is_stored_nfc_with_a_folded_key(make_procedure):
    """docs/design.md rule 7: text is NFC; search uses a folded key."""
    import unicodedata

    decomposed = unicodedata.normalize("NFD", "Đăng ký khai sinh")
    version = make_procedure(name=decomposed)
    assert version.name == unicodedata.normalize("NFC", "Đăng ký khai sinh")
    assert version.name_folded == "dang ky khai sinh"
    assert version.procedure.name_folded == "dang ky khai sinh"


@pytest.mark.parametrize("overrides, code", [
    ({"name": ""}, "CATALOG_NAME_REQUIRED"),
    ({"field": "XX"}, "CATALOG_UNKNOWN_FIELD"),
    ({"level": "district2"}, "CATALOG_BAD_CHOICE"),
    ({"limit_unit": "weeks"}, "CATALOG_BAD_CHOICE"),
    ({"cutoff": "25:00"}, "CATALOG_BAD_CUTOFF"),
    ({"fees": [{"name": "Lệ phí", "amount_vnd": -1}]}, "CATALOG_FEE_BAD_AMOUNT"),
    ({"documents": [{"name": "Tờ khai", "originals": 0, "copies": 0}]}, "CATALOG_DOCUMENT_NO_COUNT"),
    ({"deciding_units": ["H26.999"]}, "CATALOG_UNKNOWN_UNIT"),
    ({"legal_bases": ["999/2099/NĐ-CP"]}, "CATALOG_UNKNOWN_LEGAL_BASIS"),
])
def test_bad_version_data_gets_a_stable_code(make_procedure, overrides, code):
    """docs/design.md rule 6: typed errors with a stable code and a Vietnamese message; nothing half-written."""
    from kycuong.catalog.models import Procedure

    with pytest.raises(ValidationFailed) as exc:
        make_procedure(**overrides)
    assert code in [p["code"] for p in exc.value.details["problems"]]
    assert not Procedure.objects.exists()


def test_bad_code_and_duplicate_code(make_procedure):
    """docs/legal/one-stop.md §2.4: codes like 1.001193 identify a procedure once; a second one is a 409 conflict."""
    from kycuong.core.errors import Conflict

    make_procedure("1.001193")
    with pytest.raises(Conflict) as exc:
        make_procedure("1.001193")
    assert exc.value.code == "CATALOG_CODE_TAKEN" and exc.value.status == 409
    with pytest.raises(ValidationFailed) as exc:
        make_procedure("1 001/193")
    assert exc.value.code == "CATALOG_BAD_CODE"
