from django import template
from django.utils.translation import gettext as _

from kycuong.catalog import checks

register = template.Library()


@register.filter
def vnd(amount):
    """200000 → "200.000 đồng" (Vietnamese thousands separator)."""
    if amount is None:
        return ""
    return _("%(n)s đồng") % {"n": f"{int(amount):,}".replace(",", ".")}


@register.filter
def number_vi(value):
    return "" if value is None else checks.number_vi(value)


@register.simple_tag
def limit_words(amount, unit):
    return checks.limit_in_words(amount, unit)
