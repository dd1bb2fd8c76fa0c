"""Users, their roles and their team memberships.

A worker's profile lives on the user model itself (organisation, phone); a resident who
logs in later (resident portal) is linked to their Person record.
"""

from __future__ import annotations

from typing import ClassVar

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from buurtkracht.core.models import Organisation, Team


class Role(models.TextChoices):
    """The roles of PRODUCT.md. One person may hold several."""

    RESIDENT = "resident", _("resident")
    WORKER = "worker", _("neighbourhood team worker")
    TEAM_LEADER = "team_leader", _("team leader")
    SIGNAL_OFFICER = "signal_officer", _("signal officer")
    COMMUNITY_WORKER = "community_worker", _("community worker")
    VOLUNTEER_COORDINATOR = "volunteer_coordinator", _("volunteer coordinator")
    VOLUNTEER = "volunteer", _("volunteer")
    PARTNER_LIAISON = "partner_liaison", _("partner liaison")
    POLICY_ADVISOR = "policy_advisor", _("policy advisor")
    PRIVACY_OFFICER = "privacy_officer", _("privacy officer")
    FUNCTIONAL_ADMIN = "functional_admin", _("functional administrator")


class User(AbstractUser):
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="staff",
        verbose_name=_("organisation"),
        help_text=_("Where this person works. Empty for residents."),
    )
    person = models.OneToOneField(
        "households.Person",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="account",
        verbose_name=_("resident record"),
        help_text=_("Only for residents who log in to read their own file."),
    )
    job_title = models.CharField(_("job title"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering: ClassVar = ["last_name", "first_name"]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    @property
    def role_set(self) -> frozenset[str]:
        """The user's roles, read once per request object."""
        cached: frozenset[str] | None = getattr(self, "_role_cache", None)
        if cached is None:
            cached = frozenset(self.role_grants.values_list("role", flat=True))
            self._role_cache = cached
        return cached

    def has_role(self, role: str) -> bool:
        return role in self.role_set


class RoleGrant(models.Model):
    """That a user holds a role. Access rules (a later issue) read these."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="role_grants", verbose_name=_("user")
    )
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    granted_at = models.DateTimeField(_("granted at"), auto_now_add=True)

    class Meta:
        verbose_name = _("role")
        verbose_name_plural = _("roles")
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["user", "role"], name="rolegrant_unique_per_user")
        ]

    def __str__(self) -> str:
        return f"{self.user}: {self.get_role_display()}"


class TeamMembership(models.Model):
    """A worker's place in a neighbourhood team, for a period."""

    class Position(models.TextChoices):
        WORKER = "worker", _("worker")
        TEAM_LEADER = "team_leader", _("team leader")

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="team_memberships", verbose_name=_("user")
    )
    team = models.ForeignKey(
        Team, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("team")
    )
    position = models.CharField(
        _("position"), max_length=16, choices=Position.choices, default=Position.WORKER
    )
    start_date = models.DateField(_("from"), null=True, blank=True)
    end_date = models.DateField(_("until"), null=True, blank=True)

    class Meta:
        verbose_name = _("team membership")
        verbose_name_plural = _("team memberships")
        ordering: ClassVar = ["team__name", "position"]
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["user", "team", "start_date"], name="teammembership_unique_period"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.team} ({self.get_position_display()})"
