"""factory-boy factories for tests that need a couple of objects, not the whole demo city.

Rows whose state matters are made by the services (a factory's `_create` calls them), so a factory never
builds a row the application could not have built: units get their materialised path from
`core.services.create_unit`, accounts their role group from `create_user`, procedure versions their steps
and documents from `catalog.services.create_procedure`, dossiers their clock from `onestop.services`,
reports their routing from `feedback.services.submit`, meetings and tasks from `discipline.services`.

    from tests.factories import DossierFactory, ProcedureFactory, ReceivingOfficerFactory, UnitFactory
    city = UnitFactory(city=True)
    dept = UnitFactory(parent=city)
    version = ProcedureFactory(deciding_units=[dept])
    dossier = DossierFactory(version=version)          # received at a branch of `city`, clock started
"""
from datetime import date, datetime
from zoneinfo import ZoneInfo

import factory
from factory.django import DjangoModelFactory

from kycuong.core.models import Official, Unit, User

HN = ZoneInfo("Asia/Ho_Chi_Minh")
PASSWORD = "pw-Abc12345!"


# --- organisation -----------------------------------------------------------------------------------------

def _unit_code(unit_params, n):
    parent = unit_params.parent
    return f"{parent.code}.{n:03d}" if parent is not None else f"T{n % 100:02d}"


class UnitFactory(DjangoModelFactory):
    """A unit under `parent` (default: a department of a fresh city committee); `city=True` for a root."""

    class Meta:
        model = Unit

    class Params:
        city = factory.Trait(parent=None, kind=Unit.Kind.CITY_COMMITTEE, name="Ủy ban nhân dân Thành phố")

    parent = factory.SubFactory("tests.factories.UnitFactory", city=True)
    code = factory.LazyAttributeSequence(_unit_code)
    name = factory.Sequence(lambda n: f"Sở thử nghiệm {n}")
    kind = Unit.Kind.DEPARTMENT
    tier = Unit.Tier.PROVINCE

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        from kycuong.core.services import create_unit

        return create_unit(**kwargs)  # validates and writes the materialised path


class CommuneFactory(UnitFactory):
    kind = Unit.Kind.WARD
    tier = Unit.Tier.COMMUNE
    name = factory.Sequence(lambda n: f"Phường Thử Nghiệm {n}")


class UserFactory(DjangoModelFactory):
    """An account through `create_user` (role group included). Subclasses fix the role."""

    class Meta:
        model = User

    username = factory.Sequence(lambda n: f"user-f{n}")
    password = PASSWORD
    role = User.Role.SPECIALIST
    unit = factory.SubFactory(UnitFactory)
    full_name = factory.Sequence(lambda n: f"Cán bộ {n}")

    @classmethod
    def _create(cls, model_class, username, password, **kwargs):
        from kycuong.core.services import create_user

        return create_user(username, password, **kwargs)


class ReceivingOfficerFactory(UserFactory):
    role = User.Role.RECEIVING_OFFICER


class SpecialistFactory(UserFactory):
    role = User.Role.SPECIALIST


class UnitLeaderFactory(UserFactory):
    role = User.Role.UNIT_LEADER


class ClerkFactory(UserFactory):
    role = User.Role.CLERK


class InspectorFactory(UserFactory):
    role = User.Role.INSPECTOR


class CityLeaderFactory(UserFactory):
    role = User.Role.CITY_LEADERSHIP
    unit = factory.SubFactory(UnitFactory, city=True)


class CitizenFactory(UserFactory):
    role = User.Role.CITIZEN
    unit = None
    full_name = factory.Sequence(lambda n: f"Công dân {n}")


class OfficialFactory(DjangoModelFactory):
    class Meta:
        model = Official

    full_name = factory.Sequence(lambda n: f"Nguyễn Văn Cán Bộ {n}")
    unit = factory.SubFactory(UnitFactory)
    rank = Official.Rank.STAFF
    category = Official.Category.CONG_CHUC
    position = factory.LazyAttribute(lambda o: "Giám đốc" if o.rank == Official.Rank.HEAD else "Chuyên viên")
    user = None


# --- catalog ----------------------------------------------------------------------------------------------

def version_data(**overrides):
    """A complete, valid 5-working-day version (40 h of steps, one mandatory document)."""
    data = {
        "name": "Thủ tục thử nghiệm",
        "field": "HT",
        "level": "province",
        "sequence": "Bước 1: Nộp hồ sơ.\nBước 2: Xử lý.\nBước 3: Trả kết quả.",
        "channels": ["direct", "online"],
        "online_level": "partial",
        "subjects": "Công dân, tổ chức.",
        "deciding_authority": "Sở thử nghiệm",
        "result_name": "Văn bản chấp thuận",
        "limit_amount": "5",
        "limit_unit": "working_days",
        "documents": [{"name": "Tờ khai", "originals": 1, "copies": 0, "mandatory": True, "note": ""}],
        "fees": [{"name": "Lệ phí", "amount_vnd": 0, "note": "Miễn"}],
        "steps": [
            {"name": "Tiếp nhận hồ sơ", "role": "receiving_officer", "hours": "4"},
            {"name": "Thẩm định", "role": "specialist", "hours": "28"},
            {"name": "Phê duyệt", "role": "unit_leader", "hours": "8"},
            {"name": "Trả kết quả", "role": "receiving_officer", "hours": "0", "is_return_step": True},
        ],
    }
    data.update(overrides)
    return data


class ProcedureFactory(factory.Factory):
    """A procedure and its first version through `catalog.services.create_procedure`; returns the version.

    `deciding_units=[unit]` makes intake pick that unit; `field` (code) is created when missing."""

    class Meta:
        model = dict  # built by the service, see _create

    code = factory.Sequence(lambda n: f"T.{n:06d}")
    effective_from = date(2025, 1, 1)
    field = "HT"
    deciding_units = factory.LazyFunction(lambda: [UnitFactory()])

    @classmethod
    def _create(cls, model_class, code, effective_from, field, **overrides):
        from kycuong.catalog import services
        from kycuong.catalog.models import Field

        if not Field.objects.filter(code=field).exists():
            services.save_field(field, f"Lĩnh vực {field}")
        return services.create_procedure(code, effective_from=effective_from, **version_data(field=field, **overrides))

    _build = _create


# --- one-stop ---------------------------------------------------------------------------------------------

def at(*args):
    return datetime(*args, tzinfo=HN)


class DossierFactory(factory.Factory):
    """A dossier received at the counter (`onestop.services.receive_at_counter`, clock started), then walked
    through `actions` [(action, actor, extra kwargs)] with `onestop.services.act`. Returns it fresh from the
    database."""

    class Meta:
        model = dict

    version = factory.SubFactory(ProcedureFactory)
    officer = factory.LazyAttribute(lambda o: ReceivingOfficerFactory(unit=o.version.deciding_units.first()))
    received_at = at(2026, 3, 2, 9)
    applicant_name = "Hoàng Thị Mai"
    actions = ()

    @classmethod
    def _create(cls, model_class, version, officer, received_at, applicant_name, actions, **kw):
        from kycuong.onestop import services
        from kycuong.onestop.models import Dossier

        kw.setdefault("documents", [d.pk for d in version.documents.all()])
        applicant = services.Applicant(name=applicant_name, phone="0912345678", id_number="001190012345")
        dossier = services.receive_at_counter(officer, procedure_code=version.procedure.code, applicant=applicant,
                                              at=received_at, **kw)
        for action, actor, extra in actions:
            services.act(dossier.code, action, actor, **extra)
        return Dossier.objects.get(pk=dossier.pk)

    _build = _create


# --- feedback ---------------------------------------------------------------------------------------------

class ReportFactory(factory.Factory):
    """A citizen's report through `feedback.services.submit` (routed as the service routes it)."""

    class Meta:
        model = dict

    kind = "conduct"
    title = factory.Sequence(lambda n: f"Phản ánh số {n} về thái độ phục vụ")
    text = "Cán bộ tiếp nhận không hướng dẫn đầy đủ thành phần hồ sơ."
    user = None
    submitted_at = at(2026, 3, 2, 9)

    @classmethod
    def _create(cls, model_class, user, submitted_at, **fields):
        from kycuong.feedback import services

        return services.submit(services.ReportInput(**fields), user=user, at=submitted_at)

    _build = _create


# --- discipline -------------------------------------------------------------------------------------------

class MeetingFactory(factory.Factory):
    """A meeting created by `organiser` (default: a city leader) through `discipline.services.create_meeting`,
    inviting `units` [(unit, rank)] and `officials`."""

    class Meta:
        model = dict

    organiser = factory.SubFactory(CityLeaderFactory)
    title = factory.Sequence(lambda n: f"Hội nghị giao ban số {n}")
    unit = factory.LazyAttribute(lambda o: o.organiser.unit)
    chair = factory.LazyAttribute(lambda o: OfficialFactory(unit=o.unit, rank=Official.Rank.HEAD))
    starts_at = at(2026, 4, 9, 8)
    ends_at = at(2026, 4, 9, 11)
    units = ()
    officials = factory.LazyAttribute(lambda o: [OfficialFactory(unit=o.unit)])

    @classmethod
    def _create(cls, model_class, organiser, **fields):
        from kycuong.discipline import services

        return services.create_meeting(organiser, **fields)

    _build = _create


class TaskFactory(factory.Factory):
    """A task of a directive issued by `issuer` (default: a city leader) through `create_directive`."""

    class Meta:
        model = dict

    issuer = factory.SubFactory(CityLeaderFactory)
    unit = factory.LazyAttribute(lambda o: UnitFactory(parent=o.issuer.unit))
    title = factory.Sequence(lambda n: f"Rà soát thủ tục hành chính đợt {n}")
    due_at = at(2026, 4, 30, 17)
    number = factory.Sequence(lambda n: f"{n}/KH-UBND")

    @classmethod
    def _create(cls, model_class, issuer, unit, title, due_at, number):
        from kycuong.discipline import services

        directive = services.create_directive(issuer, number=number, issued_on=due_at.date().replace(day=1),
                                              doc_type="KH", title="Kế hoạch " + title, unit=issuer.unit,
                                              tasks=[(unit, title, due_at)])
        return directive.tasks.get()

    _build = _create


__all__ = [name for name in dir() if name.endswith("Factory")] + ["version_data", "at"]
