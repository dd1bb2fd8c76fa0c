"""Beheer for the functional administrator: the mandates partner organisations delegate
(configuration, no resident data). Saving goes through `mandates.services.mandate_save`:
versioned (decision 0008) and audited. The decisions under a mandate are resident data
and are not here; the report of their use is on the mandates page (`/mandaten/`)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import ForeignKey, ManyToManyField
from django.forms import ModelChoiceField, ModelMultipleChoiceField
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from buurtkracht.accounts.models import Role, User
from buurtkracht.accounts.types import request_user
from buurtkracht.core.models import Organisation
from buurtkracht.core.versioning import ChangedMeanwhile
from buurtkracht.mandates.forms import MandateAdminForm
from buurtkracht.mandates.models import Mandate
from buurtkracht.mandates.services import euros, mandate_save


@admin.register(Mandate)
class MandateAdmin(admin.ModelAdmin[Mandate]):
    form = MandateAdminForm
    list_display = (
        "organisation",
        "decision",
        "life_domain",
        "limit_shown",
        "start_date",
        "end_date",
    )
    list_filter = ("organisation", "life_domain")
    search_fields = ("decision", "organisation__name")
    list_select_related = ("organisation",)
    filter_horizontal = ()
    fields = (
        "organisation",
        "decision",
        "conditions",
        "life_domain",
        "max_amount",
        "max_per_household_year",
        "start_date",
        "end_date",
        "teams",
        "workers",
        "opened_version",
    )

    @admin.display(description=gettext_lazy("maximum per decision"), ordering="max_amount_cents")
    def limit_shown(self, mandate: Mandate) -> str:
        return euros(mandate.max_amount_cents) or "—"

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # A mandate with decisions under it stays: the organisation's decisions name it.
        # One that should stop working gets an end date.
        return False

    def formfield_for_foreignkey(
        self, db_field: ForeignKey[Any, Any], request: HttpRequest, **kwargs: Any
    ) -> ModelChoiceField[Any] | None:
        if db_field.name == "organisation":
            # The municipality does not delegate to itself through a mandate.
            kwargs["queryset"] = Organisation.objects.exclude(
                kind=Organisation.Kind.MUNICIPALITY
            ).order_by("name")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(
        self, db_field: ManyToManyField[Any, Any], request: HttpRequest, **kwargs: Any
    ) -> ModelMultipleChoiceField[Any] | None:
        if db_field.name == "workers":
            kwargs["queryset"] = (
                User.objects.filter(role_grants__role__in=[Role.WORKER, Role.TEAM_LEADER])
                .distinct()
                .order_by("last_name", "first_name")
            )
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def save_model(self, request: HttpRequest, obj: Mandate, form: Any, change: bool) -> None:
        mandate_save(
            mandate=obj,
            by=request_user(request),
            expected_version=form.cleaned_data.get("opened_version") if change else None,
            changed=form.changed_data,
            request=request,
        )

    def changeform_view(
        self,
        request: HttpRequest,
        object_id: str | None = None,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except ChangedMeanwhile:
            # Two saves at the same moment: the other one won; nothing of this one stays.
            messages.error(
                request,
                _(
                    "Someone else changed this mandate at the same moment. Nothing of yours "
                    "is saved: look at the mandate again and make your change."
                ),
            )
            return HttpResponseRedirect(request.path)
