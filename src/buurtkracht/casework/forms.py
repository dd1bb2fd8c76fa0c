from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from buurtkracht.casework.models import (
    GOAL_CLOSED_STATES,
    Action,
    ClosureReason,
    Contact,
    Goal,
    Intake,
    LifeDomain,
    Plan,
    Step,
)
from buurtkracht.core import validators
from buurtkracht.core.forms import DATE_FORMATS


class ContactForm(forms.Form):
    """Three taps on a phone: what kind, a line of note, save."""

    kind = forms.ChoiceField(
        label=_("What kind of contact"),
        choices=Contact.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose what kind of contact it was.")},
    )
    note = forms.CharField(
        label=_("Short note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=4000,
    )
    sensitive = forms.BooleanField(
        label=_("Sensitive: only for workers involved in this household"), required=False
    )


class PlanVersionForm(forms.Form):
    """The plan's own lock: the version of the whole plan the page was opened at, which
    the plan services compare (PlanChangedMeanwhile). Older than core.forms.VersionedForm,
    which versions one record and names what changed (decision 0008)."""

    version = forms.IntegerField(widget=forms.HiddenInput)


class GoalForm(PlanVersionForm):
    text = forms.CharField(
        label=_("Goal, in the resident's own words"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=1000,
        help_text=_("For example: “I want to get rid of my rent arrears before summer.”"),
    )
    domains = forms.MultipleChoiceField(
        label=_("Life domains"),
        choices=LifeDomain.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one life domain this goal is about.")},
    )


class ActionForm(PlanVersionForm):
    # Who does it may be written or, at step 2, chosen from the network map: one of the
    # two is needed (action_add checks), so neither label says "optional".
    required_elsewhere = ("owner",)

    goal = forms.IntegerField(widget=forms.HiddenInput)
    description = forms.CharField(label=_("What will be done"), max_length=300)
    owner = forms.CharField(
        label=_("Who does it"),
        max_length=150,
        required=False,
        help_text=_("The resident, someone they know, or an organisation."),
    )
    owner_tie = forms.TypedChoiceField(
        label=_("Or someone from the network map (step 2)"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[],
    )
    owner_worker = forms.TypedChoiceField(
        label=_("Or a worker involved in this household"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[],
    )
    step = forms.TypedChoiceField(
        label=_("Step"),
        choices=Step.choices,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the step: own strength first.")},
    )
    due_date = forms.DateField(
        validators=[validators.PLANNED],
        label=_("Before"),
        required=False,
        input_formats=DATE_FORMATS,
        help_text=_("For example 31-01-2027."),
    )

    def __init__(
        self,
        *args: Any,
        owner_ties: list[tuple[int, str]] | None = None,
        owner_workers: list[tuple[int, str]] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        # People from the network map, for an action at step 2 (network).
        self.fields["owner_tie"].choices = [("", "—"), *(owner_ties or [])]  # type: ignore[attr-defined]
        self.fields["owner_worker"].choices = [("", "—"), *(owner_workers or [])]  # type: ignore[attr-defined]
        if owner_ties:
            self.fields["owner"].help_text = _(
                "The resident, someone they know, or an organisation. Or choose someone "
                "from the network map below."
            )
        # Unique ids per goal: one page shows a form under every goal.
        goal = self.initial.get("goal") or self.data.get(self.add_prefix("goal"))
        self.auto_id = f"id_goal{goal}_%s"


class ActionEditForm(ActionForm):
    """Edit or reassign one action, on its own page."""

    goal = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.auto_id = "id_%s"


class ActionStatusForm(PlanVersionForm):
    """How an action ended: done, not done, no longer needed (or back to do)."""

    status = forms.ChoiceField(
        label=_("How did it go?"),
        choices=Action.Status.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose done, not done or no longer needed.")},
    )
    # The one-tap "done" buttons on the plan page post the version too; a page without
    # it (an old cached page) is not checked (decision 0008).
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.auto_id = "id_status_%s"  # beside the edit form on the action's page


class GoalCloseForm(PlanVersionForm):
    """Close a goal: reached, partly reached or stopped, in the resident's words."""

    status = forms.ChoiceField(
        label=_("How did it end?"),
        choices=[(s.value, s.label) for s in GOAL_CLOSED_STATES],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose reached, partly reached or stopped.")},
    )
    words = forms.CharField(
        label=_("In the resident's own words"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
        help_text=_("For example: “The arrears are paid off; I open my post every week now.”"),
        error_messages={
            "required": _("Write in the resident's own words how it went with this goal.")
        },
    )
    closed_on = forms.DateField(
        validators=[validators.HAPPENED],
        label=_("On"),
        input_formats=DATE_FORMATS,
        help_text=_("For example 22-11-2026. Today or a day in the past."),
        error_messages={
            "required": _("Fill in the day, for example 22-11-2026."),
            "invalid": _("Write the date as day-month-year, for example 22-11-2026."),
        },
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.auto_id = "id_close_%s"  # beside the edit form on the goal's page


class GoalReopenForm(PlanVersionForm):
    reason = forms.CharField(
        label=_("Why the goal is reopened"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=1000,
        help_text=_("For example: closed by mistake, it was another goal."),
        error_messages={
            "required": _(
                "Write why the goal is reopened, for example that it was closed by mistake."
            )
        },
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.auto_id = "id_reopen_%s"


class AgreeForm(forms.Form):
    agreed_on = forms.DateField(
        validators=[validators.HAPPENED],
        label=_("Agreed on"),
        input_formats=DATE_FORMATS,
        help_text=_("For example 22-11-2026."),
    )
    how = forms.ChoiceField(
        label=_("How"), choices=Plan.AgreedHow.choices, widget=forms.RadioSelect
    )


REVIEW_GOAL_STATES = [
    (Goal.Status.OPEN.value, _("keep going")),
    *((s.value, s.label) for s in GOAL_CLOSED_STATES),
]


class ReviewForm(forms.Form):
    """A review walks through every open goal: keep going, or reached, partly reached or
    stopped, with the resident's words (`goal<pk>_state`, `goal<pk>_words`)."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    held_on = forms.DateField(
        validators=[validators.HAPPENED],
        label=_("Review held on"),
        input_formats=DATE_FORMATS,
        help_text=_("For example 22-11-2026."),
    )
    what_changed = forms.CharField(
        label=_("What changed"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
        help_text=_("In the resident's words where you can: what went well, what is stuck."),
    )
    next_review = forms.DateField(
        validators=[validators.PLANNED],
        label=_("Next review"),
        required=False,
        input_formats=DATE_FORMATS,
        help_text=_("Leave empty for six months from now; earlier when the plan is stuck."),
    )

    def __init__(self, *args: Any, goals: list[Goal] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.goals = [goal for goal in goals or [] if not goal.is_closed]
        # The words are needed when a goal closes (plan_review checks): no "optional".
        self.required_elsewhere = tuple(f"goal{goal.pk}_words" for goal in self.goals)
        for goal in self.goals:
            short = goal.text if len(goal.text) <= 60 else goal.text[:59] + "…"
            self.fields[f"goal{goal.pk}_state"] = forms.ChoiceField(
                label=_("“%(goal)s”: how is it going?") % {"goal": short},
                choices=REVIEW_GOAL_STATES,
                widget=forms.RadioSelect,
                initial=Goal.Status.OPEN,
                required=False,  # nothing chosen: the goal keeps going
            )
            self.fields[f"goal{goal.pk}_words"] = forms.CharField(
                label=_("In the resident's words: “%(goal)s”") % {"goal": short},
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
                max_length=4000,
                help_text=_("Needed when the goal closes: how it went, as the resident says it."),
            )

        # In the order of the page, so the error summary follows it.
        goal_names = [name for name in self.fields if name.startswith("goal")]
        self.order_fields(["version", "held_on", *goal_names, "what_changed", "next_review"])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for goal in self.goals:
            data[f"goal{goal.pk}_state"] = data.get(f"goal{goal.pk}_state") or Goal.Status.OPEN
        return data

    def goal_fields(self) -> list[tuple[Goal, Any, Any]]:
        """(goal, state field, words field) for the template."""
        return [
            (goal, self[f"goal{goal.pk}_state"], self[f"goal{goal.pk}_words"])
            for goal in self.goals
        ]


class CloseForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("Why the file closes"), choices=ClosureReason.choices, widget=forms.RadioSelect
    )
    reached = forms.CharField(
        label=_("What was reached"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000
    )
    aftercare_on = forms.DateField(
        validators=[validators.PLANNED],
        label=_("Aftercare check on"),
        required=False,
        input_formats=DATE_FORMATS,
        help_text=_("Leave empty for three months from now."),
    )


class AftercareForm(forms.Form):
    note = forms.CharField(
        label=_("How is it going now?"), widget=forms.Textarea(attrs={"rows": 2}), max_length=4000
    )


class ReopenForm(forms.Form):
    """No fields: reopening is one deliberate button."""


class IntakeAddressForm(forms.Form):
    """The address of an intake: at registration, or linked later when it becomes known."""

    postcode = forms.CharField(label=_("Postcode"), required=False, max_length=7)
    house_number = forms.IntegerField(label=_("House number"), required=False, min_value=1)
    house_letter = forms.CharField(label=_("House letter"), required=False, max_length=1)
    addition = forms.CharField(label=_("Addition"), required=False, max_length=4)
    street = forms.CharField(
        label=_("Street"),
        required=False,
        max_length=100,
        help_text=_("Only for an address new here."),
    )
    town = forms.CharField(label=_("Town"), required=False, max_length=80)
    create_anyway = forms.BooleanField(
        label=_("It is really another household: make a new file"), required=False
    )


class IntakeLinkAddressForm(IntakeAddressForm):
    # Linking an address needs both; clean() says so in one message.
    required_elsewhere = ("postcode", "house_number")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("postcode") or not data.get("house_number"):
            raise forms.ValidationError(_("Fill in both the postcode and the house number."))
        return data


class IntakeForm(IntakeAddressForm):
    """A name or an address, and one sentence: what the page promises is all it demands."""

    # A name or an address will do (intake_create checks): neither label says "optional".
    required_elsewhere = ("name", "postcode", "house_number")

    source = forms.ChoiceField(
        label=_("Who reported it"),
        choices=Intake.Source.choices,
        widget=forms.RadioSelect,
        required=False,
        help_text=_("Leave empty when you noticed it yourself: it is then your own contact."),
    )
    description = forms.CharField(
        label=_("What is going on"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        help_text=_("One sentence is enough to start."),
        error_messages={"required": _("Write in one sentence what is going on.")},
    )
    name = forms.CharField(
        label=_("Name"),
        required=False,
        max_length=150,
        help_text=_("Or the address below: one of the two is enough."),
    )
    date_of_birth = forms.DateField(
        label=_("Date of birth"),
        required=False,
        input_formats=DATE_FORMATS,
        help_text=_("If known, for example 03-07-1979: it helps find an existing file."),
        error_messages={"invalid": _("Write the date as day-month-year, for example 03-07-1979.")},
    )


class AssignForm(forms.Form):
    worker = forms.IntegerField(widget=forms.HiddenInput, required=False)


class ConversationForm(forms.Form):
    held_on = forms.DateField(
        validators=[validators.HAPPENED],
        label=_("Held on"),
        input_formats=DATE_FORMATS,
        help_text=_("For example 22-11-2026."),
    )
    with_whom = forms.CharField(label=_("With whom"), required=False, max_length=200)
    what_matters = forms.CharField(
        label=_("What matters to them"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
        help_text=_("In their own words."),
    )
    wants = forms.CharField(
        label=_("What they want"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=4000,
    )
    tried = forms.CharField(
        label=_("What they tried already"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=4000,
    )
    helpers = forms.CharField(
        label=_("Who around them helps"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=4000,
        help_text=_("Family, neighbours, friends, church, club."),
    )
    domains = forms.MultipleChoiceField(
        label=_("Life domains touched"),
        choices=LifeDomain.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    decided = forms.CharField(
        label=_("What was decided"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=4000,
    )


class MergeForm(forms.Form):
    duplicate = forms.TypedChoiceField(
        label=_("Which file is the duplicate?"),
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the file to merge into this one.")},
    )
    reason = forms.CharField(
        label=_("Why are these the same household?"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Write why these are the same household.")},
    )

    def __init__(self, *args: Any, candidates: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["duplicate"].choices = [(pk, str(pk)) for pk in candidates]  # type: ignore[attr-defined]
