"""The queue's search by name without marks ("search by code or name without marks"): whole words
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


def test_a_rare_name_is_sorted_after_matching_with_the_same_rows_in_the_same_order(receive, people, monkeypatch):
    # PostgreSQL takes the word index and sorts the matches when they are few (queries._few_name_matches);
    # either plan must give the same page. On SQLite both runs take the one path.
    for i, name in enumerate(["Bùi Anh Tuấn", "Bùi Anh Tuấn", "Lê Anh Tuấn", "Bùi Văn An"]):
        receive(at=hn(2026, 3, 2, 9 + i), applicant=Applicant(name=name, phone=f"09123456{i:02d}"))

    def page(text):
        return [d.code for d in queries.queue(people["leader"], q=text)]

    monkeypatch.setattr(queries, "FEW_NAME_MATCHES", 10**6)   # "few": sort the matches
    few = page("bui anh tuan"), page("anh")
    monkeypatch.setattr(queries, "FEW_NAME_MATCHES", 0)       # "many": walk the appointment order
    many = page("bui anh tuan"), page("anh")
    assert few == many and len(few[0]) == 2 and len(few[1]) == 3
