"""Signals the feedback app sends to the apps to its right (docs/design.md: discipline may import feedback,
never the reverse).

`report_founded` is sent after commit when a report about an official's or a unit's conduct is concluded
founded or partly founded. The discipline app listens and creates the conduct record, keeping the link
(source "complaint", the report's code). Keyword argument: `report`, an object with at least
  code (str, the tracking code), official (core.Official or None), unit (core.Unit or None),
  conclusion ("founded" | "partly_founded"), concluded_at (aware datetime), findings (str, internal),
  concluded_by (core.User).
"""
from django.dispatch import Signal

report_founded = Signal()
