"""Bulk loading for large, trusted, generated data (synthetic history, scoreboard rebuilds).

PostgreSQL gets COPY in text format; SQLite gets one executemany. Values must already be database
values: int, str, None (NULL); datetimes as UTC 'YYYY-MM-DD HH:MM:SS' text. No model `save()`, no
signals — callers own correctness, so keep this to generated rows, never user input.
"""
from django.db import connection


def insert_rows(model, columns: list[str], rows) -> int:
    """Insert `rows` (iterables of values in `columns` order) into `model`'s table; returns the count."""
    table = model._meta.db_table
    datetime_columns = {f.column for f in model._meta.concrete_fields if f.get_internal_type() == "DateTimeField"}
    names = ", ".join(columns)
    count = 0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            utc = [c in datetime_columns for c in columns]
            lines = []
            for row in rows:
                lines.append("\t".join("\\N" if v is None else (f"{v}+00" if is_utc else str(v))
                                       for v, is_utc in zip(row, utc, strict=True)))
            count = len(lines)
            if lines:
                with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                    copy.write("\n".join(lines) + "\n")
        else:
            rows = list(rows)
            count = len(rows)
            marks = ", ".join(["%s"] * len(columns))
            cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", rows)
    return count
