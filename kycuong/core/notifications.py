"""Notifications to people: one call, `notify`, for every app.

Today a notification is a row in `core.Notification` (the in-app inbox). E-mail and SMS adapters come
later behind the same call; callers never need to change.
"""
from __future__ import annotations

from django.db.models import QuerySet
from django.utils import timezone

from .models import Notification, User


def notify(user: User, kind: str, subject: str, message: str) -> Notification:
    """Tell `user` something. `kind` is a stable key (e.g. "dossier_due_soon"), `subject` what it is
    about (e.g. a dossier code), `message` the text to show, already in the reader's language."""
    return Notification.objects.create(user=user, kind=kind, subject=subject or "", message=str(message))


def notify_many(users, kind: str, subject: str, message: str) -> list[Notification]:
    """The same notification to several people, each once (duplicates by pk are dropped)."""
    seen, rows = set(), []
    for user in users:
        if user is None or user.pk in seen:
            continue
        seen.add(user.pk)
        rows.append(Notification(user=user, kind=kind, subject=subject or "", message=str(message)))
    return Notification.objects.bulk_create(rows)


def unread_for(user: User) -> QuerySet:
    """The user's unread notifications, newest first."""
    if user is None or not getattr(user, "pk", None):
        return Notification.objects.none()
    return Notification.objects.filter(user=user, read_at__isnull=True).order_by("-created_at", "-id")


def mark_read(user: User, ids=None, at=None) -> int:
    """Mark the user's notifications read (all unread ones, or only `ids`); returns how many."""
    qs = unread_for(user)
    if ids is not None:
        qs = qs.filter(pk__in=list(ids))
    return qs.update(read_at=at or timezone.now())
