from django.db import migrations


def seed(apps, schema_editor):
    from kycuong.discipline.rulebook import seed as seed_rules

    seed_rules(apps.get_model("discipline", "ConductRule"))


class Migration(migrations.Migration):
    dependencies = [("discipline", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
