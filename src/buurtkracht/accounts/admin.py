from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from buurtkracht.accounts.activation import activation_issue, activation_mail, is_activated
from buurtkracht.accounts.approvals import (
    NotAllowed,
    role_grants_save,
    team_memberships_save,
    two_factor_reset_request,
)
from buurtkracht.accounts.forms import AdminLoginForm
from buurtkracht.accounts.models import RoleGrant, TeamMembership, User
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
    """Roles are added (through four eyes where they reach case content) or removed, never
    changed in place: changing a grant would be a way around the approval."""

    model = RoleGrant
    fields = ("role",)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class TeamMembershipInline(NotOnOwnAccount):
    model = TeamMembership
    autocomplete_fields = ("team",)


# The admin's login page gets the same lock-out as ours.
admin.site.login_form = AdminLoginForm

# django-otp's own admin can show a device's secret as a QR code: that would let an
# administrator log in as someone else. Only a reset (the user enrols anew) is offered.
if admin.site.is_registered(TOTPDevice):
    admin.site.unregister(TOTPDevice)


def _base_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/")


def _send_link(request: HttpRequest, user: User) -> None:
    token = activation_issue(user=user, by=request_user(request), request=request)
    activation_mail(user=user, token=token, base_url=_base_url(request))


@admin.action(description=_("Reset two-step login (asks a second person to approve)"))
def reset_two_factor(
    modeladmin: admin.ModelAdmin[User], request: HttpRequest, queryset: QuerySet[User]
) -> None:
    asked = 0
    for user in queryset:
        try:
            two_factor_reset_request(user=user, by=request_user(request), request=request)
        except NotAllowed:
            modeladmin.message_user(
                request,
                _("You cannot reset your own two-step login; ask another administrator."),
                messages.ERROR,
            )
            continue
        asked += 1
    if asked:
        modeladmin.message_user(
            request,
            _(
                "Reset asked for %(n)s accounts. The privacy officer or another administrator "
                "approves it; then the owner gets a new activation link by mail."
            )
            % {"n": asked},
        )


@admin.action(description=_("Send a new activation link (accounts not activated yet)"))
def send_activation_link(
    modeladmin: admin.ModelAdmin[User], request: HttpRequest, queryset: QuerySet[User]
) -> None:
    sent = 0
    for user in queryset:
        if is_activated(user) or not user.email:
            modeladmin.message_user(
                request,
                _(
                    "%(user)s: no link sent. An activated account gets a new link through "
                    "a reset of two-step login (approved by a second person); an account "
                    "without an e-mail address needs one first."
                )
                % {"user": user},
                messages.WARNING,
            )
            continue
        _send_link(request, user)
        sent += 1
    if sent:
        modeladmin.message_user(
            request,
            _("Activation link mailed to %(n)s accounts; older links stop working.") % {"n": sent},
        )


class AccountCreationForm(forms.ModelForm[User]):
    """A new account without a password: its owner chooses one through the activation link
    that is mailed to them (the administrator never sets or knows it)."""

    class Meta:
        model = User
        fields = ("username", "first_name", "last_name", "email", "organisation", "job_title")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["email"].required = True
        self.fields["email"].help_text = _(
            "The activation link goes here. Use the person's own work address."
        )


@admin.register(User)
class UserAdmin(DjangoUserAdmin[User]):
    list_display = ("username", "first_name", "last_name", "organisation", "is_active")
    list_filter = ("is_active", "role_grants__role", "organisation")
    search_fields = ("username", "first_name", "last_name", "email")
    list_select_related = ("organisation",)
    # The resident link is not shown: it would expose a resident record to configuration.
    # No password field anywhere: the owner chooses it through their activation link.
    fieldsets = (
        (None, {"fields": ("username",)}),
        *(DjangoUserAdmin.fieldsets or ())[1:],
        (_("Work"), {"fields": ("organisation", "job_title", "phone")}),
    )
    add_form = AccountCreationForm
    add_fieldsets = (
        (
            None,
            {
                "fields": ("username", "first_name", "last_name", "email"),
                "description": _(
                    "The new colleague gets an activation link by mail (valid 72 hours) to "
                    "choose a password and set up two-step login. Roles that reach "
                    "residents' files wait for approval by the privacy officer or another "
                    "administrator."
                ),
            },
        ),
        (_("Work"), {"fields": ("organisation", "job_title")}),
    )
    inlines = (RoleGrantInline, TeamMembershipInline)

    def user_change_password(
        self, request: HttpRequest, id: str, form_url: str = ""
    ) -> HttpResponse:
        """Nobody sets another person's password here, not even the operator."""
        raise PermissionDenied

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        if not change:
            obj.set_unusable_password()
        super().save_model(request, obj, form, change)
        if not change:
            _send_link(request, obj)

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
        """New roles and team places go through the four-eyes services; a functional
        administrator role then also opens the admin with its permission group."""
        if formset.model is TeamMembership:
            self._save_team_places(request, form, formset)
            return
        if formset.model is not RoleGrant:
            super().save_formset(request, form, formset, change)
            return
        grants = formset.save(commit=False)
        waiting = role_grants_save(
            user=form.instance,
            grants=grants,
            deleted=formset.deleted_objects,
            by=request_user(request),
            request=request,
        )
        for access in waiting:
            self.message_user(
                request,
                _(
                    "The role %(role)s waits for approval by the privacy officer or another "
                    "administrator; until then it is not in force."
                )
                % {"role": access.get_role_display()},
                messages.WARNING,
            )

    def _save_team_places(self, request: HttpRequest, form: Any, formset: Any) -> None:
        new = formset.save(commit=False)
        waiting, refused = team_memberships_save(
            user=form.instance,
            new=[m for m in new if m.pk is None],
            changed=formset.changed_objects,
            deleted=formset.deleted_objects,
            by=request_user(request),
            request=request,
        )
        for access in waiting:
            self.message_user(
                request,
                _(
                    "The place in %(team)s waits for approval by the privacy officer or "
                    "another administrator; until then it is not in force."
                )
                % {"team": access.team},
                messages.WARNING,
            )
        for membership in refused:
            self.message_user(
                request,
                _(
                    "%(membership)s: not changed. Another team or position, or a later end, "
                    "would open files without approval: end this place and add a new one."
                )
                % {"membership": membership},
                messages.ERROR,
            )

    actions = (reset_two_factor, send_activation_link)
