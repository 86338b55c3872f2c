"""The Django admin, open to Tirek administrators only, with every change written to the audit trail."""

from __future__ import annotations

from django.contrib import admin
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from tirek.audit.choices import AuditAction
from tirek.audit.services import audit_created, audit_record, changes_between, snapshot


def _is_administrator(request) -> bool:
    user = request.user
    return user.is_active and user.is_authenticated and user.is_administrator


class AuditedAdmin(admin.ModelAdmin):
    """A model admin for administrators whose saves and deletions leave audit events."""

    def has_module_permission(self, request):
        return _is_administrator(request)

    def has_view_permission(self, request, obj=None):
        return _is_administrator(request)

    def has_add_permission(self, request):
        return _is_administrator(request)

    def has_change_permission(self, request, obj=None):
        return _is_administrator(request)

    def has_delete_permission(self, request, obj=None):
        return _is_administrator(request)

    def save_model(self, request, obj, form, change):
        before = snapshot(type(obj)._default_manager.get(pk=obj.pk)) if change else None
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            if before is None:
                audit_created(actor=request.user, obj=obj, note="admin")
            else:
                changes = changes_between(before, snapshot(obj))
                if changes:
                    audit_record(
                        actor=request.user, action=AuditAction.UPDATE, obj=obj, changes=changes, note="admin"
                    )

    def delete_model(self, request, obj):
        with transaction.atomic():
            audit_record(
                actor=request.user,
                action=AuditAction.DELETE,
                obj=obj,
                changes={name: [value, None] for name, value in snapshot(obj).items()},
                note="admin",
            )
            super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)


admin.site.site_header = _("Tirek administration")
admin.site.site_title = _("Tirek administration")
admin.site.index_title = _("Reference data and accounts")
admin.site.has_permission = _is_administrator
