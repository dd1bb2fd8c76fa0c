"""The support-network map (steunsysteem, netwerkkaart, ecogram) of a resident.

A map belongs to one person in a household (the centre). Each `Tie` is someone or
something around them, as the resident names it. A tie is ended, never deleted, so the map
on any past date can be rebuilt from `added_on` and `ended_on`; a `NetworkVersion` keeps the
whole map as it was at a moment (intake, review), including qualities that changed since.
"""

from __future__ import annotations

from typing import ClassVar

from django.db import models
from django.utils.translation import gettext_lazy as _

from buurtkracht.core import validators
from buurtkracht.core.versioning import Versioned
from buurtkracht.households.models import Household, Person


class Kind(models.TextChoices):
    FAMILY = "family", _("family")
    FRIEND = "friend", _("friend")
    NEIGHBOUR = "neighbour", _("neighbour")
    COLLEAGUE = "colleague", _("colleague")
    PEER = "peer", _("peer")
    VOLUNTEER = "volunteer", _("volunteer")
    PROFESSIONAL = "professional", _("professional")
    ORGANISATION = "organisation", _("organisation")
    INITIATIVE = "initiative", _("initiative")


class Support(models.TextChoices):
    PRACTICAL = "practical", _("practical help")
    EMOTIONAL = "emotional", _("emotional support")
    FINANCIAL = "financial", _("money")
    CARE = "care", _("care")
    COMPANY = "company", _("company")
    ADVICE = "advice", _("advice")


class Closeness(models.IntegerChoices):
    CLOSE = 1, _("close")
    MIDDLE = 2, _("in between")
    OUTER = 3, _("further away")


class Quality(models.TextChoices):
    STRONG = "strong", _("strong")
    WEAK = "weak", _("weak")
    STRAINED = "strained", _("strained")
    BROKEN = "broken", _("broken")


class Energy(models.TextChoices):
    GIVES = "gives", _("gives energy")
    COSTS = "costs", _("costs energy")
    BOTH = "both", _("gives and costs energy")
    NEUTRAL = "neutral", _("neither")


class ContactState(models.TextChoices):
    KNOWN = "known", _("only known")
    CONTACTED = "contacted", _("contacted")


class Tie(Versioned):
    """One person or organisation on a resident's network map. The resident decides who
    is on it; `do_not_contact` says that workers must not approach this person. Workers
    and the resident change it, so every change raises its `version` (core.versioning)."""

    household = models.ForeignKey(
        Household, on_delete=models.CASCADE, related_name="ties", verbose_name=_("household")
    )
    person = models.ForeignKey(
        Person,
        on_delete=models.CASCADE,
        related_name="ties",
        verbose_name=_("resident at the centre"),
    )
    name = models.CharField(_("name"), max_length=100)
    organisation = models.ForeignKey(
        "core.Organisation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organisation"),
    )
    kind = models.CharField(_("who is it"), max_length=16, choices=Kind.choices)
    relation = models.CharField(_("relation"), max_length=150, blank=True)
    support = models.JSONField(_("what kind of support"), default=list, blank=True)
    closeness = models.PositiveSmallIntegerField(
        _("how close"), choices=Closeness.choices, default=Closeness.MIDDLE
    )
    quality = models.CharField(
        _("the tie is"), max_length=16, choices=Quality.choices, default=Quality.STRONG
    )
    energy = models.CharField(
        _("energy"), max_length=16, choices=Energy.choices, default=Energy.NEUTRAL
    )
    contact = models.CharField(
        _("contact"), max_length=16, choices=ContactState.choices, default=ContactState.CONTACTED
    )
    restored = models.BooleanField(_("restored contact"), default=False)
    do_not_contact = models.BooleanField(_("do not contact"), default=False)
    phone = models.CharField(
        _("phone"), max_length=20, blank=True, validators=[validators.validate_phone]
    )
    note = models.TextField(_("note"), blank=True)
    added_on = models.DateField(_("on the map since"))
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    end_reason = models.CharField(_("why it ended"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("tie")
        verbose_name_plural = _("ties")
        ordering: ClassVar = ["closeness", "added_on", "pk"]
        indexes: ClassVar = [models.Index(fields=["person", "added_on", "ended_on"])]

    def __str__(self) -> str:
        return self.name

    @property
    def support_labels(self) -> list[str]:
        return [str(Support(s).label) for s in self.support if s in Support.values]


class NetworkVersion(models.Model):
    """The map of one resident as it was on a day, kept so that it can be compared later
    (story 2: from two ties to seven). `ties` holds each tie as it was, without phone
    numbers or notes."""

    household = models.ForeignKey(
        Household,
        on_delete=models.CASCADE,
        related_name="network_versions",
        verbose_name=_("household"),
    )
    person = models.ForeignKey(
        Person,
        on_delete=models.CASCADE,
        related_name="network_versions",
        verbose_name=_("resident at the centre"),
    )
    saved_on = models.DateField(_("date"))
    label = models.CharField(_("name of this version"), max_length=100)
    note = models.CharField(_("note"), max_length=500, blank=True)
    ties = models.JSONField(_("ties"), default=list)
    saved_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, related_name="+", verbose_name=_("saved by")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("network map version")
        verbose_name_plural = _("network map versions")
        ordering: ClassVar = ["saved_on", "pk"]

    def __str__(self) -> str:
        return f"{self.label} {self.saved_on:%Y-%m-%d}"
