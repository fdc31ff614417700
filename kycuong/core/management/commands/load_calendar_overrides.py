from django.core.management.base import BaseCommand, CommandError

from kycuong.core.errors import DomainError
from kycuong.core.services import load_calendar_overrides


class Command(BaseCommand):
    help = ("Nạp ngày nghỉ hoán đổi, ngày làm bù từ tệp JSON (định dạng của shared/data/vn-calendar-overrides.json); "
            "ngày đã có được cập nhật, không xóa ngày nào. Hạn đã tính của hồ sơ không tự đổi.")

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", help="đường dẫn tệp JSON; mặc định là bản trong gói")

    def handle(self, *args, **opts):
        try:
            created, updated = load_calendar_overrides(opts.get("file"))
        except DomainError as exc:
            raise CommandError(f"{exc.code}: {exc.message}") from exc
        self.stdout.write(f"created={created} updated={updated}")
