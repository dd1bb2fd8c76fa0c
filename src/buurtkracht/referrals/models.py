"""Warm referrals (warme overdracht, issue 6): a plan action handed over to a social-map
entry or a named professional, and followed until the help has started — or has not.

A cold referral is a phone number on a note; a warm one is a worker who calls ahead,
makes the appointment with the resident, goes along the first time and checks afterwards
that the help really started. Each step of that hand-over is kept (`ReferralStep`), with a
date to check on it again, so nothing falls between two chairs.
"""

from __future__ import annotations

from typing import ClassVar

from django.db import models
from django.utils.translation import gettext_lazy as _

from buurtkracht.core.versioning import Versioned


class Referral(Versioned):
    class Status(models.TextChoices):
        # In the order of the hand-over; a referral moves forward (steps may be skipped)
        # or ends from any open status with "not started" or "dropped out".
        PROPOSED = "proposed", _("proposed")
        CONTACTED = "contacted", _("contacted")
        APPOINTMENT_MADE = "appointment_made", _("appointment made")
        ACCOMPANIED = "accompanied", _("accompanied")
        KEPT = "kept", _("appointment kept")
        STARTED = "started", _("help started")
        NOT_STARTED = "not_started", _("not started")
        DROPPED_OUT = "dropped_out", _("dropped out")

    FORWARD: ClassVar[tuple[str, ...]] = (
        Status.PROPOSED,
        Status.CONTACTED,
        Status.APPOINTMENT_MADE,
        Status.ACCOMPANIED,
        Status.KEPT,
        Status.STARTED,
    )
    ENDED: ClassVar[frozenset[str]] = frozenset(
        {Status.STARTED, Status.NOT_STARTED, Status.DROPPED_OUT}
    )
    NEEDS_REASON: ClassVar[frozenset[str]] = frozenset({Status.NOT_STARTED, Status.DROPPED_OUT})

    household = models.ForeignKey(
        "households.Household",
        on_delete=models.CASCADE,
        related_name="referrals",
        verbose_name=_("household"),
    )
    person = models.ForeignKey(
        "households.Person",
        on_delete=models.PROTECT,
        related_name="referrals",
        verbose_name=_("resident"),
    )
    action = models.ForeignKey(
        "casework.Action",
        on_delete=models.PROTECT,
        related_name="referrals",
        verbose_name=_("plan action"),
    )
    resource = models.ForeignKey(
        "socialmap.Resource",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="referrals",
        verbose_name=_("social map entry"),
    )
    professional_name = models.CharField(_("name of the professional"), max_length=150, blank=True)
    organisation = models.ForeignKey(
        "core.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="referrals",
        verbose_name=_("organisation"),
    )
    professional_phone = models.CharField(_("phone number"), max_length=40, blank=True)
    professional_email = models.EmailField(_("email address"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PROPOSED
    )
    reason = models.TextField(_("reason"), blank=True)
    appointment_at = models.DateTimeField(_("appointment"), null=True, blank=True)
    follow_up_on = models.DateField(_("check again on"), null=True, blank=True, db_index=True)
    status_changed_at = models.DateTimeField(_("status changed at"))
    created_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, related_name="+", verbose_name=_("created by")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("warm referral")
        verbose_name_plural = _("warm referrals")
        ordering: ClassVar = ["-created_at", "-pk"]
        indexes: ClassVar = [
            models.Index(fields=["status", "follow_up_on"]),
            models.Index(fields=["resource", "status"]),
        ]

    def __str__(self) -> str:
        return str(_("Referral to %(target)s") % {"target": self.target_name})

    @property
    def target_name(self) -> str:
        if self.resource_id is not None and self.resource is not None:
            return self.resource.name
        parts = [self.professional_name, str(self.organisation) if self.organisation else ""]
        return ", ".join(p for p in parts if p)

    @property
    def is_open(self) -> bool:
        return self.status not in self.ENDED


class ReferralStep(models.Model):
    """One step of the hand-over: from which status to which, when, by whom, and why."""

    referral = models.ForeignKey(
        Referral, on_delete=models.CASCADE, related_name="steps", verbose_name=_("referral")
    )
    from_status = models.CharField(
        _("from"), max_length=20, choices=Referral.Status.choices, blank=True
    )
    to_status = models.CharField(_("to"), max_length=20, choices=Referral.Status.choices)
    at = models.DateTimeField(_("when"))
    by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, related_name="+", verbose_name=_("by")
    )
    note = models.TextField(_("note"), blank=True)
    follow_up_on = models.DateField(_("check again on"), null=True, blank=True)

    class Meta:
        verbose_name = _("step of a referral")
        verbose_name_plural = _("steps of referrals")
        ordering: ClassVar = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.from_status or '-'} → {self.to_status}"
