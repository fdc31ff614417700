"""Folded search (docs/design.md rule 7): "dang ky khai sinh" finds "Đăng ký khai sinh" on SQLite and PostgreSQL."""
from datetime import date

import pytest

from kycuong.catalog import services
from kycuong.catalog.queries import fields, search_procedures


@pytest.fixture
def catalog(make_procedure, units):
    services.save_field("CT", "Chứng thực")
    make_procedure("1.001193", name="Đăng ký khai sinh")
    make_procedure("1.000656", name="Đăng ký khai tử", online_level="full", full_online_eligible=True)
    make_procedure("2.000815", name="Chứng thực bản sao từ bản chính", field="CT")
    make_procedure("2.001610", name="Đăng ký thành lập doanh nghiệp tư nhân", level="province", all_communes=False,
                   deciding_units=["H26.103"], receiving_units=["H26.200"])
    # A procedure whose only version ended: not found today.
    make_procedure("1.004873", name="Cấp Giấy xác nhận tình trạng hôn nhân", effective_to=date(2024, 12, 31),
                   effective_from=date(2020, 1, 1))


def codes(qs):
    return [v.procedure.code for v in qs]


@pytest.mark.parametrize("query", ["dang ky khai sinh", "Đăng ký khai sinh", "ĐĂNG KÝ KHAI SINH", "khai sinh dang ky", "  dang   ky  khai sinh "])
def test_folded_search_finds_with_or_without_marks(catalog, query):
    """docs/design.md rule 7: marks stripped, đ→d, casefolded; every word, any order."""
    assert codes(search_procedures(query)) == ["1.001193"]


def test_search_by_code_and_prefix(catalog):
    assert codes(search_procedures("2.000815")) == ["2.000815"]
    assert codes(search_procedures("dang ky")) == ["1.001193", "1.000656", "2.001610"]


def test_filters(catalog, units):
    assert codes(search_procedures(field="CT")) == ["2.000815"]
    assert codes(search_procedures(level="province")) == ["2.001610"]
    assert codes(search_procedures(online_level="full")) == ["1.000656"]
    # Commune-level procedures reach every ward and commune through one flag; a department sees its own.
    assert set(codes(search_procedures(unit="H26.501"))) == {"1.001193", "1.000656", "2.000815"}
    assert codes(search_procedures(unit=units["H26.103"])) == ["2.001610"]
    assert codes(search_procedures(unit="H26.200")) == ["2.001610"]
    assert codes(search_procedures(unit="H26.104")) == []


def test_only_versions_in_force(catalog):
    assert "1.004873" not in codes(search_procedures())
    assert codes(search_procedures("hon nhan", on_date=date(2024, 6, 1))) == ["1.004873"]


def test_fields_lists_those_in_use(catalog):
    services.save_field("XX", "Lĩnh vực chưa dùng")
    assert [f.code for f in fields()] == ["CT", "HT"]
