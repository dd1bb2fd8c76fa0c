"""Learning circles (lerende gemeenschap, issue 20): a temporary group of residents,
organisations, businesses and staff working on one social question, with a support team
that marks what was learnt, and at the end a short public summary.

A circle never holds resident case data: no model here links to a household, a person
or a plan, and the text fields refuse numbers shaped like a BSN or an address
(`circles.forms`). Members see only the circles they belong to (`circles.queries`).
"""

from __future__ import annotations

import uuid
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from buurtkracht.core.models import Area


class Circle(models.Model):
    title = models.CharField(_("theme"), max_length=150)
    question = models.TextField(_("question"), max_length=2000)
    neighbourhoods = models.ManyToManyField(
        Area, related_name="circles", verbose_name=_("neighbourhoods")
    )
    starts_on = models.DateField(_("start"))
    ends_on = models.DateField(_("planned end"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("started by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    # The public summary, written by the support team at the end. Published: the circle
    # is finished and the summary shows on its public page (`public_id` in the address,
    # so that circles cannot be counted by trying numbers).
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    summary_learnt = models.TextField(_("what was learnt"), blank=True, max_length=4000)
    summary_happened = models.TextField(_("what happened"), blank=True, max_length=4000)
    published_at = models.DateTimeField(_("summary published at"), null=True, blank=True)

    class Meta:
        verbose_name = _("learning circle")
        verbose_name_plural = _("learning circles")
        ordering: ClassVar = ["-starts_on", "title"]

    def __str__(self) -> str:
        return self.title

    @property
    def finished(self) -> bool:
        return self.published_at is not None


class Member(models.Model):
    class Kind(models.TextChoices):
        STAFF = "staff", _("staff of the municipality or the neighbourhood team")
        RESIDENT = "resident", _("resident")
        ORGANISATION = "organisation", _("organisation")
        BUSINESS = "business", _("business")

    circle = models.ForeignKey(
        Circle, on_delete=models.CASCADE, related_name="members", verbose_name=_("circle")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="circle_memberships",
        verbose_name=_("member"),
    )
    kind = models.CharField(_("takes part as"), max_length=16, choices=Kind.choices)
    # The organisation or business the member speaks for, as the circle knows it.
    speaks_for = models.CharField(_("on behalf of"), max_length=150, blank=True)
    support_team = models.BooleanField(_("in the support team"), default=False)
    joined_at = models.DateTimeField(_("joined at"), auto_now_add=True)

    class Meta:
        verbose_name = _("circle member")
        verbose_name_plural = _("circle members")
        ordering: ClassVar = ["-support_team", "user__first_name", "user__last_name"]
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["circle", "user"], name="circle_member_once")
        ]

    def __str__(self) -> str:
        return self.user.get_full_name() or self.user.username


class Meeting(models.Model):
    circle = models.ForeignKey(
        Circle, on_delete=models.CASCADE, related_name="meetings", verbose_name=_("circle")
    )
    held_on = models.DateField(_("date"))
    place = models.CharField(_("place"), max_length=150, blank=True)
    agenda = models.TextField(_("agenda"), max_length=4000)
    notes = models.TextField(_("notes"), blank=True, max_length=10000)

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering: ClassVar = ["held_on", "pk"]

    def __str__(self) -> str:
        return f"{self.circle} {self.held_on:%d-%m-%Y}"


class LearningMoment(models.Model):
    circle = models.ForeignKey(
        Circle, on_delete=models.CASCADE, related_name="moments", verbose_name=_("circle")
    )
    meeting = models.ForeignKey(
        Meeting,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="moments",
        verbose_name=_("meeting"),
    )
    learnt = models.TextField(_("what was learnt"), max_length=2000)
    noted_on = models.DateField(_("date"))
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("marked by"),
    )

    class Meta:
        verbose_name = _("learning moment")
        verbose_name_plural = _("learning moments")
        ordering: ClassVar = ["noted_on", "pk"]

    def __str__(self) -> str:
        return self.learnt[:60]


class Action(models.Model):
    circle = models.ForeignKey(
        Circle, on_delete=models.CASCADE, related_name="actions", verbose_name=_("circle")
    )
    what = models.CharField(_("what"), max_length=300)
    owner = models.ForeignKey(
        Member, on_delete=models.PROTECT, related_name="actions", verbose_name=_("who")
    )
    due_on = models.DateField(_("by when"))
    done_on = models.DateField(_("done on"), null=True, blank=True)

    class Meta:
        verbose_name = _("circle action")
        verbose_name_plural = _("circle actions")
        ordering: ClassVar = ["done_on", "due_on", "pk"]

    def __str__(self) -> str:
        return self.what


class Document(models.Model):
    """A link, or a file checked by its content (`core.filetypes`) and scanned where a
    scanner is configured (`core.scanning`), kept in the database and always downloaded,
    never opened inside the site."""

    circle = models.ForeignKey(
        Circle, on_delete=models.CASCADE, related_name="documents", verbose_name=_("circle")
    )
    title = models.CharField(_("title"), max_length=200)
    link = models.URLField(_("link"), blank=True, max_length=500)
    filename = models.CharField(_("file name"), max_length=120, blank=True)
    content_type = models.CharField(_("type"), max_length=120, blank=True)
    size = models.PositiveIntegerField(_("size"), default=0)
    scanned = models.BooleanField(_("scanned for viruses"), default=False)
    content = models.BinaryField(_("content"), blank=True, editable=False)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("added by"),
    )
    added_at = models.DateTimeField(_("added at"), auto_now_add=True)

    class Meta:
        verbose_name = _("circle document")
        verbose_name_plural = _("circle documents")
        ordering: ClassVar = ["-added_at", "-pk"]

    def __str__(self) -> str:
        return self.title
