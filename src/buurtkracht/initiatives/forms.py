"""Forms of resident initiatives: the short public proposal (B1 Dutch, each thing asked
once), the report back, and the community worker's forms."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from buurtkracht.core import validators
from buurtkracht.core.forms import DATE_FORMATS, VersionedForm
from buurtkracht.core.models import Area, Organisation
from buurtkracht.initiatives.models import Budget, Decision, Initiative
from buurtkracht.initiatives.services import (
    REQUIRED,
    FundingShare,
    InitiativeInput,
    initiative_errors,
    initiative_input_of,
)

FUNDER_ROWS = 3


class NeighbourhoodChoice(forms.ModelChoiceField[Area]):
    def label_from_instance(self, obj: Area) -> str:
        return f"{obj.name} ({obj.parent.name})" if obj.parent is not None else str(obj.name)


def _neighbourhoods() -> Any:
    return (
        Area.objects.filter(kind=Area.Kind.NEIGHBOURHOOD).select_related("parent").order_by("name")
    )


class ProposalForm(forms.Form):
    # An e-mail address or a phone number will do (initiative_errors checks): neither label
    # says "optional".
    required_elsewhere = ("contact_email", "contact_phone")

    title = forms.CharField(
        label=_("Name of your initiative"),
        max_length=200,
        help_text=_("For example: Walking group Lindenstraat."),
    )
    description = forms.CharField(
        label=_("What do you want to do?"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    neighbourhood = NeighbourhoodChoice(
        label=_("In which neighbourhood?"), queryset=Area.objects.none(), required=False
    )
    for_whom = forms.CharField(
        label=_("For whom?"),
        max_length=300,
        help_text=_("For example: everyone in the street, children, older neighbours."),
    )
    cost = forms.CharField(
        label=_("How much money do you need?"),
        max_length=20,
        help_text=_("In euros. Write 0 if you need no money."),
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    cost_breakdown = forms.CharField(
        label=_("What is the money for?"),
        required=False,
        max_length=2000,
        help_text=_("For example: bench €600, coffee and tea €200."),
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    own_contribution = forms.CharField(
        label=_("What do you and your neighbours do yourselves?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    helpers = forms.CharField(
        label=_("Who else helps?"),
        required=False,
        max_length=2000,
        help_text=_("For example: the community centre, a club, the housing corporation."),
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    contact_name = forms.CharField(label=_("Your name"), max_length=200)
    contact_email = forms.CharField(
        label=_("Your e-mail address"),
        required=False,
        max_length=254,
        widget=forms.EmailInput(),
    )
    contact_phone = forms.CharField(
        label=_("Your phone number"),
        required=False,
        max_length=30,
        help_text=_(
            "Give an e-mail address, a phone number or both. Only the municipality sees these."
        ),
        widget=forms.TextInput(attrs={"type": "tel"}),
    )
    # A field people do not see and bots fill in (a honeypot against spam).
    homepage = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["neighbourhood"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = _neighbourhoods()
        field.empty_label = _("Choose a neighbourhood")
        field.required = True
        for name, message in REQUIRED.items():
            self.fields[name].error_messages["required"] = message
        field.error_messages["invalid_choice"] = REQUIRED["neighbourhood"]

    def clean(self) -> dict[str, Any]:
        """Every mistake at once: the service's checks for what the fields let through."""
        cleaned = super().clean() or {}
        for name, message in initiative_errors(self.initiative_input()).items():
            if name in self.fields and name not in self.errors:
                self.add_error(name, message)
        return cleaned

    @property
    def is_spam(self) -> bool:
        return bool(self.data.get("homepage"))

    def initiative_input(self) -> InitiativeInput:
        data = getattr(self, "cleaned_data", {})
        return InitiativeInput(
            title=data.get("title") or "",
            description=data.get("description") or "",
            neighbourhood=data.get("neighbourhood"),
            for_whom=data.get("for_whom") or "",
            cost=data.get("cost") or "",
            own_contribution=data.get("own_contribution") or "",
            cost_breakdown=data.get("cost_breakdown") or "",
            helpers=data.get("helpers") or "",
            contact_name=data.get("contact_name") or "",
            contact_email=data.get("contact_email") or "",
            contact_phone=data.get("contact_phone") or "",
        )

    @staticmethod
    def values_of(data: InitiativeInput) -> dict[str, Any]:
        """A proposal as the form shows it."""
        return {name: getattr(data, name) for name in InitiativeInput.__dataclass_fields__}


class ProposalEditForm(ProposalForm, VersionedForm):
    """The initiators change their proposal; a co-initiator or a decision may have
    changed it meanwhile, so it carries the version opened."""

    @classmethod
    def values_from(cls, record: Any) -> dict[str, Any]:
        return cls.values_of(initiative_input_of(record))


# The photo itself is checked by the service (initiatives.photos), so that every mistake
# of the form is shown at once.
PHOTO_INPUT = forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"})


class ReportForm(forms.Form):
    # clean() demands both, so one refusal names every mistake at once.
    required_elsewhere = ("story", "attendance")

    story = forms.CharField(
        label=_("How did it go?"),
        required=False,
        max_length=4000,
        help_text=_("A short story: what happened, who joined, what it brought the neighbourhood."),
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    attendance = forms.IntegerField(
        label=_("How many people took part?"),
        required=False,
        min_value=0,
        max_value=100000,
        error_messages={
            "invalid": _("Give about how many people took part, for example 12."),
            "min_value": _("Give about how many people took part, for example 12."),
            "max_value": _("That is more people than a neighbourhood has."),
        },
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )

    photo_1 = forms.FileField(label=_("Photo 1"), required=False, widget=PHOTO_INPUT)
    description_1 = forms.CharField(
        label=_("What photo 1 shows"),
        required=False,
        max_length=200,
        help_text=_("For people who cannot see the photo, e.g. “Ten neighbours on the new bench”."),
    )
    photo_2 = forms.FileField(label=_("Photo 2"), required=False, widget=PHOTO_INPUT)
    description_2 = forms.CharField(label=_("What photo 2 shows"), required=False, max_length=200)
    photo_3 = forms.FileField(label=_("Photo 3"), required=False, widget=PHOTO_INPUT)
    description_3 = forms.CharField(label=_("What photo 3 shows"), required=False, max_length=200)
    photos_agreed = forms.BooleanField(
        label=_("The people recognisable in the photos agreed that they are shown publicly."),
        required=False,
    )

    def photos(self) -> list[tuple[Any, str]]:
        """The photos sent, each with its description, in the order of the form."""
        sent = []
        for number in (1, 2, 3):
            upload = self.cleaned_data.get(f"photo_{number}")
            if upload:
                sent.append((upload, self.cleaned_data.get(f"description_{number}") or ""))
        return sent

    def clean(self) -> dict[str, Any]:
        """Every mistake at once: a missing story too when the number is wrong."""
        cleaned = super().clean() or {}
        if not (cleaned.get("story") or "").strip() and "story" not in self.errors:
            self.add_error("story", _("Tell in a few sentences how it went."))
        if cleaned.get("attendance") is None and "attendance" not in self.errors:
            self.add_error("attendance", _("Give about how many people took part, for example 12."))
        return cleaned


class SupportForm(forms.Form):
    date = forms.DateField(
        validators=[validators.HAPPENED],
        label=_("Date"),
        input_formats=DATE_FORMATS,
        error_messages={"invalid": _("Write the date as day-month-year, for example 3-11-2026.")},
    )
    what = forms.CharField(
        label=_("What did you do?"),
        max_length=2000,
        required=False,
        help_text=_("For example: helped write the plan, found a place to meet."),
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class BudgetForm(forms.Form):
    budget = forms.ModelChoiceField(
        label=_("Resident budget"), queryset=Budget.objects.none(), empty_label=None
    )

    def __init__(self, *args: Any, initiative: Initiative, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["budget"]
        assert isinstance(field, forms.ModelChoiceField)
        hood = initiative.neighbourhood
        field.queryset = Budget.objects.filter(
            area_id__in=[hood.pk, hood.parent_id], active=True
        ).order_by("-starts_on", "name")


class DecisionForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Decision"),
        choices=Decision.Outcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the decision.")},
    )
    reason = forms.CharField(
        label=_("Why"),
        required=False,
        max_length=4000,
        help_text=_("The initiators read this. Write it plainly."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    decided_as = forms.CharField(
        label=_("Decided by"),
        required=False,
        max_length=200,
        help_text=_("For example: jury, wijkplatform Oost."),
    )
    reference = forms.CharField(
        label=_("Voting round and result"),
        required=False,
        max_length=200,
    )


class FundingForm(forms.Form):
    """Up to three funders with their share in percent."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        organisations = Organisation.objects.order_by("name")
        for row in range(1, FUNDER_ROWS + 1):
            self.fields[f"organisation_{row}"] = forms.ModelChoiceField(
                label=_("Funder %(n)s") % {"n": row},
                queryset=organisations,
                required=False,
                empty_label=_("Another funder (type the name)"),
            )
            self.fields[f"name_{row}"] = forms.CharField(
                label=_("Name of another funder %(n)s") % {"n": row},
                required=False,
                max_length=200,
            )
            self.fields[f"percent_{row}"] = forms.DecimalField(
                label=_("Share of funder %(n)s in percent") % {"n": row},
                required=False,
                min_value=Decimal("0"),
                max_value=Decimal("100"),
                decimal_places=2,
                localize=True,
                error_messages={"invalid": _("Write a percentage, for example 70.")},
                widget=forms.TextInput(attrs={"inputmode": "decimal"}),
            )

    def rows(self) -> list[dict[str, Any]]:
        return [
            {
                "organisation": self[f"organisation_{row}"],
                "name": self[f"name_{row}"],
                "percent": self[f"percent_{row}"],
            }
            for row in range(1, FUNDER_ROWS + 1)
        ]

    def shares(self) -> list[FundingShare]:
        data = self.cleaned_data
        return [
            FundingShare(
                percent=data.get(f"percent_{row}") or Decimal("0"),
                organisation=data.get(f"organisation_{row}"),
                name=data.get(f"name_{row}") or "",
            )
            for row in range(1, FUNDER_ROWS + 1)
        ]


class FilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All open proposals")), *Initiative.Status.choices],
    )
    area = NeighbourhoodChoice(
        label=_("Neighbourhood"), queryset=Area.objects.none(), required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["area"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = _neighbourhoods()
        field.empty_label = _("All neighbourhoods")
