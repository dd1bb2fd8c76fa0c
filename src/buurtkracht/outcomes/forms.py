"""The assessment form (one radio group per item, quick on a phone) and the story forms."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from buurtkracht.core import validators
from buurtkracht.core.forms import DATE_FORMATS
from buurtkracht.core.models import Area, Team
from buurtkracht.households.models import Household
from buurtkracht.outcomes.models import Assessment, InstrumentVersion
from buurtkracht.outcomes.services import item_field

WHOLE_HOUSEHOLD = ""


class ScoresForm(forms.Form):
    """A form with one choice per item of an instrument version, on its scale; items
    left empty are not scored (what did not come up)."""

    version: InstrumentVersion

    def add_item_fields(self) -> None:
        for item in self.version.items:
            self.fields[item_field(item["code"])] = forms.TypedChoiceField(
                label=item["label"],
                help_text=item.get("description", ""),
                choices=[(level["value"], level["label"]) for level in self.version.scale],
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

    def scores(self) -> dict[str, Any]:
        return {
            item["code"]: self.cleaned_data.get(item_field(item["code"]))
            for item in self.version.items
        }


class SelfAssessmentForm(ScoresForm):
    """The resident scores themselves (issue 19): only the items and their own words."""

    note = forms.CharField(
        label=_("In your own words"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What goes well, what worries you: for the conversation with your worker."),
    )

    def __init__(self, *args: Any, version: InstrumentVersion, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.version = version
        self.add_item_fields()


class AssessmentForm(ScoresForm):
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
        validators=[validators.HAPPENED],
        label=_("Date"),
        input_formats=DATE_FORMATS,
        help_text=_("For example 22-11-2026."),
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
        self.add_item_fields()

    def other_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in ("moment", "perspective", "person", "held_on", "note")]


class StoryForm(forms.Form):
    """A story (weekimpressie). The fields a household's story and a general story share;
    subclasses add who it is about or where it comes from."""

    title = forms.CharField(
        label=_("Title"),
        max_length=120,
        error_messages={"required": _("Give the story a short title.")},
    )
    text = forms.CharField(
        label=_("Story"),
        help_text=_(
            "What happened, and what it meant. Short, at most 1,500 characters. Write no "
            "names: reports show the story without them."
        ),
        widget=forms.Textarea(attrs={"rows": 6, "maxlength": 1500}),
        error_messages={"required": _("Write the story: what happened, and what it meant.")},
    )
    written_on = forms.DateField(
        validators=[validators.HAPPENED],
        label=_("Date"),
        input_formats=DATE_FORMATS,
        help_text=_("For example 22-11-2026."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        today = timezone.localdate().strftime("%d-%m-%Y")
        kwargs["initial"] = {"written_on": today, **(kwargs.get("initial") or {})}
        super().__init__(*args, **kwargs)


class HouseholdStoryForm(StoryForm):
    """A worker's story from a household's file."""

    about = forms.ChoiceField(
        label=_("About whom"),
        required=False,
        help_text=_(
            "If the story is about one resident, choose them: it then appears in reports "
            "only while they agree to it (consent “use their story in a report”)."
        ),
    )

    def __init__(self, *args: Any, household: Household, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        members = household.current_memberships().select_related("person")
        about = self.fields["about"]
        assert isinstance(about, forms.ChoiceField)
        about.choices = [(WHOLE_HOUSEHOLD, _("Nobody in particular"))] + [
            (str(m.person_id), m.person.full_name) for m in members
        ]


class ResidentStoryForm(StoryForm):
    """The resident's own story, with their own yes or no to its use in reports."""

    in_reports = forms.BooleanField(
        label=_("My stories may be used in the neighbourhood report, without my name."),
        required=False,
        help_text=_("You can change this at any time. It applies to all your stories."),
    )


class TeamStoryForm(StoryForm):
    """A general story from the work of a team, perhaps in one neighbourhood."""

    team = forms.ModelChoiceField(
        label=_("Team"),
        queryset=Team.objects.none(),
        error_messages={"required": _("Choose the team the story comes from.")},
    )
    neighbourhood = forms.ModelChoiceField(
        label=_("Neighbourhood"),
        queryset=Area.objects.none(),
        required=False,
        empty_label=_("The whole area of the team"),
    )

    def __init__(self, *args: Any, teams: list[Team], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        team = self.fields["team"]
        assert isinstance(team, forms.ModelChoiceField)
        team.queryset = Team.objects.filter(pk__in=[t.pk for t in teams]).order_by("name")
        if len(teams) == 1:
            team.initial = teams[0].pk
        neighbourhood = self.fields["neighbourhood"]
        assert isinstance(neighbourhood, forms.ModelChoiceField)
        neighbourhood.queryset = (
            Area.objects.filter(kind=Area.Kind.NEIGHBOURHOOD, teams__in=teams)
            .distinct()
            .order_by("name")
        )
