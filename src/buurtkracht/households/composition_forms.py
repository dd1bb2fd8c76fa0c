"""The forms of the composition page (households/composition_views.py)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from buurtkracht.core import validators
from buurtkracht.core.forms import DATE_FORMATS, VersionedForm
from buurtkracht.households.models import Household, Membership

_DATE_HELP = _("For example 17-05-2026.")


def _date_field(
    label: Any, *, rule: Any, required: bool = True, help_text: Any = _DATE_HELP
) -> Any:
    return forms.DateField(
        label=label,
        required=required,
        input_formats=DATE_FORMATS,
        validators=[rule],
        help_text=help_text,
    )


def _role_field() -> forms.ChoiceField:
    return forms.ChoiceField(
        label=_("Role in the household"),
        choices=[("", "—"), *Membership.Role.choices],
        error_messages={"required": _("Choose the person's role in the household.")},
    )


class PersonSearchForm(forms.Form):
    """Search the register before creating anyone: by BSN, or surname and birth date."""

    bsn = forms.CharField(label=_("BSN"), required=False, max_length=11)
    surname = forms.CharField(label=_("Surname"), required=False, max_length=100)
    date_of_birth = _date_field(
        _("Date of birth"), rule=validators.validate_date_of_birth, required=False
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        by_bsn = (data.get("bsn") or "").strip()
        by_name = data.get("surname") and data.get("date_of_birth")
        if not self.errors and not (by_bsn or by_name):
            raise ValidationError(
                _("Fill in a BSN, or a surname with a date of birth, to search the register.")
            )
        return data


class BrpSearchForm(forms.Form):
    """Zoek in de BRP: by BSN, or by surname and date of birth (a postcode narrows it)."""

    bsn = forms.CharField(label=_("BSN"), required=False, max_length=11)
    surname = forms.CharField(
        label=_("Surname"),
        required=False,
        max_length=100,
        help_text=_("Without the prefix: “Berg” for “van den Berg”."),
    )
    date_of_birth = _date_field(
        _("Date of birth"), rule=validators.validate_date_of_birth, required=False
    )
    postcode = forms.CharField(
        label=_("Postcode"),
        required=False,
        max_length=7,
        help_text=_("Optional, with surname and date of birth: where the person lives now."),
    )

    def clean_bsn(self) -> str:
        value = (self.cleaned_data.get("bsn") or "").strip()
        return validators.normalise_bsn(value) if value else ""

    def clean_postcode(self) -> str:
        value = (self.cleaned_data.get("postcode") or "").strip()
        return validators.normalise_postcode(value) if value else ""

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        by_name = data.get("surname") and data.get("date_of_birth")
        if not self.errors and not (data.get("bsn") or by_name):
            raise ValidationError(
                _("Fill in a BSN, or a surname with a date of birth, to search the BRP.")
            )
        return data


def brp_search_form(
    household: Household | None = None, data: QueryDict | None = None
) -> BrpSearchForm:
    """The BRP search form, with ids of its own beside the register search's."""
    return BrpSearchForm(data, auto_id="id_brp_%s")


class NameFields(forms.Form):
    initials = forms.CharField(label=_("Initials"), required=False, max_length=20)
    given_names = forms.CharField(label=_("Given names"), required=False, max_length=100)
    surname_prefix = forms.CharField(
        label=_("Surname prefix"),
        required=False,
        max_length=20,
        help_text=_("For example “van der” or “de”."),
    )
    surname = forms.CharField(
        label=_("Surname"),
        max_length=100,
        error_messages={"required": _("Fill in the surname.")},
    )


class NewMemberForm(NameFields):
    """A person not in the register yet, moving in."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # Ids of its own: the search forms on the same page have a surname and a BSN too,
        # and a label must point at its own field.
        kwargs.setdefault("auto_id", "id_new_%s")
        super().__init__(*args, **kwargs)

    date_of_birth = _date_field(
        _("Date of birth"), rule=validators.validate_date_of_birth, required=False
    )
    bsn = forms.CharField(
        label=_("BSN"),
        required=False,
        max_length=11,
        help_text=_("Only when the work needs it."),
    )
    role = _role_field()
    start_date = _date_field(_("Lives here from"), rule=validators.MEMBERSHIP_DATE)
    # The register's answer these details were filled from (households.brp.answer_token).
    register = forms.CharField(required=False, widget=forms.HiddenInput)


class AddFoundForm(forms.Form):
    """A person found in the register, moving in (the token names them)."""

    token = forms.CharField(widget=forms.HiddenInput)
    role = _role_field()
    start_date = _date_field(_("Lives here from"), rule=validators.MEMBERSHIP_DATE)


class BirthForm(forms.Form):
    """A child born into the household: a new person, a member from their birth."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "id_birth_%s")  # see NewMemberForm
        super().__init__(*args, **kwargs)

    given_names = forms.CharField(label=_("Given names"), required=False, max_length=100)
    surname_prefix = forms.CharField(label=_("Surname prefix"), required=False, max_length=20)
    surname = forms.CharField(
        label=_("Surname"), max_length=100, error_messages={"required": _("Fill in the surname.")}
    )
    date_of_birth = _date_field(_("Date of birth"), rule=validators.validate_date_of_birth)


class MoveOutForm(forms.Form):
    end_date = _date_field(
        _("Lives here until"),
        rule=validators.MEMBERSHIP_DATE,
        help_text=_("The last day the person lives here. For example 17-05-2026."),
    )


class RoleForm(forms.Form):
    role = _role_field()


class NameForm(NameFields, VersionedForm):
    """Correct how a name is written (not a change of person). Versioned: two workers
    correcting the same name in two tabs cannot undo each other (decision 0008)."""


class DeathForm(forms.Form):
    date_of_death = _date_field(_("Date of death"), rule=validators.DATE_OF_DEATH)
