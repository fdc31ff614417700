"""Scoped reads of dossiers (docs/design.md rule 4): an officer sees what their unit decides or received."""
from dataclasses import dataclass
from datetime import datetime, timedelta
import re

from django.db import connection
from django.db.models import BooleanField, DateTimeField, ExpressionWrapper, F, Q, QuerySet, Value
from django.db.models.expressions import RawSQL
from django.utils import timezone

from kycuong.core.calendars import calendar_for
from kycuong.core.models import Unit
from kycuong.core.queries import sees_everything, unit_scope_q
from kycuong.core.text import fold

from .models import Dossier
from .workflow import CLOCK_STATES, OPEN_STATES, State

CLOCK_FILTERS = ("on_track", "due_soon", "overdue", "paused")
COUNT_CAP = 1000  # a queue page counts its matches up to this, then says "more than …"

# What a queue row shows (API list and /mot-cua/): dossier rows are ~60 columns wide, and building 50 of
# them with three related rows each cost more than PostgreSQL's own work for the page. Three joins at most:
# with six, PostgreSQL spent ~35 ms planning the page (join order search) against <1 ms with three; the
# small reference rows (procedure, assignee) come by id in one query each instead.
_LIST_JOINED = ("procedure_version", "unit", "current_step")
_LIST_PREFETCHED = ("procedure", "current_step__assignee")
_LIST_COLUMNS = (
    "id", "code", "version", "state", "channel", "applicant_name", "submitted_at", "received_at", "due_at",
    "procedure", "receiving_unit", "procedure_version__name", "unit__code", "unit__name",
    "current_step__order", "current_step__name", "current_step__assignee",
)
_WORD = re.compile(r"[0-9a-z]+")


def scope_unit_ids(user):
    """The unit ids an officer's scope covers, or None for "everything".

    Read from the small unit table first, so the dossier query is a plain `unit_id IN (…)` the
    indexes serve, instead of path joins evaluated row by row (4 joins at 1M rows: seconds).
    """
    if sees_everything(user):
        return None
    if not (user and user.is_authenticated and user.is_officer and user.unit_id):
        return []
    ids = list(Unit.objects.filter(unit_scope_q(user, "")).values_list("pk", flat=True))
    if len(ids) == Unit.objects.count():
        return None  # city level: the whole tree
    return ids


def visible_dossiers(user) -> QuerySet:
    """Dossiers the user may see. Officers: deciding or receiving unit in their subtree. Citizens: their own."""
    qs = Dossier.objects.all()
    if user is not None and user.is_authenticated and not user.is_officer and not user.is_superuser:
        return qs.filter(applicant=user)
    ids = scope_unit_ids(user)
    if ids is None:
        return qs
    return qs.filter(Q(unit_id__in=ids) | Q(receiving_unit_id__in=ids))


def _one_working_day_ahead(now: datetime) -> datetime:
    """The instant one working day (8 working hours) after `now`: the edge of "due within a working day"."""
    return calendar_for(None).due(now, 8, "working_hours").due


def queue(user, *, mine=False, state=None, procedure=None, clock=None, q="", now=None) -> QuerySet:
    """The officer's work queue, filterable by state, procedure, clock status and code/name (marks ignored).

    Clock filters are index ranges on `due_at`, not per-row computation, so a page stays fast at 1M rows.
    """
    now = now or timezone.now()
    qs = visible_dossiers(user)
    if mine:
        qs = qs.filter(current_step__assignee=user)
    if state:
        qs = qs.filter(state=int(state))
    if procedure:
        qs = qs.filter(procedure__code=procedure)
    if clock in CLOCK_FILTERS:
        if clock == "paused":
            qs = qs.filter(state=State.SUPPLEMENT_REQUESTED)
        else:
            qs = qs.filter(state__in=CLOCK_STATES)
            edge = _one_working_day_ahead(now)
            if clock == "overdue":
                qs = qs.filter(due_at__lt=now)
            elif clock == "due_soon":
                qs = qs.filter(due_at__gte=now, due_at__lte=edge)
            else:
                qs = qs.filter(due_at__gt=edge)
    text = (q or "").strip()
    due = F("due_at")
    if text:
        # Codes are stored upper case: a prefix LIKE on the upper-cased text covers equality too and is
        # served by the code index (UPPER(code) = … would scan the table).
        qs = qs.filter(Q(code__startswith=text.upper()) | _name_q(text))
        if _few_name_matches(text):
            # Few matches: PostgreSQL would still walk the due_at index hoping to meet 50 of them soon and
            # read ~100,000 rows (p95 200+ ms at 1M). Ordering by an expression the index cannot give makes it
            # take the word index, then sort the few matches. Same order, same rows.
            due = ExpressionWrapper(F("due_at") + Value(timedelta(0)), output_field=DateTimeField())
    # NULL appointments (not yet received) last on both databases, so pages agree on SQLite and PostgreSQL.
    return (qs.select_related(*_LIST_JOINED).prefetch_related(*_LIST_PREFETCHED).only(*_LIST_COLUMNS)
            .order_by(due.asc(nulls_last=True), "id"))


def _name_words(text: str) -> list[str]:
    """The distinct words of a name search, folded (no marks, lower case), in the order typed."""
    return list(dict.fromkeys(_WORD.findall(fold(text))))


FEW_NAME_MATCHES = 3000  # below this many name matches in the whole table, sorting them beats walking due_at


def _few_name_matches(text: str) -> bool:
    """PostgreSQL only: whether the name words match fewer than FEW_NAME_MATCHES dossiers (a capped count on
    the word index, a few ms)."""
    words = _name_words(text)
    if connection.vendor != "postgresql" or not words:
        return False
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM (SELECT 1 FROM onestop_dossier WHERE to_tsvector('simple', applicant_name_folded)"
            " @@ to_tsquery('simple', %s) LIMIT %s) AS m", [" & ".join(words), FEW_NAME_MATCHES])
        return cursor.fetchone()[0] < FEW_NAME_MATCHES


def _name_q(text: str) -> Q:
    """Applicant names without marks, by whole words in any order: "nguyen van", "van nguyen" and "an"
    find "Nguyễn Văn An"; "nguy" does not. On PostgreSQL a word index serves it (migration 0003:
    `to_tsvector('simple', …)`, 10-20 ms at 1M rows against 50-115 ms for trigrams of Vietnamese names,
    whose syllables most names share; word prefixes (`nguyen:*`) cost as much as trigrams, so none).
    SQLite gives the same answers with LIKE on space-delimited words."""
    words = _name_words(text)
    if not words:
        return Q(pk__in=[])
    if connection.vendor == "postgresql":
        match = RawSQL("to_tsvector('simple', applicant_name_folded) @@ to_tsquery('simple', %s)",
                       [" & ".join(words)], output_field=BooleanField())
        return Q(match)
    q = Q()
    for w in words:
        q &= Q(RawSQL("(' ' || applicant_name_folded || ' ') LIKE %s", [f"% {w} %"], output_field=BooleanField()))
    return q


@dataclass(frozen=True)
class Page:
    """One page of a queue without an exact COUNT over the whole scope (up to 1M rows): the rows, whether
    there is a next page, and the number of matches up to COUNT_CAP (`capped`: there are more)."""
    rows: list
    number: int
    size: int
    has_next: bool
    count: int
    capped: bool

    @property
    def has_previous(self):
        return self.number > 1

    @property
    def has_other_pages(self):
        return self.has_next or self.has_previous

    @property
    def previous_page_number(self):
        return self.number - 1

    @property
    def next_page_number(self):
        return self.number + 1

    @property
    def num_pages(self):
        return None if self.capped else max(1, -(-self.count // self.size))


def page(qs: QuerySet, number: int, size: int, count: bool = True) -> Page:
    """Rows `size * (number - 1)` … of `qs`; one extra row tells whether a next page exists. The count
    is free on the last page and otherwise `SELECT COUNT(*) FROM (… LIMIT COUNT_CAP + 1)`."""
    start = (number - 1) * size
    rows = list(qs[start:start + size + 1])
    has_next = len(rows) > size
    rows = rows[:size]
    if not has_next and (rows or number == 1):
        return Page(rows, number, size, False, start + len(rows), False)  # the last page: exact
    if not count:
        return Page(rows, number, size, has_next, None, False)
    total = qs.order_by()[:COUNT_CAP + 1].count()
    return Page(rows, number, size, has_next, min(total, COUNT_CAP), total > COUNT_CAP)


@dataclass(frozen=True)
class Clock:
    status: str        # on_track | due_soon | overdue | paused | ended | not_started
    due: datetime | None
    remaining: timedelta | None


def clock_of(dossier: Dossier, now=None) -> Clock:
    now = now or timezone.now()
    if dossier.state == State.SUPPLEMENT_REQUESTED:
        return Clock("paused", dossier.due_at, None)
    if dossier.state not in OPEN_STATES or dossier.state == State.SUBMITTED_ONLINE:
        return Clock("ended" if dossier.state not in OPEN_STATES else "not_started", dossier.due_at, None)
    if dossier.due_at is None:
        return Clock("not_started", None, None)
    cal = calendar_for(dossier.receiving_unit)
    status = cal.status(now, dossier.due_at).value
    remaining = cal.elapsed(now, dossier.due_at) if now <= dossier.due_at else None
    return Clock(status, dossier.due_at, remaining)


def dossier_for(user, code: str) -> Dossier | None:
    return (visible_dossiers(user).select_related("procedure_version", "unit", "receiving_unit", "current_step")
            .filter(code=code).first())


def public_dossier(code: str) -> Dossier | None:
    """Public lookup by code (no scoping: the code is the ticket; personal data is gated by the view)."""
    return (Dossier.objects.select_related("procedure_version", "unit", "receiving_unit")
            .filter(code=(code or "").strip().upper()).first())


WARNING_WORKING_HOURS = 16


def due_for_warning(now: datetime) -> QuerySet:
    """Open dossiers due within the next WARNING_WORKING_HOURS of working time, not warned yet.

    16, not 8: an apology must go out at least one working day (8 h) before the due time (docs/legal/one-stop.md §2.2,
    NĐ 61/2018 Đ.19), so the warning comes a working day before that last moment — warned at 8 h left,
    the people warned could no longer apologise. `warned_at` is cleared by the services whenever the
    due time moves (apology, supplement completed), so the new appointment is warned about too."""
    edge = calendar_for(None).due(now, WARNING_WORKING_HOURS, "working_hours").due
    return Dossier.objects.filter(state__in=CLOCK_STATES, warned_at__isnull=True, due_at__gte=now, due_at__lte=edge)
