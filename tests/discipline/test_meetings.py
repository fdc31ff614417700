"""Meetings and attendance (QĐ 45/2018/QĐ-TTg Đ.15; docs/legal/discipline.md §6.3), the criticism letter and the
conclusions notice in the NĐ 30/2020 layout (docs/legal/documents.md §7)."""
import io

import pytest

from kycuong.core.errors import DomainError
from kycuong.discipline.models import Admonition, Attendance, ConductRecord, Invitation

from .conftest import hn

CODES = ["H26.104", "H26.105", "H26.106", "H26.107", "H26.108", "H26.109"]


@pytest.fixture
def meeting(people, official):
    from kycuong.core.models import Unit
    from kycuong.discipline import services

    for code in CODES[2:]:
        official(code, f"Thủ trưởng {code}", rank="head", position="Giám đốc")
    official("H26.106", "Phó Giám đốc Dự Thay", rank="deputy", position="Phó Giám đốc")
    return services.create_meeting(
        people["secretary"], title="Hội nghị sơ kết cải cách hành chính", unit=Unit.objects.get(code="H26"),
        chair=people["chair"], starts_at=hn(2026, 3, 6, 8), ends_at=hn(2026, 3, 6, 11), place="Hội trường 12 Lê Lai",
        units=[(Unit.objects.get(code=c), "head") for c in CODES], officials=[people["colleague"]])


def assert_in_order(text, parts):
    """Each part occurs after the previous one (the reading order of the page)."""
    at = -1
    for part in parts:
        found = text.find(part, at + 1)
        assert found > at, f"{part!r} missing or out of order in: {text[max(at, 0):max(at, 0) + 300]!r}"
        at = found


def inv(meeting, code):
    return meeting.invitations.get(unit__code=code, expected_rank="head")


def run_meeting(meeting, people):
    """104 on time and stays; 105 leaves without reporting; 106's head declines and names a delegate who
    comes late; 107 leaves with the chair's consent; 108 reported absent; 109 never comes; the personally
    invited colleague never comes."""
    from kycuong.discipline import services

    sec = people["secretary"]
    services.check_in(inv(meeting, "H26.104").pk, at=hn(2026, 3, 6, 7, 55))
    services.check_in(inv(meeting, "H26.105").pk, at=hn(2026, 3, 6, 7, 58))
    services.check_out(inv(meeting, "H26.105").pk, at=hn(2026, 3, 6, 9, 30))
    deputy = meeting.invitations.model._meta.get_field("delegate").related_model.objects.get(full_name="Phó Giám đốc Dự Thay")
    services.reply(inv(meeting, "H26.106").pk, accept=False, reason="Họp Bộ", delegate=deputy, at=hn(2026, 3, 5, 9))
    services.check_in(inv(meeting, "H26.106").pk, at=hn(2026, 3, 6, 8, 25), actor=sec)  # marked on the tablet
    services.check_in(inv(meeting, "H26.107").pk, at=hn(2026, 3, 6, 8))
    services.consent_leave(sec, inv(meeting, "H26.107").pk, reason="Việc đột xuất", at=hn(2026, 3, 6, 9, 55))
    services.check_out(inv(meeting, "H26.107").pk, at=hn(2026, 3, 6, 10))
    services.reply(inv(meeting, "H26.108").pk, accept=False, reason="Ốm", at=hn(2026, 3, 5, 16))
    services.check_out(inv(meeting, "H26.104").pk, at=hn(2026, 3, 6, 11, 2))
    return services.close_meeting(sec, meeting.pk, at=hn(2026, 3, 6, 11, 5))


def test_each_invitee_ends_in_one_of_the_six_states(meeting, people):
    """docs/legal/discipline.md §6.3 / QĐ 45/2018 Đ.15: present, late, absent reported, absent without reason, left with
    consent, left without reporting — and a delegate attends in the head's place."""
    run_meeting(meeting, people)
    states = {i.unit.code if i.expected_rank else "personal": i.final_state for i in meeting.invitations.all()}
    assert states == {
        "H26.104": Attendance.PRESENT, "H26.105": Attendance.LEFT_UNREPORTED, "H26.106": Attendance.LATE,
        "H26.107": Attendance.LEFT_WITH_CONSENT, "H26.108": Attendance.ABSENT_REPORTED,
        "H26.109": Attendance.ABSENT_UNREPORTED, "personal": Attendance.ABSENT_UNREPORTED,
    }
    assert inv(meeting, "H26.106").attendee.full_name == "Phó Giám đốc Dự Thay"


def test_close_records_attendance_violations_and_sets_the_5_working_day_conclusions_limit(meeting, people):
    """QĐ 45/2018: conclusions notice within 5 working days (Friday 11:00 → next Friday 11:00); attendance
    violations become conduct records with their rule (source "meeting")."""
    m = run_meeting(meeting, people)
    assert m.conclusions_due_at == hn(2026, 3, 13, 11)
    recs = ConductRecord.objects.filter(source_kind="meeting", source_ref=f"meeting:{m.pk}")
    assert sorted(r.rule.code for r in recs) == ["QĐ45-D15-DUNGGIO", "QĐ45-D15-DUTHOIGIAN", "QĐ45-D15-THANHPHAN",
                                                  "QĐ45-D15-THANHPHAN"]
    with pytest.raises(DomainError):
        from kycuong.discipline import services
        services.check_in(inv(m, "H26.109").pk, at=hn(2026, 3, 6, 11, 10))  # closed: attendance is final


def test_criticism_letter_names_exactly_the_unreported_absent_and_leavers(meeting, people):
    """The letter names the units and people absent without reason and those who left without reporting,
    nobody else; each named person gets a phê bình record, which is not a disciplinary measure (docs/legal/discipline.md §6.2)."""
    from kycuong.discipline import services

    run_meeting(meeting, people)
    letter = services.draft_criticism(people["secretary"], meeting.pk, at=hn(2026, 3, 9, 9))
    named = letter.body["named"]
    assert [u["unit"] for u in named["units"]] == ["Sở Giáo dục và Đào tạo"]  # H26.109
    assert [p["name"] for p in named["people"]] == ["Đỗ Thị Hồng"]
    assert [p["name"] for p in named["leavers"]] == ["Ngô Văn Sở"]
    assert letter.subject.startswith("V/v phê bình")
    assert Admonition.objects.filter(letter=letter, kind="phe_binh").count() == 3
    # one click twice → the same draft, the same number
    assert services.draft_criticism(people["secretary"], meeting.pk).pk == letter.pk


def test_numbers_per_agency_type_and_year_restart_each_year(people):
    """NĐ 30/2020 (docs/legal/documents.md §7): numbering per issuing agency, document type and year; restarts in January."""
    from kycuong.core.models import Unit
    from kycuong.discipline.services import next_number

    city, dept = Unit.objects.get(code="H26"), Unit.objects.get(code="H26.104")
    assert [next_number(city, "CV", 2026) for _ in range(3)] == [1, 2, 3]
    assert next_number(city, "TB", 2026) == 1
    assert next_number(dept, "CV", 2026) == 1
    assert next_number(city, "CV", 2027) == 1


def test_criticism_pdf_has_the_nine_parts_of_decree_30_in_order(meeting, people):
    """NĐ 30/2020 Đ.8 k.2 a→i in reading order, Vietnamese intact, Liberation Serif embedded."""
    from kycuong.discipline import letters, services
    from tests.documents import pdfcheck

    run_meeting(meeting, people)
    letter = services.draft_criticism(people["secretary"], meeting.pk, at=hn(2026, 3, 9, 9))
    pdf = letters.render_pdf(letter)
    text = pdfcheck.text(pdf)
    parts = ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "ỦY BAN NHÂN DÂN THÀNH PHỐ HÀ NỘI",
             "Số: 1/UBND-NC", "Hà Nội, ngày 09 tháng 3 năm 2026", "V/v phê bình việc chấp hành chế độ hội họp",
             "Kính gửi", "Ngô Văn Sở", "CHỦ TỊCH", "(Chữ ký số, dấu của cơ quan)", "Nguyễn Văn Chủ", "Nơi nhận:", "Lưu: VT"]
    assert_in_order(text, parts)
    fonts = pdfcheck.fonts(pdf)
    assert fonts and all(n.startswith(("Liberation-Serif", "LiberationSerif")) and embedded for n, embedded in fonts.items()), fonts
    assert pdfcheck.page_sizes(pdf)[0] == pdfcheck.A4_PORTRAIT


def test_criticism_docx_for_the_clerk_to_edit(meeting, people):
    from docx import Document

    from kycuong.discipline import letters, services

    run_meeting(meeting, people)
    letter = services.draft_criticism(people["secretary"], meeting.pk, at=hn(2026, 3, 9, 9))
    doc = Document(io.BytesIO(letters.render_docx(letter)))
    text = "\n".join(p.text for p in doc.paragraphs) + "\n".join(c.text for t in doc.tables for r in t.rows for c in r.cells)
    for expected in ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Số: 1/UBND-NC", "V/v phê bình", "Ngô Văn Sở", "Nơi nhận:"):
        assert expected in text


def test_conclusions_notice_assigns_tasks_and_knows_if_it_was_on_time(meeting, people):
    """QĐ 45/2018: the conclusions notice within 5 working days, with owner and deadline for each task."""
    from kycuong.core.models import Unit
    from kycuong.discipline import services

    run_meeting(meeting, people)
    letter = services.issue_conclusions(people["secretary"], meeting.pk, conclusions="Các sở hoàn thành rà soát.",
                                        tasks=[(Unit.objects.get(code="H26.104"), "Rà soát thủ tục", hn(2026, 4, 1, 17))],
                                        at=hn(2026, 3, 16, 9))
    assert letter.symbol == "TB-UBND" and letter.number == 1
    assert letter.body["on_time"] is False  # 16/3 is after 13/3 11:00
    from kycuong.discipline.models import Task
    assert Task.objects.get(directive__meeting=meeting).unit.code == "H26.104"


def test_personal_qr_token_is_signed(meeting):
    from kycuong.discipline import services

    i = meeting.invitations.first()
    token = services.token_for(i)
    assert services.invitation_for_token(token).pk == i.pk
    with pytest.raises(DomainError):
        services.invitation_for_token(token[:-2] + ("AA" if not token.endswith("AA") else "BB"))


def test_declining_needs_a_reason_for_the_chair(meeting):
    from kycuong.discipline import services

    with pytest.raises(DomainError) as err:
        services.reply(meeting.invitations.first().pk, accept=False, reason="", at=hn(2026, 3, 5, 9))
    assert err.value.code == "DISCIPLINE_INVALID"
    assert Invitation.objects.filter(reply="declined").count() == 0


def test_the_answer_comes_before_the_meeting(meeting):
    """QĐ 45/2018/QĐ-TTg Đ.15: the invitee answers, and reports an absence to the chair, before the meeting —
    an excuse sent after the start is refused (409) and the invitee stays absent without reason."""
    from kycuong.discipline import services

    with pytest.raises(DomainError) as err:
        services.reply(meeting.invitations.first().pk, accept=False, reason="Ốm", at=hn(2026, 3, 6, 8, 30))
    assert (err.value.code, err.value.status) == ("DISCIPLINE_WRONG_STATE", 409)
    assert Invitation.objects.filter(reply="declined").count() == 0


def test_meeting_form_invites_units_and_named_officials(people, client):
    """The secretary's form: units with the expected rank, and individual officials."""
    from kycuong.core.models import Unit
    from kycuong.discipline.models import Meeting

    client.force_login(people["secretary"])
    assert client.get("/ky-luat/hop/moi/").status_code == 200
    empty = client.post("/ky-luat/hop/moi/", {"title": "Họp", "chair": people["chair"].pk, "day": "2026-03-06",
                                              "start": "08:00", "end": "07:00", "rank": "head"})
    body = empty.content.decode()
    assert empty.status_code == 200 and "Giờ kết thúc phải sau giờ bắt đầu." in body
    assert "Hãy mời ít nhất một đơn vị hoặc một người." in body and not Meeting.objects.exists()
    r = client.post("/ky-luat/hop/moi/", {"title": "Họp chuyên đề", "chair": people["chair"].pk, "day": "2026-03-06",
                                          "start": "08:00", "end": "10:00", "rank": "deputy",
                                          "units": [Unit.objects.get(code="H26.105").pk],
                                          "officials": [people["colleague"].pk]})
    meeting = Meeting.objects.get()
    assert r.status_code == 302 and r.url == f"/ky-luat/hop/{meeting.pk}/"
    rows = {(i.unit.code, i.expected_rank, i.official.full_name if i.official else None) for i in meeting.invitations.all()}
    # Sở Xây dựng has no deputy on record: the head is invited in their place
    assert rows == {("H26.105", "deputy", "Ngô Văn Sở"), ("H26.104", "", "Đỗ Thị Hồng")}
