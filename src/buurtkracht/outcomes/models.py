"""Instruments (the self-reliance matrix, the participation ladder, the resident's own
scores) and the assessments taken with them.

An instrument's definition lives in versions: changing the wording or the scale means a
new version, and every assessment keeps pointing at the version it was taken with, so a
past assessment reads exactly as it did on the day (issue 7: "changing a definition never
changes past assessments").
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.db import models
from django.utils.translation import gettext_lazy as _


class Instrument(models.Model):
    """A way of measuring progress (meetinstrument), e.g. the ZRM or the participation
    ladder. The definition itself is in its versions."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=150)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("instrument")
        verbose_name_plural = _("instruments")
        ordering: ClassVar = ["pk"]

    def __str__(self) -> str:
        return self.name


class InstrumentVersion(models.Model):
    """One version of an instrument's definition: its items and its scale.

    `items`: [{"code", "label", "description"}]; `scale`: [{"value", "label",
    "description"}], lowest value first. Items of a life-domain instrument use the codes
    of `casework.LifeDomain`."""

    instrument = models.ForeignKey(
        Instrument, on_delete=models.PROTECT, related_name="versions", verbose_name=_("instrument")
    )
    number = models.PositiveIntegerField(_("version number"))
    items = models.JSONField(_("items"), default=list)
    scale = models.JSONField(_("scale"), default=list)
    active = models.BooleanField(
        _("active"), default=True, help_text=_("New assessments use the active version.")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("instrument version")
        verbose_name_plural = _("instrument versions")
        ordering: ClassVar = ["instrument", "-number"]
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["instrument", "number"], name="outcomes_unique_version_number"
            )
        ]

    def __str__(self) -> str:
        return f"{self.instrument} v{self.number}"

    def scale_values(self) -> list[int]:
        return [int(level["value"]) for level in self.scale]

    def scale_label(self, value: Any) -> str:
        for level in self.scale:
            if level["value"] == value:
                return str(level["label"])
        return str(value)


def score_summary(scores: dict[str, Any] | None) -> float | None:
    """One number for a set of scores, for movement in reports: the average over the items
    scored (the rung itself for the one-item participation ladder). Stored with the
    assessment so that reports compare in the database, not row by row in Python."""
    numbers = [
        v for v in (scores or {}).values() if isinstance(v, int | float) and not isinstance(v, bool)
    ]
    return round(sum(numbers) / len(numbers), 4) if numbers else None


class Assessment(models.Model):
    """Scores on one instrument at one moment, from one perspective: the worker's view
    and the resident's own view are separate assessments, shown side by side."""

    class Moment(models.TextChoices):
        INTAKE = "intake", _("intake")
        REVIEW = "review", _("review")
        CLOSURE = "closure", _("closure")
        OTHER = "other", _("other moment")

    class Perspective(models.TextChoices):
        WORKER = "worker", _("the worker's view")
        RESIDENT = "resident", _("the resident's own view")

    household = models.ForeignKey(
        "households.Household",
        on_delete=models.CASCADE,
        related_name="assessments",
        verbose_name=_("household"),
    )
    person = models.ForeignKey(
        "households.Person",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="assessments",
        verbose_name=_("person"),
        help_text=_("Empty: the household as a whole."),
    )
    instrument_version = models.ForeignKey(
        InstrumentVersion,
        on_delete=models.PROTECT,
        related_name="assessments",
        verbose_name=_("instrument version"),
    )
    moment = models.CharField(_("moment"), max_length=16, choices=Moment.choices)
    perspective = models.CharField(_("perspective"), max_length=16, choices=Perspective.choices)
    held_on = models.DateField(_("held on"))
    scores = models.JSONField(_("scores"), default=dict)
    summary = models.FloatField(
        _("summary"),
        null=True,
        editable=False,
        help_text=_("The average of the scores, kept for reports."),
    )
    note = models.TextField(_("note"), blank=True)
    by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, related_name="+", verbose_name=_("by")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        ordering: ClassVar = ["held_on", "pk"]
        indexes: ClassVar = [
            models.Index(fields=["household", "held_on"]),
            models.Index(fields=["instrument_version", "perspective", "held_on"]),
        ]

    def __str__(self) -> str:
        return f"{self.instrument_version} {self.held_on}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.summary = score_summary(self.scores)
        super().save(*args, **kwargs)


class Story(models.Model):
    """A short story from the work (weekimpressie): what happened in a neighbourhood or
    with a household, written by a worker or by a resident. Reports combine figures and
    stories; a story about a resident appears in a report only while that resident's
    consent for it (`Consent.Purpose.STORY_IN_REPORT`) is valid."""

    class Source(models.TextChoices):
        WORKER = "worker", _("a worker")
        RESIDENT = "resident", _("a resident")

    title = models.CharField(_("title"), max_length=120)
    text = models.TextField(_("story"))
    written_on = models.DateField(_("date"))
    source = models.CharField(_("written by"), max_length=16, choices=Source.choices)
    author = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, related_name="+", verbose_name=_("author")
    )
    team = models.ForeignKey(
        "core.Team",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="stories",
        verbose_name=_("team"),
    )
    neighbourhood = models.ForeignKey(
        "core.Area",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="stories",
        verbose_name=_("neighbourhood"),
    )
    household = models.ForeignKey(
        "households.Household",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="stories",
        verbose_name=_("household"),
    )
    about = models.ForeignKey(
        "households.Person",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="stories",
        verbose_name=_("about"),
        help_text=_("The resident the story is about, if it is about one."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("story")
        verbose_name_plural = _("stories")
        ordering: ClassVar = ["-written_on", "-pk"]
        indexes: ClassVar = [models.Index(fields=["written_on", "neighbourhood"])]

    def __str__(self) -> str:
        return self.title
