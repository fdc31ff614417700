"""A demo citizen account for `seed_demo`: signs in at /tai-khoan/dang-nhap/ with a one-time code that the
console e-mail backend prints (no password)."""
from kycuong.core.models import User
from kycuong.core.services import create_user
from kycuong.portal.models import Profile

DEMO_CITIZEN_EMAIL = "congdan@vidu.vn"


def load_demo_citizen() -> User:
    user = User.objects.filter(username=DEMO_CITIZEN_EMAIL).first()
    if user is None:
        user = create_user(DEMO_CITIZEN_EMAIL, None, role=User.Role.CITIZEN, full_name="Nguyễn Văn Dân",
                           email=DEMO_CITIZEN_EMAIL, phone="0912000000")
        Profile.objects.create(user=user, id_number="001190000001", address="Số 1 phố Hàng Bài, phường Hoàn Kiếm")
    return user
