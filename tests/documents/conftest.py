"""Dossiers in every state a printed form needs, made only through the one-stop services."""
import importlib.util
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

_HERE = Path(__file__).resolve().parent

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
PROCEDURE = "HN-DEMO-CC01"          # Sở Tư pháp (H26.104), 10 working days, 5 internal steps
RECEIVING = "H26.200.01"            # Chi nhánh số 1 of the service centre
DECIDING = "H26.104"
APPLICANT = "Nguyễn Thị Hồng Nhung"
BASE_URL = "https://kycuong.example.vn/"


def at(day, hour, minute=0):
    return datetime(2026, 3, day, hour, minute, tzinfo=TZ)


@pytest.fixture
def people(demo_city_with_catalog, make_officer):
    R = make_officer.Role
    return {
        "receiver": make_officer(R.RECEIVING_OFFICER, RECEIVING, full_name="Nguyễn Thị Lan"),
        "specialist": make_officer(R.SPECIALIST, DECIDING, full_name="Trần Văn Minh"),
        "leader": make_officer(R.UNIT_LEADER, DECIDING, full_name="Lê Hoàng Nam"),
        "clerk": make_officer(R.CLERK, DECIDING, full_name="Phạm Thu Hà"),
        "other": make_officer(R.RECEIVING_OFFICER, "H26.501", full_name="Bùi Văn Tùng"),
    }


@pytest.fixture
def make_dossier(people):
    """make_dossier(kind) → a Dossier in the state the kind names, built by the services."""
    from kycuong.catalog.queries import procedure_by_code
    from kycuong.onestop import services
    from kycuong.onestop.models import Dossier

    receiver, specialist, leader, clerk = (people[k] for k in ("receiver", "specialist", "leader", "clerk"))
    version = procedure_by_code(PROCEDURE, on_date=at(2, 8).date())
    docs = [d.pk for d in version.documents.all()]
    applicant = services.Applicant(name=APPLICANT, id_number="001190012345", phone="0912345678",
                                   email="nhung@example.vn", address="Số 12 phố Hàng Bạc, phường Hoàn Kiếm, Hà Nội")

    def receive(day=2, hour=8, minute=30, **kw):
        return services.receive_at_counter(receiver, procedure_code=PROCEDURE, applicant=applicant,
                                           documents=kw.pop("documents", docs), at=at(day, hour, minute), **kw)

    def make(kind):
        if kind == "supplement":
            d = receive(documents=docs[:1], outcome="supplement",
                        reason="Bổ sung bản sao Quyết định bổ nhiệm công chứng viên\nẢnh chân dung 2x3 chụp trong 6 tháng")
            return Dossier.objects.get(pk=d.pk)
        if kind == "refused":
            d = receive(outcome="refuse", reason="Thủ tục không thuộc thẩm quyền tiếp nhận của Chi nhánh số 1.")
            return Dossier.objects.get(pk=d.pk)
        d = receive()
        code = d.code
        if kind == "received":
            return Dossier.objects.get(pk=d.pk)
        if kind == "apology":
            services.act(code, "start_processing", receiver, at=at(2, 10), assignee_id=specialist.pk)
            new_due = Dossier.objects.get(code=code).due_at + timedelta(days=4)
            services.act(code, "apologize", specialist, at=at(4, 9), reason="Cần xác minh thông tin với Sở Nội vụ.",
                         new_due=new_due)
            return Dossier.objects.get(code=code)
        if kind == "stopped":
            services.act(code, "start_processing", receiver, at=at(2, 10), assignee_id=specialist.pk)
            services.act(code, "stop", specialist, at=at(3, 14), reason="Cơ quan có thẩm quyền đã có văn bản tạm dừng.")
            return Dossier.objects.get(code=code)
        if kind == "withdrawn":
            services.act(code, "withdraw", receiver, at=at(3, 9), reason="Người nộp xin rút hồ sơ để bổ sung sau.")
            return Dossier.objects.get(code=code)
        if kind in ("processing", "returned", "late"):
            services.act(code, "start_processing", receiver, at=at(2, 10), assignee_id=specialist.pk)
            if kind == "processing":
                return Dossier.objects.get(code=code)
            # Step 2 (48 h) late on purpose for "late"; early otherwise.
            services.act(code, "handover", specialist, at=at(16 if kind == "late" else 5, 9), assignee_id=leader.pk)
            services.act(code, "handover", leader, at=at(16 if kind == "late" else 5, 15), assignee_id=clerk.pk)
            services.act(code, "finish", clerk, at=at(17 if kind == "late" else 6, 10))
            services.act(code, "return_result", receiver, at=at(17, 15) if kind == "late" else at(9, 9))
            return Dossier.objects.get(code=code)
        raise ValueError(kind)

    return make


@pytest.fixture(scope="session")
def pdfcheck():
    """tests/documents/pdfcheck.py, loaded by path (works under any pytest import mode)."""
    spec = importlib.util.spec_from_file_location("documents_pdfcheck", _HERE / "pdfcheck.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def base_url():
    return BASE_URL
