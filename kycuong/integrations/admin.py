"""Payments in the back office: read-only (only verified gateway callbacks change them)."""
from django.contrib import admin

from .models import Payment


@admin.register(Payment)
class PaymentAdmin(admin.ModelAdmin):
    list_display = ("txn_ref", "dossier", "amount_vnd", "state", "receipt_no", "created_at", "finished_at")
    list_filter = ("state", "gateway")
    search_fields = ("txn_ref", "dossier__code", "receipt_no")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
