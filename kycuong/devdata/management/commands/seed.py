"""`kycuong seed --scale hanoi --years N [--seed S] [--per-year N]`: a city-sized synthetic history."""
import time

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from kycuong.devdata import seed as seed_data
from kycuong.devdata import seed_activity
from kycuong.scoreboard import services


class Command(BaseCommand):
    help = ("Sinh dữ liệu lịch sử tổng hợp quy mô thành phố (hồ sơ một cửa; cán bộ, đánh giá, phản ánh, cuộc họp, "
            "nhiệm vụ) và tính lại bảng điểm.")

    def add_arguments(self, parser):
        parser.add_argument("--scale", choices=sorted(seed_data.SCALES), default="hanoi")
        parser.add_argument("--years", type=int, default=1)
        parser.add_argument("--seed", type=int, default=2026, help="Cùng seed cho cùng dữ liệu.")
        parser.add_argument("--per-year", type=int, default=None, help="Ghi đè số hồ sơ mỗi năm của quy mô.")
        parser.add_argument("--no-rebuild", action="store_true", help="Không tính lại bảng điểm sau khi nạp.")
        parser.add_argument("--no-activity", action="store_true",
                            help="Chỉ sinh hồ sơ: không sinh cán bộ, đánh giá, phản ánh, cuộc họp, nhiệm vụ.")

    def handle(self, *args, scale, years, seed: int, per_year, no_rebuild, no_activity=False, **options):
        if years < 1:
            raise CommandError("--years phải ≥ 1")
        now = timezone.now()  # one window for the dossiers and the activity
        started = time.perf_counter()
        try:
            count = seed_data.generate(seed_data.SCALES[scale], years, seed, per_year=per_year, now=now,
                                       out=self.stderr)
        except seed_data.AlreadySeeded as exc:
            raise CommandError("Đã có dữ liệu tổng hợp trong cơ sở dữ liệu này; hãy dùng cơ sở dữ liệu mới.") from exc
        loaded = time.perf_counter() - started
        self.stdout.write(f"seed: {count:,} dossiers in {loaded:.1f} s ({count / loaded:,.0f}/s)")
        if not no_activity:
            started = time.perf_counter()
            try:
                counts = seed_activity.generate_activity(
                    years, seed, per_year=per_year or seed_data.SCALES[scale].per_year, now=now, out=self.stderr)
            except seed_data.AlreadySeeded as exc:
                raise CommandError("Đã có dữ liệu hoạt động tổng hợp trong cơ sở dữ liệu này.") from exc
            summary = ", ".join(f"{name} {value:,}" for name, value in counts.items())
            self.stdout.write(f"activity: {summary} in {time.perf_counter() - started:.1f} s")
        if not no_rebuild:
            started = time.perf_counter()
            rows = services.rebuild()
            self.stdout.write(f"scoreboard: {rows:,} counters rebuilt in {time.perf_counter() - started:.1f} s")
