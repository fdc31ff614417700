"""Domain errors: a stable code, a Vietnamese message (through gettext), and the HTTP status the API uses."""
from datetime import date

from django.utils.translation import gettext_lazy as _


class DomainError(Exception):
    code = "DOMAIN_ERROR"
    status = 422
    message = _("Yêu cầu không hợp lệ.")

    def __init__(self, message=None, *, code=None, status=None, details=None):
        self.message = message if message is not None else self.message
        self.code = code or self.code
        self.status = status or self.status
        self.details = details or {}
        super().__init__(str(self.message))

    def as_dict(self):
        body = {"code": self.code, "message": str(self.message)}
        if self.details:
            body["details"] = self.details
        return body


class ValidationFailed(DomainError):
    code = "VALIDATION_FAILED"
    status = 422


class PeriodOutOfRange(ValidationFailed):
    code = "PERIOD_OUT_OF_RANGE"
    message = _("Khoảng thời gian phải nằm trong các năm 1900–2999.")


# The dates a period may name: wider ones overflow date arithmetic (9999-12-31 + 1 day) or the database's
# timestamps (0001-01-01 00:00 +07:00 is year 0 in UTC) — a 500 before this check (issue 18).
PERIOD_MIN, PERIOD_MAX = date(1900, 1, 1), date(2999, 12, 31)


def check_period_range(*days: date) -> None:
    for day in days:
        if not PERIOD_MIN <= day <= PERIOD_MAX:
            raise PeriodOutOfRange(details={"date": day.isoformat()})


class NotFound(DomainError):
    code = "NOT_FOUND"
    status = 404
    message = _("Không tìm thấy.")


class Conflict(DomainError):
    code = "CONFLICT"
    status = 409


class NotPermitted(DomainError):
    """Who may not: role, scope, separation of duties (403). Not a conflict: the request may be right,
    the person is not the one to make it."""
    code = "NOT_PERMITTED"
    status = 403
    message = _("Bạn không có quyền thực hiện thao tác này.")
