"""The queue's search by name without marks (issue 3: "search by code or name without marks"): whole words
in any order, the same on SQLite and PostgreSQL (PostgreSQL serves it from a word index, migration 0003)."""
from kycuong.onestop import queries
from kycuong.onestop.services import Applicant

from .conftest import hn


def test_names_are_found_by_whole_words_in_any_order_without_marks(receive, people):
    mai = receive(applicant=Applicant(name="Hoàng Thị Mai", phone="0912345678"))
    duc = receive(at=hn(2026, 3, 2, 10), applicant=Applicant(name="Đặng Đức Anh", phone="0912345679"))

    def found(text):
        return {d.code for d in queries.queue(people["leader"], q=text)}

    assert found("hoang thi mai") == found("MAI HOANG") == found("Hoàng") == {mai.code}
    assert found("dang duc") == found("anh") == {duc.code}  # đ → d
    assert found("hoa") == found("an") == set()  # whole words, not parts of words
    assert found("hoang anh") == set()  # every word must be in the name
    assert found(duc.code) == {duc.code} and found(duc.code[:12]) == {mai.code, duc.code}  # code prefix
    assert found("!!!") == set()
