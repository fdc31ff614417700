"""Back office: reports are read here (changes go through the officer pages and services.py); Open311
API keys are created here — the key is shown once, only its SHA-256 is stored."""
from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from . import queries, services
from .models import ApiKey, Report


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    list_display = ("code", "kind", "channel", "state", "responsible_unit", "submitted_at", "handle_due_at")
    list_filter = ("kind", "channel", "state")
    search_fields = ("code", "title")
    # Reporter identity is left out: only the inspectors handling a report see it (officer pages).
    fields = ("code", "kind", "channel", "state", "title", "text", "responsible_unit", "suggested_unit",
              "submitted_at", "clock_start_at", "refuse_due_at", "info_due_at", "handle_due_at", "publish_due_at",
              "handled_at", "published_at", "overdue", "conclusion", "public_answer", "likes", "dislikes",
              "repeat_of")
    readonly_fields = fields

    def get_queryset(self, request):
        return queries.visible_reports(request.user).select_related("responsible_unit")

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ApiKey)
class ApiKeyAdmin(admin.ModelAdmin):
    list_display = ("name", "prefix", "active", "created_at", "last_used_at")
    fields = ("name", "active", "prefix", "created_at", "last_used_at")
    readonly_fields = ("prefix", "created_at", "last_used_at")

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        key, raw = services.issue_api_key(obj.name)
        obj.pk, obj.prefix, obj.key_hash, obj.created_at = key.pk, key.prefix, key.key_hash, key.created_at
        if not form.cleaned_data.get("active", True):
            ApiKey.objects.filter(pk=key.pk).update(active=False)
        messages.warning(request, _("Khóa API (chỉ hiển thị một lần, hãy lưu lại ngay): %(key)s") % {"key": raw})
