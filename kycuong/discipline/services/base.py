"""What every discipline service shares: the instant, the chained event, row locks and version bumps."""
from __future__ import annotations

from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext_lazy

from kycuong.core import events

from ..errors import Invalid, StaleVersion

SYSTEM_LABEL = "Hệ thống"


def _now(at):
    moment = at or timezone.now()
    if timezone.is_naive(moment):
        raise Invalid(gettext_lazy("Thời điểm phải có múi giờ."), code="DISCIPLINE_NAIVE_DATETIME")
    return moment


def _event(subject, subject_id, kind, actor, data=None, at=None):
    return events.append(
        subject, str(subject_id), kind, data=data or {}, actor=actor, at=at,
        unit=(actor.unit if actor is not None and getattr(actor, "unit_id", None) else None),
        actor_label=None if actor is not None else SYSTEM_LABEL,
    )


def _lock(qs):
    """Lock the aggregate's own row (`of=self`): the related rows joined for reading may be on the nullable
    side of an outer join, which PostgreSQL cannot lock."""
    if not connection.features.has_select_for_update:
        return qs
    return qs.select_for_update(of=("self",)) if connection.features.has_select_for_update_of else qs.select_for_update()


def _bump(model, obj, expected_version=None, **fields):
    """Write `fields` and bump `version` in one UPDATE guarded by the version read (no lost updates)."""
    old = obj.version
    if expected_version is not None and int(expected_version) != old:
        raise StaleVersion()
    fields["version"] = old + 1
    if model.objects.filter(pk=obj.pk, version=old).update(**fields) != 1:
        raise StaleVersion()
    for key, value in fields.items():
        setattr(obj, key, value)

