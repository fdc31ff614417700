from decimal import Decimal

from django import template
from django.utils.translation import gettext_lazy as _

from kycuong.scoreboard import indicators as ind

register = template.Library()

SOURCE_LABELS = {
    ind.DOSSIERS: _("Hồ sơ một cửa"), ind.CATALOG: _("Danh mục thủ tục"), ind.FEEDBACK: _("Phản ánh, kiến nghị"),
    ind.RATINGS: _("Đánh giá của người dân"), ind.ENTERED: _("Số liệu nhập từ Cổng DVCQG"),
}


@register.filter
def points(value):
    """Two decimals with the Vietnamese decimal comma (open data keeps the dot)."""
    return ind.display(value).replace(".", ",")


@register.filter
def percent(value):
    if value is None:
        return "—"
    return f"{(Decimal(value) * 100).quantize(Decimal('0.1'))} %".replace(".", ",")


@register.filter
def source_label(value):
    return SOURCE_LABELS.get(value, value)


@register.filter
def oversees(user):
    """Whether the leadership dashboard is for this user (unit leaders, inspectors, city leadership, admins)."""
    from kycuong.discipline.access import is_overseer

    return is_overseer(user)
