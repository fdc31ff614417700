"""The officer workspace and the public lookup over HTTP: sign-in, roles, scoping, actions through the
page, optimistic concurrency, intake errors, lookup privacy and rate limits."""
import re
import pytest
from django.core.cache import cache
from django.utils import timezone

from kycuong.onestop.models import Dossier
from kycuong.onestop.services import Applicant, act
from kycuong.onestop.workflow import State

from .conftest import PROC, hn

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()  # the lookup rate limiter counts in the cache
    yield
    cache.clear()


class Clock:
    """The web acts "now"; the tests choose when now is (dossiers are received at fixed times)."""

    def __init__(self, at):
        self.at = at

    def __call__(self):
        return self.at


@pytest.fixture(autouse=True)
def clock(monkeypatch, settings):
    fake = Clock(hn(2026, 3, 4, 10))  # Wed 04/03/2026 10:00, two days after the default receipt
    monkeypatch.setattr(timezone, "now", fake)
    settings.SESSION_COOKIE_AGE = 365 * 24 * 3600  # sessions expire by the fake clock too
    return fake


def page_of(code):
    return f"/mot-cua/{code}/"


def actions_on(html):
    return set(re.findall(r'data-action="([a-z_]+)"', html))


def version_of(code):
    return Dossier.objects.get(code=code).version


# --- sign-in and roles -------------------------------------------------------------------------------------

def test_sign_in_page_is_vietnamese_and_signs_an_officer_in(client, people):
    page = client.get("/dang-nhap/").content.decode()
    assert "Đăng nhập dành cho cán bộ" in page and 'for="id_username">Tên đăng nhập' in page
    bad = client.post("/dang-nhap/", {"username": people["counter"].username, "password": "sai"})
    assert bad.status_code == 200
    assert "Tên đăng nhập hoặc mật khẩu không đúng" in bad.content.decode()
    assert 'href="#id_username"' in bad.content.decode()
    ok = client.post("/dang-nhap/", {"username": people["counter"].username, "password": "pw-Abc12345!"})
    assert ok.status_code == 302 and ok["Location"] == "/mot-cua/"
    home = client.get("/").content.decode()
    assert "Hồ sơ một cửa" in home and "Đăng xuất" in home
    out = client.post("/dang-xuat/")
    assert out.status_code == 302 and client.get("/mot-cua/").status_code == 302


@pytest.mark.parametrize("url", ["/mot-cua/", "/mot-cua/tiep-nhan/", "/mot-cua/H26.104-260302-0001/"])
def test_officer_pages_require_sign_in(client, url):
    r = client.get(url)
    assert r.status_code == 302 and r["Location"].startswith("/dang-nhap/?next=")


def test_citizens_get_a_403_page(client, people, receive):
    d = receive()
    client.force_login(people["citizen"])
    for url in ("/mot-cua/", "/mot-cua/tiep-nhan/", page_of(d.code)):
        r = client.get(url)
        assert r.status_code == 403 and "Không có quyền truy cập" in r.content.decode()
    r = client.post(page_of(d.code) + "thao-tac/", {"action": "stop", "stop-version": d.version, "stop-reason": "x"})
    assert r.status_code == 403
    assert Dossier.objects.get(pk=d.pk).state == State.RECEIVED


# --- queue -------------------------------------------------------------------------------------------------

def test_queue_is_scoped_filtered_and_searchable_without_marks(client, people, receive, clock):
    d = receive()
    refused = receive(documents=[], outcome="refuse", reason="Không thuộc thẩm quyền",
                      applicant=Applicant(name="Trần Văn Bình"))
    client.force_login(people["specialist"])
    page = client.get("/mot-cua/").content.decode()
    assert d.code in page and refused.code in page
    assert '<th scope="col" class="govuk-table__header">Thời hạn</th>' in page
    assert 'govuk-tag govuk-tag--green">Trong hạn' in page
    assert d.code in client.get("/mot-cua/", {"clock": "on_track"}).content.decode()
    clock.at = hn(2026, 3, 13, 10)  # Fri: due Mon 16/03 09:00, 7 working hours left
    page = client.get("/mot-cua/", {"clock": "due_soon"}).content.decode()
    assert d.code in page and 'govuk-tag govuk-tag--yellow">Sắp đến hạn' in page
    clock.at = hn(2026, 3, 20, 9)  # past the appointment: overdue, in colour and in words
    page = client.get("/mot-cua/").content.decode()
    assert 'govuk-tag govuk-tag--red">Quá hạn' in page
    page = client.get("/mot-cua/", {"q": "hoang thi mai"}).content.decode()
    assert d.code in page and refused.code not in page
    page = client.get("/mot-cua/", {"q": d.code}).content.decode()
    assert d.code in page and refused.code not in page
    page = client.get("/mot-cua/", {"state": int(State.REFUSED)}).content.decode()
    assert refused.code in page and d.code not in page
    page = client.get("/mot-cua/", {"clock": "overdue"}).content.decode()
    assert d.code in page and refused.code not in page
    page = client.get("/mot-cua/", {"clock": "on_track"}).content.decode()
    assert d.code not in page
    page = client.get("/mot-cua/", {"procedure": PROC}).content.decode()
    assert d.code in page
    # "Hồ sơ của tôi": the current step is the counter officer's, not the specialist's.
    assert d.code not in client.get("/mot-cua/", {"tab": "mine"}).content.decode()
    client.force_login(people["counter"])
    assert d.code in client.get("/mot-cua/", {"tab": "mine"}).content.decode()
    # Another department sees none of it.
    client.force_login(people["other"])
    page = client.get("/mot-cua/").content.decode()
    assert d.code not in page and refused.code not in page


def test_queue_pages_by_fifty_and_links_the_register(client, people, receive):
    for minute in range(51):
        receive(at=hn(2026, 3, 2, 9, minute))
    client.force_login(people["leader"])
    first = client.get("/mot-cua/").content.decode()
    assert first.count('<th scope="row"') == 50 and "Trang 1/2" in first
    second = client.get("/mot-cua/", {"page": 2}).content.decode()
    assert second.count('<th scope="row"') == 1
    assert "/giay-to/so-theo-doi.pdf" in first and "/giay-to/so-theo-doi.xlsx" in first


# --- intake ------------------------------------------------------------------------------------------------

def intake_post(client, **data):
    body = {"procedure": PROC, "applicant_name": "Hoàng Thị Mai", "applicant_phone": "0912345678",
            "applicant_id_number": "001190012345", "channel": "1", "outcome": "receive"}
    body.update(data)
    return client.post(f"/mot-cua/tiep-nhan/?thu_tuc={PROC}", body)


def test_intake_search_and_form(client, people):
    client.force_login(people["counter"])
    page = client.get("/mot-cua/tiep-nhan/", {"q": "cong chung vien"}).content.decode()
    assert f"?thu_tuc={PROC}" in page
    page = client.get("/mot-cua/tiep-nhan/", {"thu_tuc": PROC}).content.decode()
    assert "Đăng ký hành nghề và cấp Thẻ công chứng viên" in page
    assert page.count("bắt buộc</strong>") == 3  # the procedure's three mandatory documents are marked
    assert client.get("/mot-cua/tiep-nhan/", {"thu_tuc": "KHONG-CO"}).status_code == 404


def test_intake_error_keeps_the_input_and_links_the_field(client, people, all_documents):
    client.force_login(people["counter"])
    docs = all_documents()
    r = intake_post(client, documents=[str(docs[0])], applicant_address="Số 1 Tràng Tiền")
    html = r.content.decode()
    assert r.status_code == 422 and Dossier.objects.count() == 0
    assert "govuk-error-summary" in html and 'href="#id_documents_0"' in html
    assert "Hồ sơ chưa đủ giấy tờ bắt buộc" in html
    assert 'value="Hoàng Thị Mai"' in html and 'value="Số 1 Tràng Tiền"' in html and 'value="0912345678"' in html
    assert re.search(rf'value="{docs[0]}" checked', html) and not re.search(rf'value="{docs[1]}" checked', html)
    r = intake_post(client, outcome="supplement", reason="  ")
    html = r.content.decode()
    assert r.status_code == 422 and 'href="#id_reason"' in html and "Ghi rõ giấy tờ cần bổ sung" in html
    assert re.search(r'value="supplement" checked', html)
    r = intake_post(client, applicant_name="", applicant_phone="abc")
    html = r.content.decode()
    assert 'href="#id_applicant_name"' in html and 'href="#id_applicant_phone"' in html


def test_intake_receipt_redirects_to_the_dossier_with_form_01(client, people, all_documents):
    client.force_login(people["counter"])
    r = intake_post(client, documents=[str(i) for i in all_documents()])
    d = Dossier.objects.get()
    assert r.status_code == 302 and r["Location"] == page_of(d.code)
    html = client.get(r["Location"]).content.decode()
    assert f"Đã tiếp nhận hồ sơ {d.code}" in html
    assert f"/giay-to/form/{d.code}/01.pdf" in html and f"/giay-to/form/{d.code}/06.pdf" in html
    assert d.state == State.RECEIVED and d.applicant_phone == "0912345678"


def test_intake_supplement_and_refusal(client, people):
    client.force_login(people["counter"])
    r = intake_post(client, outcome="supplement", reason="Thiếu ảnh chân dung")
    d = Dossier.objects.get()
    assert d.state == State.SUPPLEMENT_REQUESTED
    assert f"/giay-to/form/{d.code}/02.pdf" in client.get(r["Location"]).content.decode()
    r = intake_post(client, outcome="refuse", reason="Không thuộc thẩm quyền")
    d = Dossier.objects.get(state=State.REFUSED)
    html = client.get(r["Location"]).content.decode()
    assert f"/giay-to/form/{d.code}/03.pdf" in html and f"/giay-to/form/{d.code}/01.pdf" not in html
    assert actions_on(html) == set()


def test_commune_procedure_at_a_city_branch_asks_for_the_deciding_commune(client, people):
    """Boundary-free intake (docs/legal/units.md §9): a city branch receives for any commune, which must be named."""
    client.force_login(people["counter"])
    page = client.get("/mot-cua/tiep-nhan/", {"thu_tuc": "1.001193"}).content.decode()
    assert 'id="id_deciding_unit"' in page and "Phường Hoàn Kiếm" in page
    body = {"procedure": "1.001193", "applicant_name": "Hoàng Thị Mai", "channel": "1", "outcome": "supplement",
            "reason": "Thiếu giấy chứng sinh"}
    r = client.post("/mot-cua/tiep-nhan/?thu_tuc=1.001193", body)
    assert r.status_code == 422 and 'href="#id_deciding_unit"' in r.content.decode()
    r = client.post("/mot-cua/tiep-nhan/?thu_tuc=1.001193", body | {"deciding_unit": "H26.501"})
    d = Dossier.objects.get()
    assert r.status_code == 302 and d.unit.code == "H26.501" and d.code.startswith("H26.501-")


# --- the dossier page ----------------------------------------------------------------------------------------

def test_an_officer_of_another_unit_gets_404(client, people, receive):
    d = receive()
    client.force_login(people["other"])
    assert client.get(page_of(d.code)).status_code == 404
    r = client.post(page_of(d.code) + "thao-tac/", {"action": "stop", "stop-version": d.version, "stop-reason": "x"})
    assert r.status_code == 404 and Dossier.objects.get(pk=d.pk).state == State.RECEIVED


def test_the_page_offers_only_the_actions_allowed_now(client, people, receive, clock):
    d = receive()
    client.force_login(people["counter"])
    html = client.get(page_of(d.code)).content.decode()
    assert actions_on(html) == {"request_supplement", "start_processing", "apologize", "withdraw", "stop"}
    assert "Tiếp nhận hồ sơ, hẹn ngày trả kết quả" in html  # timeline, in Vietnamese
    assert 'data-testid="accountability"' not in html
    clock.at = hn(2026, 3, 13, 10)  # 7 working hours before the appointment: too late to apologise
    html = client.get(page_of(d.code)).content.decode()
    assert "apologize" not in actions_on(html) and "Đã quá thời điểm gửi văn bản xin lỗi" in html
    clock.at = hn(2026, 3, 20, 9)
    html = client.get(page_of(d.code)).content.decode()
    assert 'data-testid="accountability"' in html  # late: who consumed the overrun
    assert "1. Tiếp nhận, kiểm tra, số hóa hồ sơ" in html.split('data-testid="accountability"')[1]


def test_actions_through_the_page_walk_the_dossier_to_the_end(client, people, receive, clock):
    d = receive()
    clock.at = hn(2026, 3, 2, 11)
    client.force_login(people["counter"])
    post = lambda action, **fields: client.post(page_of(d.code) + "thao-tac/", {  # noqa: E731
        "action": action, f"{action}-version": version_of(d.code), **{f"{action}-{k}": v for k, v in fields.items()}})
    r = post("start_processing", assignee=people["specialist"].pk)
    assert r.status_code == 302 and r["Location"] == page_of(d.code)
    d.refresh_from_db()
    assert d.state == State.PROCESSING and d.current_step.assignee == people["specialist"]
    html = client.get(page_of(d.code)).content.decode()
    assert "Đã thực hiện: Chuyển xử lý." in html
    # The next step's assignee list holds the officers of the department, leader first for a leader's step.
    clock.at = hn(2026, 3, 10, 9)
    client.force_login(people["specialist"])
    html = client.get(page_of(d.code)).content.decode()
    assert re.search(rf'<option value="{people["leader"].pk}">Lê Hoàng Nam', html)
    assert f'value="{people["other"].pk}"' not in html
    r = post("apologize", reason="Chờ ý kiến cơ quan phối hợp", new_due_date="2026-03-20", new_due_time="17:00")
    assert r.status_code == 302
    d.refresh_from_db()
    assert d.apology_count == 1 and d.due_at == hn(2026, 3, 20, 17)
    assert post("handover", assignee=people["leader"].pk).status_code == 302
    clock.at = hn(2026, 3, 17, 9)
    client.force_login(people["leader"])
    assert post("handover", assignee=people["clerk"].pk).status_code == 302
    clock.at = hn(2026, 3, 17, 15)
    client.force_login(people["clerk"])
    html = client.get(page_of(d.code)).content.decode()
    assert "finish" in actions_on(html) and "handover" not in actions_on(html)
    assert post("finish").status_code == 302
    clock.at = hn(2026, 3, 18, 9)
    client.force_login(people["counter"])
    assert post("return_result", electronic="on").status_code == 302
    d.refresh_from_db()
    assert d.state == State.RETURNED and d.result_is_electronic
    html = client.get(page_of(d.code)).content.decode()
    assert actions_on(html) == set()
    assert 'data-testid="verdict"><strong class="govuk-tag govuk-tag--red">Quá hạn' in html  # finished after 16/03 09:00
    assert 'data-testid="accountability"' in html
    for form in ("01", "06", "apology"):
        assert f"/giay-to/form/{d.code}/{form}.pdf" in html
    assert "/02.pdf" not in html and "/stop.pdf" not in html


def test_a_stale_version_is_refused_with_a_reload_link(client, people, receive):
    d = receive()
    client.force_login(people["leader"])
    seen = version_of(d.code)
    act(d.code, "start_processing", people["counter"], assignee_id=people["specialist"].pk)  # someone else, meanwhile
    r = client.post(page_of(d.code) + "thao-tac/", {"action": "stop", "stop-version": seen, "stop-reason": "Đề nghị dừng"})
    html = r.content.decode()
    assert r.status_code == 409
    assert "Hồ sơ vừa được người khác cập nhật" in html and f'href="{page_of(d.code)}"' in html
    assert Dossier.objects.get(pk=d.pk).state == State.PROCESSING


def test_domain_and_form_errors_are_shown_in_the_summary(client, people, receive):
    d = receive()
    client.force_login(people["counter"])
    r = client.post(page_of(d.code) + "thao-tac/", {"action": "apologize", "apologize-version": d.version,
                                                    "apologize-reason": "", "apologize-new_due_date": "hôm qua"})
    html = r.content.decode()
    assert r.status_code == 422
    assert 'href="#id_apologize-reason"' in html and "Ghi rõ lý do chậm trả kết quả." in html
    assert 'href="#id_apologize-new_due_date"' in html and "Ngày hẹn trả mới không hợp lệ." in html
    r = client.post(page_of(d.code) + "thao-tac/", {"action": "request_supplement", "request_supplement-version": d.version,
                                                    "request_supplement-reason": "Thiếu ảnh"})
    assert r.status_code == 302
    # A second supplement request: not offered any more, and refused with the legal message if posted.
    r = client.post(page_of(d.code) + "thao-tac/", {"action": "request_supplement",
                                                    "request_supplement-version": version_of(d.code),
                                                    "request_supplement-reason": "Lại thiếu"})
    assert r.status_code == 409
    assert "Thao tác này không thực hiện được ở trạng thái hiện tại của hồ sơ." in r.content.decode()


# --- public lookup ---------------------------------------------------------------------------------------------

def test_lookup_shows_the_stage_without_personal_data(client, people, receive, clock):
    d = receive()
    act(d.code, "start_processing", people["counter"], at=hn(2026, 3, 2, 11), assignee_id=people["specialist"].pk)
    assert "Trước hạn" in client.get(f"/tra-cuu/{d.code}/").content.decode()
    clock.at = hn(2026, 3, 20, 9)
    r = client.get(f"/tra-cuu/{d.code}/")
    html = r.content.decode()
    assert r.status_code == 200 and r["Cache-Control"] == "private, no-store"
    assert "Đang xử lý" in html and "Đăng ký hành nghề và cấp Thẻ công chứng viên" in html
    assert "09:00 16/03/2026" in html  # the appointment
    assert "Quá hạn" in html  # still open long after the appointment
    assert "1. Tiếp nhận, kiểm tra, số hóa hồ sơ" in html  # a step done
    assert "Tiếp nhận hồ sơ, hẹn ngày trả kết quả" in html and "Chuyển xử lý" in html
    for secret in ("Hoàng Thị Mai", "0912345678", "5678", "001190012345", people["specialist"].full_name):
        assert secret not in html
    # The search form leads to the page; lower case is accepted.
    r = client.get("/tra-cuu/", {"ma": d.code.lower()})
    assert r.status_code == 302 and r["Location"] == f"/tra-cuu/{d.code}/"


def test_lookup_with_the_last_four_digits_shows_name_and_masked_phone(client, receive):
    d = receive()
    wrong = client.post(f"/tra-cuu/{d.code}/", {"so_cuoi": "1234"})
    assert wrong.status_code == 422
    html = wrong.content.decode()
    assert "Bốn số cuối không khớp" in html and "Hoàng Thị Mai" not in html and 'href="#lookup-phone"' in html
    right = client.post(f"/tra-cuu/{d.code}/", {"so_cuoi": "5678"})
    html = right.content.decode()
    assert right.status_code == 200 and "Hoàng Thị Mai" in html and "******5678" in html
    assert "0912345678" not in html and "001190012345" not in html


def test_unknown_code_gives_404_with_the_search_form(client, city):
    r = client.get("/tra-cuu/H26.104-260302-9999/")
    html = r.content.decode()
    assert r.status_code == 404 and "Không tìm thấy hồ sơ" in html and 'name="ma"' in html
    r = client.get("/tra-cuu/", {"ma": "<script>"})
    assert r.status_code == 400 and "Mã hồ sơ chỉ gồm" in r.content.decode()


def test_lookup_is_rate_limited_per_ip_and_wrong_guesses_cost_more(client, receive, settings):
    settings.KYCUONG_LOOKUP_RATE_PER_MINUTE = 10
    d = receive()
    # A wrong guess costs onestop.lookup.WRONG_GUESS_COST (2), as on GET /api/v1/lookup/{code}.
    for i in range(5):
        assert client.post(f"/tra-cuu/{d.code}/", {"so_cuoi": f"{i}{i}{i}{i}"}).status_code == 422   # 2, 4, … 10
    r = client.get(f"/tra-cuu/{d.code}/")
    assert r.status_code == 429 and int(r["Retry-After"]) > 0
    assert "Bạn đã tra cứu quá nhiều lần" in r.content.decode()
    # Another address still gets through.
    assert client.get(f"/tra-cuu/{d.code}/", REMOTE_ADDR="10.0.0.2").status_code == 200


def test_lookup_locks_guessing_on_one_dossier_across_addresses(client, receive, settings):
    settings.KYCUONG_LOOKUP_RATE_PER_MINUTE = 1000
    d = receive()
    for i in range(10):
        client.post(f"/tra-cuu/{d.code}/", {"so_cuoi": f"{i:04d}"}, REMOTE_ADDR=f"10.0.1.{i}")
    r = client.post(f"/tra-cuu/{d.code}/", {"so_cuoi": "5678"}, REMOTE_ADDR="10.0.2.1")
    assert "Hoàng Thị Mai" not in r.content.decode() and "tạm khóa" in r.content.decode()


def test_a_large_queue_says_more_than_the_cap_without_counting_it_all(client, people, receive, monkeypatch):
    """The queue counts up to queries.COUNT_CAP (an exact count of 1M rows costs more than the page)."""
    from kycuong.onestop import queries, views

    monkeypatch.setattr(queries, "COUNT_CAP", 3)
    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    for minute in range(5):
        receive(at=hn(2026, 3, 2, 9, minute))
    client.force_login(people["leader"])
    page = client.get("/mot-cua/", {"page": 1}).content.decode()
    assert "hơn 3 hồ sơ" in page and "Trang 1" in page and "Trang 1/" not in page
    assert 'rel="next"' in page and page.count('<th scope="row"') == 2
    last = client.get("/mot-cua/", {"page": 3}).content.decode()  # the last page knows the total
    assert "5 hồ sơ" in last and "Trang 3/3" in last and last.count('<th scope="row"') == 1
