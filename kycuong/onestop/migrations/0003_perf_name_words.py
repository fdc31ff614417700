"""A word index for the officer queue's name search (benchmarks/onestop_queue.py, docs/performance.md).

``queries.queue(q=…)`` matches applicant names by word prefixes (``to_tsquery('simple', 'nguyen:* & an:*')``)
on PostgreSQL: ``dossier_name_words`` — GIN over ``to_tsvector('simple', applicant_name_folded)`` — serves
it. It replaces ``dossier_name_trgm`` (0002): trigram posting lists of Vietnamese names are long (most
names share "ngu", "guy", "yen"), and nothing searches by inner substrings any more. SQLite: nothing to do
(LIKE on word starts; small databases). Built CONCURRENTLY (no write lock on a live table).
"""
from django.db import migrations


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        "CREATE INDEX CONCURRENTLY IF NOT EXISTS dossier_name_words ON onestop_dossier "
        "USING gin (to_tsvector('simple', applicant_name_folded))"
    )
    schema_editor.execute("DROP INDEX CONCURRENTLY IF EXISTS dossier_name_trgm")


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        "CREATE INDEX CONCURRENTLY IF NOT EXISTS dossier_name_trgm ON onestop_dossier "
        "USING gin (applicant_name_folded gin_trgm_ops)"
    )
    schema_editor.execute("DROP INDEX CONCURRENTLY IF EXISTS dossier_name_words")


class Migration(migrations.Migration):
    atomic = False

    dependencies = [("onestop", "0002_queue_indexes")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
