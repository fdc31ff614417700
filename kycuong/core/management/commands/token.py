"""`kycuong token USERNAME [--name NAME]`: issue an API token and print it once.

Only the token goes to stdout (so `TOKEN=$(kycuong token cb01)` works); explanations go to stderr.
`--list` shows the user's tokens, `--revoke ID` revokes one.
"""
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from kycuong.core.errors import DomainError
from kycuong.core.models import ApiToken, User
from kycuong.core.tokens import issue_token, revoke_token


class Command(BaseCommand):
    help = _("Cấp token API cho người dùng (Authorization: Bearer …); token chỉ hiện một lần.")

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", default="", help=_("tên gợi nhớ của token (ví dụ: máy chủ tích hợp)"))
        parser.add_argument("--list", dest="list_tokens", action="store_true", help=_("liệt kê các token của người dùng"))
        parser.add_argument("--revoke", type=int, metavar="ID", help=_("thu hồi token có mã ID"))

    def handle(self, *args, username, name, list_tokens, revoke, **opts):
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(_("Không có người dùng %(u)s.") % {"u": username})
        if list_tokens:
            for row in ApiToken.objects.filter(user=user).order_by("created_at", "id"):
                used = timezone.localtime(row.last_used_at).isoformat() if row.last_used_at else "-"
                state = "revoked" if row.revoked else "active"
                self.stdout.write(f"{row.pk}\t{state}\t{row.name or '-'}\t"
                                  f"{timezone.localtime(row.created_at).isoformat()}\t{used}")
            return
        if revoke is not None:
            if not revoke_token(revoke, user):
                raise CommandError(_("Người dùng %(u)s không có token đang hiệu lực mã %(id)s.") % {"u": username, "id": revoke})
            self.stderr.write(_("Đã thu hồi token %(id)s.") % {"id": revoke})
            return
        try:
            row, token = issue_token(user, name)
        except DomainError as exc:
            raise CommandError(str(exc.message)) from exc
        self.stderr.write(_("Token %(id)s cho %(u)s — chỉ hiện một lần, hãy lưu lại ngay:") % {"id": row.pk, "u": username})
        self.stdout.write(token)
