from django.core.management.base import BaseCommand

from kycuong.devdata.demo.catalog import load_demo_catalog
from kycuong.devdata.demo.core import DEMO_PASSWORD, load_demo_accounts, load_demo_units
from kycuong.devdata.demo.discipline import seed_discipline_demo
from kycuong.devdata.demo.feedback import seed_feedback_demo
from kycuong.devdata.demo.onestop import load_demo_dossiers
from kycuong.devdata.demo.portal import DEMO_CITIZEN_EMAIL, load_demo_citizen


class Command(BaseCommand):
    help = "Nạp dữ liệu minh họa: đơn vị kiểu Hà Nội sau 01/7/2025, thủ tục, tài khoản mỗi vai trò."

    def handle(self, *args, **opts):
        load_demo_units()
        load_demo_catalog()
        rows = load_demo_accounts()
        load_demo_dossiers()
        # Officials, meetings and tasks first; then citizens' reports (a founded one becomes a conduct record).
        seed_discipline_demo()
        seed_feedback_demo()
        load_demo_citizen()
        self.stdout.write("")
        self.stdout.write("Tài khoản minh họa / demo accounts (mật khẩu / password: %s)" % DEMO_PASSWORD)
        for username, role, unit in rows:
            self.stdout.write(f"  {username:14} {role:40} {unit}")
        self.stdout.write("  Cán bộ một cửa / one-stop officers: http://127.0.0.1:8000/dang-nhap/ → /mot-cua/")
        self.stdout.write("  Quản trị / back office: http://127.0.0.1:8000/admin/")
        self.stdout.write(f"  Công dân / citizen: {DEMO_CITIZEN_EMAIL} → http://127.0.0.1:8000/tai-khoan/dang-nhap/ "
                          "(mã xác thực in ra màn hình / the one-time code is printed on the console)")
