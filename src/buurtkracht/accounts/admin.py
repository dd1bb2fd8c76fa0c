from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from buurtkracht.accounts.models import RoleGrant, TeamMembership, User


class RoleGrantInline(admin.TabularInline):
    model = RoleGrant
    extra = 0


class TeamMembershipInline(admin.TabularInline):
    model = TeamMembership
    extra = 0
    autocomplete_fields = ("team",)


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ("username", "first_name", "last_name", "organisation", "is_active")
    list_filter = ("is_active", "role_grants__role", "organisation")
    search_fields = ("username", "first_name", "last_name", "email")
    list_select_related = ("organisation",)
    # The resident link is not shown: it would expose a resident record to configuration.
    fieldsets = (
        *(DjangoUserAdmin.fieldsets or ()),
        (_("Work"), {"fields": ("organisation", "job_title", "phone")}),
    )
    inlines = (RoleGrantInline, TeamMembershipInline)
