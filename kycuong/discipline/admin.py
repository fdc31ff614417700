"""Back office: the conduct rules catalog is edited here; every other record is read-only (it changes only
through services.py, docs/design.md rule 1). Officials are registered here until core registers them."""
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from kycuong.core.models import Official
from kycuong.core.queries import visible_to

from .models import Case, ConductRecord, ConductRule, Directive, Letter, Meeting, Relation, Task


class ReadOnly(admin.ModelAdmin):
    unit_field = "unit"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return visible_to(request.user, super().get_queryset(request), unit_field=self.unit_field)


if not admin.site.is_registered(Official):
    @admin.register(Official)
    class OfficialAdmin(admin.ModelAdmin):
        list_display = ("full_name", "position", "category", "rank", "unit", "user", "active")
        list_filter = ("category", "rank", "active")
        search_fields = ("full_name", "full_name_folded", "position")
        autocomplete_fields = ("unit", "user")

        def get_queryset(self, request):
            return visible_to(request.user, super().get_queryset(request).select_related("unit"))


@admin.register(ConductRule)
class ConductRuleAdmin(admin.ModelAdmin):
    list_display = ("code", "group", "title", "source", "unit", "active")
    list_filter = ("group", "active")
    search_fields = ("code", "title", "source")


@admin.register(ConductRecord)
class ConductRecordAdmin(ReadOnly):
    list_display = ("occurred_at", "official", "unit", "source_kind", "source_ref", "rule")
    list_filter = ("source_kind",)


@admin.register(Meeting)
class MeetingAdmin(ReadOnly):
    list_display = ("title", "starts_at", "unit", "state")


@admin.register(Letter)
class LetterAdmin(ReadOnly):
    list_display = ("symbol", "number", "year", "kind", "subject", "issued_on")


@admin.register(Case)
class CaseAdmin(ReadOnly):
    list_display = ("official", "discovered_on", "deadline_on", "state", "measure")


@admin.register(Directive)
class DirectiveAdmin(ReadOnly):
    list_display = ("number", "issued_on", "doc_type", "title", "unit")


@admin.register(Task)
class TaskAdmin(ReadOnly):
    list_display = ("title", "unit", "due_at", "state")


@admin.register(Relation)
class RelationAdmin(admin.ModelAdmin):
    list_display = ("official", "relative", "kind")
    autocomplete_fields = ("official", "relative")
    verbose_name = _("quan hệ gia đình")
