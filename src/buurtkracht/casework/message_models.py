"""Messages: the secure conversation between a resident and the people involved in their
household file, kept with the file (issue 19). Nobody edits or deletes a message."""

from __future__ import annotations

from typing import ClassVar

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from buurtkracht.households.models import Household

# Long enough for what a resident wants to say on a phone; longer belongs in a conversation.
MESSAGE_MAX_LENGTH = 2000


class Message(models.Model):
    """One message in a household's conversation, by the resident or a worker."""

    household = models.ForeignKey(
        Household,
        on_delete=models.CASCADE,
        related_name="messages",
        verbose_name=_("household"),
    )
    author = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, related_name="+", verbose_name=_("written by")
    )
    text = models.TextField(_("message"))
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now)

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering: ClassVar = ["sent_at", "pk"]
        indexes: ClassVar = [models.Index(fields=["household", "sent_at"])]

    def __str__(self) -> str:
        return f"{self.household_id} {self.sent_at:%Y-%m-%d %H:%M}"


class MessageRead(models.Model):
    """Up to when `user` has read the messages of `household`: a message sent later by
    someone else is unread for them."""

    household = models.ForeignKey(
        Household, on_delete=models.CASCADE, related_name="+", verbose_name=_("household")
    )
    user = models.ForeignKey(
        "accounts.User", on_delete=models.CASCADE, related_name="+", verbose_name=_("user")
    )
    read_at = models.DateTimeField(_("read up to"))

    class Meta:
        verbose_name = _("messages read")
        verbose_name_plural = _("messages read")
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["household", "user"], name="message_read_once")
        ]

    def __str__(self) -> str:
        return f"{self.household_id} {self.user_id} {self.read_at:%Y-%m-%d %H:%M}"
