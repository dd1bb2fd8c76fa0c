"""The assessment form: one radio group per item, quick on a phone."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from buurtkracht.casework.forms import DATE_FORMATS
from buurtkracht.households.models import Household
from buurtkracht.outcomes.models import Assessment, InstrumentVersion
from buurtkracht.outcomes.services import item_field

WHOLE_HOUSEHOLD = ""


class AssessmentForm(forms.Form):
    moment = forms.ChoiceField(
        label=_("Moment"),
        choices=Assessment.Moment.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose when this assessment was taken.")},
    )
    perspective = forms.ChoiceField(
        label=_("Whose view"),
        choices=Assessment.Perspective.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose whose view this is.")},
    )
    person = forms.ChoiceField(label=_("About whom"), required=False)
    held_on = forms.DateField(
        label=_("Date"), input_formats=DATE_FORMATS, help_text=_("For example 22-11-2026.")
    )
    note = forms.CharField(
        label=_("Note"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(
        self, *args: Any, version: InstrumentVersion, household: Household, **kwargs: Any
    ) -> None:
        kwargs.setdefault("initial", {"held_on": timezone.localdate().strftime("%d-%m-%Y")})
        super().__init__(*args, **kwargs)
        self.version = version
        members = household.current_memberships().select_related("person")
        person_field = self.fields["person"]
        assert isinstance(person_field, forms.ChoiceField)
        person_field.choices = [(WHOLE_HOUSEHOLD, _("The household as a whole"))] + [
            (str(m.person_id), m.person.full_name) for m in members
        ]
        self.fields["person"].initial = WHOLE_HOUSEHOLD
        for item in version.items:
            self.fields[item_field(item["code"])] = forms.TypedChoiceField(
                label=item["label"],
                help_text=item.get("description", ""),
                choices=[(level["value"], level["label"]) for level in version.scale],
                coerce=int,
                required=False,
                widget=forms.RadioSelect,
            )

    def item_fields(self) -> list[tuple[forms.BoundField, list[dict[str, Any]]]]:
        """Each item's bound field with its options: the scale's levels with their short
        descriptions, and whether the user had chosen it (kept on an error)."""
        descriptions = {
            str(level["value"]): level.get("description", "") for level in self.version.scale
        }
        result = []
        for item in self.version.items:
            bound = self[item_field(item["code"])]
            options = [
                {
                    "id": choice.id_for_label,
                    "value": choice.data["value"],
                    "label": choice.choice_label,
                    "description": descriptions.get(str(choice.data["value"]), ""),
                    "checked": choice.data["selected"],
                }
                for choice in bound
            ]
            result.append((bound, options))
        return result

    def other_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in ("moment", "perspective", "person", "held_on", "note")]

    def scores(self) -> dict[str, Any]:
        return {
            item["code"]: self.cleaned_data.get(item_field(item["code"]))
            for item in self.version.items
        }
