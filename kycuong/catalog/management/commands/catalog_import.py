from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from kycuong.catalog import exchange, services
from kycuong.core.errors import DomainError


class Command(BaseCommand):
    help = ("Nhập danh mục thủ tục từ tệp XLSX hoặc CSV (định dạng của catalog_export). "
            "Nếu có dòng lỗi thì không ghi gì và liệt kê lỗi theo số dòng.")

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--format", choices=exchange.FORMATS, default=None, help="mặc định theo đuôi tệp")
        parser.add_argument("--dry-run", action="store_true", help="chỉ kiểm tra, không ghi")

    def handle(self, *args, file, format=None, dry_run=False, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(_("Không có tệp %(f)s.") % {"f": file})
        fmt = format or exchange.guess_format(path.name)
        if fmt is None:
            raise CommandError(_("Không nhận ra định dạng tệp; dùng --format xlsx hoặc --format csv."))
        try:
            report = services.import_file(path.read_bytes(), fmt, dry_run=dry_run)
        except DomainError as exc:
            for err in exc.details.get("errors", []):
                self.stderr.write(_("Dòng %(r)s: [%(c)s] %(m)s") % {"r": err.get("row"), "c": err.get("code"), "m": err.get("message")})
            raise CommandError(f"[{exc.code}] {exc.message}") from exc
        summary = _("%(rows)s dòng: %(p)s thủ tục mới, %(c)s phiên bản mới, %(u)s phiên bản cập nhật.") % {
            "rows": report.rows, "p": report.created_procedures, "c": report.created_versions, "u": report.updated_versions}
        if dry_run:
            summary = _("Kiểm tra thử, chưa ghi dữ liệu. %(s)s") % {"s": summary}
        self.stdout.write(summary)
