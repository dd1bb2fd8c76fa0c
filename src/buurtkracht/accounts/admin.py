from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from buurtkracht.accounts.forms import AdminLoginForm
from buurtkracht.accounts.models import RoleGrant, TeamMembership, User
from buurtkracht.accounts.services import role_grants_save, two_factor_reset
from buurtkracht.accounts.types import request_user
from buurtkracht.audit.models import Action, Ground
from buurtkracht.audit.services import audit_record


def _own_account(request: HttpRequest, obj: User | None) -> bool:
    return obj is not None and obj.pk == request.user.pk and not request.user.is_superuser


class NotOnOwnAccount(admin.TabularInline[Any, User]):
    """A functional administrator cannot give themselves a role or a team: with a team
    they would read residents' files, which their role never allows (Trust issue)."""

    extra = 0

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return super().has_add_permission(request, obj) and not _own_account(request, obj)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return super().has_change_permission(request, obj) and not _own_account(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return super().has_delete_permission(request, obj) and not _own_account(request, obj)


class RoleGrantInline(NotOnOwnAccount):
    model = RoleGrant


class TeamMembershipInline(NotOnOwnAccount):
    model = TeamMembership
    autocomplete_fields = ("team",)


# The admin's login page gets the same lock-out as ours.
admin.site.login_form = AdminLoginForm

# django-otp's own admin can show a device's secret as a QR code: that would let an
# administrator log in as someone else. Only a reset (the user enrols anew) is offered.
if admin.site.is_registered(TOTPDevice):
    admin.site.unregister(TOTPDevice)


@admin.action(description=_("Reset two-step login (the user sets up their app again)"))
def reset_two_factor(
    modeladmin: admin.ModelAdmin[User], request: HttpRequest, queryset: QuerySet[User]
) -> None:
    for user in queryset:
        two_factor_reset(user=user, by=request_user(request), request=request)
    modeladmin.message_user(
        request, _("Two-step login reset for %(n)s accounts.") % {"n": queryset.count()}
    )


@admin.register(User)
class UserAdmin(DjangoUserAdmin[User]):
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

    def get_queryset(self, request: HttpRequest) -> QuerySet[User]:
        """A functional administrator cannot open, change, reset or set the password of a
        superuser account: that would be a way to the operator's rights."""
        users = super().get_queryset(request)
        return users if request.user.is_superuser else users.filter(is_superuser=False)

    def _audit(self, request: HttpRequest, obj: Any, message: Any) -> None:
        # Accounts are not resident data, but who gave whom which rights is a trust question:
        # the audit log keeps it next to the looks those rights allow.
        audit_record(
            action=Action.UPDATE,
            user=request_user(request),
            request=request,
            obj=obj,
            ground=Ground.ROLE,
            details={"admin": str(message)[:500]},
        )

    def log_addition(self, request: HttpRequest, obj: Any, message: Any) -> Any:
        self._audit(request, obj, message or "added")
        return super().log_addition(request, obj, message)

    def log_change(self, request: HttpRequest, obj: Any, message: Any) -> Any:
        self._audit(request, obj, message or "changed")
        return super().log_change(request, obj, message)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        """Only a superuser (the operator, not the functional administrator) hands out
        superuser status or raw Django permissions."""
        fields = tuple(super().get_readonly_fields(request, obj))
        if request.user.is_superuser:
            return fields
        return (*fields, "is_superuser", "is_staff", "groups", "user_permissions")

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        """New roles go through the role_grant service, so that a functional
        administrator role also opens the admin with its permission group."""
        if formset.model is not RoleGrant:
            super().save_formset(request, form, formset, change)
            return
        grants = formset.save(commit=False)
        role_grants_save(user=form.instance, grants=grants, deleted=formset.deleted_objects)

    actions = (reset_two_factor,)
