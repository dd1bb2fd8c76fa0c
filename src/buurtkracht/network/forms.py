"""Forms of the network map. Made for a phone at the kitchen table: only the name and who
it is are needed; everything else has a sensible default the resident can change."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from buurtkracht.core import validators
from buurtkracht.core.forms import DATE_FORMATS, VersionedForm
from buurtkracht.network.models import Closeness, ContactState, Energy, Kind, Quality, Support


class TieForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_("As the resident says it, for example “Aunt Els” or “the peer group”."),
        error_messages={"required": _("Write the name the way the resident says it.")},
    )
    kind = forms.ChoiceField(
        label=_("Who is it?"),
        choices=Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose who it is: family, a friend, a neighbour, …")},
    )
    relation = forms.CharField(
        label=_("Relation"),
        required=False,
        max_length=150,
        help_text=_("For example “brother” or “neighbour at no. 12”."),
    )
    closeness = forms.TypedChoiceField(
        label=_("How close?"),
        choices=Closeness.choices,
        coerce=int,
        initial=Closeness.MIDDLE,
        widget=forms.RadioSelect,
    )
    support = forms.MultipleChoiceField(
        label=_("What does this person give?"),
        choices=Support.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The first one you tick gives the colour on the map."),
    )
    quality = forms.ChoiceField(
        label=_("How is the tie?"),
        choices=Quality.choices,
        initial=Quality.STRONG,
        widget=forms.RadioSelect,
    )
    energy = forms.ChoiceField(
        label=_("Energy"),
        choices=Energy.choices,
        initial=Energy.NEUTRAL,
        widget=forms.RadioSelect,
    )
    contact = forms.ChoiceField(
        label=_("Contact"),
        choices=ContactState.choices,
        initial=ContactState.CONTACTED,
        widget=forms.RadioSelect,
    )
    restored = forms.BooleanField(label=_("This is a restored contact"), required=False)
    do_not_contact = forms.BooleanField(
        label=_("Do not contact: the resident does not want us to approach this person"),
        required=False,
    )
    phone = forms.CharField(label=_("Phone"), required=False, max_length=20)
    note = forms.CharField(
        label=_("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )

    # What a tie is, as tie_add and tie_update take it (the dates and the centre apart).
    TIE_FIELDS = (
        "name",
        "kind",
        "relation",
        "support",
        "closeness",
        "quality",
        "energy",
        "contact",
        "restored",
        "do_not_contact",
        "phone",
        "note",
    )

    def tie_values(self) -> dict[str, Any]:
        return {field: self.cleaned_data[field] for field in self.TIE_FIELDS}


class TieEditForm(TieForm, VersionedForm):
    """Changing a tie someone else may be changing too: it carries the version opened."""

    @classmethod
    def values_from(cls, record: Any) -> dict[str, Any]:
        return {field: getattr(record, field) for field in cls.TIE_FIELDS}


class TieAddForm(TieForm):
    added_on = forms.DateField(
        validators=[validators.HAPPENED],
        label=_("On the map since"),
        required=False,
        input_formats=DATE_FORMATS,
        help_text=_("Leave empty for today."),
    )


class TieEndForm(forms.Form):
    ended_on = forms.DateField(
        validators=[validators.HAPPENED],
        label=_("Ended on"),
        required=False,
        input_formats=DATE_FORMATS,
        help_text=_("Leave empty for today."),
    )
    reason = forms.CharField(label=_("Why it ended"), required=False, max_length=300)


class VersionForm(forms.Form):
    label = forms.CharField(
        label=_("Name of this version"),
        max_length=100,
        help_text=_("For example “Intake” or “Review”."),
        error_messages={"required": _("Give the version a name, for example “Intake”.")},
    )
    saved_on = forms.DateField(
        validators=[validators.HAPPENED],
        label=_("Date"),
        required=False,
        input_formats=DATE_FORMATS,
        help_text=_("Leave empty for today."),
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=500)
