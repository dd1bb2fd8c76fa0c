"""The team's dilemma log and its reflection meetings (intervisie; issue 20, item 3).

A worker writes a dilemma in anonymised words — own strength against safety, the
resident's wish against the landlord's interest — and tags the values at stake from a
fixed list (`Value`). The team puts dilemmas on the agenda of a reflection meeting and
records per dilemma what it learnt, and whether the dilemma is closed or stays open.
Everything belongs to one team and is seen by its current members only. No household,
no resident: the texts are checked for obvious identifiers (`core.anonymity`).
"""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from buurtkracht.casework.models import LifeDomain
from buurtkracht.core.models import Team
from buurtkracht.core.versioning import Versioned

TITLE_MAX_LENGTH = 120
TEXT_MAX_LENGTH = 3000


class Value(models.TextChoices):
    """The values at stake in a dilemma: a fixed list, so that the team leader can count
    themes over time (docs/dilemmas.md explains each)."""

    OWN_STRENGTH = "own_strength", _("own strength")
    SAFETY = "safety", _("safety")
    AUTONOMY = "autonomy", _("autonomy")
    RESIDENT_WISH = "resident_wish", _("the resident's wish")
    CHILD_INTEREST = "child_interest", _("the child's interest")
    THIRD_PARTIES = "third_parties", _("the interest of others")
    LAWFULNESS = "lawfulness", _("lawfulness")
    PRIVACY = "privacy", _("privacy")
    EQUAL_TREATMENT = "equal_treatment", _("equal treatment")
    PROFESSIONAL_ROLE = "professional_role", _("the limits of our role")


class Dilemma(Versioned):
    class Status(models.TextChoices):
        OPEN = "open", _("still open")
        CLOSED = "closed", _("closed")

    team = models.ForeignKey(
        Team, on_delete=models.PROTECT, related_name="dilemmas", verbose_name=_("team")
    )
    title = models.CharField(_("title"), max_length=TITLE_MAX_LENGTH)
    description = models.TextField(_("description"))
    life_domain = models.CharField(
        _("life domain"), max_length=32, choices=LifeDomain.choices, blank=True
    )
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.OPEN
    )
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("written by"),
    )
    written_at = models.DateTimeField(_("written at"), default=timezone.now)

    class Meta:
        verbose_name = _("dilemma")
        verbose_name_plural = _("dilemmas")
        ordering: ClassVar = ["-written_at", "-pk"]
        indexes: ClassVar = [models.Index(fields=["team", "status"])]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN


class ValueTag(models.Model):
    """One value at stake in a dilemma."""

    dilemma = models.ForeignKey(
        Dilemma, on_delete=models.CASCADE, related_name="tags", verbose_name=_("dilemma")
    )
    value = models.CharField(_("value"), max_length=32, choices=Value.choices)

    class Meta:
        verbose_name = _("value at stake")
        verbose_name_plural = _("values at stake")
        ordering: ClassVar = ["pk"]
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["dilemma", "value"], name="valuetag_once_per_dilemma")
        ]

    def __str__(self) -> str:
        return self.get_value_display()


class ReflectionMeeting(models.Model):
    """A team's reflection meeting (intervisie): when, and who leads it."""

    team = models.ForeignKey(
        Team, on_delete=models.PROTECT, related_name="reflection_meetings", verbose_name=_("team")
    )
    held_on = models.DateField(_("day"))
    starts_at = models.TimeField(_("time"))
    facilitator = models.CharField(_("facilitator"), max_length=100)
    planned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("planned by"),
    )
    planned_at = models.DateTimeField(_("planned at"), default=timezone.now)

    class Meta:
        verbose_name = _("reflection meeting")
        verbose_name_plural = _("reflection meetings")
        ordering: ClassVar = ["-held_on", "-starts_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.team}: {self.held_on:%d-%m-%Y} {self.starts_at:%H:%M}"

    def has_begun(self, today: dt.date | None = None) -> bool:
        """Whether lessons can be recorded: from the meeting's day on."""
        return self.held_on <= (today or timezone.localdate())


class AgendaItem(Versioned):
    """A dilemma on a meeting's agenda, and what the team learnt from it there."""

    class Outcome(models.TextChoices):
        KEPT_OPEN = "kept_open", _("stays open")
        CLOSED = "closed", _("closed")

    meeting = models.ForeignKey(
        ReflectionMeeting, on_delete=models.CASCADE, related_name="items", verbose_name=_("meeting")
    )
    dilemma = models.ForeignKey(
        Dilemma, on_delete=models.CASCADE, related_name="discussions", verbose_name=_("dilemma")
    )
    lessons = models.TextField(_("what we learnt"), blank=True)
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("put on the agenda by"),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded at"), null=True, blank=True)

    class Meta:
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        ordering: ClassVar = ["pk"]
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["meeting", "dilemma"], name="agendaitem_once_per_meeting"
            )
        ]

    def __str__(self) -> str:
        return f"{self.meeting}: {self.dilemma}"

    @property
    def is_recorded(self) -> bool:
        return bool(self.outcome)
