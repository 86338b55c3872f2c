from django.contrib import admin

from tirek.audit.admin_site import AuditedAdmin
from tirek.directory.models import Organisation, Programme, Region


@admin.register(Region)
class RegionAdmin(AuditedAdmin):
    list_display = ("kato", "iso_code", "name_kk", "name_ru", "name_en", "valid_from", "valid_to")
    search_fields = ("kato", "name_kk", "name_ru", "name_en")


@admin.register(Organisation)
class OrganisationAdmin(AuditedAdmin):
    list_display = ("name_kk", "name_ru", "kind", "region", "bin", "is_active")
    list_filter = ("kind", "region", "is_active")
    search_fields = ("name_kk", "name_ru", "name_en", "bin")
    autocomplete_fields = ("parent",)


@admin.register(Programme)
class ProgrammeAdmin(AuditedAdmin):
    list_display = ("name_kk", "organisation", "kind", "min_age_months", "max_age_months", "is_active")
    list_filter = ("kind", "is_active")
    search_fields = ("name_kk", "name_ru", "organisation__name_kk")
