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
