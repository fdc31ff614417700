"""Views: officers only, scoped by `onestop.queries.visible_dossiers`, 404 outside one's scope."""
import io

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def url(code, form):
    return reverse("documents:form", kwargs={"code": code, "form": form})


def test_url_names():
    assert url("H26.104-260302-0001", "01") == "/giay-to/form/H26.104-260302-0001/01.pdf"
    assert reverse("documents:register_pdf") == "/giay-to/so-theo-doi.pdf"
    assert reverse("documents:register_xlsx") == "/giay-to/so-theo-doi.xlsx"


def test_anonymous_is_sent_to_login(client, make_dossier, settings):
    from django.shortcuts import resolve_url

    login = resolve_url(settings.LOGIN_URL)
    dossier = make_dossier("received")
    for target in [url(dossier.code, "01"), reverse("documents:register_pdf"), reverse("documents:register_xlsx")]:
        response = client.get(target)
        assert response.status_code == 302 and response["Location"].startswith(login)


@pytest.mark.parametrize("who", ["receiver", "specialist", "leader"])
def test_officers_in_scope_get_the_pdf(client, make_dossier, people, pdfcheck, who):
    dossier = make_dossier("received")
    client.force_login(people[who])
    response = client.get(url(dossier.code, "01"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'inline; filename="{dossier.code}-mau-01.pdf"'
    assert "no-store" in response["Cache-Control"]
    pdf = response.content
    assert pdf.startswith(b"%PDF-")
    # The QR code and its printed address point at this server's public lookup page.
    assert f"http://testserver/tra-cuu/{dossier.code}/" in pdfcheck.link_targets(pdf)


def test_officer_of_another_unit_gets_404(client, make_dossier, people):
    dossier = make_dossier("received")
    client.force_login(people["other"])      # a ward's one-stop officer
    assert client.get(url(dossier.code, "01")).status_code == 404
    assert client.get(url("H26.104-260302-9999", "01")).status_code == 404


def test_citizen_is_refused(client, make_dossier, make_officer):
    dossier = make_dossier("received")
    client.force_login(make_officer(make_officer.Role.CITIZEN, None))
    assert client.get(url(dossier.code, "01")).status_code == 403
    assert client.get(reverse("documents:register_pdf")).status_code == 403


def test_form_that_does_not_fit_the_state_is_404_with_a_message(client, make_dossier, people):
    dossier = make_dossier("received")
    client.force_login(people["receiver"])
    response = client.get(url(dossier.code, "03"))
    assert response.status_code == 404
    assert "Hồ sơ không bị từ chối tiếp nhận." in response.content.decode()
    response = client.get(url(dossier.code, "05"))
    assert response.status_code == 404
    assert "Không có biểu mẫu này." in response.content.decode()


@pytest.mark.parametrize("form,suffix", [("apology", "phieu-xin-loi"), ("06", "mau-06")])
def test_other_forms_filenames(client, make_dossier, people, form, suffix):
    dossier = make_dossier("apology")
    client.force_login(people["specialist"])
    response = client.get(url(dossier.code, form))
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'inline; filename="{dossier.code}-{suffix}.pdf"'


def test_register_views(client, make_dossier, people, pdfcheck):
    dossier = make_dossier("returned")
    client.force_login(people["leader"])
    params = {"from": "2026-03-01", "to": "31/03/2026", "unit": "H26.104"}
    response = client.get(reverse("documents:register_pdf"), params)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'inline; filename="so-theo-doi-H26.104-20260301-20260331.pdf"'
    assert dossier.code in pdfcheck.text(response.content)

    response = client.get(reverse("documents:register_xlsx"), params)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.spreadsheetml")
    from openpyxl import load_workbook

    ws = load_workbook(io.BytesIO(response.content)).active
    assert ws.cell(row=4, column=2).value == dossier.code

    # Default unit: the officer's own.
    response = client.get(reverse("documents:register_xlsx"), {"from": "2026-03-01", "to": "2026-03-31"})
    assert response.status_code == 200
    assert "so-theo-doi-H26.104-" in response["Content-Disposition"]


def test_register_scoping_and_bad_input(client, make_dossier, people):
    make_dossier("returned")
    client.force_login(people["other"])
    # A unit outside one's subtree does not exist for the officer.
    response = client.get(reverse("documents:register_pdf"), {"from": "2026-03-01", "to": "2026-03-31",
                                                               "unit": "H26.104"})
    assert response.status_code == 404
    # Own unit: the dossiers of other units are not in it.
    from openpyxl import load_workbook

    response = client.get(reverse("documents:register_xlsx"), {"from": "2026-03-01", "to": "2026-03-31"})
    assert response.status_code == 200
    ws = load_workbook(io.BytesIO(response.content)).active
    assert ws.max_row == 3 or ws.cell(row=4, column=2).value is None
    # Bad dates answer 400 with a message.
    response = client.get(reverse("documents:register_pdf"), {"from": "31-02-2026"})
    assert response.status_code == 400 and "Ngày không hợp lệ" in response.content.decode()
    response = client.get(reverse("documents:register_pdf"), {"from": "2026-03-31", "to": "2026-03-01"})
    assert response.status_code == 400


def test_register_period_out_of_range_is_refused_not_a_500(client, people):
    # Issue 18: 0001-01-01 00:00 +07:00 is year 0 in UTC and 9999-12-31 + 1 day overflows: refused with words.
    client.force_login(people["leader"])
    for params in ({"from": "0001-01-01", "to": "9999-12-31"}, {"from": "2026-03-01", "to": "9999-12-31"}):
        response = client.get(reverse("documents:register_pdf"), params)
        assert response.status_code == 400
        assert "1900–2999" in response.content.decode()
