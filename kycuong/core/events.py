"""The event chain (docs/design.md rule 3): append-only, one hash chain per subject, verifiable at any time.

Each event's hash covers its own facts and the previous event's hash, so an edit anywhere in a chain
breaks that link and every later one; `verify` reports the first broken link of each chain.

The chain alone proves edits, not truncation or a full rewrite: whoever can write the table can also drop
the newest events or recompute every hash. So each subject also has a head (`ChainHead`: the number of
events, the last hash and the state the aggregate reached), written in the same transaction as the event and
sealed with an HMAC whose key lives outside the database (`settings.KYCUONG_AUDIT_KEY`). `verify` compares
every intact chain with its head and the head with the aggregate's current state (apps register a reader with
`register_state`), so a deleted newest, middle or only event, a reorder, a rewrite with recomputed hashes and
a state changed behind the services' back are all found. On PostgreSQL a trigger also refuses UPDATE and
DELETE on the event table (migration core 0007).
"""
import datetime as dt
import hashlib
import hmac
import json
import uuid
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db import router, transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.dispatch import Signal
from django.utils import timezone
from django.utils.functional import Promise

from .models import ChainHead, Event

GENESIS_HASH = "0" * 64

# Sent inside the appending transaction, after the event is written (kwarg `event`). Apps to the right
# of the writer (the scoreboard) listen to keep derived numbers current; a receiver that wants to act
# only on success schedules its work with `transaction.on_commit` / `jobs.on_commit`.
appended = Signal()

BREAK_REASONS = ("hash_mismatch", "prev_hash_mismatch", "seq_gap",  # inside a chain
                 "events_missing", "head_missing", "head_mismatch", "head_forged",  # chain against its head
                 "state_mismatch", "subject_missing")  # head against the aggregate


@dataclass(frozen=True)
class Break:
    """The first broken link of one chain. For `seq_gap`, `seq` is the first missing number."""

    subject_type: str
    subject_id: str
    seq: int
    reason: str  # one of BREAK_REASONS


# --- heads and the states they seal -------------------------------------------------------------------

_STATE_READERS: dict = {}


def register_state(subject_type: str, reader) -> None:
    """`reader(subject_ids) -> {subject_id: current state as text}` for one aggregate (called by its app).

    `verify` compares it with the state sealed in each head; a subject the reader does not return no
    longer exists (`subject_missing`)."""
    _STATE_READERS[subject_type] = reader


def head_mac(subject_type: str, subject_id: str, count: int, last_hash: str, state: str) -> str:
    """HMAC-SHA256 of a head with the audit key. This format is a contract: changing it breaks every head."""
    message = "\x1f".join([subject_type, subject_id, str(count), last_hash, state]).encode("utf-8")
    return hmac.new(settings.KYCUONG_AUDIT_KEY.encode("utf-8"), message, hashlib.sha256).hexdigest()


def _state_text(state) -> str:
    return "" if state is None else str(getattr(state, "value", state))


def _write_head(db, subject_type, subject_id, seq, last_hash, state) -> None:
    heads = ChainHead.objects.using(db).filter(subject_type=subject_type, subject_id=subject_id)
    if state is None and seq > 1:  # unchanged: keep the state the head already seals
        state = heads.values_list("state", flat=True).first() or ""
    state = _state_text(state)
    values = {"count": seq, "last_hash": last_hash, "state": state,
              "mac": head_mac(subject_type, subject_id, seq, last_hash, state)}
    if seq == 1 or not heads.update(**values):
        ChainHead.objects.using(db).create(subject_type=subject_type, subject_id=subject_id, **values)


# --- canonical form ----------------------------------------------------------------------------------

def _check_text(value: str, what: str) -> str:
    # PostgreSQL refuses NUL in text and jsonb; refusing it everywhere keeps both databases alike.
    if "\x00" in value:
        raise ValueError(f"{what} must not contain NUL characters.")
    return value


def normalise_data(value, path="data"):
    """Return `value` as plain JSON types that come back identical from either database.

    Dates, times, Decimals and UUIDs become strings; str/int subclasses (TextChoices, IntEnum) become
    plain values. Floats are refused: their text form is not stable across jsonb and Python, so amounts
    go in as int (VND) or Decimal/str.
    """
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, float):
        raise TypeError(f"{path}: floats are not allowed in event data; use int or a string ({value!r}).")
    if isinstance(value, int):
        return int(value)
    if isinstance(value, str):
        return _check_text(str.__str__(value), path)
    if isinstance(value, Promise):  # lazy translation: freeze the text as shown at the time
        return _check_text(str(value), path)
    if isinstance(value, dt.datetime):
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError(f"{path}: naive datetime; event data takes aware datetimes only.")
        return value.isoformat()
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, dict):
        out = {}
        for key, item in value.items():
            # json would turn 1 into "1" on the way in, so the stored dict would differ from the hashed one.
            if not isinstance(key, str):
                raise TypeError(f"{path}: keys must be strings, not {type(key).__name__} ({key!r}).")
            key = _check_text(str.__str__(key), f"{path} key")
            out[key] = normalise_data(item, f"{path}.{key}")
        return out
    if isinstance(value, (list, tuple)):
        return [normalise_data(item, f"{path}[{i}]") for i, item in enumerate(value)]
    raise TypeError(f"{path}: {type(value).__name__} is not allowed in event data.")


def _iso_utc(at: dt.datetime) -> str:
    return at.astimezone(dt.timezone.utc).isoformat(timespec="microseconds")


def compute_hash(*, subject_type, subject_id, seq, kind, at, actor_id, actor_label, unit_id, public, data,
                 prev_hash) -> str:
    """sha256 of the canonical JSON of an event. This format is a contract: changing it breaks every chain."""
    payload = {
        "subject_type": subject_type, "subject_id": subject_id, "seq": seq, "kind": kind, "at": _iso_utc(at),
        "actor_id": actor_id, "actor_label": actor_label, "unit_id": unit_id, "public": public,
        "data": data, "prev_hash": prev_hash,
    }
    # sort_keys: jsonb reorders keys, so the stored order cannot be the hashed order.
    # No default=str: data is normalised first, so anything json cannot encode is a bug to surface.
    text = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def event_hash(event: Event) -> str:
    return compute_hash(
        subject_type=event.subject_type, subject_id=event.subject_id, seq=event.seq, kind=event.kind,
        at=event.at, actor_id=event.actor_id, actor_label=event.actor_label, unit_id=event.unit_id,
        public=event.public, data=event.data, prev_hash=event.prev_hash,
    )


# --- writing -----------------------------------------------------------------------------------------

def _check_field(value, name: str) -> str:
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a string, not {type(value).__name__}.")
    value = _check_text(str.__str__(value), name)
    limit = Event._meta.get_field(name).max_length
    # SQLite does not enforce max_length; checking here gives the same answer on both databases.
    if len(value) > limit:
        raise ValueError(f"{name} is longer than {limit} characters.")
    return value


def _lock_subject(connection, subject_type: str, subject_id: str) -> None:
    """Serialise appends to one subject until the caller's transaction ends.

    SQLite already does (transaction_mode=IMMEDIATE). On PostgreSQL, SELECT … FOR UPDATE on the last
    event would not help: the waiter would re-read the same last row and collide on seq anyway. With the
    advisory lock the waiter's next statement (READ COMMITTED, Django's default) sees the winner's
    committed row, so it simply gets seq+1. The unique constraint stays the backstop.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))",
                [f"kycuong.event:{subject_type}:{subject_id}"],
            )


def append(subject_type: str, subject_id: str, kind: str, *, data=None, actor=None, unit=None, public=False,
           at=None, actor_label=None, first=False, state=None) -> Event:
    """Append one event to the subject's chain, inside the caller's transaction, and return it.

    `actor_label` defaults to the actor's name now (kept even if the account changes later); pass it
    for actors without an account ("Hệ thống", a citizen at the counter).
    `first=True`: the caller has just created the subject (a new dossier code), so the chain is empty and
    the read of its last link is skipped. If it was not empty after all, the unique (subject, seq)
    constraint refuses the insert and the whole transaction fails: the chain never forks.
    `state`: the aggregate's state after this event, sealed in the chain's head (None: unchanged).
    """
    # The primary, never a read replica: the last event must be read where the new one is written.
    db = router.db_for_write(Event)
    connection = transaction.get_connection(db)
    if not connection.in_atomic_block:
        # The event must commit or roll back with the state change it records (docs/design.md rule 1).
        raise RuntimeError("events.append() must run inside the caller's transaction.atomic() block.")
    subject_type = _check_field(subject_type, "subject_type")
    subject_id = _check_field(subject_id, "subject_id")
    kind = _check_field(kind, "kind")
    if not (subject_type and subject_id and kind):
        raise ValueError("subject_type, subject_id and kind must not be empty.")
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise TypeError(f"data must be a dict, not {type(data).__name__}.")
    data = normalise_data(data)
    if actor_label is None:
        actor_label = str(actor) if actor is not None else ""
    actor_label = _check_field(actor_label, "actor_label")
    if at is None:
        at = timezone.now()
    elif not isinstance(at, dt.datetime) or at.tzinfo is None or at.utcoffset() is None:
        raise ValueError("at must be an aware datetime (docs/design.md rule 5).")
    # The database keeps microseconds and the instant, not the offset: hash what comes back.
    at = at.astimezone(dt.timezone.utc)

    if first:
        last = None
    else:
        _lock_subject(connection, subject_type, subject_id)
        last = (
            Event.objects.using(db).filter(subject_type=subject_type, subject_id=subject_id)
            .order_by("-seq").values_list("seq", "hash").first()
        )
    seq, prev_hash = (last[0] + 1, last[1]) if last else (1, GENESIS_HASH)
    event = Event(
        subject_type=subject_type, subject_id=subject_id, seq=seq, kind=kind, at=at,
        actor=actor, actor_label=actor_label, unit=unit, public=bool(public), data=data, prev_hash=prev_hash,
    )
    event.hash = event_hash(event)
    event.save(using=db)
    _write_head(db, subject_type, subject_id, seq, event.hash, state)
    appended.send(sender=Event, event=event)
    return event


# --- reading -----------------------------------------------------------------------------------------

def timeline(subject_type: str, subject_id: str, public_only: bool = False) -> QuerySet:
    """The subject's events in order; `public_only` for what citizens may see."""
    qs = Event.objects.filter(subject_type=subject_type, subject_id=subject_id).order_by("seq")
    return qs.filter(public=True) if public_only else qs


_VERIFY_COLUMNS = ("subject_type", "subject_id", "seq", "kind", "at", "actor_id", "actor_label", "unit_id",
                   "public", "data", "prev_hash", "hash")


def verify(subject_type: str | None = None, subject_id: str | None = None, *, stats: dict | None = None
           ) -> list[Break]:
    """Re-check every chain (or one type, or one subject); return the first broken link of each bad chain.

    One ordered pass with plain tuples, so memory stays flat however many events there are; intact chains
    are compared with their heads (and the heads with the aggregates' states) in batches. Breaks come back
    ordered by subject. If `stats` is given, it receives {"events": n, "chains": m}.
    """
    scope = {}
    if subject_type is not None:
        scope["subject_type"] = subject_type
    if subject_id is not None:
        scope["subject_id"] = subject_id
    rows = (Event.objects.filter(**scope).order_by("subject_type", "subject_id", "seq")
            .values_list(*_VERIFY_COLUMNS).iterator(chunk_size=2000))

    breaks: list[Break] = []
    intact: list[tuple[str, str, int, str]] = []  # chains whose links all hold, waiting for their heads
    events = chains = 0
    current = None
    expected_seq, expected_prev, broken = 1, GENESIS_HASH, False

    def close_chain():
        if current is not None and not broken:
            intact.append((*current, expected_seq - 1, expected_prev))
            if len(intact) >= _HEAD_BATCH:
                breaks.extend(_check_heads(intact))
                intact.clear()

    for row in rows:
        (s_type, s_id, seq, kind, at, actor_id, actor_label, unit_id, public, data, prev_hash, stored_hash) = row
        events += 1
        if (s_type, s_id) != current:
            close_chain()
            current, chains = (s_type, s_id), chains + 1
            expected_seq, expected_prev, broken = 1, GENESIS_HASH, False
        if broken:  # later links of a broken chain would only repeat the first break
            continue
        reason = None
        if seq != expected_seq:
            reason, seq = "seq_gap", expected_seq
        elif prev_hash != expected_prev:
            reason = "prev_hash_mismatch"
        elif stored_hash != compute_hash(
            subject_type=s_type, subject_id=s_id, seq=seq, kind=kind, at=at, actor_id=actor_id,
            actor_label=actor_label, unit_id=unit_id, public=public, data=data, prev_hash=prev_hash,
        ):
            reason = "hash_mismatch"
        if reason:
            breaks.append(Break(s_type, s_id, seq, reason))
            broken = True
            continue
        expected_seq, expected_prev = seq + 1, stored_hash
    close_chain()
    breaks.extend(_check_heads(intact))
    # Heads whose chain has no event left at all: the whole chain was deleted.
    orphans = ChainHead.objects.filter(**scope).filter(~Exists(Event.objects.filter(
        subject_type=OuterRef("subject_type"), subject_id=OuterRef("subject_id"))))
    breaks += [Break(t, i, 1, "events_missing") for t, i in orphans.values_list("subject_type", "subject_id")]
    if stats is not None:
        stats.update(events=events, chains=chains)
    return sorted(breaks, key=lambda b: (b.subject_type, b.subject_id))


_HEAD_BATCH = 1000


def _check_heads(intact) -> list[Break]:
    """Compare intact chains (type, id, count, last hash) with their sealed heads and the aggregates' states."""
    found: list[Break] = []
    by_type: dict[str, list] = {}
    for chain in intact:
        by_type.setdefault(chain[0], []).append(chain)
    for s_type, group in by_type.items():
        heads = {i: (n, h, st, mac) for i, n, h, st, mac in ChainHead.objects.filter(
            subject_type=s_type, subject_id__in=[c[1] for c in group]).values_list(
            "subject_id", "count", "last_hash", "state", "mac")}
        sealed_states = {}
        for _t, s_id, count, last_hash in group:
            head = heads.get(s_id)
            if head is None:
                found.append(Break(s_type, s_id, count, "head_missing"))
                continue
            h_count, h_hash, h_state, h_mac = head
            if not hmac.compare_digest(h_mac, head_mac(s_type, s_id, h_count, h_hash, h_state)):
                found.append(Break(s_type, s_id, count, "head_forged"))
            elif h_count > count:
                found.append(Break(s_type, s_id, count + 1, "events_missing"))
            elif h_count < count or h_hash != last_hash:
                found.append(Break(s_type, s_id, min(h_count + 1, count), "head_mismatch"))
            elif h_state:
                sealed_states[s_id] = (count, h_state)
        reader = _STATE_READERS.get(s_type)
        if reader is not None and sealed_states:
            now = reader(list(sealed_states))
            for s_id, (count, h_state) in sealed_states.items():
                if s_id not in now:
                    found.append(Break(s_type, s_id, count, "subject_missing"))
                elif _state_text(now[s_id]) != h_state:
                    found.append(Break(s_type, s_id, count, "state_mismatch"))
    return found
