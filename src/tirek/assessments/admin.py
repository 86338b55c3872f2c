"""Administrators add and edit instruments and their items here, without code; every change is audited.

Assessments are health data and are not in the admin: they are read through the case, by its team.
"""

from __future__ import annotations

from django.contrib import admin
from django.db import transaction

from tirek.assessments.models import Instrument, InstrumentItem
from tirek.audit.admin_site import AuditedAdmin
from tirek.audit.choices import AuditAction
from tirek.audit.services import audit_created, audit_record, changes_between, snapshot


def _is_administrator(request) -> bool:
    user = request.user
    return user.is_active and user.is_authenticated and user.is_administrator


class InstrumentItemInline(admin.TabularInline):
    model = InstrumentItem
    extra = 1
    fields = (
        "number",
        "code",
        "prompt_kk",
        "prompt_ru",
        "prompt_en",
        "answer_type",
        "choices",
        "min_value",
        "max_value",
        "domain",
        "required",
    )

    def has_view_permission(self, request, obj=None):
        return _is_administrator(request)

    def has_add_permission(self, request, obj=None):
        return _is_administrator(request)

    def has_change_permission(self, request, obj=None):
        return _is_administrator(request)

    def has_delete_permission(self, request, obj=None):
        return _is_administrator(request)


@admin.register(Instrument)
class InstrumentAdmin(AuditedAdmin):
    list_display = ("code", "name_kk", "name_ru", "name_en", "kind", "scoring_rule", "is_active")
    list_filter = ("kind", "scoring_rule", "is_active")
    search_fields = ("code", "name_kk", "name_ru", "name_en")
    inlines = [InstrumentItemInline]

    def save_formset(self, request, form, formset, change):
        """Save the items and leave an audit event for each one added, changed or deleted."""
        stored = [f.instance.pk for f in formset.initial_forms if f.instance.pk]
        before = {item.pk: snapshot(item) for item in InstrumentItem.objects.filter(pk__in=stored)}
        with transaction.atomic():
            instances = formset.save(commit=False)
            for item in formset.deleted_objects:
                audit_record(
                    actor=request.user,
                    action=AuditAction.DELETE,
                    obj=item,
                    changes={name: [value, None] for name, value in before.get(item.pk, {}).items()},
                    note="admin",
                )
                item.delete()
            for item in instances:
                is_new = item.pk is None
                item.save()
                if is_new:
                    audit_created(actor=request.user, obj=item, note="admin")
                else:
                    changes = changes_between(before.get(item.pk, {}), snapshot(item))
                    if changes:
                        audit_record(
                            actor=request.user,
                            action=AuditAction.UPDATE,
                            obj=item,
                            changes=changes,
                            note="admin",
                        )
            formset.save_m2m()
