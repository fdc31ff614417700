import json

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from kycuong.core.duedates import compute_due
from kycuong.core.errors import DomainError


class Command(BaseCommand):
    help = _("Tính hạn giải quyết theo ngày, giờ làm việc (ví dụ: kycuong due --start 2026-02-13T09:00+07:00 --amount 1 --unit working_days).")

    def add_arguments(self, parser):
        parser.add_argument("--start", required=True, help="ISO 8601 có múi giờ")
        parser.add_argument("--amount", required=True)
        parser.add_argument("--unit", required=True, help="working_days | working_hours | calendar_days")
        parser.add_argument("--cutoff", help="HH:MM")
        parser.add_argument("--unit-code", dest="unit_code", help="mã định danh đơn vị")
        parser.add_argument("--pause", action="append", default=[], metavar="FROM/TO",
                            help="khoảng tạm dừng, hai thời điểm ISO 8601 cách nhau bởi '/'; lặp lại được")
        parser.add_argument("--explain", action="store_true", help="liệt kê các ngày được bỏ qua và lý do")

    def handle(self, *args, **opts):
        pauses = []
        for raw in opts["pause"]:
            parts = raw.split("/")
            pauses.append(parts if len(parts) == 2 else [raw])
        try:
            answer = compute_due(start=opts["start"], amount=opts["amount"], unit=opts["unit"],
                                 cutoff=opts["cutoff"], unit_code=opts["unit_code"], pauses=pauses)
        except DomainError as exc:
            raise CommandError(f"{exc.code}: {exc.message}") from exc
        self.stdout.write(json.dumps(answer.as_dict(), ensure_ascii=False))
        if opts["explain"]:
            for day in answer.skipped:
                self.stdout.write(f"{day.date.isoformat()}  {day.kind:15} {day.name or ''}")
