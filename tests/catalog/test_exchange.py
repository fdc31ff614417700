"""Import and export of the catalog (XLSX, CSV): lossless round trip; a failing import writes nothing."""
import csv
import io
from datetime import date

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from kycuong.catalog import exchange, services
from kycuong.catalog.models import Field, LegalBasis, Procedure, ProcedureVersion
from kycuong.core.errors import ValidationFailed

TRICKY = "Giấy tờ; có dấu | và \\ gạch\nxuống dòng"


@pytest.fixture
def small_catalog(make_procedure, units):
    services.save_legal_basis("60/2014/QH13", title="Luật Hộ tịch", issued_on=date(2014, 11, 20),
                              effective_from=date(2016, 1, 1))
    make_procedure("1.001193", effective_from=date(2021, 1, 4), legal_bases=["60/2014/QH13"], cutoff="15:00",
                   documents=[{"name": TRICKY, "originals": 1, "copies": 2, "mandatory": False, "note": "ghi chú; | \\"}],
                   fees=[{"name": "Phí; lệ phí", "amount_vnd": 1_234_567, "note": "đồng|bản"}],
                   service_target_amount="4.5", dossiers_per_year=1200)
    services.publish_version("1.001193", effective_from=date(2025, 7, 1), steps=[
        {"name": "Tiếp nhận", "role": "receiving_officer", "unit": "H26.200", "hours": "4"},
        {"name": "Thẩm định; xác minh", "unit": "H26.104", "hours": "35.5"},
        {"name": "Ký", "role": "unit_leader", "hours": "0.5"},
        {"name": "Trả kết quả", "role": "receiving_officer", "hours": "0", "is_return_step": True},
    ])
    make_procedure("2.001610", name="Đăng ký thành lập doanh nghiệp tư nhân", level="province", all_communes=False,
                   deciding_units=["H26.103"], receiving_units=["H26.200", "H26.103"], deciding_authority="Sở Tài chính",
                   limit_amount="10", limit_unit="calendar_days", online_level="full", full_online_eligible=True,
                   channels=["online", "postal"], result_form="electronic")
    Procedure.objects.filter(code="2.001610").update(is_demo=True, source_note="Minh họa; cần đối chiếu.")


def wipe():
    for p in Procedure.objects.all():
        services.delete_procedure(p)
    LegalBasis.objects.all().delete()
    Field.objects.all().delete()


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_round_trip_is_lossless(small_catalog, fmt):
    """Brief part 4: export → import into an empty catalog → export gives the same flat fields, steps, fees, documents."""
    first = exchange.export_catalog(fmt)
    table = exchange.read_table(first, fmt)
    assert table[0] == exchange.HEADERS and len(table) == 4
    wipe()
    report = services.import_file(first, fmt)
    assert (report.created_procedures, report.created_versions, report.updated_versions) == (2, 3, 0)
    second = exchange.export_catalog(fmt)
    assert exchange.read_table(second, fmt) == table
    if fmt == "csv":
        assert second == first
    version = ProcedureVersion.objects.get(procedure__code="1.001193", effective_from=date(2021, 1, 4))
    assert version.effective_to == date(2025, 6, 30)
    assert version.documents.get().name == TRICKY
    assert version.fees.get().amount_vnd == 1_234_567


def test_reimport_updates_in_place(small_catalog):
    content = exchange.export_catalog("csv")
    report = services.import_file(content, "csv")
    assert (report.created_procedures, report.created_versions, report.updated_versions) == (0, 0, 3)
    assert exchange.export_catalog("csv") == content


def _csv(rows):
    buf = io.StringIO()
    csv.writer(buf).writerows(rows)
    return buf.getvalue().encode("utf-8")


def test_failing_import_writes_nothing_and_reports_row_numbers(small_catalog):
    """docs/design.md rule 6: every row validated; row-numbered Vietnamese errors; nothing written."""
    table = exchange.read_table(exchange.export_catalog("csv"), "csv")
    col = {h: i for i, h in enumerate(exchange.HEADERS)}
    new_ok = list(table[2])
    new_ok[col["Mã thủ tục"]] = "1.000656"
    new_ok[col["Tên thủ tục"]] = "Đăng ký khai tử"
    short = list(table[2])
    short[col["Mã thủ tục"]] = "1.000894"
    short[col["Quy trình nội bộ"]] = "Tiếp nhận|receiving_officer|4; Thẩm định|specialist|28; Trả kết quả|receiving_officer|0"
    bad_cell = list(table[2])
    bad_cell[col["Mã thủ tục"]] = "1.004873"
    bad_cell[col["Thời hạn giải quyết"]] = "năm"
    before = exchange.export_catalog("csv")
    with pytest.raises(ValidationFailed) as exc:
        services.import_file(_csv([table[0], new_ok, short, bad_cell]), "csv")
    assert exc.value.code == "CATALOG_IMPORT_FAILED"
    errors = exc.value.details["errors"]
    assert {(e["row"], e["code"]) for e in errors} >= {(3, "CATALOG_STEPS_SHORT"), (4, "CATALOG_IMPORT_BAD_CELL")}
    assert all(e["row"] != 2 for e in errors)
    assert any("Dòng 4" in e["message"] and "Thời hạn giải quyết" in e["message"] for e in errors)
    assert "2 dòng có lỗi" in str(exc.value.message)
    assert not Procedure.objects.filter(code__in=["1.000656", "1.000894", "1.004873"]).exists()
    assert exchange.export_catalog("csv") == before


def test_header_problems(db):
    with pytest.raises(ValidationFailed) as exc:
        services.import_file(_csv([["Mã thủ tục", "Cột lạ"], ["1.001193", "x"]]), "csv")
    assert exc.value.code == "CATALOG_IMPORT_BAD_HEADER"
    assert "Tên thủ tục" in str(exc.value.message)
    with pytest.raises(ValidationFailed) as exc:
        services.import_file(b"not a zip", "xlsx")
    assert exc.value.code == "CATALOG_IMPORT_UNREADABLE"


def test_minimal_file_with_keys_and_labels(units, field):
    """Headers may be the column keys; choice cells may be Vietnamese labels; optional columns may be absent."""
    rows = [["code", "effective_from", "name", "field_code", "level", "limit_amount", "limit_unit", "steps",
             "channels", "sequence", "subjects", "deciding_authority", "documents"],
            ["1.001193", "01/07/2025", "Đăng ký khai sinh", "HT", "Cấp xã", "0,5", "ngày làm việc",
             "Tiếp nhận|receiving_officer|1; Xử lý|@H26.104|2; Ký|unit_leader|1; Trả|receiving_officer|0",
             "Trực tiếp", "Nộp, xử lý, trả.", "Cha, mẹ.", "UBND cấp xã", "Tờ khai|1|0||"]]
    report = services.import_file(_csv(rows), "csv")
    assert report.created_versions == 1
    version = ProcedureVersion.objects.get()
    assert version.effective_from == date(2025, 7, 1) and version.level == "commune"
    assert str(version.limit_amount) == "0.5" and version.channel_direct and not version.channel_online
    assert version.steps.get(order=2).unit.code == "H26.104" and version.steps.get(order=4).is_return_step
    assert version.documents.get().mandatory


def test_dry_run_writes_nothing(small_catalog):
    content = exchange.export_catalog("csv")
    wipe()
    report = services.import_file(content, "csv", dry_run=True)
    assert report.created_procedures == 2 and report.dry_run
    assert not Procedure.objects.exists()


def test_duplicate_rows_are_refused(small_catalog):
    table = exchange.read_table(exchange.export_catalog("csv"), "csv")
    with pytest.raises(ValidationFailed) as exc:
        services.import_file(_csv([table[0], table[1], table[1]]), "csv")
    assert exc.value.details["errors"][0]["code"] == "CATALOG_IMPORT_DUPLICATE_ROW"


def test_management_commands(small_catalog, tmp_path, capsys):
    """`kycuong catalog_export --format xlsx|csv -o FILE` and `kycuong catalog_import FILE`."""
    xlsx = tmp_path / "catalog.xlsx"
    call_command("catalog_export", "--format", "xlsx", "-o", str(xlsx))
    csv_path = tmp_path / "catalog.csv"
    call_command("catalog_export", "-o", str(csv_path))
    assert csv_path.read_bytes().startswith(b"\xef\xbb\xbf")
    wipe()
    call_command("catalog_import", str(xlsx))
    assert "3 phiên bản mới" in capsys.readouterr().out
    assert Procedure.objects.count() == 2
    broken = tmp_path / "broken.csv"
    broken.write_bytes(csv_path.read_bytes().replace(b"working_days", b"tuan"))
    with pytest.raises(CommandError) as exc:
        call_command("catalog_import", str(broken))
    assert "CATALOG_IMPORT_FAILED" in str(exc.value)
    assert "Dòng 2" in capsys.readouterr().err


def test_exports_cannot_execute_and_round_trip_the_text(make_procedure, units):
    """OWASP CSV injection: a name typed as a formula is written as text in CSV and XLSX, and comes back."""
    from tests.exportcheck import csv_live_cells, xlsx_formulas

    evil = '=HYPERLINK("http://x.example","Bấm vào đây")'
    make_procedure("1.009999", name=evil, documents=[{"name": "-1+1 bản sao", "originals": 1, "copies": 0}])
    csv_bytes, xlsx_bytes = exchange.export_catalog("csv"), exchange.export_catalog("xlsx")
    assert csv_live_cells(csv_bytes.decode("utf-8-sig")) == [] and "'=HYPERLINK" in csv_bytes.decode("utf-8-sig")
    assert xlsx_formulas(xlsx_bytes) == []
    for fmt, content in (("csv", csv_bytes), ("xlsx", xlsx_bytes)):
        wipe()
        services.import_file(content, fmt)
        version = ProcedureVersion.objects.get(procedure__code="1.009999")
        assert version.name == evil and version.documents.get().name == "-1+1 bản sao"
