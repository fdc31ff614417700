"""Keeps the counters current: every dossier event schedules a refresh of that dossier after commit."""
from kycuong.core import jobs

from .services import refresh_dossier

DOSSIER = "dossier"  # onestop.services.SUBJECT


def on_event(sender, event, **kwargs):
    if event.subject_type == DOSSIER:
        jobs.on_commit(refresh_dossier, event.subject_id)
