"""Signals the one-stop shop sends for the apps that follow dossiers (the portal's status notices).

`dossier_event(sender=Dossier, dossier, event)`: sent inside the acting transaction, after each dossier
event is appended by `services`. Receivers get the dossier instance itself, so they need no query to
decide whether the event concerns them (a counter dossier has no citizen account to tell). A receiver that
must act only on success schedules its work with `transaction.on_commit` / `jobs.on_commit`.
"""
from django.dispatch import Signal

dossier_event = Signal()
