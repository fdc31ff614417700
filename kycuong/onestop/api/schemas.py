"""The API's input and output types (django-ninja schemas) for /dossiers and /lookup."""
from datetime import datetime
from typing import Annotated, Any, Literal

from ninja import Field, Schema
from pydantic import AfterValidator, AwareDatetime

from kycuong.core.api import ErrorOut  # the one error schema in the OpenAPI document

from .. import queries

MAX_BIGINT = 2**63 - 1


# --- input types -------------------------------------------------------------------------------------

def _no_nul(value: str) -> str:
    # PostgreSQL refuses NUL in text (a 500 there, silently stored on SQLite): refuse it up front on both.
    if "\x00" in value:
        raise ValueError("NUL character not allowed")
    return value


def Text(max_length: int, **kw):
    return Annotated[str, Field(max_length=max_length, **kw), AfterValidator(_no_nul)]


def _sane_moment(value: datetime) -> datetime:
    # Outside these years the working-time calendar has no answer and UTC conversion can overflow.
    if not 1990 <= value.year <= 2200:
        raise ValueError("datetime out of range (years 1990–2200)")
    return value


Moment = Annotated[datetime, AfterValidator(_sane_moment)]
AwareMoment = Annotated[AwareDatetime, AfterValidator(_sane_moment)]
DocumentIds = Annotated[list[Annotated[int, Field(ge=1, le=MAX_BIGINT)]], Field(max_length=200)]


class ApplicantIn(Schema):
    name: Text(200, min_length=1, description="Họ và tên người nộp hồ sơ")
    id_number: Text(20, description="Số định danh cá nhân") = ""
    phone: Text(20, description="Số điện thoại (4 số cuối dùng để tra cứu có thông tin cá nhân)") = ""
    email: Text(254) = ""
    address: Text(300) = ""


class IntakeIn(Schema):
    procedure_code: Text(64, min_length=1, description="Mã thủ tục hành chính")
    applicant: ApplicantIn
    documents: DocumentIds = Field(default_factory=list, description="Mã (id) các thành phần hồ sơ đã nhận")
    outcome: Literal["receive", "supplement", "refuse"] = Field(
        "receive", description="receive: tiếp nhận (Mẫu 01); supplement: yêu cầu bổ sung (Mẫu 02); refuse: từ chối (Mẫu 03)")
    reason: Text(2000, description="Lý do (bắt buộc khi yêu cầu bổ sung hoặc từ chối)") = ""
    deciding_unit_code: Text(35, description="Mã định danh đơn vị giải quyết (khi thủ tục có nhiều đơn vị)") | None = None
    channel: Literal[1, 3] = Field(1, description="1: trực tiếp; 3: bưu chính công ích (trực tuyến là công dân tự nộp)")
    received_at: AwareMoment | None = Field(None, description="Thời điểm tiếp nhận, ISO 8601 có múi giờ; mặc định: bây giờ")


class ActionIn(Schema):
    expected_version: int | None = Field(None, ge=1, le=2**31, description="Phiên bản hồ sơ đã đọc (hoặc header If-Match)")
    reason: Text(2000) | None = None
    note: Text(2000) | None = None
    assignee_id: int | None = Field(None, ge=1, le=MAX_BIGINT,
                                   description="Người nhận bước tiếp theo (handover, start_processing) "
                                               "hoặc người được giao lại bước đang thực hiện (reassign)")
    documents: DocumentIds | None = None
    new_due: Moment | None = Field(None, description="Ngày hẹn trả mới (xin lỗi, hẹn lại), ISO 8601 có múi giờ")
    # The upper bound keeps the value inside a database bigint on both databases; the sign is the service's rule.
    amount_vnd: int | None = Field(None, le=10**15, description="Số tiền nghĩa vụ tài chính (đồng)")
    online: Literal[0, 1, 2] | None = Field(None, description="Thanh toán trực tuyến: 0 không, 1 qua Cổng DVCQG, 2 qua cổng địa phương")
    electronic: bool | None = Field(None, description="Kết quả trả bản điện tử")


# --- output types ------------------------------------------------------------------------------------

class Ref(Schema):
    code: str
    name: str


class StateOut(Schema):
    code: int
    label: str


class ChannelOut(Schema):
    code: int
    label: str


class PersonRef(Schema):
    id: int
    name: str


class ClockOut(Schema):
    status: str = Field(description="on_track | due_soon | overdue | paused | ended | not_started")
    label: str
    due_at: datetime | None = None
    remaining_working_minutes: int | None = None


class ApplicantOut(Schema):
    name: str
    id_number: str
    phone: str
    email: str
    address: str


class StepOut(Schema):
    order: int
    name: str
    unit: Ref
    assignee: PersonRef | None
    started_at: datetime | None
    due_at: datetime | None
    finished_at: datetime | None
    allotted_minutes: int
    used_minutes: int | None
    is_return_step: bool
    current: bool
    verdict: str | None = Field(description="Bước đã xong: early | on_time | late; bước đang làm đã quá hạn: late")


class ActionRef(Schema):
    action: str
    label: str


class RefusedAction(Schema):
    action: str
    label: str
    code: str = Field(description="Mã lỗi ổn định mà thao tác sẽ nhận, ví dụ ONESTOP_NOT_STEP_ASSIGNEE")
    reason: str


class TimelinessOut(Schema):
    status: str = Field(description="early | on_time | late | not_counted (QĐ 766, ghi chú VPCP)")
    label: str
    end: datetime | None
    due: datetime | None
    reason: str


class OverrunOut(Schema):
    step_order: int
    step_name: str
    unit: Ref
    assignee: PersonRef | None
    allotted_minutes: int
    used_minutes: int
    overrun_minutes: int


class SupplementOut(Schema):
    count: int
    requested_at: datetime | None
    completed_at: datetime | None
    reason: str


class ApologyOut(Schema):
    count: int
    at: datetime | None
    reason: str


class DossierItem(Schema):
    code: str
    version: int
    procedure: Ref
    state: StateOut
    unit: Ref
    applicant_name: str
    channel: int
    submitted_at: datetime
    received_at: datetime | None
    due_at: datetime | None
    clock: ClockOut
    current_step: str | None


class DossierOut(Schema):
    code: str
    version: int
    procedure: Ref
    state: StateOut
    unit: Ref
    receiving_unit: Ref
    channel: ChannelOut
    applicant: ApplicantOut
    documents_received: list[int]
    note: str
    submitted_at: datetime
    received_at: datetime | None
    clock_start_at: datetime | None
    due_at: datetime | None
    original_due_at: datetime | None
    processing_end_at: datetime | None
    returned_at: datetime | None
    supplement: SupplementOut
    apology: ApologyOut
    end_reason: str
    fee_total_vnd: int
    paid_online: int
    result_is_electronic: bool
    clock: ClockOut
    steps: list[StepOut]
    allowed_actions: list[ActionRef] = Field(description="Các thao tác người dùng thực hiện được ngay lúc này "
                                                         "(onestop.policy.DOSSIER)")
    refused_actions: list[RefusedAction] = Field(description=(
        "Các thao tác mà vai trò của người dùng được làm ở trạng thái này nhưng hiện bị từ chối, kèm lý do "
        "(ví dụ bước đang do người khác thực hiện, đã quá thời điểm xin lỗi và hẹn lại)"))
    timeliness: TimelinessOut
    accountability: list[OverrunOut] = Field(description="Chỉ khi hồ sơ trễ hạn: các bước dùng quá thời gian được giao")


class DossierPage(Schema):
    items: list[DossierItem]
    count: int | None = Field(description=(
        f"Số hồ sơ khớp bộ lọc, đếm tới {queries.COUNT_CAP}; count_capped=true: nhiều hơn số này. "
        "Null khi with_count=false (trừ trang cuối, khi tổng số đã biết)"))
    count_capped: bool = Field(False, description=f"true: có hơn {queries.COUNT_CAP} hồ sơ khớp bộ lọc")
    has_next: bool = Field(False, description="Còn trang sau")
    page: int
    page_size: int


class EventOut(Schema):
    seq: int
    kind: str
    label: str
    at: datetime
    actor_label: str
    unit: Ref | None
    public: bool
    data: dict[str, Any]


class PublicStepOut(Schema):
    order: int
    name: str
    finished_at: datetime


class PublicEventOut(Schema):
    kind: str
    label: str
    at: datetime
    reason: str | None = Field(None, description="Lý do ghi kèm sự kiện; chỉ khi verified")


class PersonalOut(Schema):
    applicant_name: str
    phone_masked: str


class LookupOut(Schema):
    code: str
    procedure: str
    unit: str
    state: StateOut
    submitted_at: datetime
    received_at: datetime | None
    appointment_at: datetime | None
    returned_at: datetime | None
    steps_done: list[PublicStepOut]
    late: bool = Field(description="Trễ hạn (tính đến thời điểm tra cứu nếu hồ sơ chưa xong)")
    timeliness: str = Field(description="early | on_time | late | not_counted")
    timeliness_label: str
    timeline: list[PublicEventOut]
    verified: bool = Field(description="phone_last4 khớp 4 số cuối điện thoại người nộp")
    personal: PersonalOut | None = Field(description="Chỉ khi verified")
    proof_error: ErrorOut | None = Field(None, description="Vì sao phone_last4 không được chấp nhận (sai định dạng, "
                                         "không khớp, tạm khóa); cùng mã lỗi với trang tra cứu")
