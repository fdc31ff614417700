"""REST API of the one-stop shop, mounted by the project at /api/v1: /dossiers… (signed in) and /lookup/… (public).

Three rooms: `schemas` (input and output types), `dossiers` (the signed-in operations), `lookup` (the public
one, with its cached fast path `lookup_cached` that kycuong/urls.py puts in front of it).
"""
from ninja import Router

from . import dossiers, lookup
from .dossiers import ACTION_FIELDS
from .lookup import lookup_cached
from .schemas import ErrorOut, LookupOut

router = Router()  # the project mounts this one; it carries the two below
router.add_router("/dossiers", dossiers.router)
router.add_router("/lookup", lookup.router)

__all__ = ["router", "lookup_cached", "ACTION_FIELDS", "ErrorOut", "LookupOut"]
