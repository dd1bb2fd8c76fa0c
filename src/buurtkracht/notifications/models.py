"""Notifications: what a user is told, in the list in the menu and by e-mail as they
choose. A notification names no resident: a kind, a short neutral line and a link to the
item, which opens under the usual visibility rules (docs/notifications.md)."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from buurtkracht.notifications.kinds import Channel, Kind


class Notification(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("recipient"),
    )
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    # Never a resident's name or address: the caller writes a neutral line.
    text = models.CharField(_("text"), max_length=200, blank=True)
    link = models.CharField(_("link"), max_length=300)
    # One event, one notification per recipient: the caller's key for the event (with
    # the due date for the daily sweep), unique per recipient.
    dedupe_key = models.CharField(_("event"), max_length=120)
    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices)
    created_at = models.DateTimeField(_("created at"), db_index=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("e-mailed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering: ClassVar = ["-created_at", "-pk"]
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["recipient", "dedupe_key"], name="notification_once_per_event"
            )
        ]
        indexes: ClassVar = [
            models.Index(fields=["recipient", "read_at"], name="notification_unread"),
            models.Index(fields=["channel", "emailed_at"], name="notification_digest"),
        ]

    def __str__(self) -> str:
        return f"{self.recipient_id}: {self.get_kind_display()}"


class Preference(models.Model):
    """How a user wants one kind of notification; without a row, the kind's default."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notification_preferences",
        verbose_name=_("user"),
    )
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["user", "kind"], name="preference_one_per_kind")
        ]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.kind} → {self.channel}"


class Digest(models.Model):
    """That a user's daily e-mail went out on a day (Amsterdam): once a day, whatever
    the hour or how often the command runs."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("user"),
    )
    day = models.DateField(_("day"))
    sent_at = models.DateTimeField(_("sent at"))
    count = models.PositiveIntegerField(_("notifications"))

    class Meta:
        verbose_name = _("daily e-mail")
        verbose_name_plural = _("daily e-mails")
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["user", "day"], name="digest_once_a_day")
        ]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.day}"


class DemoMail(models.Model):
    """Mail as the demo's mail backend keeps it (`notifications.mailbox`), for the demo's
    page of sent mail. Empty outside the demo."""

    sent_at = models.DateTimeField(_("sent at"))
    to = models.CharField(_("to"), max_length=500)
    subject = models.CharField(_("subject"), max_length=300)
    body = models.TextField(_("text"))

    class Meta:
        verbose_name = _("demo mail")
        verbose_name_plural = _("demo mail")
        ordering: ClassVar = ["-sent_at", "-pk"]

    def __str__(self) -> str:
        return self.subject
