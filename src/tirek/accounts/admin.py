from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _

from tirek.accounts.models import Membership, User
from tirek.audit.admin_site import AuditedAdmin


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    fk_name = "user"
    autocomplete_fields = ("organisation",)

    def has_view_permission(self, request, obj=None):
        return request.user.is_administrator

    has_add_permission = has_change_permission = has_delete_permission = has_view_permission


@admin.register(User)
class TirekUserAdmin(AuditedAdmin, UserAdmin):
    list_display = ("username", "last_name", "first_name", "email", "is_active")
    search_fields = ("username", "last_name", "first_name", "email")
    list_filter = ("is_active",)
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Personal details"), {"fields": ("last_name", "first_name", "patronymic", "email", "phone")}),
        (_("Access"), {"fields": ("is_active", "active_organisation", "last_login", "date_joined")}),
    )
    readonly_fields = ("last_login", "date_joined")
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(AuditedAdmin):
    list_display = ("user", "organisation", "role", "profession", "is_active")
    list_filter = ("role", "is_active")
    search_fields = ("user__username", "user__last_name", "organisation__name_kk")
    autocomplete_fields = ("user", "organisation")
