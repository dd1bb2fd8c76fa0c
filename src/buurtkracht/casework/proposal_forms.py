"""The resident's forms for writing in their own plan, and the worker's answer
(services/proposals.py). The resident's labels are B1 Dutch and say "u"."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from buurtkracht.casework.models import LifeDomain


class ProposeGoalForm(forms.Form):
    text = forms.CharField(
        label=_("Your goal, in your own words"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=1000,
        help_text=_("For example: “I want to pay off my debts before summer.”"),
        error_messages={"required": _("Write it in your own words.")},
    )
    domains = forms.MultipleChoiceField(
        label=_("What is it about?"),
        choices=LifeDomain.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )


class ProposeChangeForm(forms.Form):
    goal = forms.IntegerField(widget=forms.HiddenInput)
    text = forms.CharField(
        label=_("How you want the goal to read"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=1000,
        error_messages={"required": _("Write it in your own words.")},
    )


class CommentForm(forms.Form):
    action = forms.IntegerField(widget=forms.HiddenInput)
    text = forms.CharField(
        label=_("Your comment"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=1000,
        error_messages={"required": _("Write it in your own words.")},
    )


class DoneForm(forms.Form):
    action = forms.IntegerField(widget=forms.HiddenInput)


class DecideForm(forms.Form):
    """The worker's answer to one proposal: accept, or talk about it first. The note is
    needed to talk about it first, the life domains to accept a new goal the resident
    tied to none (the service checks both); the page shows each only where needed."""

    required_elsewhere = ("answer", "domains")

    proposal = forms.IntegerField(widget=forms.HiddenInput)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    decision = forms.ChoiceField(
        label=_("Answer"),
        choices=[("accept", _("Accept")), ("discuss", _("Talk about it first"))],
        widget=forms.HiddenInput,
    )
    domains = forms.MultipleChoiceField(
        label=_("Life domains of the new goal"),
        choices=LifeDomain.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    answer = forms.CharField(
        label=_("Note for the resident"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=1000,
        required=False,
    )
