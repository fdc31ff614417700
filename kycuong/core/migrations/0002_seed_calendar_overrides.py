"""Seeds the official swap days (copy of shared/data/vn-calendar-overrides.json) into the editable table."""
import json
from datetime import date
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "data" / "vn-calendar-overrides.json"


def seed(apps, schema_editor):
    CalendarOverride = apps.get_model("core", "CalendarOverride")
    for row in json.loads(DATA.read_text(encoding="utf-8"))["days"]:
        CalendarOverride.objects.update_or_create(
            date=date.fromisoformat(row["date"]),
            defaults={"kind": row["kind"], "name": row["name"], "basis": row.get("basis", "")},
        )


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
