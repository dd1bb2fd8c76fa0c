"""Admin for the functional administrator: API tokens of partners and the outreach settings.

Signals, reports and deliveries are resident data and are never registered here; they are
worked on in the application, where every look is logged.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import ForeignKey, QuerySet
from django.forms import ModelChoiceField
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from buurtkracht.accounts.models import Role, User
from buurtkracht.accounts.types import request_user
from buurtkracht.core.models import Organisation
from buurtkracht.signals.models import ApiToken, OutreachSettings, PriorityRule
from buurtkracht.signals.services import (
    PARTNER_KIND_OF_ORGANISATION,
    priority_rules_create_default,
)
from buurtkracht.signals.tokens import api_token_create, api_token_revoke, check_token_account

# What Beheer shows of a token; never the token itself nor its hash.
TOKEN_DETAILS = (
    "organisation",
    "account",
    "label",
    "prefix",
    "created_at",
    "last_used_at",
    "revoked_at",
)


class PartnerAccountField(ModelChoiceField[User]):
    """A partner liaison's account, named as the administrator looks it up."""

    def label_from_instance(self, obj: User) -> str:
        return f"{obj.get_username()} — {obj} ({obj.organisation})"


class ApiTokenAddForm(forms.ModelForm[ApiToken]):
    """The fields of a new token; the account is checked as the service checks it, so the
    administrator sees the message on the field instead of an error page."""

    class Meta:
        model = ApiToken
        fields = ("organisation", "account", "label")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        organisation = cleaned.get("organisation")
        if organisation is not None:
            try:
                check_token_account(organisation, cleaned.get("account"))
            except ValidationError as error:
                self.add_error(None, error)
        return cleaned


@admin.action(
    description=gettext_lazy("Revoke the selected tokens (they stop working at once)"),
    permissions=["change"],
)
def revoke_tokens(
    modeladmin: admin.ModelAdmin[ApiToken], request: HttpRequest, queryset: QuerySet[ApiToken]
) -> None:
    count = 0
    for token in queryset.filter(revoked_at__isnull=True).select_related("organisation"):
        api_token_revoke(token=token, by=request_user(request))
        count += 1
    modeladmin.message_user(
        request,
        ngettext("%(count)s token revoked.", "%(count)s tokens revoked.", count) % {"count": count},
    )


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin[ApiToken]):
    """Tokens are made (through `api_token_create`, which shows the token once) and
    revoked, never changed or deleted: the audit log keeps naming them."""

    list_display = ("organisation", "account_name", *TOKEN_DETAILS[2:])
    list_filter = ("organisation",)
    search_fields = ("label", "prefix", "organisation__name", "account__username")
    list_select_related = ("organisation", "account")
    actions = (revoke_tokens,)

    @admin.display(description=gettext_lazy("account"), ordering="account__username")
    def account_name(self, obj: ApiToken) -> str:
        """The login name, which the partner and the administrator both know."""
        return obj.account.get_username() if obj.account else "—"

    def get_form(
        self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any
    ) -> Any:
        if obj is None:
            kwargs["form"] = ApiTokenAddForm
        return super().get_form(request, obj, change=change, **kwargs)

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return ("organisation", "account", "label") if obj is None else TOKEN_DETAILS

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return () if obj is None else TOKEN_DETAILS

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def formfield_for_foreignkey(
        self, db_field: ForeignKey[Any, Any], request: HttpRequest, **kwargs: Any
    ) -> ModelChoiceField[Any] | None:
        if db_field.name == "organisation":
            # Only partners deliver signals (Wet gemeentelijke schuldhulpverlening).
            kwargs["queryset"] = Organisation.objects.filter(
                kind__in=list(PARTNER_KIND_OF_ORGANISATION)
            )
        elif db_field.name == "account":
            kwargs["queryset"] = (
                User.objects.filter(
                    role_grants__role=Role.PARTNER_LIAISON,
                    organisation__kind__in=list(PARTNER_KIND_OF_ORGANISATION),
                )
                .select_related("organisation")
                .order_by("organisation__name", "username")
            )
            kwargs["form_class"] = PartnerAccountField
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        # Nothing on a token can be changed; only the revoke action stops it.
        extra_context = {
            **(extra_context or {}),
            "show_save": False,
            "show_save_and_continue": False,
            "show_save_and_add_another": False,
        }
        return super().change_view(request, object_id, form_url, extra_context)

    def save_model(self, request: HttpRequest, obj: ApiToken, form: Any, change: bool) -> None:
        if change:
            return
        token, plain = api_token_create(
            organisation=obj.organisation,
            label=obj.label,
            account=obj.account,
            by=request_user(request),
        )
        # The admin goes on with the object of its form; make it the token just made.
        for field in ApiToken._meta.concrete_fields:
            setattr(obj, field.attname, getattr(token, field.attname))
        obj._state.adding = False
        obj._state.db = token._state.db
        messages.success(
            request,
            _(
                "The API token for %(organisation)s is: %(token)s — copy it now and give it to "
                "the partner safely. It is not shown again."
            )
            % {"organisation": token.organisation, "token": plain},
        )


class PriorityRuleInline(admin.TabularInline[PriorityRule, OutreachSettings]):
    model = PriorityRule
    extra = 0
    fields = ("condition", "threshold", "points", "active")


@admin.register(OutreachSettings)
class OutreachSettingsAdmin(admin.ModelAdmin[OutreachSettings]):
    """Targets, retention, the amounts of the cost picture and the priority rules. No
    resident data: only numbers the municipality chooses."""

    list_display = (
        "municipality",
        "first_attempt_working_days",
        "attempts_before_not_reached",
        "retention_months",
    )
    list_select_related = ("municipality",)
    inlines = (PriorityRuleInline,)
    fieldsets = (
        (None, {"fields": ("municipality",)}),
        (
            gettext_lazy("Targets"),
            {"fields": ("first_attempt_working_days", "attempts_before_not_reached")},
        ),
        (gettext_lazy("Retention"), {"fields": ("retention_months",)}),
        (
            gettext_lazy("Cost picture"),
            {
                "fields": (
                    "eviction_cost_corporation",
                    "eviction_cost_society",
                    "prevention_cost",
                )
            },
        ),
    )

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return () if obj is None else ("municipality",)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Deleting would silently bring back the default rules at the next delivery.
        return False

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        settings = form.instance
        if not change and not settings.rules.exists():
            # The same start as settings made by the first delivery (services.DEFAULT_RULES).
            priority_rules_create_default(settings=settings)
