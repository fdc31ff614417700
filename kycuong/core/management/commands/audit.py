"""`kycuong audit verify`: re-hash every event chain, check it against its sealed head and the subject's
current state, and name the first broken link of each (docs/design.md rule 3).

The first words of each line are fixed English ("OK: …", "BROKEN …") so monitoring can grep them;
the Vietnamese explanation follows. Exit status 1 when any chain is broken.
"""
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from kycuong.core import events


def _reason_text(reason: str) -> str:
    return {
        "hash_mismatch": _("nội dung sự kiện đã bị sửa (mã băm không khớp)"),
        "prev_hash_mismatch": _("liên kết tới sự kiện trước bị sửa"),
        "seq_gap": _("thiếu sự kiện (số thứ tự bị đứt)"),
        "events_missing": _("sự kiện mới nhất (hoặc cả chuỗi) đã bị xóa: đầu chuỗi ghi nhiều sự kiện hơn"),
        "head_missing": _("đầu chuỗi đã bị xóa"),
        "head_mismatch": _("chuỗi đã bị viết lại: không khớp với đầu chuỗi đã niêm phong"),
        "head_forged": _("đầu chuỗi bị giả mạo: chữ ký niêm phong không đúng"),
        "state_mismatch": _("trạng thái hiện tại của đối tượng khác trạng thái sau sự kiện cuối cùng"),
        "subject_missing": _("đối tượng đã bị xóa nhưng chuỗi sự kiện vẫn còn"),
    }.get(reason, reason)


class Command(BaseCommand):
    help = _("Kiểm tra toàn vẹn chuỗi sự kiện (ví dụ: kycuong audit verify --subject-type dossier).")

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        verify = sub.add_parser("verify", help=_("băm lại mọi chuỗi sự kiện, báo liên kết hỏng đầu tiên của mỗi chuỗi"))
        verify.add_argument("--subject-type", dest="subject_type", help=_("chỉ kiểm tra loại đối tượng này (ví dụ dossier)"))
        verify.add_argument("--subject-id", dest="subject_id", help=_("chỉ kiểm tra đối tượng có mã này"))

    def handle(self, *args, **opts):
        if opts["action"] == "verify":
            self._verify(opts.get("subject_type"), opts.get("subject_id"))

    def _verify(self, subject_type, subject_id):
        stats = {}
        breaks = events.verify(subject_type, subject_id, stats=stats)
        if not breaks:
            self.stdout.write(
                f"OK: {stats['events']} events in {stats['chains']} chains verified — "
                + _("đã kiểm tra %(events)d sự kiện trong %(chains)d chuỗi, không có sai lệch.") % stats
            )
            return
        for b in breaks:
            self.stdout.write(
                f"BROKEN {b.subject_type} {b.subject_id} at event {b.seq}: {b.reason} — {_reason_text(b.reason)}"
            )
        raise CommandError(
            _("%(n)d/%(chains)d chuỗi sự kiện bị phá vỡ (broken chains).") % {"n": len(breaks), **stats},
            returncode=1,
        )
