"""Forms of the resident's requests about their data (docs/data-rights.md)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class CorrectionForm(forms.Form):
    """The resident's own words (B1, "je")."""

    wrong = forms.CharField(
        label=_("What is wrong?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("For example: my phone number, or something in a note about me."),
    )
    should_be = forms.CharField(
        label=_("What should it be?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class AnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("Answer to the resident"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What you changed, or why not. The resident reads this on their page My data."),
    )


class DownloadReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Why do you open this copy?"),
        max_length=300,
        help_text=_("For example: the resident asked for it on paper. It goes in the log."),
    )
