"""The hourly cost used by 2025 simplification plans: 40,000 VND per working hour, average income 2024
(General Statistics Office), as applied in Đồng Nai QĐ 2816/QĐ-UBND 20/11/2025 (docs/legal/reform.md §5)."""
from django.db import migrations

SOURCE = "Thu nhập bình quân năm 2024 (Tổng cục Thống kê), áp dụng tại QĐ 2816/QĐ-UBND ngày 20/11/2025 của UBND tỉnh Đồng Nai."


def seed(apps, schema_editor):
    HourlyRate = apps.get_model("catalog", "HourlyRate")
    HourlyRate.objects.get_or_create(year=2024, defaults={"vnd_per_hour": 40_000, "source": SOURCE})


class Migration(migrations.Migration):
    dependencies = [("catalog", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
