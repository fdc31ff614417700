"""An insider with the database owner's rights, for the tamper-evidence tests.

On PostgreSQL a trigger refuses UPDATE and DELETE on the event table (migration core 0007); a superuser can
still switch triggers off for their session (`session_replication_role = replica`), which is exactly the
insider `audit verify` must catch. On SQLite there is no trigger.
"""
from contextlib import contextmanager

from django.db import connection


@contextmanager
def as_table_owner():
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET session_replication_role = replica")
    try:
        yield
    finally:
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET session_replication_role = DEFAULT")
