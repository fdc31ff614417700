"""`kycuong scoreboard_rebuild [--check]`: recompute the 766 counters from the dossiers, or only compare."""
from django.core.management.base import BaseCommand, CommandError

from kycuong.scoreboard import services


class Command(BaseCommand):
    help = "Tính lại toàn bộ bộ đếm chỉ số 766 từ hồ sơ (--check: chỉ so sánh, không ghi)."

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true", help="So sánh bộ đếm với kết quả tính lại; lỗi nếu khác.")

    def handle(self, *args, check=False, **options):
        if check:
            expected, stored = services.expected_counters(), services.stored_counters()
            # The per-procedure online counts of 3.2 are checked with the counters.
            expected |= {("3.2", *k): v for k, v in services.expected_online_counts().items()}
            stored |= {("3.2", *k): v for k, v in services.stored_online_counts().items()}
            diff = {k for k in expected.keys() | stored.keys() if expected.get(k) != stored.get(k)}
            for key in sorted(diff)[:20]:
                self.stderr.write(f"{key}: counters {stored.get(key)} ≠ rebuild {expected.get(key)}")
            if diff:
                raise CommandError(f"{len(diff)} counter(s) differ from a full rebuild")
            self.stdout.write(f"OK: {len(stored)} counter(s) equal a full rebuild")
            return
        self.stdout.write(f"rebuilt {services.rebuild()} counter(s)")
