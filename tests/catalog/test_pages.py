"""Public pages at /thu-tuc/ and the back office (admin) of the catalog."""
from datetime import date

import pytest
from django.urls import reverse

from kycuong.catalog import exchange, services
from kycuong.catalog.checks import PARTS
from kycuong.catalog.models import Procedure, ProcedureVersion


@pytest.fixture
def catalog(make_procedure, units):
    services.save_legal_basis("60/2014/QH13", title="Luật Hộ tịch", effective_from=date(2016, 1, 1))
    make_procedure("1.001193", name="Đăng ký khai sinh", cutoff="15:00", legal_bases=["60/2014/QH13"],
                   fees=[{"name": "Lệ phí đăng ký", "amount_vnd": 1_500_000, "note": ""}])
    make_procedure("2.001610", name="Đăng ký thành lập doanh nghiệp tư nhân", level="province", all_communes=False,
                   deciding_units=["H26.103"], limit_amount="3", steps=[
                       {"name": "Tiếp nhận", "role": "receiving_officer", "hours": 4},
                       {"name": "Thẩm định", "role": "specialist", "hours": 20},
                       {"name": "Trả kết quả", "role": "receiving_officer", "hours": 0, "is_return_step": True}])
    Procedure.objects.filter(code="2.001610").update(is_demo=True)


def test_search_page(client, catalog):
    url = reverse("catalog:search")
    assert url == "/thu-tuc/"
    response = client.get(url, {"q": "dang ky khai sinh"})
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("<h1") == 1
    assert 'for="id_q"' in html and 'for="id_field"' in html and 'for="id_level"' in html and 'for="id_online_level"' in html
    assert "Đăng ký khai sinh" in html and "doanh nghiệp tư nhân" not in html
    assert reverse("catalog:detail", args=["1.001193"]) in html
    assert 'scope="col"' in html
    everything = client.get(url).content.decode()
    assert "doanh nghiệp tư nhân" in everything and "Minh họa" in everything
    province = client.get(url, {"level": "province"}).content.decode()
    assert "doanh nghiệp tư nhân" in province and "Đăng ký khai sinh" not in province
    assert '<option value="province" selected>' in province
    assert "Không tìm thấy" in client.get(url, {"q": "khong co thu tuc nay"}).content.decode()


def test_procedure_page_shows_the_seven_parts(client, catalog):
    """k.2 Đ.8 NĐ 63/2010/NĐ-CP: the page shows all 7 parts and the completeness status."""
    response = client.get(reverse("catalog:detail", args=["1.001193"]))
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("<h1") == 1
    for _code, label in PARTS:
        assert str(label) in html
    for text in ("05 ngày làm việc", "Đủ 7 bộ phận", "15:00", "1.500.000 đồng", "60/2014/QH13", "Quy trình nội bộ",
                 "Không tính thời gian", "Khớp thời hạn", "Một phần"):
        assert text in html, text


def test_procedure_page_dates_and_404(client, catalog):
    url = reverse("catalog:detail", args=["1.001193"])
    assert client.get(url, {"ngay": "2025-07-01"}).status_code == 200
    assert client.get(url, {"ngay": "2020-01-01"}).status_code == 404
    assert "không hợp lệ" in client.get(url, {"ngay": "hôm qua"}).content.decode()
    assert client.get(reverse("catalog:detail", args=["1.999999"])).status_code == 404
    assert "Dữ liệu minh họa" in client.get(reverse("catalog:detail", args=["2.001610"])).content.decode()


@pytest.fixture
def admin_client(client, django_user_model, db):
    user = django_user_model.objects.create_superuser("root", "root@example.org", "pw-Abc12345!")
    client.force_login(user)
    return client


def test_admin_lists_and_change_form_show_checks(admin_client, catalog):
    assert admin_client.get(reverse("admin:catalog_procedure_changelist"), {"q": "dang ky"}).status_code == 200
    listing = admin_client.get(reverse("admin:catalog_procedureversion_changelist"), {"q": "khai sinh", "ap_dung": "now"})
    assert listing.status_code == 200 and "Đăng ký khai sinh" in listing.content.decode()
    version = ProcedureVersion.objects.get(procedure__code="1.001193")
    page = admin_client.get(reverse("admin:catalog_procedureversion_change", args=[version.pk])).content.decode()
    assert "7 bộ phận" in page and "Khớp." in page and "Tổng thời gian các bước 40 giờ" in page
    add = admin_client.get(reverse("admin:catalog_procedureversion_add") + f"?procedure={version.procedure_id}")
    assert add.status_code == 200
    # The new version starts as a copy: the steps of the latest version are prefilled.
    assert 'name="steps-3-name"' in add.content.decode() and 'value="Trả kết quả"' in add.content.decode()
    for name in ("field", "legalbasis", "hourlyrate", "simplificationrecord"):
        assert admin_client.get(reverse(f"admin:catalog_{name}_changelist")).status_code == 200


def _inline_post(version, **overrides):
    """The admin change form of a version as a browser would post it."""
    data = {
        "name": version.name, "field": version.field_id, "level": version.level, "sequence": version.sequence,
        "channel_direct": "on", "channel_online": "on", "method": "", "dossier_sets": "1",
        "limit_amount": "5", "limit_unit": "working_days", "limit_note": "", "service_target_amount": "", "cutoff": "",
        "subjects": version.subjects, "deciding_authority": version.deciding_authority, "all_communes": "on",
        "conditions": "", "result_form": "both", "result_name": "Giấy khai sinh", "online_level": "partial",
        "dossiers_per_year": "", "effective_to": "",
    }
    steps = [("Tiếp nhận", "receiving_officer", "4", ""), ("Thẩm định", "specialist", "28", ""),
             ("Phê duyệt", "unit_leader", "8", ""), ("Trả kết quả", "receiving_officer", "0", "on")]
    prefixes = {"steps": steps, "documents": [("Tờ khai", "1", "0")], "fees": [],
                "ProcedureVersion_legal_bases": []}
    for prefix, rows in prefixes.items():
        data.update({f"{prefix}-TOTAL_FORMS": str(len(rows)), f"{prefix}-INITIAL_FORMS": "0",
                     f"{prefix}-MIN_NUM_FORMS": "0", f"{prefix}-MAX_NUM_FORMS": "1000"})
    for i, (name, role, hours, ret) in enumerate(steps):
        data.update({f"steps-{i}-order": str(i + 1), f"steps-{i}-name": name, f"steps-{i}-role": role,
                     f"steps-{i}-hours": hours})
        if ret:
            data[f"steps-{i}-is_return_step"] = "on"
    data.update({"documents-0-order": "1", "documents-0-name": "Tờ khai", "documents-0-originals": "1",
                 "documents-0-copies": "0", "documents-0-mandatory": "on"})
    data.update(overrides)
    return data


def test_admin_saves_through_services_and_validates_steps(admin_client, catalog):
    procedure = Procedure.objects.get(code="1.001193")
    version = procedure.versions.get()
    url = reverse("admin:catalog_procedureversion_add") + f"?procedure={procedure.pk}"
    bad = _inline_post(version, procedure=str(procedure.pk), effective_from="2026-01-01", **{"steps-1-hours": "20"})
    response = admin_client.post(url, bad)
    assert response.status_code == 200
    assert "còn thiếu 8 giờ" in response.content.decode()
    assert procedure.versions.count() == 1
    good = _inline_post(version, procedure=str(procedure.pk), effective_from="2026-01-01", name="Đăng ký khai sinh 2026")
    response = admin_client.post(url, good)
    assert response.status_code == 302, response.content.decode()[:2000]
    version.refresh_from_db()
    assert version.effective_to == date(2025, 12, 31)
    newest = procedure.versions.get(effective_from=date(2026, 1, 1))
    assert newest.name == "Đăng ký khai sinh 2026" and newest.steps.count() == 4 and newest.documents.count() == 1
    # Editing a version in place, with the start date locked.
    change = reverse("admin:catalog_procedureversion_change", args=[newest.pk])
    response = admin_client.post(change, _inline_post(newest, name="Đăng ký khai sinh (sửa)"))
    assert response.status_code == 302
    newest.refresh_from_db()
    assert newest.name == "Đăng ký khai sinh (sửa)" and newest.effective_from == date(2026, 1, 1)


def test_admin_import_and_export(admin_client, catalog):
    response = admin_client.get(reverse("admin:catalog_procedure_export", args=["xlsx"]))
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('.xlsx"')
    content = exchange.export_catalog("csv")
    assert admin_client.get(reverse("admin:catalog_procedure_import")).status_code == 200
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("danh-muc.csv", content.replace(b"working_days", b"tuan"), content_type="text/csv")
    response = admin_client.post(reverse("admin:catalog_procedure_import"), {"file": upload})
    assert response.status_code == 200
    html = response.content.decode()
    assert "CATALOG_IMPORT_BAD_CELL" in html and "Dòng 2" in html
    upload = SimpleUploadedFile("danh-muc.csv", content, content_type="text/csv")
    response = admin_client.post(reverse("admin:catalog_procedure_import"), {"file": upload})
    assert response.status_code == 302
