"""PostgreSQL loading: binary COPY of the narrow columns into a staging table, the wide rows built in SQL on a
second connection; constraints and indexes dropped for the load and rebuilt once."""
from __future__ import annotations

import os
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager

import numpy as np
from django.db import connection, transaction
from django.utils import timezone

from kycuong.onestop.models import Dossier

from .plan import END_REASONS, MARK, NAMES, NAMES_FOLDED, NULL_TIME, SUPPLEMENT_REASON, _columns, _Plan

# --- PostgreSQL: binary COPY of the narrow columns into a staging table, the wide row built in SQL ----------

# (chunk column, staging type, big-endian numpy type of its binary COPY value)
STAGE = [("id", "int8", ">i8"), ("unit", "int4", ">i4"), ("receiving", "int4", ">i4"), ("proc", "int4", ">i4"), ("name", "int4", ">i4"),
         ("channel", "int2", ">i2"), ("state", "int2", ">i2"), ("ymd", "int4", ">i4"), ("seq", "int4", ">i4"),
         ("submitted", "timestamptz", ">i8"), ("received", "timestamptz", ">i8"), ("due", "timestamptz", ">i8"),
         ("ended", "timestamptz", ">i8"), ("returned", "timestamptz", ">i8"), ("sup_req", "timestamptz", ">i8"),
         ("sup_done", "timestamptz", ">i8"), ("sup_count", "int2", ">i2"), ("end_reason", "int2", ">i2"),
         ("fee", "int8", ">i8"), ("paid", "int2", ">i2"), ("e_result", "bool", "u1"), ("digitised", "bool", "u1"),
         ("reused", "bool", "u1"), ("vneid", "bool", "u1")]
_COPY_HEADER = b"PGCOPY\n\xff\r\n\x00" + b"\x00\x00\x00\x00" + b"\x00\x00\x00\x00"
_PG_EPOCH = 946_684_800  # 2000-01-01 UTC: binary timestamptz counts microseconds from there


def backend_cpu_seconds(cursor) -> float:
    """CPU seconds used so far by this connection's PostgreSQL backend, when the server runs on this machine
    (benchmarks report CPU next to wall time: the machine is shared); 0.0 when it cannot be read."""
    cursor.execute("SELECT pg_backend_pid()")
    try:
        with open(f"/proc/{cursor.fetchone()[0]}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _binary_copy(columns: dict[str, np.ndarray]) -> bytes:
    """The chunk as PostgreSQL binary COPY data, built by numpy (no per-row Python).

    A row is: field count (int16), then per field its length (int32) and value, all big-endian; NULL_TIME
    becomes -infinity (int64 minimum), turned into NULL by the INSERT."""
    layout = [("fields", ">i2")]
    for name, _type, np_type in STAGE:
        layout += [(f"{name}_len", ">i4"), (name, np_type)]
    rows = np.empty(len(columns["id"]), dtype=np.dtype(layout))
    rows["fields"] = len(STAGE)
    for name, pg_type, np_type in STAGE:
        rows[f"{name}_len"] = np.dtype(np_type).itemsize
        value = columns[name]
        if pg_type == "timestamptz":
            value = np.where(value == NULL_TIME, NULL_TIME, (value - _PG_EPOCH) * 1_000_000)
        rows[name] = value
    return _COPY_HEADER + rows.tobytes() + b"\xff\xff"


class _PostgresSink:
    """Loads chunks: COPY into a staging table, then one INSERT … SELECT that joins the small lookups
    (procedure → version, limit; name index → name; unit → code) and builds the code text.

    With `parallel` (two cores): one connection COPYs chunk k+1 into one of two UNLOGGED staging tables
    while another INSERTs chunk k from the other, and this thread generates chunk k+2. Otherwise (inside
    a transaction: tests) a TEMP staging table on this connection.

    Ids are reserved from the table's sequence up front and given in generation order, and one connection
    inserts, in id order (the staging table is read in COPY order and the hash joins on the small lookups
    keep it; an ORDER BY would sort the wide rows and cost more than the load). The table is then in code
    order, which makes the code and unit index builds cheap (presorted input): measured to save more than
    a second inserting connection gains (two inserting sessions interleave their pages; the order is lost).
    A killed run may leave the UNLOGGED seed_stage_0/1 tables behind; the next run drops them."""

    def __init__(self, plan: _Plan, parallel: bool, total: int):
        self.plan, self.parallel, self.busy, self.waited, self.db_cpu = plan, parallel, 0.0, 0.0, 0.0
        self.next_id = self._reserve_ids(total)
        self.insert_sql, self.insert_params = self._insert_statement()
        self.chunks = 0
        if not parallel:
            self.stages = ["seed_stage"]
            self._open(lookups=True, stage_kind="TEMP")
            return
        self.stages = ["seed_stage_0", "seed_stage_1"]
        self._create_stages("UNLOGGED")
        self.copier, self.inserter = ThreadPoolExecutor(max_workers=1), ThreadPoolExecutor(max_workers=1)
        self.copier.submit(self._open, lookups=False).result()
        self.inserter.submit(self._open, lookups=True).result()
        self.inserts = []

    @staticmethod
    def _reserve_ids(total: int) -> int:
        table = Dossier._meta.db_table
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [table])
            sequence = cursor.fetchone()[0]
            cursor.execute("SELECT nextval(%s)", [sequence])
            first = cursor.fetchone()[0]
            if total > 1:
                cursor.execute("SELECT setval(%s, %s)", [sequence, first + total - 1])
        return first

    def _create_stages(self, kind: str):
        with connection.cursor() as cursor:
            for stage in self.stages:
                cursor.execute(f"DROP TABLE IF EXISTS {stage}")
                cursor.execute(f"CREATE {kind} TABLE {stage} ("
                               + ", ".join(f"{name} {pg_type} NOT NULL" for name, pg_type, _ in STAGE) + ")")

    def prepare(self, columns):
        n = len(columns["proc"])
        columns["id"] = np.arange(self.next_id, self.next_id + n, dtype=np.int64)
        self.next_id += n
        return _binary_copy(columns)

    def put(self, payload: bytes):
        stage = self.stages[self.chunks % len(self.stages)]
        self.chunks += 1
        if not self.parallel:
            self.busy += self._copy(stage, payload) + self._insert(stage)
            return
        # A staging table is free again once the insert that read it (two chunks ago) is done.
        while len(self.inserts) >= len(self.stages):
            self._wait(self.inserts.pop(0))
        copied = self.copier.submit(self._copy, stage, payload)
        self.inserts.append(self.inserter.submit(self._insert, stage, copied))

    def _wait(self, future):
        t = time.perf_counter()
        self.busy += future.result()
        self.waited += time.perf_counter() - t

    def close(self):
        if not self.parallel:
            self._close()
            return
        try:
            while self.inserts:
                self._wait(self.inserts.pop(0))
        finally:
            for pool in (self.copier, self.inserter):
                pool.submit(self._close).result()
                pool.shutdown()
            with connection.cursor() as cursor:
                cursor.execute(f"DROP TABLE IF EXISTS {', '.join(self.stages)}")

    def _open(self, lookups: bool, stage_kind: str | None = None):
        plan = self.plan
        with connection.cursor() as cursor:
            if self.parallel:  # this worker thread's own session
                self.db_cpu -= backend_cpu_seconds(cursor)
                cursor.execute("SET synchronous_commit = off")
                cursor.execute("SET temp_buffers = '64MB'")  # before its first temp table
        if stage_kind:
            self._create_stages(stage_kind)
        if not lookups:
            return
        with connection.cursor() as cursor:
            cursor.execute("DROP TABLE IF EXISTS seed_proc, seed_name, seed_unit")
            cursor.execute("CREATE TEMP TABLE seed_proc (i int4 PRIMARY KEY, procedure_id int4, version_id int4, "
                           "limit_amount numeric, limit_unit text, cutoff time)")
            cursor.executemany("INSERT INTO seed_proc VALUES (%s, %s, %s, %s, %s, %s)",
                               [(i, v.procedure_id, v.pk, v.limit_amount, v.limit_unit, v.cutoff)
                                for i, v in enumerate(plan.versions)])
            cursor.execute("CREATE TEMP TABLE seed_name (i int4 PRIMARY KEY, name text, folded text)")
            cursor.executemany("INSERT INTO seed_name VALUES (%s, %s, %s)",
                               list(zip(range(len(NAMES)), NAMES, NAMES_FOLDED, strict=True)))
            cursor.execute("CREATE TEMP TABLE seed_unit (id int4 PRIMARY KEY, code text)")
            cursor.executemany("INSERT INTO seed_unit VALUES (%s, %s)",
                               list(zip(plan.unit_ids.tolist(), plan.unit_codes, strict=True)))
            cursor.execute("ANALYZE seed_proc, seed_name, seed_unit")

    def _close(self):
        with connection.cursor() as cursor:
            cursor.execute("DROP TABLE IF EXISTS seed_proc, seed_name, seed_unit")
            if not self.parallel:
                cursor.execute(f"DROP TABLE IF EXISTS {', '.join(self.stages)}")
                return
            self.db_cpu += backend_cpu_seconds(cursor)
        connection.close()  # this worker thread's own connection

    def _insert_statement(self):
        def ts(column):
            return f"NULLIF(s.{column}, '-infinity')"

        built = {
            "code": "u.code || '-' || lpad(s.ymd::text, 6, '0') || '-' || "
                    "CASE WHEN s.seq < 10000 THEN lpad(s.seq::text, 4, '0') ELSE s.seq::text END",
            "procedure_id": "p.procedure_id", "procedure_version_id": "p.version_id",
            "unit_id": "s.unit", "receiving_unit_id": "s.receiving", "channel": "s.channel", "state": "s.state",
            "applicant_name": "m.name", "applicant_name_folded": "m.folded",
            "limit_amount": "p.limit_amount", "limit_unit": "p.limit_unit", "cutoff": "p.cutoff",
            "submitted_at": "s.submitted", "received_at": ts("received"), "clock_start_at": ts("received"),
            "due_at": ts("due"), "original_due_at": ts("due"), "processing_end_at": ts("ended"),
            "returned_at": ts("returned"), "supplement_requested_at": ts("sup_req"),
            "supplement_completed_at": ts("sup_done"), "supplement_count": "s.sup_count",
            "fee_total_vnd": "s.fee", "paid_online": "s.paid", "result_is_electronic": "s.e_result",
            "digitised": "s.digitised", "reused_data": "s.reused", "vneid_verified": "s.vneid",
        }
        with_params = {
            "supplement_reason": ("CASE WHEN s.sup_count > 0 THEN %s ELSE '' END", [SUPPLEMENT_REASON]),
            "end_reason": ("(%s::text[])[s.end_reason + 1]", [END_REASONS]),
            "note": ("%s::text", [MARK]),
        }
        stamp = timezone.now()
        names, exprs, params = [connection.ops.quote_name(Dossier._meta.pk.column)], ["s.id"], []
        for field in _columns():
            names.append(connection.ops.quote_name(field.column))
            if field.attname in built:
                exprs.append(built[field.attname])
            elif field.attname in with_params:
                expr, values = with_params[field.attname]
                exprs.append(expr)
                params += values
            elif field.attname in ("created_at", "updated_at"):
                exprs.append("%s::timestamptz")
                params.append(stamp)
            else:  # a column the generator leaves at its default (new Dossier fields need no change here)
                default = field.get_default()
                exprs.append(f"CAST(%s AS {field.db_type(connection)})")
                params.append(None if default is None else field.get_db_prep_save(default, connection))
        sql = (f"INSERT INTO {Dossier._meta.db_table} ({', '.join(names)}) SELECT {', '.join(exprs)} "
               "FROM {stage} s JOIN seed_proc p ON p.i = s.proc JOIN seed_name m ON m.i = s.name "
               "JOIN seed_unit u ON u.id = s.unit")
        return sql, params

    def _copy(self, stage: str, payload: bytes) -> float:
        t = time.perf_counter()
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"TRUNCATE {stage}")
            with cursor.cursor.copy(f"COPY {stage} FROM STDIN (FORMAT binary)") as copy:
                copy.write(payload)
        return time.perf_counter() - t

    def _insert(self, stage: str, copied=None) -> float:
        busy = copied.result() if copied is not None else 0.0
        t = time.perf_counter()
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL jit = off")  # compiling costs more than it saves on this plan
            cursor.execute(self.insert_sql.format(stage=stage), self.insert_params)
        return busy + time.perf_counter() - t


# --- PostgreSQL: constraints and indexes off during the load, rebuilt once ---------------------------------

@contextmanager
def _constraints_dropped(model, parallel: bool, stats: dict):
    """PostgreSQL: load without the secondary indexes, the unique code index and the foreign keys, then
    build them once at the end: sorting once is much faster than maintaining ~17 indexes and checking four
    foreign keys row by row. The unique index and the keys are checked when rebuilt, so a bad row still
    fails the seed. The primary key and CHECK constraints stay. With `parallel` the indexes are built on two
    connections. Elsewhere a no-op. A seed killed mid-way (no `finally`) leaves the table without them:
    the seed is for a fresh database, and a second run refuses (AlreadySeeded) — start again on a new one."""
    if connection.vendor != "postgresql":
        yield
        return
    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute("SELECT c.conname, c.contype, pg_get_constraintdef(c.oid), i.indexdef FROM pg_constraint c "
                       "LEFT JOIN pg_indexes i ON i.indexname = c.conname AND i.tablename = %s "
                       "WHERE c.conrelid = %s::regclass AND c.contype IN ('u', 'f')", [table, table])
        constraints = cursor.fetchall()
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s AND indexname NOT IN "
            "(SELECT conname FROM pg_constraint WHERE conrelid = %s::regclass)", [table, table])
        indexes = cursor.fetchall()
        if connection.in_atomic_block:
            # Dropping a key touches the referenced tables, which must have no deferred checks pending
            # (the catalog rows just created): run them now (Django's keys are all INITIALLY DEFERRED).
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        for name, _type, _definition, _index in constraints:
            cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
        for name, _definition in indexes:
            cursor.execute(f'DROP INDEX IF EXISTS "{name}"')
    try:
        yield
    finally:
        t = time.perf_counter()
        # The unique constraints' indexes are built like the others (CREATE INDEX can run side by side;
        # ADD CONSTRAINT could not), then attached: ADD CONSTRAINT … USING INDEX is instant.
        builds = [definition for _name, definition in indexes]
        builds += [index for _name, kind, _definition, index in constraints if kind == "u"]
        stats["indexes_db_cpu_s"] = _run_statements(builds, parallel)
        with connection.cursor() as cursor:
            for name, kind, _definition, _index in constraints:
                if kind == "u":
                    cursor.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" UNIQUE USING INDEX "{name}"')
            stats["indexes_s"] = time.perf_counter() - t
            t = time.perf_counter()
            for name, kind, definition, _index in constraints:
                if kind == "f":  # validated here: one scan each
                    cursor.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
            stats["foreign_keys_s"] = time.perf_counter() - t
            t = time.perf_counter()
            # VACUUM as well (outside a transaction only): it sets the visibility map, so the index-only
            # reads the scoreboard makes (dossier_open_by_unit) need no heap fetches — what autovacuum
            # would do later on a live database. ~2 s at 7.2 M rows just loaded.
            cursor.execute(f"ANALYZE {table}" if connection.in_atomic_block else f"VACUUM (ANALYZE) {table}")
            stats["analyze_s"] = time.perf_counter() - t


def _build_weight(statement: str) -> int:
    """Rough cost order of an index build, so the two connections start with the longest and finish
    together. Measured on 7.2 M dossiers loaded in code order: the applicant-name btree in the database
    collation ~33 s of CPU, its byte-order twin and the GIN word index ~15–20 s; the code and unit
    indexes (presorted input) and the other integer ones ~4–10 s."""
    if "applicant_name" not in statement:
        return 1
    return 3 if "pattern_ops" not in statement and " gin " not in statement.lower() else 2


def _run_statements(statements: list[str], parallel: bool):
    """Run index builds, on two connections when `parallel` (two cores: the longest builds first).
    Returns the CPU seconds of the worker connections' backends (0.0 when not parallel)."""
    def work(queue: list[str], own_connection: bool) -> float:
        try:
            with connection.cursor() as cursor:
                cpu = -backend_cpu_seconds(cursor) if own_connection else 0.0
                cursor.execute("SET maintenance_work_mem = '1GB'")
                cursor.execute("SET max_parallel_maintenance_workers = 0")  # the two connections are the cores
                while queue:
                    try:
                        statement = queue.pop(0)
                    except IndexError:
                        break
                    cursor.execute(statement)
                cursor.execute("RESET maintenance_work_mem")
                cursor.execute("RESET max_parallel_maintenance_workers")
                return cpu + backend_cpu_seconds(cursor) if own_connection else 0.0
        finally:
            if own_connection:
                connection.close()

    queue = sorted(statements, key=_build_weight, reverse=True)
    if not parallel:
        return work(queue, False)
    with ThreadPoolExecutor(max_workers=2) as pool:
        return sum(future.result() for future in [pool.submit(work, queue, True) for _ in range(2)])
