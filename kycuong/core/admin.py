"""Back office for units, accounts and the calendar override table (admins add each year's notice here)."""
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from . import services
from .errors import DomainError
from .models import CalendarOverride, Unit, User
from .queries import visible_to


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "kind", "tier", "parent", "valid_from", "valid_to", "successor", "is_demo")
    list_filter = ("kind", "tier", "is_demo")
    search_fields = ("code", "name", "name_folded", "short_name")
    autocomplete_fields = ("parent", "successor")
    readonly_fields = ("path",)
    fieldsets = (
        (None, {"fields": ("code", "name", "short_name", "kind", "tier", "parent", "path")}),
        (_("Hiệu lực và kế thừa (sắp xếp đơn vị 01/7/2025)"), {"fields": ("valid_from", "valid_to", "successor")}),
        (_("Giờ làm việc"), {"fields": ("work_windows",)}),
        (_("Nguồn"), {"fields": ("is_demo", "note")}),
    )

    def get_queryset(self, request):
        return visible_to(request.user, super().get_queryset(request).select_related("parent", "successor"))

    def save_model(self, request, obj, form, change):
        try:
            services.save_unit(obj)
        except DomainError as exc:
            messages.error(request, exc.message)


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ("username", "full_name", "role", "unit", "is_active")
    list_filter = ("role", "is_active", "is_staff")
    search_fields = ("username", "full_name", "email", "phone")
    autocomplete_fields = ("unit",)
    fieldsets = BaseUserAdmin.fieldsets + ((_("Vai trò và đơn vị"), {"fields": ("full_name", "role", "unit", "phone")}),)
    add_fieldsets = BaseUserAdmin.add_fieldsets + ((_("Vai trò và đơn vị"), {"fields": ("full_name", "role", "unit")}),)

    def get_queryset(self, request):
        return visible_to(request.user, super().get_queryset(request).select_related("unit"))


@admin.register(CalendarOverride)
class CalendarOverrideAdmin(admin.ModelAdmin):
    list_display = ("date", "kind", "name", "basis")
    list_filter = ("kind",)
    search_fields = ("name", "basis")
    date_hierarchy = "date"


from .models import Event  # noqa: E402


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    """Read-only: events change only by `events.append` (docs/design.md rule 3); the admin can look, never touch."""

    list_display = ("subject", "seq", "kind", "at", "actor_label", "public")
    list_filter = ("subject_type", "kind", "public")
    search_fields = ("=subject_id", "actor_label")
    date_hierarchy = "at"
    ordering = ("subject_type", "subject_id", "seq")

    @admin.display(description=_("đối tượng"), ordering="subject_id")
    def subject(self, obj):
        return f"{obj.subject_type} {obj.subject_id}"

    def get_queryset(self, request):
        return visible_to(request.user, super().get_queryset(request))

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
