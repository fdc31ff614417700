"""The one write path of the discipline-score weights (docs/design.md rule 1): a new row from a date on."""
from datetime import date
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from kycuong.core.errors import ValidationFailed

from . import score as ds
from ..models import DisciplineWeights


class BadWeights(ValidationFailed):
    code = "SCOREBOARD_BAD_WEIGHTS"
    message = _("Trọng số không hợp lệ: mỗi trọng số từ 0 đến 100, tổng lớn hơn 0, ngưỡng lớn hơn 0.")


def _decimal(value) -> Decimal:
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError) as exc:
        raise BadWeights(details={"value": str(value)}) from exc


def check_weights(*, effective_from: date, weights: dict, caps: dict, reason: str) -> tuple[dict, dict]:
    """The rules of a weights row (also used by the back-office form, to answer before saving)."""
    clean_w = {c: _decimal(weights.get(c, 0)) for c in ds.COMPONENTS}
    clean_c = {c: _decimal(caps.get(c) if caps.get(c) is not None else ds.DEFAULT_CAPS[c]) for c in ds.PER_100}
    if any(not Decimal(0) <= w <= Decimal(100) for w in clean_w.values()) or not sum(clean_w.values()):
        raise BadWeights(details={"weights": {k: str(v) for k, v in clean_w.items()}})
    if any(c <= 0 for c in clean_c.values()):
        raise BadWeights(details={"caps": {k: str(v) for k, v in clean_c.items()}})
    if not (reason or "").strip():
        raise BadWeights(_("Ghi rõ căn cứ hoặc lý do thay đổi trọng số."))
    if DisciplineWeights.objects.filter(effective_from=effective_from).exists():
        raise BadWeights(_("Đã có bộ trọng số áp dụng từ ngày này; hãy nhập ngày áp dụng khác."),
                         details={"effective_from": str(effective_from)})
    return clean_w, clean_c


@transaction.atomic
def set_weights(user, *, effective_from: date, weights: dict, caps: dict, reason: str) -> DisciplineWeights:
    """Record the weights (and per-100 caps) in force from `effective_from`. One row per date; an existing
    date is refused, so what was in force is never rewritten (enter a later date instead)."""
    clean_w, clean_c = check_weights(effective_from=effective_from, weights=weights, caps=caps, reason=reason)
    return DisciplineWeights.objects.create(
        effective_from=effective_from, **clean_w, complaints_cap=clean_c[ds.COMPLAINTS],
        meetings_cap=clean_c[ds.MEETINGS], reason=reason.strip(), created_by=user)
