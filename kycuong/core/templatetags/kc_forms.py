"""Form helpers for the shared field template (onestop/_field.html)."""
from django import template

register = template.Library()


@register.filter
def options(bound_field):
    """(value, label, selected) of a select's options, straight from the field's choices.

    Iterating `{% for choice in field %}` builds a widget object per option; with the ~300 procedures of a
    city catalog in the officer queue's filter that was most of the page's rendering time."""
    value = bound_field.value()
    values = value if isinstance(value, (list, tuple)) else [value]
    chosen = {"" if v is None else str(v) for v in values}
    out = []
    for key, label in bound_field.field.choices:
        if isinstance(label, (list, tuple)):  # an option group: flattened (none of our selects use groups)
            out.extend((str(k), lbl, str(k) in chosen) for k, lbl in label)
        else:
            out.append((str(key), label, str(key) in chosen))
    return out
