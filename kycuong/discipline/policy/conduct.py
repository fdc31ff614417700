"""What may be started on a unit or an official: conduct records, admonitions, meetings, directives, cases.

The "state" of this table is the kind of subject (a unit or an official): a meeting or a directive is held by
a unit, a case is opened on an official. Scope is a guard (403), as before: the subject is not secret.
"""
from django.utils.translation import gettext_lazy as _

from kycuong.core.models import Official, Unit
from kycuong.core.policy import Refusal

from .. import sanctions
from ..errors import MeasureNotAllowed
from .common import CASE_HANDLERS, ORGANISERS, OVERSEERS, SYSTEM, T, book, in_scope_of, not_a_party

UNIT, OFFICIAL = "unit", "official"


def subject_kind(obj) -> str:
    return OFFICIAL if isinstance(obj, Official) else UNIT


def _unit(obj):
    return obj if isinstance(obj, Unit) else obj.unit


def subject_to_discipline(official_of):
    """Guard: only cán bộ, công chức (NĐ 172/2025) and viên chức (NĐ 112/2020) have disciplinary measures;
    a worker under a labour contract is not handled here (NĐ 172/2025 Đ.1, Đ.7)."""
    def guard(ctx):
        if official_of(ctx.obj).category in sanctions.LADDERS:
            return None
        return Refusal.of(MeasureNotAllowed, _("Người lao động không thuộc đối tượng xử lý kỷ luật theo NĐ 172/2025."))
    guard.__name__ = "subject_to_discipline"
    return guard


in_unit_scope = in_scope_of(_unit, "in_unit_scope")

SUBJECT = book("discipline", {
    "record_conduct": T(
        {UNIT, OFFICIAL}, None, OVERSEERS | {SYSTEM},
        "Luật Cán bộ, công chức 2025 Đ.14 (việc không được làm); NĐ 118/2025/NĐ-CP (trách nhiệm công chức Một cửa); "
        "QĐ 45/2018/QĐ-TTg Đ.15 (người dự họp) — theo dõi việc chấp hành kỷ luật, kỷ cương (docs/legal/discipline.md §6.1, §6.3)",
        _("Ghi nhận công vụ"), in_unit_scope),
    "admonish": T(
        {UNIT, OFFICIAL}, None, OVERSEERS | {SYSTEM},
        "Nhắc nhở, phê bình, kiểm điểm: chưa đến mức phải xử lý kỷ luật, không phải hình thức kỷ luật (docs/legal/discipline.md §6.2)",
        _("Nhắc nhở, phê bình"), in_unit_scope),
    "create_meeting": T(
        {UNIT}, None, ORGANISERS,
        "QĐ 45/2018/QĐ-TTg (chế độ họp; Đ.14 trách nhiệm người chủ trì, Đ.15 người dự họp) (docs/legal/discipline.md §6.3)",
        _("Tạo cuộc họp, gửi giấy mời"), in_unit_scope),
    "create_directive": T(
        {UNIT}, None, ORGANISERS,
        "Văn bản chỉ đạo giao nhiệm vụ (kế hoạch, công văn, chỉ thị; thể thức NĐ 30/2020/NĐ-CP, docs/legal/documents.md §7); "
        "QĐ 45/2018/QĐ-TTg Đ.14: kết luận giao việc có đơn vị chủ trì và thời hạn",
        _("Giao nhiệm vụ"), in_unit_scope),
    "open_case": T(
        {OFFICIAL}, None, CASE_HANDLERS,
        "NĐ 172/2025/NĐ-CP Đ.5 k.3–5 (thời hiệu, thời hạn xử lý tính từ khi phát hiện), "
        "Đ.16 (trình tự đối với công chức); "
        "cơ quan thanh tra, nội vụ có thẩm quyền trong phạm vi đơn vị (docs/legal/discipline.md §6.1)",
        _("Mở vụ việc kỷ luật"), in_unit_scope, subject_to_discipline(lambda o: o),
        not_a_party(lambda o: o, "not_own_case")),
}, state_of=subject_kind, in_scope=lambda user, obj: True)
