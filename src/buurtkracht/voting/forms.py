"""Forms of participatory budgeting. The ballot itself is read by
`services.choices_from`, so it works with plain checkboxes and number fields."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from buurtkracht.core import validators
from buurtkracht.core.forms import VersionedForm
from buurtkracht.core.models import Area
from buurtkracht.voting.models import Proposal, VotingRound
from buurtkracht.voting.services import RoundInput


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%d")


class RoundForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=150)
    description = forms.CharField(
        label=_("What is it about"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    area = forms.ModelChoiceField(label=_("District"), queryset=Area.objects.none())
    budget = forms.IntegerField(label=_("Budget in euros"), min_value=1)
    opens_on = forms.DateField(
        label=_("Voting opens on"), widget=DateInput(), validators=[validators.VOTING_DATE]
    )
    closes_on = forms.DateField(
        label=_("Voting closes on"), widget=DateInput(), validators=[validators.VOTING_DATE]
    )
    eligibility = forms.ChoiceField(
        label=_("Who may vote"),
        choices=VotingRound.Eligibility.choices,
        widget=forms.RadioSelect,
        initial=VotingRound.Eligibility.HOUSEHOLD,
    )
    ballot_type = forms.ChoiceField(
        label=_("Ballot"),
        choices=VotingRound.BallotType.choices,
        widget=forms.RadioSelect,
        initial=VotingRound.BallotType.KNAPSACK,
    )
    tokens_per_voter = forms.IntegerField(
        label=_("Tokens per voter"),
        min_value=1,
        max_value=100,
        initial=10,
        help_text=_("Only for the tokens ballot."),
    )
    known_initiators = forms.IntegerField(
        label=_("Known initiators"),
        min_value=0,
        initial=0,
        help_text=_("How many different residents or groups made the plans."),
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        field = self.fields["area"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Area.objects.filter(kind=Area.Kind.DISTRICT).order_by("name")

    def round_input(self) -> RoundInput:
        data = self.cleaned_data
        return RoundInput(
            name=data["name"],
            description=data["description"],
            area=data["area"],
            budget=data["budget"],
            opens_on=data["opens_on"],
            closes_on=data["closes_on"],
            eligibility=data["eligibility"],
            ballot_type=data["ballot_type"],
            tokens_per_voter=data["tokens_per_voter"],
            known_initiators=data["known_initiators"],
        )


class ProposalForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=150)
    description = forms.CharField(
        label=_("Short description"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3})
    )
    cost = forms.IntegerField(label=_("Cost in euros"), min_value=1)
    neighbourhood = forms.ModelChoiceField(
        label=_("Neighbourhood"), queryset=Area.objects.none(), required=False
    )
    initiative_ref = forms.CharField(
        label=_("Initiative"),
        max_length=100,
        required=False,
        help_text=_("The resident initiative this plan comes from, if any."),
    )

    def __init__(self, *args: object, voting_round: VotingRound, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        field = self.fields["neighbourhood"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = voting_round.neighbourhoods()


class FollowUpForm(VersionedForm):
    """What happened after the vote. Versioned (decision 0008): two community workers
    writing the follow-through of one plan cannot undo each other unseen."""

    follow_up_status = forms.ChoiceField(
        label=_("What happened next"), choices=Proposal.FollowUp.choices, widget=forms.RadioSelect
    )
    follow_up_text = forms.CharField(
        label=_("The story for residents"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text=_("Shown on the public result page. Write what was done, and when."),
    )


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Your voting code"),
        max_length=20,
        help_text=_("It is on the letter you got from the municipality, for example KX7PM-4RTQW."),
    )


class BlockForm(forms.Form):
    code = forms.CharField(label=_("Voting code"), max_length=20, required=False)
    letter_number = forms.IntegerField(
        label=_("Or the letter number"),
        min_value=1,
        required=False,
        help_text=_("The number at the bottom of the letter."),
    )
