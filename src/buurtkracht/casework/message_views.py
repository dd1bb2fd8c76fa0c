"""The household's messages: the conversation between the resident and the workers
involved, on a phone. Resident data only through the guard; every look is logged."""

from __future__ import annotations

from django import forms
from django.contrib import messages as flash
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from buurtkracht.accounts.types import AuthenticatedRequest
from buurtkracht.audit.decorators import audited
from buurtkracht.audit.models import Ground
from buurtkracht.casework.message_models import MESSAGE_MAX_LENGTH
from buurtkracht.casework.message_queries import conversation, read_until
from buurtkracht.casework.services import message_send, messages_mark_read
from buurtkracht.casework.services.messages import READ_GROUNDS, WRITE_GROUNDS
from buurtkracht.core.forms import errors_to_form
from buurtkracht.households.guard import household_for_request


class MessageForm(forms.Form):
    # No max_length here: the service refuses a long message with a message that says
    # how long it is, and the form keeps what was typed.
    text = forms.CharField(
        label=gettext_lazy("Your message"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy("At most %(limit)d characters.") % {"limit": MESSAGE_MAX_LENGTH},
        strip=True,
        error_messages={"required": gettext_lazy("Write your message.")},
    )


@require_http_methods(["GET", "POST"])
@audited
def messages_page(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The conversation, newest at the bottom, and a form to write. Opening it marks the
    messages read for this user. The team leader of the serving team reads along without
    writing; on every other ground (team-wide reading, emergency access) there is no
    conversation to see."""
    household, ground = household_for_request(request, pk, details={"page": "messages"})
    if ground not in READ_GROUNDS:
        raise Http404
    writable = ground in WRITE_GROUNDS
    form = MessageForm(request.POST or None)
    if request.method == "POST":
        if not writable:
            raise Http404
        if form.is_valid():
            try:
                message_send(
                    household=household,
                    author=request.user,
                    text=form.cleaned_data["text"],
                    ground=ground,
                    request=request,
                )
            except ValidationError as error:
                errors_to_form(form, error)
            else:
                flash.success(request, _("Your message has been sent."))
                return redirect("casework:messages", pk=household.pk)
    earlier = read_until(household, request.user)
    rows = list(conversation(household))
    if rows and request.method == "GET":
        # Up to the newest shown: one that arrives meanwhile stays unread.
        messages_mark_read(household=household, user=request.user, until=rows[-1].sent_at)
    return render(
        request,
        "casework/messages.html",
        {
            "household": household,
            "rows": [
                (
                    message,
                    message.author_id != request.user.pk
                    and (earlier is None or message.sent_at > earlier),
                )
                for message in rows
            ],
            "form": form,
            "writable": writable,
            # The resident reads their own file: the page speaks to them.
            "own": ground == Ground.OWN_DATA,
        },
        status=400 if request.method == "POST" else 200,
    )
