"""What the municipality sets for early signals: the outreach targets, the transparent
priority rules, retention and the amounts of the cost picture (signals.services.partners
makes them with defaults; the functional administrator changes them in Beheer).

Models of the signals app, kept apart from the signals, reports and deliveries in
signals/models.py, which registers them."""

from __future__ import annotations

from typing import ClassVar

from django.db import models
from django.utils.translation import gettext_lazy as _


class OutreachSettings(models.Model):
    """What the municipality sets for signals: targets, the priority rules, retention and
    the amounts of the cost picture. One row per municipality, made with defaults."""

    municipality = models.OneToOneField(
        "core.Municipality",
        on_delete=models.CASCADE,
        related_name="outreach_settings",
        verbose_name=_("municipality"),
    )
    first_attempt_working_days = models.PositiveSmallIntegerField(
        _("first attempt within (working days)"), default=5
    )
    attempts_before_not_reached = models.PositiveSmallIntegerField(
        _("attempts before 'not reached'"), default=3
    )
    retention_months = models.PositiveSmallIntegerField(
        _("keep signals that led to no help for (months)"), default=12
    )
    # The cost picture (Woonkracht lab, seeds/004): what an eviction costs the corporation
    # and society, and what prevention costs.
    eviction_cost_corporation = models.PositiveIntegerField(
        _("cost of an eviction for the corporation (€)"), default=7000
    )
    eviction_cost_society = models.PositiveIntegerField(
        _("cost of an eviction for society (€)"), default=50000
    )
    prevention_cost = models.PositiveIntegerField(_("cost of prevention (€)"), default=3500)

    class Meta:
        verbose_name = _("outreach settings")
        verbose_name_plural = _("outreach settings")

    def __str__(self) -> str:
        return str(self.municipality)


class PriorityRule(models.Model):
    """One line of the transparent priority rule set: when the condition holds, the report
    gets the points, and the reason is shown on the report. No opaque scores."""

    class Condition(models.TextChoices):
        AMOUNT_AT_LEAST = "amount_at_least", _("amount in arrears at least (€)")
        TERMS_AT_LEAST = "terms_at_least", _("missed terms at least")
        SEVERAL_PARTNERS = "several_partners", _("signals from several partners")
        CONSECUTIVE = "consecutive", _("signal at the address in the previous six months")
        END_OF_SUPPLY_WITHIN = "end_of_supply_within", _("end of supply within (days)")
        CHILDREN = "children", _("children in the household")
        OPEN_FILE = "open_file", _("the household has an open file")
        HOUSING_PARTNER = "housing_partner", _("a housing corporation reports (eviction risk)")

    settings = models.ForeignKey(
        OutreachSettings, on_delete=models.CASCADE, related_name="rules", verbose_name=_("settings")
    )
    condition = models.CharField(_("condition"), max_length=32, choices=Condition.choices)
    threshold = models.DecimalField(
        _("threshold"),
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Only for conditions with an amount, a number of terms or of days."),
    )
    points = models.SmallIntegerField(_("points"))
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("priority rule")
        verbose_name_plural = _("priority rules")
        ordering: ClassVar = ["-points", "pk"]

    def __str__(self) -> str:
        return f"{self.get_condition_display()} {self.threshold or ''} (+{self.points})"
