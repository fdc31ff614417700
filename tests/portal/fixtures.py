"""Shared fixtures of the portal and integrations tests (imported by both conftest files)."""

import pytest

from tests.pdfs import PDF  # a real one-page PDF: uploads open every PDF with pypdf

PROC = "2.001610"  # Đăng ký thành lập DN tư nhân: toàn trình, 2 mandatory documents, 150.000 đ, Sở Tài chính H26.103
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 64
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 64


def upload(name, content):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content, content_type="application/pdf")


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    from django.core.cache import cache

    from kycuong.portal.sms import ConsoleSms

    cache.clear()
    ConsoleSms.outbox.clear()
    yield
    cache.clear()


@pytest.fixture
def city(demo_city_with_catalog):
    """The demo units and catalog (restored from the session's one load: tests/conftest.py)."""


@pytest.fixture
def citizen(city):
    return make_citizen("mai@vidu.vn", "Hoàng Thị Mai", phone="0912345678")


def make_citizen(email, name, phone=""):
    from kycuong.core.models import User
    from kycuong.core.services import create_user
    from kycuong.portal.models import Profile

    user = create_user(email, None, role=User.Role.CITIZEN, full_name=name, email=email, phone=phone)
    Profile.objects.create(user=user, id_number="001190012345", address="Số 1 Tràng Tiền, Hoàn Kiếm")
    return user


@pytest.fixture
def other_citizen(city):
    return make_citizen("lan@vidu.vn", "Nguyễn Văn Lân")


@pytest.fixture
def officers(city, make_officer):
    R = make_officer.Role
    return {"counter": make_officer(R.RECEIVING_OFFICER, "H26.103", full_name="Trần Thu Trang"),
            "leader": make_officer(R.UNIT_LEADER, "H26.103", full_name="Lê Văn Hùng"),
            "outsider": make_officer(R.SPECIALIST, "H26.104", full_name="Người sở khác"),
            # Each internal step has its own people (onestop.policy): examined, signed, issued.
            "specialist": make_officer(R.SPECIALIST, "H26.103", full_name="Phạm Văn Thẩm"),
            "clerk": make_officer(R.CLERK, "H26.103", full_name="Vũ Thị Thư")}


@pytest.fixture
def ready_draft(citizen):
    """A draft of PROC with the applicant filled and both mandatory documents uploaded."""
    from kycuong.catalog.queries import procedure_by_code
    from kycuong.portal import services

    draft = services.start_draft(citizen, PROC)
    version = procedure_by_code(PROC)
    services.save_applicant(citizen, draft.pk, applicant=draft.applicant, deciding_unit=version.deciding_units.get())
    docs = list(version.documents.all())
    services.add_files(citizen, draft.pk, docs[0].pk, [upload("don-de-nghi.pdf", PDF)])
    services.add_files(citizen, draft.pk, docs[1].pk, [upload("cccd.png", PNG)])
    draft.refresh_from_db()
    return draft


@pytest.fixture
def submitted(ready_draft, citizen, django_capture_on_commit_callbacks):
    from kycuong.portal import services

    with django_capture_on_commit_callbacks(execute=True):
        return services.submit_draft(citizen, ready_draft.pk, str(ready_draft.idempotency_key),
                                     lookup_url="http://testserver/tra-cuu/")


def returned_dossier(code, officer, with_result=True):
    """Walk a submitted dossier to state 10 through the one-stop services, as officers would: `officer` where
    the rulebook lets them, else whoever of the step's unit holds the step's role (onestop.policy)."""
    from kycuong.onestop import services as onestop
    from kycuong.onestop.models import Dossier

    def by(action):
        return _step_person(Dossier.objects.select_related("unit", "receiving_unit", "current_step").get(code=code),
                            action, officer)

    if Dossier.objects.get(code=code).state == 1:
        onestop.act(code, "accept", officer)
    if Dossier.objects.get(code=code).state == 2:
        onestop.act(code, "start_processing", by("start_processing"))
    while True:
        d = Dossier.objects.get(code=code)
        nxt = d.steps.filter(order__gt=d.current_step.order).order_by("order").first() if d.current_step else None
        if nxt is None or nxt.is_return_step:
            break
        onestop.act(code, "handover", by("handover"))
    onestop.act(code, "finish", by("finish"))
    if with_result:
        onestop.attach_result(code, officer, upload("ket-qua.pdf", PDF))
    onestop.act(code, "return_result", by("return_result"), electronic=with_result)
    return Dossier.objects.get(code=code)


def _step_person(dossier, action, preferred):
    from kycuong.core.models import User
    from kycuong.onestop.policy import DOSSIER

    for user in [preferred, *User.objects.filter(role__in=User.OFFICER_ROLES).order_by("pk")]:
        if DOSSIER.decide(user, dossier, action).allowed:
            return user
    raise AssertionError(f"nobody may {action} {dossier.code}")
