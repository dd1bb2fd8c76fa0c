"""The form of a decision under a mandate (on a household file) and the functional
administrator's form of a mandate (Beheer)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any, ClassVar

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from buurtkracht.core import validators
from buurtkracht.households.models import Person
from buurtkracht.mandates.models import Mandate
from buurtkracht.mandates.services import euros

CENT = Decimal("0.01")


def to_cents(amount: Decimal | None) -> int | None:
    return None if amount is None else int((amount * 100).quantize(Decimal(1), ROUND_HALF_UP))


class MandateChoiceField(forms.ModelChoiceField[Mandate]):
    def label_from_instance(self, obj: Mandate) -> str:
        limit = (
            _("up to %(limit)s") % {"limit": euros(obj.max_amount_cents)}
            if obj.max_amount_cents is not None
            else _("no amount limit")
        )
        return f"{obj.organisation}: {obj.decision} ({limit})"


class MandateDecisionForm(forms.Form):
    mandate = MandateChoiceField(
        label=_("Mandate"),
        queryset=Mandate.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={"required": _("Choose the mandate you decide under.")},
    )
    person = forms.TypedChoiceField(
        label=_("For which resident"),
        coerce=int,
        error_messages={"required": _("Choose the resident the decision is about.")},
    )
    what = forms.CharField(
        label=_("What did you decide"),
        max_length=200,
        help_text=_("For example “payment arrangement of 12 months, € 100 a month”."),
        error_messages={"required": _("Say what you decided.")},
    )
    amount = forms.DecimalField(
        label=_("Amount in euros"),
        required=False,
        min_value=Decimal(0),
        max_digits=9,
        decimal_places=2,
        localize=True,
        help_text=_("Only when the decision is about money, for example 1200,00."),
        error_messages={"invalid": _("Write the amount as a number, for example 1200,00.")},
    )
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "The organisation reads this with the decision: write only what the decision "
            "needs, nothing else from the file."
        ),
        error_messages={"required": _("Give the reason for the decision.")},
    )

    def __init__(
        self, *args: Any, mandates: QuerySet[Mandate], members: list[Person], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["mandate"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = mandates
        person = self.fields["person"]
        assert isinstance(person, forms.TypedChoiceField)
        person.choices = [("", _("Choose a resident")), *((p.pk, p.full_name) for p in members)]

    def amount_cents(self) -> int | None:
        return to_cents(self.cleaned_data.get("amount"))


class MandateAdminForm(forms.ModelForm[Mandate]):
    """A mandate in Beheer: amounts typed in euros (stored in cents), and the version the
    administrator opened, so that a change made meanwhile by someone else is refused
    instead of overwritten (decision 0008)."""

    max_amount = forms.DecimalField(
        label=_("Maximum amount per decision in euros"),
        required=False,
        min_value=Decimal(0),
        max_digits=9,
        decimal_places=2,
        help_text=_("Empty: no limit per decision (for a decision without an amount)."),
    )
    max_per_household_year = forms.DecimalField(
        label=_("Maximum per household per calendar year in euros"),
        required=False,
        min_value=Decimal(0),
        max_digits=9,
        decimal_places=2,
        help_text=_("Empty: no yearly limit."),
    )
    opened_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Mandate
        fields: ClassVar = [
            "organisation",
            "decision",
            "conditions",
            "life_domain",
            "start_date",
            "end_date",
            "teams",
            "workers",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        mandate = self.instance
        for name in ("start_date", "end_date"):
            self.fields[name].validators.append(validators.MANDATE_VALIDITY)
        if mandate.pk:
            self.fields["opened_version"].initial = mandate.version
            for name, cents in (
                ("max_amount", mandate.max_amount_cents),
                ("max_per_household_year", mandate.max_per_household_year_cents),
            ):
                self.fields[name].initial = None if cents is None else Decimal(cents) / 100

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("The mandate cannot end before it starts."))
        opened = cleaned.get("opened_version")
        if self.instance.pk and isinstance(opened, int):
            now = Mandate.objects.filter(pk=self.instance.pk).values_list("version", flat=True)
            if now.first() != opened:
                self.add_error(
                    None,
                    _(
                        "Someone else changed this mandate while you were working on it. "
                        "Nothing of yours is saved: open the mandate again to see the "
                        "change, then make yours."
                    ),
                )
        return cleaned

    def save(self, commit: bool = True) -> Mandate:
        self.instance.max_amount_cents = to_cents(self.cleaned_data.get("max_amount"))
        self.instance.max_per_household_year_cents = to_cents(
            self.cleaned_data.get("max_per_household_year")
        )
        return super().save(commit=commit)
