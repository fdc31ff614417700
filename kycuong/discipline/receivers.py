"""Receivers of other apps' signals (feedback → discipline, docs/design.md: apps import leftwards)."""
import logging

logger = logging.getLogger(__name__)


def on_report_founded(sender, report, **kwargs):
    """A founded (or partly founded) report becomes a conduct record, source "complaint", ref = its code.

    The signal is sent after the feedback transaction commits; the record is its own transaction."""
    from .services import record_from_report

    return record_from_report(report)
