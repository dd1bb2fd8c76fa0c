"""Case conferences (casusoverleg): who meets, which households are on the agenda with which
question, what was decided per case; and decisions kept as precedents.

A case is on the agenda by name for those who may read the household (the visibility
module, `households.visibility.conference_grounds`: a ground to the file, or for an
outside professional the residents' consent to share with their organisation); everyone
else at the table reads the anonymised description written when the case was added. The
question, the decision and its reasons are read by all participants, so they are written
without name, address or date of birth (the services refuse a text that names them).
The actions decided land in the household's plan (casework's own records); a case keeps
a link to them."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from buurtkracht.casework.models import Action, LifeDomain
from buurtkracht.core.models import Team
from buurtkracht.households.models import Household


class Conference(models.Model):
    class Kind(models.TextChoices):
        TEAM = "team", _("team conference")
        MULTIDISCIPLINARY = "multidisciplinary", _("multidisciplinary, with outside professionals")
        WITH_HOUSEHOLD = "with_household", _("with the household present")

    team = models.ForeignKey(
        Team, on_delete=models.PROTECT, related_name="conferences", verbose_name=_("team")
    )
    kind = models.CharField(_("kind of conference"), max_length=20, choices=Kind.choices)
    starts_at = models.DateTimeField(_("date and time"))
    place = models.CharField(_("place"), max_length=200)
    chair = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="conferences_chaired",
        verbose_name=_("chair"),
    )
    participants = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="conferences", verbose_name=_("participants")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("scheduled by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("case conference")
        verbose_name_plural = _("case conferences")
        ordering: ClassVar = ["-starts_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.starts_at:%Y-%m-%d %H:%M}"


class Case(models.Model):
    """One household on a conference's agenda, and what the conference decided about it."""

    conference = models.ForeignKey(
        Conference, on_delete=models.CASCADE, related_name="cases", verbose_name=_("conference")
    )
    household = models.ForeignKey(
        Household, on_delete=models.PROTECT, related_name="+", verbose_name=_("household")
    )
    anonymised = models.CharField(
        _("anonymised description"),
        max_length=200,
        help_text=_(
            "How participants without the residents' consent know this case: no name, "
            "address or date of birth. For example: Casus B: gezin met 3 kinderen, schulden."
        ),
    )
    question = models.TextField(_("what do we need to decide?"))
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("put on the agenda by"),
    )
    added_at = models.DateTimeField(_("added at"), auto_now_add=True)
    decision = models.TextField(_("what was decided"), blank=True)
    reasons = models.TextField(_("why"), blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    actions = models.ManyToManyField(
        Action, blank=True, related_name="+", verbose_name=_("actions in the plan")
    )

    class Meta:
        verbose_name = _("case on the agenda")
        verbose_name_plural = _("cases on the agenda")
        ordering: ClassVar = ["added_at", "pk"]
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["conference", "household"], name="conference_case_once")
        ]

    def __str__(self) -> str:
        return self.anonymised

    @property
    def is_decided(self) -> bool:
        return self.decided_at is not None


class Precedent(models.Model):
    """A decision kept so colleagues find it again ("hoe hebben we dit eerder gedaan?"),
    in anonymised words only. It names its case, but a reader reaches that case only when
    they may read the household."""

    case = models.OneToOneField(
        Case,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="precedent",
        verbose_name=_("case"),
    )
    title = models.CharField(_("title"), max_length=120)
    situation = models.TextField(_("situation"))
    consideration = models.TextField(_("consideration"))
    decision = models.TextField(_("decision"))
    principle = models.TextField(_("principle it rests on"))
    domain = models.CharField(_("life domain"), max_length=32, choices=LifeDomain.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("precedent")
        verbose_name_plural = _("precedents")
        ordering: ClassVar = ["-recorded_at", "-pk"]

    def __str__(self) -> str:
        return self.title
