"""Working-time API: GET and POST /api/v1/worktime/due (public, read-only computation)."""
from typing import Any

from ninja import Router, Schema
from ninja import Field as SchemaField

from .duedates import compute_due

router = Router(tags=["worktime"])


class DueOut(Schema):
    start: str = SchemaField(description="Thời điểm tiếp nhận, ISO 8601 +07:00")
    effective_start: str = SchemaField(description="Thời điểm bắt đầu tính (sau giờ chốt, ngoài giờ → khung giờ kế tiếp)")
    due: str = SchemaField(description="Hạn giải quyết, ISO 8601 +07:00")
    working_minutes: int = SchemaField(description="Số phút làm việc từ lúc bắt đầu tính đến hạn, trừ thời gian tạm dừng")


class ErrorOut(Schema):
    code: str
    message: str
    details: dict[str, Any] | None = None


class DueIn(Schema):
    start: str = SchemaField(description="ISO 8601 có múi giờ, ví dụ 2026-02-13T09:00:00+07:00")
    amount: float | int | str = SchemaField(description="Thời hạn (≥ 0; ngày làm việc theo bội số 0,5)")
    unit: str = SchemaField(description="working_days | working_hours | calendar_days")
    cutoff: str | None = SchemaField(None, description="Giờ chốt tiếp nhận HH:MM, ví dụ 15:00")
    unit_code: str | None = SchemaField(None, description="Mã định danh đơn vị (dùng khung giờ của đơn vị)")
    pauses: list[list[str]] = SchemaField(default_factory=list, description="Các khoảng tạm dừng [từ, đến)")


RESPONSES = {200: DueOut, 404: ErrorOut, 422: ErrorOut}


@router.get("/due", response=RESPONSES, summary="Tính hạn giải quyết")
def due_get(request, start: str, amount: str, unit: str, cutoff: str | None = None, unit_code: str | None = None):
    return compute_due(start=start, amount=amount, unit=unit, cutoff=cutoff, unit_code=unit_code).as_dict()


@router.post("/due", response=RESPONSES, summary="Tính hạn giải quyết (có khoảng tạm dừng)")
def due_post(request, payload: DueIn):
    return compute_due(**payload.dict()).as_dict()
