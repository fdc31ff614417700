"""Reads for the citizen portal: a citizen sees only their own dossiers and drafts; a leader the alerts of
their unit subtree (core.queries.visible_to)."""
from django.db.models import QuerySet

from kycuong.catalog.models import OnlineLevel
from kycuong.catalog.queries import search_procedures
from kycuong.core.queries import visible_to
from kycuong.onestop.models import Dossier

from .models import DossierFile, Draft, Rating


def my_dossiers(user) -> QuerySet:
    if not (user and user.is_authenticated):
        return Dossier.objects.none()
    return (Dossier.objects.filter(applicant=user).select_related("procedure_version", "unit", "receiving_unit")
            .order_by("-submitted_at", "-id"))


def my_dossier(user, code: str) -> Dossier | None:
    """The applicant's own dossier, or None (others get a 404, never a hint that the code exists)."""
    return my_dossiers(user).filter(code=(code or "").strip().upper()).first()


def my_draft(user, draft_id) -> Draft | None:
    """The citizen's own draft (submitted or not), or None."""
    if not (user and user.is_authenticated):
        return None
    return Draft.objects.select_related("procedure", "deciding_unit", "dossier").filter(pk=draft_id, user=user).first()


def my_drafts(user) -> QuerySet:
    return Draft.objects.filter(user=user, dossier__isnull=True).select_related("procedure")


def online_procedures(q: str = "") -> QuerySet:
    return search_procedures(q).filter(channel_online=True).exclude(online_level=OnlineLevel.NONE)


def dossier_files(dossier) -> QuerySet:
    return DossierFile.objects.filter(dossier=dossier).select_related("document")


def rating_of(dossier) -> Rating | None:
    return Rating.objects.filter(dossier=dossier).first()


def leader_alerts(user) -> QuerySet:
    """Alerted ratings (dislike or low score) in the leader's unit subtree, newest first."""
    qs = Rating.objects.filter(alerted_at__isnull=False).select_related("dossier", "procedure", "unit")
    return visible_to(user, qs, "unit").order_by("-alerted_at", "-id")
