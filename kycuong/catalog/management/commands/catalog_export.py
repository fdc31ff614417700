from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from kycuong.catalog import exchange


class Command(BaseCommand):
    help = "Xuất danh mục thủ tục (mọi phiên bản) ra tệp XLSX hoặc CSV."

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=exchange.FORMATS, default=None,
                            help="xlsx hoặc csv (mặc định theo đuôi tệp, không có thì xlsx)")
        parser.add_argument("-o", "--output", required=True, help="tệp ghi ra ('-' là stdout, chỉ với csv)")

    def handle(self, *args, output, format=None, **options):
        fmt = format or exchange.guess_format(output) or "xlsx"
        rows = exchange.export_rows()
        content = exchange.write_csv(rows) if fmt == "csv" else exchange.write_xlsx(rows)
        if output == "-":
            if fmt != "csv":
                raise CommandError(_("Chỉ ghi được CSV ra stdout."))
            self.stdout.write(content.decode("utf-8-sig"), ending="")
            return
        Path(output).write_bytes(content)
        self.stderr.write(_("Đã xuất %(n)s phiên bản thủ tục ra %(f)s.") % {"n": len(rows) - 1, "f": output})
