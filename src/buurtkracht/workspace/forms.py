"""Forms of the household file's section "Who is involved": co-workers from the team,
outside professionals, and handing over the lead."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from buurtkracht.accounts.models import User
from buurtkracht.core import validators
from buurtkracht.core.models import Organisation
from buurtkracht.households.models import Person


class ColleagueChoiceField(forms.ModelChoiceField[User]):
    def label_from_instance(self, obj: User) -> str:
        return obj.get_full_name() or obj.get_username()


class CoWorkerForm(forms.Form):
    worker = ColleagueChoiceField(
        label=_("Colleague from the team"),
        queryset=User.objects.none(),
        error_messages={
            "required": _("Choose a colleague."),
            "invalid_choice": _("Choose a colleague from the list."),
        },
    )

    def __init__(self, *args: Any, candidates: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["worker"].queryset = candidates  # type: ignore[attr-defined]


class LeadHandoverForm(forms.Form):
    to = ColleagueChoiceField(
        label=_("New lead worker"),
        queryset=User.objects.none(),
        error_messages={
            "required": _("Choose a colleague."),
            "invalid_choice": _("Choose a colleague from the list."),
        },
    )
    note = forms.CharField(
        label=_("Handover note"),
        help_text=_("What should the new lead worker know? The household's file stays as it is."),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=4000,
        error_messages={
            "required": _("Write a handover note: what should the new lead worker know?")
        },
    )

    def __init__(self, *args: Any, candidates: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["to"].queryset = candidates  # type: ignore[attr-defined]


class MemberChoiceField(forms.ModelChoiceField[Person]):
    def label_from_instance(self, obj: Person) -> str:
        return obj.full_name


class OutsideProfessionalForm(forms.Form):
    """An outside professional, typed or with values copied from the social map."""

    name = forms.CharField(
        label=_("Name"),
        max_length=150,
        error_messages={"required": _("Write the name of the professional.")},
    )
    organisation = forms.ModelChoiceField(
        label=_("Organisation from the list"),
        queryset=Organisation.objects.order_by("name"),
        required=False,
        help_text=_("Consent to share data is recorded per organisation in this list."),
    )
    organisation_name = forms.CharField(
        label=_("Organisation"),
        max_length=200,
        required=False,
        help_text=_("Not in the list? Write the name. Leave empty to use the list."),
    )
    role = forms.CharField(
        label=_("Role"),
        max_length=150,
        required=False,
        help_text=_("For example: debt counsellor, community police officer."),
    )
    phone = forms.CharField(label=_("Phone number"), max_length=40, required=False)
    email = forms.EmailField(
        label=_("E-mail"),
        required=False,
        error_messages={"invalid": _("Write an e-mail address like name@example.nl.")},
    )
    start_date = forms.DateField(
        label=_("Involved since"),
        required=False,
        validators=[validators.HAPPENED],
        input_formats=["%d-%m-%Y", "%Y-%m-%d", "%d/%m/%Y"],
        help_text=_("For example 17-05-2026. Empty: today."),
    )
    person = MemberChoiceField(
        label=_("Whose data is shared"),
        queryset=Person.objects.none(),
        required=False,
        help_text=_("Only when you share data with this professional."),
    )
    shares_data = forms.BooleanField(
        label=_("We share data with this professional"),
        required=False,
        help_text=_("Only with the resident's consent for this organisation."),
    )
    socialmap_resource = forms.UUIDField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, members: QuerySet[Person], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = members  # type: ignore[attr-defined]


class SharingForm(forms.Form):
    shares_data = forms.BooleanField(required=False)
    person = forms.ModelChoiceField(queryset=Person.objects.none(), required=False)

    def __init__(self, *args: Any, members: QuerySet[Person], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = members  # type: ignore[attr-defined]
