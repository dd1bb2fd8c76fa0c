"""Forms of the social map: the search on a phone, an entry, a rejection, an import."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from buurtkracht.casework.models import LifeDomain
from buurtkracht.core import validators
from buurtkracht.core.forms import DATE_FORMATS, VersionedForm
from buurtkracht.core.models import Area
from buurtkracht.socialmap.models import Resource
from buurtkracht.socialmap.search import Filters
from buurtkracht.socialmap.services import ResourceInput, resource_input_of

MAX_UPLOAD_BYTES = 20 * 1024 * 1024


def _areas() -> Any:
    return Area.objects.filter(kind__in=(Area.Kind.DISTRICT, Area.Kind.NEIGHBOURHOOD)).order_by(
        "kind", "name"
    )


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=200,
        help_text=_("For example: schulden, taalcafé, rouw, wandelen."),
        widget=forms.TextInput(attrs={"type": "search", "enterkeyhint": "search"}),
    )
    domain = forms.ChoiceField(
        label=_("Life domain"),
        required=False,
        choices=[("", _("All life domains")), *LifeDomain.choices],
    )
    area = forms.ModelChoiceField(
        label=_("District or neighbourhood"),
        queryset=_areas(),
        required=False,
        empty_label=_("The whole municipality"),
    )
    open_access = forms.BooleanField(label=_("Only open to everyone (no referral)"), required=False)
    informal = forms.BooleanField(label=_("Only informal help"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        area = self.fields["area"]
        assert isinstance(area, forms.ModelChoiceField)
        area.queryset = _areas()

    def filters(self) -> Filters:
        data = self.cleaned_data if self.is_valid() else {}
        return Filters(
            query=data.get("q") or "",
            life_domain=data.get("domain") or "",
            area=data.get("area"),
            open_access=bool(data.get("open_access")),
            informal=bool(data.get("informal")),
        )


class ResourceForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    provider_name = forms.CharField(
        label=_("Who offers it"),
        max_length=200,
        help_text=_("An organisation, a church, a club or a group of residents."),
    )
    description = forms.CharField(
        label=_("What it offers"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=Resource.Kind.choices)
    informal = forms.BooleanField(
        label=_("Informal help (residents, volunteers, a church or a club)"), required=False
    )
    target_group = forms.CharField(
        label=_("For whom"),
        max_length=300,
        required=False,
        help_text=_("For example: parents of young children, people with debts."),
    )
    age_min = forms.IntegerField(label=_("Minimum age"), required=False, min_value=0, max_value=120)
    age_max = forms.IntegerField(label=_("Maximum age"), required=False, min_value=0, max_value=120)
    life_domains = forms.MultipleChoiceField(
        label=_("Life domains"),
        choices=LifeDomain.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    neighbourhoods = forms.ModelMultipleChoiceField(
        label=_("Neighbourhoods served"),
        queryset=Area.objects.filter(kind=Area.Kind.NEIGHBOURHOOD).order_by("name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Choose none if it is for the whole municipality."),
    )
    access = forms.ChoiceField(
        label=_("How to get in"), choices=Resource.Access.choices, widget=forms.RadioSelect
    )
    cost = forms.CharField(
        label=_("Cost"),
        max_length=300,
        required=False,
        help_text=_("For example: free, €2 per time."),
    )
    languages = forms.CharField(
        label=_("Languages"),
        max_length=300,
        required=False,
        help_text=_("Separate with commas, for example: Nederlands, Turks, Arabisch."),
    )
    location_name = forms.CharField(label=_("Name of the place"), max_length=200, required=False)
    address = forms.CharField(label=_("Address"), max_length=200, required=False)
    postcode = forms.CharField(label=_("Postcode"), max_length=7, required=False)
    city = forms.CharField(label=_("Town"), max_length=80, required=False)
    opening_hours = forms.CharField(
        label=_("Opening hours"),
        max_length=500,
        required=False,
        help_text=_(
            "One day per line or separated by commas, for example: ma 9:00-12:00, do 13:30-16:00."
        ),
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    accessibility = forms.CharField(
        label=_("Accessibility"),
        max_length=1000,
        required=False,
        help_text=_("For example: step-free entrance, lift, accessible toilet."),
    )
    contact_name = forms.CharField(label=_("Contact person"), max_length=150, required=False)
    contact_phone = forms.CharField(label=_("Phone number"), max_length=40, required=False)
    contact_email = forms.EmailField(label=_("Email address"), required=False)
    website = forms.URLField(
        label=_("Website"),
        required=False,
        assume_scheme="https",
        validators=[validators.validate_web_link],
    )
    verified_on = forms.DateField(
        validators=[validators.HAPPENED],
        label=_("Last checked on"),
        required=False,
        input_formats=DATE_FORMATS,
        help_text=_("When you last checked this with the provider. For example 22-11-2026."),
    )

    def __init__(self, *args: Any, proposal: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["neighbourhoods"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = Area.objects.filter(kind=Area.Kind.NEIGHBOURHOOD).order_by("name")
        if proposal:
            # Someone proposing an entry cannot vouch that it was checked; the moderator does.
            del self.fields["verified_on"]

    @staticmethod
    def values_of(data: ResourceInput) -> dict[str, Any]:
        """An entry as the form shows it."""
        return {
            **vars(data),
            "languages": ", ".join(data.languages),
            "neighbourhoods": [a.pk for a in data.neighbourhoods],
            "verified_on": data.verified_on.strftime("%d-%m-%Y") if data.verified_on else "",
        }

    def resource_input(self) -> ResourceInput:
        data = self.cleaned_data
        return ResourceInput(
            name=data["name"],
            provider_name=data["provider_name"],
            description=data["description"],
            kind=data["kind"],
            informal=bool(data.get("informal")),
            age_min=data.get("age_min"),
            age_max=data.get("age_max"),
            target_group=data.get("target_group") or "",
            life_domains=list(data.get("life_domains") or []),
            neighbourhoods=list(data.get("neighbourhoods") or []),
            access=data["access"],
            cost=data.get("cost") or "",
            languages=[p.strip() for p in (data.get("languages") or "").split(",") if p.strip()],
            contact_name=data.get("contact_name") or "",
            contact_phone=data.get("contact_phone") or "",
            contact_email=data.get("contact_email") or "",
            website=data.get("website") or "",
            verified_on=data.get("verified_on"),
            location_name=data.get("location_name") or "",
            address=data.get("address") or "",
            postcode=data.get("postcode") or "",
            city=data.get("city") or "",
            accessibility=data.get("accessibility") or "",
            opening_hours=data.get("opening_hours") or "",
        )


class ResourceEditForm(ResourceForm, VersionedForm):
    """Changing an entry someone else may be changing too: it carries the version opened."""

    @classmethod
    def values_from(cls, record: Any) -> dict[str, Any]:
        return cls.values_of(resource_input_of(record))


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for rejection"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Give a reason, so the person who proposed it knows why.")},
    )


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("HSDS file (JSON)"),
        help_text=_(
            "A social map in Open Referral HSDS 3 JSON, for example an export from Buurtkracht."
        ),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("The file is larger than 20 MB. Split it up."))
        return upload
