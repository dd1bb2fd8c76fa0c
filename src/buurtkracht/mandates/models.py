"""Mandates from partner organisations (issue 20, docs/mandates.md).

A housing corporation, the debt bank or work and income delegates a decision to the
neighbourhood teams (the Enschede *wijkcoaches* hold such *mandaten* for 25
organisations): the worker decides instead of referring, within limits the organisation
set, and the organisation turns the decision into its own formal one. The functional
administrator registers the mandate (Beheer); a worker records a decision under it on a
household file; the organisation sees the decisions under its own mandates.

Amounts are whole euro cents (an integer never rounds); pages show them in euros.
"""

from __future__ import annotations

from decimal import Decimal
from typing import ClassVar

from django.db import models
from django.utils.translation import gettext_lazy as _

from buurtkracht.casework.models import LifeDomain
from buurtkracht.core.models import Organisation, Team
from buurtkracht.core.versioning import Versioned
from buurtkracht.households.models import Household, Person


def in_euros(cents: int | None) -> Decimal | None:
    return None if cents is None else Decimal(cents) / 100


class Mandate(Versioned):
    """A decision an organisation lets the teams (or named workers) take on its behalf.
    Valid from `start_date` to `end_date` (both inclusive, empty: open), read with
    `core.queries.in_force` like every period in the product."""

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="mandates",
        verbose_name=_("organisation that delegates"),
    )
    decision = models.CharField(
        _("decision delegated"),
        max_length=150,
        help_text=_("For example: a payment arrangement for rent arrears."),
    )
    conditions = models.TextField(
        _("conditions"),
        blank=True,
        help_text=_("What the organisation agreed: when the decision may be taken and how."),
    )
    life_domain = models.CharField(_("life domain"), max_length=32, choices=LifeDomain.choices)
    max_amount_cents = models.PositiveIntegerField(
        _("maximum amount per decision (euro cents)"), null=True, blank=True
    )
    max_per_household_year_cents = models.PositiveIntegerField(
        _("maximum per household per calendar year (euro cents)"), null=True, blank=True
    )
    start_date = models.DateField(_("valid from"))
    end_date = models.DateField(_("valid until"), null=True, blank=True)
    teams = models.ManyToManyField(
        Team, blank=True, related_name="mandates", verbose_name=_("teams granted")
    )
    workers = models.ManyToManyField(
        "accounts.User", blank=True, related_name="mandates", verbose_name=_("workers granted")
    )
    created_at = models.DateTimeField(_("registered at"), auto_now_add=True)
    changed_at = models.DateTimeField(_("last changed at"), auto_now=True)

    class Meta:
        verbose_name = _("mandate")
        verbose_name_plural = _("mandates")
        ordering: ClassVar = ["organisation__name", "decision", "pk"]

    def __str__(self) -> str:
        return f"{self.organisation}: {self.decision}"

    @property
    def max_amount(self) -> Decimal | None:
        return in_euros(self.max_amount_cents)

    @property
    def max_per_household_year(self) -> Decimal | None:
        return in_euros(self.max_per_household_year_cents)


class MandateDecision(models.Model):
    """A decision a worker took under a mandate, about one resident of a household.
    Only appended: a decision is not changed afterwards (the organisation may already
    have turned it into its own)."""

    mandate = models.ForeignKey(
        Mandate, on_delete=models.PROTECT, related_name="decisions", verbose_name=_("mandate")
    )
    # PROTECT: a decision leaves a file only with the file's retention, never as a side
    # effect; a merge moves it along.
    household = models.ForeignKey(
        Household,
        on_delete=models.PROTECT,
        related_name="mandate_decisions",
        verbose_name=_("household"),
    )
    person = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        related_name="mandate_decisions",
        verbose_name=_("resident"),
    )
    what = models.CharField(_("what was decided"), max_length=200)
    amount_cents = models.PositiveIntegerField(_("amount (euro cents)"), null=True, blank=True)
    reason = models.TextField(_("reason"))
    decided_on = models.DateField(_("decided on"))
    decided_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, related_name="+", verbose_name=_("decided by")
    )
    team = models.ForeignKey(
        Team,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("on behalf of team"),
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("decision under a mandate")
        verbose_name_plural = _("decisions under a mandate")
        ordering: ClassVar = ["-decided_on", "-pk"]

    def __str__(self) -> str:
        # Never the resident: the string shows up where no ground was checked.
        return str(_("decision %(number)s under a mandate") % {"number": self.pk})

    @property
    def amount(self) -> Decimal | None:
        return in_euros(self.amount_cents)
