from django.core.management.base import BaseCommand

from kycuong.core.demo import DEMO_PASSWORD, load_demo_accounts, load_demo_units


class Command(BaseCommand):
    help = "Nạp dữ liệu minh họa: đơn vị kiểu Hà Nội sau 01/7/2025, thủ tục, tài khoản mỗi vai trò."

    def handle(self, *args, **opts):
        load_demo_units()
        try:
            from kycuong.catalog.demo import load_demo_catalog
        except ImportError:  # catalog not installed in a slimmed deployment
            load_demo_catalog = None
        if load_demo_catalog:
            load_demo_catalog()
        rows = load_demo_accounts()
        try:
            from kycuong.onestop.demo import load_demo_dossiers
        except ImportError:
            load_demo_dossiers = None
        if load_demo_dossiers:
            load_demo_dossiers()
        # Officials, meetings and tasks first; then citizens' reports (a founded one becomes a conduct record).
        for module, name in (("kycuong.discipline.demo", "seed_discipline_demo"),
                             ("kycuong.feedback.demo", "seed_feedback_demo")):
            try:
                seed = getattr(__import__(module, fromlist=[name]), name)
            except ImportError:
                continue
            seed()
        try:
            from kycuong.portal.demo import DEMO_CITIZEN_EMAIL, load_demo_citizen
        except ImportError:
            load_demo_citizen = None
        if load_demo_citizen:
            load_demo_citizen()
        self.stdout.write("")
        self.stdout.write("Tài khoản minh họa / demo accounts (mật khẩu / password: %s)" % DEMO_PASSWORD)
        for username, role, unit in rows:
            self.stdout.write(f"  {username:14} {role:40} {unit}")
        self.stdout.write("  Cán bộ một cửa / one-stop officers: http://127.0.0.1:8000/dang-nhap/ → /mot-cua/")
        self.stdout.write("  Quản trị / back office: http://127.0.0.1:8000/admin/")
        if load_demo_citizen:
            self.stdout.write(f"  Công dân / citizen: {DEMO_CITIZEN_EMAIL} → http://127.0.0.1:8000/tai-khoan/dang-nhap/ "
                              "(mã xác thực in ra màn hình / the one-time code is printed on the console)")
