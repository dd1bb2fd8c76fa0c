"""Admin for the functional administrator: resident budgets and their routes of
assessment (configuration). Initiatives themselves are not here: they hold the
initiators' contact details and are worked on in the app's own pages."""

from __future__ import annotations

from typing import Any, ClassVar

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from buurtkracht.core.numbers import format_money
from buurtkracht.initiatives.models import Budget, Check, RouteStep


class RouteStepForm(forms.ModelForm[RouteStep]):
    checks = forms.MultipleChoiceField(
        label=_("checks"),
        choices=Check.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = RouteStep
        fields: ClassVar = [
            "order",
            "checks",
            "amount_above",
            "amount_up_to",
            "decider",
            "decider_label",
        ]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        above, up_to = cleaned.get("amount_above"), cleaned.get("amount_up_to")
        if above is not None and up_to is not None and up_to <= above:
            self.add_error("amount_up_to", _("The upper limit must be more than the lower limit."))
        return cleaned


class RouteStepInline(admin.TabularInline[RouteStep, Budget]):
    model = RouteStep
    form = RouteStepForm
    extra = 1


@admin.register(Budget)
class BudgetAdmin(admin.ModelAdmin[Budget]):
    list_display = ("name", "area", "starts_on", "ends_on", "amount_shown", "active")
    list_filter = ("active", "area__kind")
    search_fields = ("name", "area__name")
    list_select_related = ("area",)
    inlines = (RouteStepInline,)

    @admin.display(description=_("amount in euros"), ordering="amount")
    def amount_shown(self, budget: Budget) -> str:
        # The same money format as the pages (core.numbers), not the bare "12000.00".
        return format_money(budget.amount)
