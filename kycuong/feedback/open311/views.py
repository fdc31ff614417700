"""GeoReport v2 endpoints. A service is one class of report (indicator 5.1); a service request is a report.

What is public here follows the portal: no reporter data ever; report text masked (masking.py), and for
reports about an official's conduct no text at all (unverified allegations about a named person), only
the state and, once published, the public answer as `status_notes`.
Departures from the letter of the spec, documented: a location is optional (a complaint about a counter
clerk has none); `page`/`page_size` extend GET requests (default page_size and maximum 1,000).
"""
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from kycuong.core import ratelimit
from kycuong.core.errors import DomainError

from .. import services
from ..masking import mask
from ..models import Channel, Kind, Report
from ..workflow import CLOSED_STATES, State
from .render import errors, respond

SPEC = "http://wiki.open311.org/GeoReport_v2"
CHANGESET = "2026-11-30T00:00:00+07:00"
MAX_RANGE = timedelta(days=90)
MAX_PAGE_SIZE = 1000
POST_LIMIT_PER_MINUTE = 30

BEHAVIOUR_VALUES = [
    ("nhung_nhieu", "Nhũng nhiễu, gây phiền hà, đòi hỏi thêm giấy tờ, tiền"),
    ("cham_tre", "Chậm trễ, hẹn lại nhiều lần không có lý do"),
    ("thai_do", "Thái độ thiếu tôn trọng, không đúng mực"),
    ("khac", "Hành vi khác"),
]


def _attr(code, order, description, datatype="string", required=False, values=None):
    return {"variable": True, "code": code, "datatype": datatype, "required": required,
            "datatype_description": None, "order": order, "description": description,
            "values": [{"key": k, "name": n} for k, n in (values or [])]}


COMMON_ATTRIBUTES = [
    _attr("dossier_code", 1, "Mã hồ sơ liên quan (nếu có), ví dụ H26.104-260302-0001"),
    _attr("unit_code", 3, "Mã định danh điện tử của đơn vị bị phản ánh (QĐ 20/2020/QĐ-TTg), ví dụ H26.104"),
]
SERVICES = {
    "pakn-tthc": {
        "kind": Kind.PROCEDURE,
        "service": {"service_code": "pakn-tthc", "service_name": "Phản ánh, kiến nghị về quy định, thủ tục hành chính",
                    "description": "Phản ánh về quy định hành chính, thủ tục hành chính (chỉ số 5.1, QĐ 766/QĐ-TTg).",
                    "metadata": True, "type": "realtime", "keywords": "thu tuc, quy dinh, ho so", "group": "PAKN"},
        "attributes": COMMON_ATTRIBUTES + [_attr("procedure_code", 2, "Mã thủ tục hành chính (nếu có)")],
    },
    "pakn-cbcc": {
        "kind": Kind.CONDUCT,
        "service": {"service_code": "pakn-cbcc",
                    "service_name": "Phản ánh về hành vi, thái độ của cán bộ, công chức, đơn vị",
                    "description": "Phản ánh về hành vi nhũng nhiễu, chậm trễ, thái độ của cán bộ, công chức "
                                   "(chỉ số 5.1, QĐ 766/QĐ-TTg).",
                    "metadata": True, "type": "realtime", "keywords": "can bo, cong chuc, thai do, nhung nhieu",
                    "group": "PAKN"},
        "attributes": COMMON_ATTRIBUTES + [
            _attr("official_name", 2, "Họ tên cán bộ (nếu biết)"),
            _attr("behaviour", 4, "Loại hành vi", datatype="singlevaluelist", required=True, values=BEHAVIOUR_VALUES),
        ],
    },
}
CODE_OF_KIND = {entry["kind"]: code for code, entry in SERVICES.items()}


class BadInput(Exception):
    pass


# --- discovery and services ----------------------------------------------------------------------------

def discovery(request, fmt):
    root = request.build_absolute_uri(reverse("open311:root"))
    data = {"changeset": CHANGESET, "contact": getattr(settings, "KYCUONG_OPEN311_CONTACT", ""),
            "key_service": _("Khóa API do Quản trị hệ thống cấp (trang quản trị: Khóa API Open311)."),
            "endpoints": [{"specification": SPEC, "url": root.rstrip("/"), "changeset": CHANGESET,
                           "type": "production", "formats": ["text/xml", "application/json"]}]}
    return respond(fmt, data, root="discovery", item=None)


def services_list(request, fmt):
    return respond(fmt, [entry["service"] for entry in SERVICES.values()], root="services", item="service")


def service_definition(request, code, fmt):
    entry = SERVICES.get(code)
    if entry is None:
        return errors(fmt, 404, _("Không có dịch vụ mang mã “%(c)s”.") % {"c": code})
    data = {"service_code": code, "attributes": entry["attributes"]}
    return respond(fmt, data, root="service_definition", item=None)


# --- requests ------------------------------------------------------------------------------------------

def _iso(moment):
    return timezone.localtime(moment).isoformat(timespec="seconds") if moment else None


def request_data(report: Report) -> dict:
    notes = None
    if report.state == State.PUBLISHED:
        notes = mask(report.public_answer)
    elif report.state == State.REFUSED:
        notes = mask(report.refusal_reason)
    service_code = CODE_OF_KIND[report.kind]
    return {
        "service_request_id": report.code,
        "status": "closed" if report.state in CLOSED_STATES else "open",
        "status_notes": notes,
        "service_name": SERVICES[service_code]["service"]["service_name"],
        "service_code": service_code,
        # The spec limits description to 4,000 characters; information added later can make the text longer.
        "description": mask(report.text)[:4000] if report.kind == Kind.PROCEDURE else None,
        "agency_responsible": report.responsible_unit.name,
        "service_notice": str(State(report.state).label),
        "requested_datetime": _iso(report.submitted_at),
        "updated_datetime": _iso(report.updated_at),
        "expected_datetime": _iso(report.handle_due_at),
        "address": report.address or None,
        "address_id": None,
        "zipcode": None,
        "lat": float(report.lat) if report.lat is not None else None,
        "long": float(report.long) if report.long is not None else None,
        "media_url": report.media_url or None,
    }


def _list(value):
    return [v.strip() for v in (value or "").split(",") if v.strip()]


def _w3c(value, name):
    text = (value or "").strip()
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError as exc:
        raise BadInput(_("%(n)s phải theo định dạng W3C, ví dụ 2026-03-01T00:00:00Z.") % {"n": name}) from exc
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


def _int(value, name, low, high, default):
    if value in (None, ""):
        return default
    try:
        number = int(value)
    except ValueError as exc:
        raise BadInput(_("%(n)s phải là số nguyên.") % {"n": name}) from exc
    if not low <= number <= high:
        raise BadInput(_("%(n)s phải trong khoảng %(a)s–%(b)s.") % {"n": name, "a": low, "b": high})
    return number


def _select(params):
    qs = Report.objects.select_related("responsible_unit")
    ids = _list(params.get("service_request_id"))
    page = _int(params.get("page"), "page", 1, 10**6, 1)
    size = _int(params.get("page_size"), "page_size", 1, MAX_PAGE_SIZE, MAX_PAGE_SIZE)
    if ids:  # the spec: service_request_id overrides all other arguments
        return list(qs.filter(code__in=[i.upper() for i in ids]).order_by("-submitted_at", "-id")[:MAX_PAGE_SIZE])
    codes = _list(params.get("service_code"))
    unknown = [c for c in codes if c not in SERVICES]
    if unknown:
        raise BadInput(_("Không có dịch vụ mang mã “%(c)s”.") % {"c": ", ".join(unknown)})
    if codes:
        qs = qs.filter(kind__in=[SERVICES[c]["kind"] for c in codes])
    statuses = _list(params.get("status"))
    if any(s not in ("open", "closed") for s in statuses):
        raise BadInput(_("status chỉ nhận open hoặc closed."))
    if statuses and set(statuses) != {"open", "closed"}:
        closed = [str(s) for s in CLOSED_STATES]
        qs = qs.filter(state__in=closed) if set(statuses) == {"closed"} else qs.exclude(state__in=closed)
    start, end = _w3c(params.get("start_date"), "start_date"), _w3c(params.get("end_date"), "end_date")
    if start is None and end is None:
        end = timezone.now()
    if start is None:
        start = end - MAX_RANGE
    if end is None:
        end = start + MAX_RANGE
    if end < start:
        raise BadInput(_("end_date phải sau start_date."))
    if end - start > MAX_RANGE:
        raise BadInput(_("Khoảng thời gian không được quá 90 ngày."))
    qs = qs.filter(submitted_at__gte=start, submitted_at__lte=end).order_by("-submitted_at", "-id")
    return list(qs[(page - 1) * size: page * size])


@csrf_exempt
def requests_view(request, fmt):
    if request.method == "POST":
        return _create(request, fmt)
    if request.method != "GET":
        return errors(fmt, 405, _("Chỉ nhận GET hoặc POST."))
    try:
        reports = _select(request.GET)
    except BadInput as exc:
        return errors(fmt, 400, str(exc))
    return respond(fmt, [request_data(r) for r in reports], root="service_requests", item="request")


def request_detail(request, code, fmt):
    report = Report.objects.select_related("responsible_unit").filter(code=code.strip().upper()).first()
    if report is None:
        return errors(fmt, 404, _("Không có yêu cầu mang mã “%(c)s”.") % {"c": code})
    return respond(fmt, [request_data(report)], root="service_requests", item="request")


def token_detail(request, token, fmt):
    report = Report.objects.filter(open311_token=token).exclude(open311_token="").first() if token else None
    if report is None:
        return errors(fmt, 404, _("Không có token “%(t)s”.") % {"t": token})
    return respond(fmt, [{"service_request_id": report.code, "token": token}], root="service_requests",
                   item="request")


def _attributes(params, entry):
    values = {}
    for attribute in entry["attributes"]:
        raw = (params.get(f"attribute[{attribute['code']}]") or "").strip()
        if not raw:
            if attribute["required"]:
                raise BadInput(_("Thiếu thuộc tính bắt buộc attribute[%(c)s].") % {"c": attribute["code"]})
            continue
        allowed = [v["key"] for v in attribute["values"]]
        if allowed and raw not in allowed:
            raise BadInput(_("attribute[%(c)s] chỉ nhận: %(v)s.") % {"c": attribute["code"], "v": ", ".join(allowed)})
        values[attribute["code"]] = raw
    return values


def _create(request, fmt):
    params = request.POST
    key = services.use_api_key(params.get("api_key", ""))
    if key is None:
        return errors(fmt, 403, _("api_key không hợp lệ hoặc bị thiếu; không thể tạo yêu cầu."))
    try:
        limit = int(getattr(settings, "KYCUONG_OPEN311_RATE_PER_MINUTE", POST_LIMIT_PER_MINUTE))
        ratelimit.charge("open311_post", ratelimit.client_ip(request), limit)
    except ratelimit.RateLimited as exc:
        response = errors(fmt, 429, exc.message)
        response["Retry-After"] = str(exc.details.get("retry_after_seconds", 60))
        return response
    code = (params.get("service_code") or "").strip()
    try:
        if not code:
            raise BadInput(_("Thiếu service_code."))
        entry = SERVICES.get(code)
        if entry is None:
            raise BadInput(_("Không có dịch vụ mang mã “%(c)s”.") % {"c": code})
        if not (params.get("description") or "").strip():
            raise BadInput(_("Thiếu description (nội dung phản ánh)."))
        if bool(params.get("lat")) != bool(params.get("long")):
            raise BadInput(_("lat và long phải đi cùng nhau."))
        attributes = _attributes(params, entry)
        media_url = (params.get("media_url") or "").strip()
        if media_url:
            try:
                URLValidator(schemes=["http", "https"])(media_url)
            except ValidationError as exc:
                raise BadInput(_("media_url không phải địa chỉ http(s) hợp lệ.")) from exc
    except BadInput as exc:
        return errors(fmt, 400, str(exc))
    name = " ".join(p for p in ((params.get("first_name") or "").strip(), (params.get("last_name") or "").strip()) if p)
    data = services.ReportInput(
        kind=entry["kind"], title=dict(BEHAVIOUR_VALUES).get(attributes.get("behaviour"), ""), text=params.get("description", ""), channel=Channel.OPEN311,
        dossier_code=attributes.get("dossier_code", ""), procedure_code=attributes.get("procedure_code", ""),
        unit_code=attributes.get("unit_code", ""), official_name=attributes.get("official_name", ""),
        reporter_name=name, reporter_phone=params.get("phone", ""), reporter_email=params.get("email", ""),
        address=params.get("address_string", ""), lat=params.get("lat"), long=params.get("long"),
        media_url=media_url, attributes=attributes)
    try:
        report = services.submit(data, api_key=key)
    except DomainError as exc:
        return errors(fmt, 400, exc.message)
    body = [{"service_request_id": report.code, "token": report.open311_token,
             "service_notice": _("Đã tiếp nhận; hạn xử lý %(due)s (15 ngày làm việc).")
             % {"due": timezone.localtime(report.handle_due_at).strftime("%H:%M %d/%m/%Y")},
             "account_id": None}]
    return respond(fmt, body, root="service_requests", item="request", status=201)
