"""The only code that writes scoreboard tables: refresh one dossier's facts (incremental) and rebuild all.

`refresh_dossier` runs after each one-stop event commits (receivers.py); it recomputes the dossier's
contribution and applies the difference to the counters, so it is idempotent: a repeated or late refresh
changes nothing, and a lost one is repaired by the next event or by `rebuild`.
"""
from collections import defaultdict
from datetime import date

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from kycuong.onestop.models import Dossier

from . import facts
from .models import Counter, DossierFact

CHUNK = 5000


def _add(unit_id: int, indicator: str, month: str, num: int, den: int) -> None:
    key = {"unit_id": unit_id, "indicator": indicator, "month": date.fromisoformat(month)}
    for _attempt in range(3):
        if Counter.objects.filter(**key).update(numerator=F("numerator") + num, denominator=F("denominator") + den):
            return
        try:
            with transaction.atomic():
                Counter.objects.create(**key, numerator=num, denominator=den)
            return
        except IntegrityError:
            continue  # created by a concurrent refresh: add to it
    raise RuntimeError("scoreboard counter contention")


@transaction.atomic
def refresh_dossier(code: str) -> bool:
    """Bring one dossier's facts and the counters up to date. Returns whether anything changed."""
    qs = Dossier.objects.select_related("procedure_version")
    if transaction.get_connection().features.has_select_for_update:
        qs = qs.select_for_update(of=("self",))  # one refresh of a dossier at a time
    dossier = qs.filter(code=code).first()
    if dossier is None:
        return False
    new = facts.compute(dossier)
    fact = DossierFact.objects.filter(pk=dossier.pk).first()
    old, old_unit = (fact.contributions, fact.unit_id) if fact else ([], dossier.unit_id)
    if fact is not None and old == new and old_unit == dossier.unit_id:
        return False
    if old_unit == dossier.unit_id:
        changes = [(dossier.unit_id, k, v) for k, v in facts.delta(old, new).items()]
    else:  # never expected (the deciding unit is fixed at intake), but never double-count
        changes = [(old_unit, k, v) for k, v in facts.delta(old, []).items()]
        changes += [(dossier.unit_id, k, v) for k, v in facts.delta([], new).items()]
    for unit_id, (indicator, month), (num, den) in changes:
        _add(unit_id, indicator, month, num, den)
    DossierFact.objects.update_or_create(
        dossier=dossier, defaults={"unit_id": dossier.unit_id, "contributions": new, "computed_at": timezone.now()})
    return True


def expected_counters() -> dict[tuple[int, str, str], tuple[int, int]]:
    """The counters recomputed from every dossier, in memory: what `rebuild` writes and `check` compares."""
    sums: dict[tuple[int, str, str], list[int]] = defaultdict(lambda: [0, 0])
    for dossier in _all_dossiers():
        for indicator, month, num, den in facts.compute(dossier):
            acc = sums[(dossier.unit_id, indicator, month)]
            acc[0] += num
            acc[1] += den
    return {k: (n, d) for k, (n, d) in sums.items() if n or d}


def stored_counters() -> dict[tuple[int, str, str], tuple[int, int]]:
    rows = Counter.objects.values_list("unit_id", "indicator", "month", "numerator", "denominator")
    return {(u, i, m.isoformat()): (n, d) for u, i, m, n, d in rows if n or d}


def _all_dossiers():
    qs = Dossier.objects.select_related("procedure_version").order_by("pk")
    last = 0
    while True:
        chunk = list(qs.filter(pk__gt=last)[:CHUNK])
        if not chunk:
            return
        yield from chunk
        last = chunk[-1].pk


@transaction.atomic
def rebuild() -> int:
    """Recompute every fact and counter from the dossiers. Returns the number of counter rows."""
    DossierFact.objects.all().delete()
    Counter.objects.all().delete()
    now = timezone.now()
    sums: dict[tuple[int, str, str], list[int]] = defaultdict(lambda: [0, 0])
    batch = []
    for dossier in _all_dossiers():
        rows = facts.compute(dossier)
        batch.append(DossierFact(dossier_id=dossier.pk, unit_id=dossier.unit_id, contributions=rows,
                                 computed_at=now))
        for indicator, month, num, den in rows:
            acc = sums[(dossier.unit_id, indicator, month)]
            acc[0] += num
            acc[1] += den
        if len(batch) >= CHUNK:
            DossierFact.objects.bulk_create(batch)
            batch = []
    DossierFact.objects.bulk_create(batch)
    counters = [Counter(unit_id=u, indicator=i, month=date.fromisoformat(m), numerator=n, denominator=d)
                for (u, i, m), (n, d) in sums.items() if n or d]
    Counter.objects.bulk_create(counters, batch_size=CHUNK)
    return len(counters)
