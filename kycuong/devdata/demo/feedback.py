"""A few demo reports in every stage, written through the services like real work (seed_demo)."""
from datetime import timedelta

from django.utils import timezone

from kycuong.core.models import Official, Unit, User
from kycuong.feedback import services
from kycuong.feedback.models import Report


def _morning(days_ago, hour=9):
    day = timezone.localtime() - timedelta(days=days_ago)
    return day.replace(hour=hour, minute=0, second=0, microsecond=0)


def seed_feedback_demo() -> int:
    """Five reports: new, being verified, concluded founded and published, answered procedure report,
    and a repeat. Idempotent: nothing happens when reports exist. Returns how many were made."""
    if Report.objects.exists():
        return 0
    try:
        inspector = User.objects.get(username="thanhtra")
        leader = User.objects.get(username="lanhdao")
        branch = Unit.objects.get(code="H26.200.01")
    except (User.DoesNotExist, Unit.DoesNotExist):
        return 0
    official, _ = Official.objects.get_or_create(full_name="Phạm Văn Quầy", unit=branch,
                                                 defaults={"position": "Cán bộ một cửa (minh họa)"})
    R = services.ReportInput
    made = [
        services.submit(R(kind="procedure", title="Thủ tục công chứng đòi bản sao không có trong quy định",
                          text="Bộ phận một cửa yêu cầu nộp thêm bản sao sổ hộ khẩu dù quy định không còn yêu cầu.",
                          procedure_code="HN-DEMO-CC01"), at=_morning(9)),
        services.submit(R(kind="conduct", title="Cán bộ quầy số 3 quát tháo người dân",
                          text="Cán bộ quầy số 3 quát tháo và ném trả hồ sơ.", official_id=official.pk,
                          reporter_name="Người dân (minh họa)", reporter_phone="0900000001"), at=_morning(8)),
        services.submit(R(kind="conduct", title="Cán bộ hẹn lại nhiều lần không có lý do",
                          text="Cán bộ hẹn lại ba lần, gợi ý nộp qua dịch vụ bên ngoài.", official_id=official.pk),
                        at=_morning(6)),
        services.submit(R(kind="procedure", title="Đề nghị mở thêm giờ tiếp nhận buổi trưa",
                          text="Đề nghị Trung tâm tiếp nhận hồ sơ cả giờ nghỉ trưa cho người đi làm.",
                          unit_code="H26.200.01"), at=_morning(3)),
        services.submit(R(kind="procedure", title="Thủ tục công chứng đòi bản sao không có trong quy định",
                          text="Một cửa yêu cầu nộp thêm bản sao sổ hộ khẩu dù quy định không còn yêu cầu.",
                          procedure_code="HN-DEMO-CC01"), at=_morning(2)),
    ]
    first, rude, delay = made[0], made[1], made[2]
    services.act(first.code, "confirm_unit", leader, at=_morning(9, 10))
    services.act(first.code, "answer", leader, at=_morning(7), answer=(
        "Sở Tư pháp đã chấn chỉnh bộ phận một cửa: không yêu cầu bản sao sổ hộ khẩu (đã bãi bỏ)."))
    services.act(first.code, "publish", leader, at=_morning(7, 10))
    services.act(rude.code, "confirm_unit", inspector, at=_morning(8, 10))
    services.act(rude.code, "assign_verifier", inspector, verifier=inspector.pk, at=_morning(8, 11))
    services.act(rude.code, "record_findings", inspector, at=_morning(5),
                 findings="Camera quầy 3 và nhân chứng xác nhận sự việc.")
    services.act(rude.code, "conclude", inspector, conclusion="founded", at=_morning(5, 10))
    services.act(rude.code, "answer", inspector, at=_morning(4), answer=(
        "Phản ánh đúng. Cán bộ đã bị kiểm điểm và xin lỗi công dân."))
    services.act(rude.code, "publish", inspector, at=_morning(4, 10))
    services.act(delay.code, "confirm_unit", inspector, at=_morning(6, 10))
    services.act(delay.code, "assign_verifier", inspector, verifier=inspector.pk, at=_morning(6, 11))
    return len(made)
