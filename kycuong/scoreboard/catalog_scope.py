"""Indicators 1.3 and 3.1, and the denominator of 3.2, from the procedure catalog.

A snapshot of the catalog as it is (the versions in force today), not period-based (docs/legal/decision-766.md §1.2 row 1.3):
the page says so. The catalog is small (a few hundred procedures), so the whole snapshot is read in two
queries and each unit's scope is worked out in memory — the board stays a fixed number of queries.

Scope by unit level (docs/legal/decision-766.md §1.4): the city committee covers every procedure in force; any other unit the
procedures decided by a unit of its subtree (a department and its divisions); a ward, commune or special
zone also every commune-level procedure done by all communes (`all_communes`).

The seven components of a procedure (k.2 Đ.8 NĐ 63/2010/NĐ-CP) and what "publicised" means in our data
(`missing_components` is the rule, written in the definition text of 1.3):
1. tên — `name` non-empty;
2. trình tự thực hiện — `sequence` non-empty;
3. cách thức thực hiện — at least one channel (direct, online, postal);
4. thành phần, số lượng hồ sơ — at least one document (ProcedureDocument) and `dossier_sets` ≥ 1;
5. thời hạn giải quyết — `limit_amount` > 0 with its unit (the catalog refuses a version without it);
6. đối tượng thực hiện — `subjects` non-empty;
7. cơ quan thực hiện — `deciding_authority` (the published text) non-empty.
"""
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _

from kycuong.catalog.models import COMMUNE_UNIT_KINDS, OnlineLevel, ProcedureDocument, ProcedureVersion
from kycuong.core.models import Unit

COMPONENTS = {
    "name": _("tên thủ tục"),
    "sequence": _("trình tự thực hiện"),
    "method": _("cách thức thực hiện"),
    "documents": _("thành phần, số lượng hồ sơ"),
    "limit": _("thời hạn giải quyết"),
    "subjects": _("đối tượng thực hiện"),
    "authority": _("cơ quan thực hiện"),
}
ONLINE_LEVELS = (OnlineLevel.PARTIAL, OnlineLevel.FULL)
_FIELDS = ("pk", "procedure_id", "procedure__code", "name", "sequence", "channel_direct", "channel_online",
           "channel_postal", "dossier_sets", "limit_amount", "limit_unit", "subjects", "deciding_authority",
           "online_level", "all_communes", "effective_from")


def missing_components(v) -> list[str]:
    """The keys of COMPONENTS that version `v` (a row with _FIELDS and `has_documents`) leaves empty."""
    checks = {
        "name": bool((v.name or "").strip()),
        "sequence": bool((v.sequence or "").strip()),
        "method": bool(v.channel_direct or v.channel_online or v.channel_postal),
        "documents": bool(v.has_documents and (v.dossier_sets or 0) >= 1),
        "limit": bool(v.limit_amount and v.limit_amount > 0 and v.limit_unit),
        "subjects": bool((v.subjects or "").strip()),
        "authority": bool((v.deciding_authority or "").strip()),
    }
    return [key for key, ok in checks.items() if not ok]


@dataclass
class Entry:
    procedure_id: int
    code: str
    name: str
    missing: list[str]
    online: bool
    all_communes: bool
    deciders: set[int] = field(default_factory=set)

    @property
    def complete(self) -> bool:
        return not self.missing

    def missing_labels(self) -> list[str]:
        return [str(COMPONENTS[k]) for k in self.missing]


@dataclass
class Snapshot:
    day: date
    entries: dict[int, Entry]  # procedure id → its version in force

    def in_scope(self, unit: Unit, subtree: set[int]) -> list[Entry]:
        if unit.kind == Unit.Kind.CITY_COMMITTEE:
            return list(self.entries.values())
        commune = unit.kind in COMMUNE_UNIT_KINDS
        return [e for e in self.entries.values() if (e.deciders & subtree) or (commune and e.all_communes)]


def snapshot(day: date) -> Snapshot:
    """The procedures in force on `day` with what 1.3/3.1/3.2 need — two queries."""
    docs = ProcedureDocument.objects.filter(version=OuterRef("pk"))
    rows = (ProcedureVersion.objects.filter(effective_from__lte=day)
            .exclude(effective_to__lt=day).order_by("effective_from", "pk")
            .annotate(has_documents=Exists(docs)).values(*_FIELDS, "has_documents"))
    entries: dict[int, Entry] = {}
    version_of: dict[int, int] = {}
    for r in rows:  # ordered by start: the latest version in force wins
        v = _Row(r)
        entries[v.procedure_id] = Entry(v.procedure_id, v.procedure__code, v.name, missing_components(v),
                                        v.online_level in ONLINE_LEVELS, v.all_communes)
        version_of[v.procedure_id] = v.pk
    wanted = {pk: proc for proc, pk in version_of.items()}
    links = ProcedureVersion.deciding_units.through.objects.filter(procedureversion_id__in=list(wanted))
    for version_id, unit_id in links.values_list("procedureversion_id", "unit_id"):
        entries[wanted[version_id]].deciders.add(unit_id)
    return Snapshot(day, entries)


class _Row:
    def __init__(self, values: dict):
        self.__dict__.update(values)


def totals(entries: list[Entry], used_online: set[int]) -> dict[str, tuple[int, int]]:
    """(numerator, denominator) of 1.3, 3.1 and 3.2 over a unit's procedures in scope.

    `used_online`: procedure ids with at least one dossier received online in the period (3.2)."""
    online = [e for e in entries if e.online]
    return {
        "1.3": (sum(1 for e in entries if e.complete), len(entries)),
        "3.1": (len(online), len(entries)),
        "3.2": (sum(1 for e in online if e.procedure_id in used_online), len(online)),
    }
