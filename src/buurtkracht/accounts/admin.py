from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from buurtkracht.accounts.models import RoleGrant, TeamMembership, User
from buurtkracht.audit.models import Action, Ground
from buurtkracht.audit.services import audit_record


class RoleGrantInline(admin.TabularInline):
    model = RoleGrant
    extra = 0


class TeamMembershipInline(admin.TabularInline):
    model = TeamMembership
    extra = 0
    autocomplete_fields = ("team",)


# django-otp's own admin can show a device's secret as a QR code: that would let an
# administrator log in as someone else. Only a reset (the user enrols anew) is offered.
if admin.site.is_registered(TOTPDevice):
    admin.site.unregister(TOTPDevice)


@admin.action(description=_("Reset two-step login (the user sets up their app again)"))
def reset_two_factor(
    modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet[User]
) -> None:
    for user in queryset:
        TOTPDevice.objects.filter(user=user).delete()
        audit_record(
            action=Action.UPDATE,
            user=request.user,
            request=request,
            obj=user,
            ground=Ground.ROLE,
            details={"two_factor": "reset"},
        )
    modeladmin.message_user(
        request, _("Two-step login reset for %(n)s accounts.") % {"n": queryset.count()}
    )


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
    actions = (reset_two_factor,)
