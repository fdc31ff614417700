"""Back-office views of portal data: read-only (writes go through portal.services)."""
from django.contrib import admin

from .models import DossierFile, Draft, Rating


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Rating)
class RatingAdmin(ReadOnly):
    list_display = ("dossier", "unit", "procedure", "liked", "access", "procedure_score", "officer", "result",
                    "feedback", "rated_at", "alerted_at")
    list_filter = ("liked", "unit")
    date_hierarchy = "rated_at"


@admin.register(Draft)
class DraftAdmin(ReadOnly):
    list_display = ("pk", "user", "procedure", "step", "dossier", "updated_at")


@admin.register(DossierFile)
class DossierFileAdmin(ReadOnly):
    list_display = ("dossier", "name", "size", "mime")
