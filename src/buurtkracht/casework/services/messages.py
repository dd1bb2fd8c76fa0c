"""Writes on messages: sending one (audited, and the others in the conversation are told
that a message waits — never what it says) and keeping up to where someone has read."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from buurtkracht.audit.models import Action as AuditAction
from buurtkracht.audit.models import Ground
from buurtkracht.casework.message_models import MESSAGE_MAX_LENGTH, Message, MessageRead
from buurtkracht.casework.message_queries import involved_worker_ids, resident_user_ids
from buurtkracht.casework.services.plans import _log
from buurtkracht.households.models import Household
from buurtkracht.notifications.kinds import Kind
from buurtkracht.notifications.services import notify

if TYPE_CHECKING:
    from django.http import HttpRequest

    from buurtkracht.accounts.models import User

# The grounds on which someone writes in the conversation: the resident and the workers
# involved. The team leader reads along; nobody else is in it.
WRITE_GROUNDS = frozenset({Ground.OWN_DATA, Ground.INVOLVEMENT})
READ_GROUNDS = WRITE_GROUNDS | {Ground.TEAM_LEADER}


def recipients_of(household: Household, author: User) -> list[int]:
    """Who is told of a message: a resident's goes to the lead worker and co-workers; a
    worker's to the residents with an account and the other workers involved."""
    workers = involved_worker_ids(household)
    residents = resident_user_ids(household)
    if author.pk in residents and author.pk not in workers:
        return workers
    return [pk for pk in [*residents, *workers] if pk != author.pk]


@transaction.atomic
def message_send(
    *,
    household: Household,
    author: User,
    text: str,
    ground: str,
    request: HttpRequest | None = None,
    sent_at: dt.datetime | None = None,
) -> Message:
    """Send a message in the household's conversation. Refused when empty or longer than
    MESSAGE_MAX_LENGTH characters, or when the author is not in the conversation."""
    if ground not in WRITE_GROUNDS:
        raise ValidationError(_("Only the resident and the workers involved write here."))
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Write your message.")})
    if len(text) > MESSAGE_MAX_LENGTH:
        raise ValidationError(
            {
                "text": _(
                    "Your message is %(length)d characters long. Keep it to %(limit)d "
                    "characters, or send it in two parts."
                )
                % {"length": len(text), "limit": MESSAGE_MAX_LENGTH}
            }
        )
    message = Message.objects.create(
        household=household, author=author, text=text, sent_at=sent_at or timezone.now()
    )
    messages_mark_read(household=household, user=author, until=message.sent_at)
    _log(
        action=AuditAction.CREATE,
        user=author,
        household=household,
        obj=message,
        request=request,
        ground=ground,
        what="message",
    )
    notify(
        recipients=recipients_of(household, author),
        kind=Kind.MESSAGE_WAITING,
        link=reverse("casework:messages", args=[household.pk]),
        key=f"message:{message.pk}",
        text=gettext_lazy("A new message waits for you."),
        actor=author,
    )
    return message


def messages_mark_read(*, household: Household, user: User, until: dt.datetime) -> None:
    """Keep that `user` has read the household's messages up to `until` (never back).
    Bookkeeping of the reader's own: the look that showed the messages is the audited
    event."""
    marker, created = MessageRead.objects.get_or_create(
        household=household, user=user, defaults={"read_at": until}
    )
    if not created and marker.read_at < until:
        MessageRead.objects.filter(pk=marker.pk).update(read_at=until)
