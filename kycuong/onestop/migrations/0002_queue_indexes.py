"""Indexes for the officer's queue at 1M dossiers (benchmarks/onestop_queue.py, docs/performance.md).

* ``dossier_open_due`` — open dossiers (states 1, 2, 4, 5, 6: a few per cent of the table) by due time:
  serves every state/clock filter of ``queries.queue`` (``ORDER BY due_at, id LIMIT 50``) without
  walking the due-time index through years of returned dossiers. Both databases (SQLite has partial
  indexes too).
* ``dossier_name_trgm`` — PostgreSQL only: a pg_trgm GIN index on the folded applicant name, for the
  "search by name without marks" (``applicant_name_folded LIKE '%…%'``), which otherwise reads the
  whole table. pg_trgm is a trusted extension (PostgreSQL ≥ 13): the database owner may create it.

Raw SQL, outside Django's model state: the trigram operator class cannot be declared portably in
``Meta.indexes``. On PostgreSQL the indexes are built CONCURRENTLY (no write lock on a live table),
hence ``atomic = False``.
"""
from django.db import migrations

OPEN_STATES = "1, 2, 4, 5, 6"  # workflow.OPEN_STATES


def forwards(apps, schema_editor):
    pg = schema_editor.connection.vendor == "postgresql"
    concurrently = "CONCURRENTLY " if pg else ""
    schema_editor.execute(
        f"CREATE INDEX {concurrently}IF NOT EXISTS dossier_open_due ON onestop_dossier (due_at, id) "
        f"WHERE state IN ({OPEN_STATES})"
    )
    if pg:
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        schema_editor.execute(
            "CREATE INDEX CONCURRENTLY IF NOT EXISTS dossier_name_trgm ON onestop_dossier "
            "USING gin (applicant_name_folded gin_trgm_ops)"
        )


def backwards(apps, schema_editor):
    pg = schema_editor.connection.vendor == "postgresql"
    concurrently = "CONCURRENTLY " if pg else ""
    schema_editor.execute(f"DROP INDEX {concurrently}IF EXISTS dossier_open_due")
    if pg:
        schema_editor.execute("DROP INDEX CONCURRENTLY IF EXISTS dossier_name_trgm")


class Migration(migrations.Migration):
    atomic = False

    dependencies = [("onestop", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
