from django.contrib import admin

from tirek.audit.admin_site import AuditedAdmin
from tirek.catalog.models import Diagnosis, Profession, Service, ServiceType


class ReferenceAdmin(AuditedAdmin):
    list_display = ("code", "name_kk", "name_ru", "name_en", "is_active", "sort_order")
    list_editable = ("is_active",)
    search_fields = ("code", "name_kk", "name_ru", "name_en")
    list_filter = ("is_active",)


@admin.register(ServiceType)
class ServiceTypeAdmin(ReferenceAdmin):
    pass


@admin.register(Service)
class ServiceAdmin(ReferenceAdmin):
    list_display = ("code", "name_kk", "name_ru", "service_type", "is_active")
    list_filter = ("service_type", "is_active")


@admin.register(Profession)
class ProfessionAdmin(ReferenceAdmin):
    pass


@admin.register(Diagnosis)
class DiagnosisAdmin(ReferenceAdmin):
    pass
