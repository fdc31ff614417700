"""Helpers for the shared pagination (core/_pagination.html)."""
from django import template

register = template.Library()


@register.filter
def total_pages(page):
    """The number of pages when it is known: Django's Page through its paginator; `onestop.queries.Page`
    gives `num_pages`, None past its count cap (then the page shows "Trang n" alone)."""
    if hasattr(page, "paginator"):
        return page.paginator.num_pages
    return getattr(page, "num_pages", None)
