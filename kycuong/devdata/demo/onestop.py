"""A handful of demo dossiers in every stage, written through the services like real work."""
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from kycuong.catalog.queries import procedure_by_code
from kycuong.core.models import Unit, User
from kycuong.onestop import services
from kycuong.onestop.models import Dossier

NAMES = ["Nguyễn Văn An", "Trần Thị Bích", "Lê Văn Cường", "Phạm Thị Dung", "Hoàng Văn Em", "Vũ Thị Giang",
         "Đặng Văn Hùng", "Bùi Thị Hoa", "Đỗ Văn Khánh", "Ngô Thị Lan", "Dương Văn Long", "Lý Thị Mai"]
PROCEDURE = "HN-DEMO-CC01"  # decided by Sở Tư pháp, where the demo specialist and leader work


def _morning(days_ago):
    day = timezone.localtime() - timedelta(days=days_ago)
    return day.replace(hour=9, minute=0, second=0, microsecond=0)


def load_demo_dossiers() -> int:
    if Dossier.objects.exists():
        return 0
    try:
        counter = User.objects.get(username="tiepnhan")
        specialist = User.objects.get(username="chuyenvien")
        leader = User.objects.get(username="lanhdao")
        clerk = User.objects.get(username="vanthu")
        version = procedure_by_code(PROCEDURE)
    except Exception:  # demo accounts or catalog missing: nothing to show
        return 0
    documents = [d.pk for d in version.documents.all()]
    deciding = Unit.objects.get(code="H26.104")
    made = 0
    for i, name in enumerate(NAMES):
        at = _morning(14 - i)
        with transaction.atomic():
            d = services.receive_at_counter(
                counter, procedure_code=PROCEDURE, deciding_unit=deciding, documents=documents, at=at,
                applicant=services.Applicant(name=name, phone=f"09{i:02d}123456", id_number=f"00119{i:07d}"))
        made += 1
        if i % 4 == 0:
            continue  # received, waiting to be handed on
        d = services.act(d.code, "start_processing", counter, at=at + timedelta(hours=1), assignee_id=specialist.pk)
        if i % 4 == 1:
            services.act(d.code, "request_supplement", specialist, at=at + timedelta(hours=2),
                         reason="Thiếu bản sao hợp đồng lao động")
        elif i % 4 == 3 and i < 8:
            # Each step by its own people (onestop.policy): examined, signed by the leader, issued by the clerk.
            d = services.act(d.code, "handover", specialist, at=at + timedelta(days=1), assignee_id=leader.pk)
            d = services.act(d.code, "handover", leader, at=at + timedelta(days=1, hours=2), assignee_id=clerk.pk)
            d = services.act(d.code, "finish", clerk, at=at + timedelta(days=1, hours=3))
            services.act(d.code, "return_result", counter, at=at + timedelta(days=1, hours=4), electronic=True)
    return made
