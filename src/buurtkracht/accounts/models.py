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
    # Staff of a partner organisation (debt bank, probation, youth care) who take part in
    # case conferences; they see a case only as far as its resident consented to share it
    # with their organisation.
    OUTSIDE_PROFESSIONAL = "outside_professional", _("outside professional")
    # A member of a learning circle from outside the teams (a resident, a library, a
    # shopkeeper): sees the circles they belong to and no resident case data.
    CIRCLE_MEMBER = "circle_member", _("learning circle member")


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


class Activation(models.Model):
    """A one-time link with which the owner of an account chooses their password and sets
    up two-step login. Only a hash of the token is stored; the link itself is mailed to
    the owner and never shown to the administrator who asked for it."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="activations", verbose_name=_("user")
    )
    token_hash = models.CharField(_("token hash"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("created at"))
    expires_at = models.DateTimeField(_("valid until"))
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("replaced at"), null=True, blank=True)
    created_by = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("requested by"),
    )
    sent_to = models.EmailField(_("sent to"), blank=True)

    class Meta:
        verbose_name = _("activation link")
        verbose_name_plural = _("activation links")
        ordering: ClassVar = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.user} ({self.created_at:%Y-%m-%d %H:%M})"


class RecoveryCode(models.Model):
    """A one-time code that stands in for the authenticator app's code once (a lost or
    dead phone). Shown to the owner once, at activation; only its SHA-256 is stored."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="recovery_codes", verbose_name=_("user")
    )
    code_hash = models.CharField(_("code hash"), max_length=64)
    created_at = models.DateTimeField(_("created at"))
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)

    class Meta:
        verbose_name = _("recovery code")
        verbose_name_plural = _("recovery codes")
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["user", "code_hash"], name="recoverycode_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user}: {self.pk}"


class AccessRequest(models.Model):
    """A step that reaches residents' files and so needs a second person (four eyes): a
    role that opens case content, or a reset of someone's two-step login. Nothing is in
    force until someone other than the requester approves."""

    class Kind(models.TextChoices):
        ROLE = "role", _("role")
        TEAM = "team", _("place in a team")
        TWO_FACTOR_RESET = "two_factor_reset", _("reset of two-step login")

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting for approval")
        APPROVED = "approved", _("approved")
        REFUSED = "refused", _("refused")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="access_requests", verbose_name=_("for")
    )
    role = models.CharField(_("role"), max_length=32, choices=Role.choices, blank=True)
    team = models.ForeignKey(
        Team,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("team"),
    )
    position = models.CharField(
        _("position"), max_length=16, choices=TeamMembership.Position.choices, blank=True
    )
    start_date = models.DateField(_("from"), null=True, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    requested_by = models.ForeignKey(
        User,
        on_delete=models.PROTECT,
        related_name="access_requests_made",
        verbose_name=_("requested by"),
    )
    requested_at = models.DateTimeField(_("requested at"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    decided_by = models.ForeignKey(
        User,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="access_requests_decided",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        verbose_name = _("access request")
        verbose_name_plural = _("access requests")
        ordering: ClassVar = ["-requested_at", "-id"]
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["user", "kind", "role"],
                condition=models.Q(status="pending", team__isnull=True),
                name="accessrequest_one_pending",
            ),
            models.UniqueConstraint(
                fields=["user", "team"],
                condition=models.Q(status="pending", team__isnull=False),
                name="accessrequest_one_pending_per_team",
            ),
            models.CheckConstraint(
                condition=~models.Q(decided_by=models.F("requested_by")),
                name="accessrequest_four_eyes",
            ),
        ]

    def __str__(self) -> str:
        what: str = self.get_kind_display()
        if self.kind == self.Kind.ROLE:
            what = self.get_role_display()
        elif self.kind == self.Kind.TEAM:
            what = f"{self.get_position_display()}, {self.team}"
        return f"{self.user}: {what} ({self.get_status_display()})"


class Absence(models.Model):
    """That a worker is away for a while (leave, reported sick, a course), so that the team
    leader sees what falls due meanwhile and can move it to a colleague. Only the period
    and, if the leader wants, a category: never a diagnosis or any other medical detail,
    and no free text (data minimisation, AVG article 5; an employer may know *that*
    someone is ill, not why)."""

    class Reason(models.TextChoices):
        LEAVE = "leave", _("leave")
        SICK = "sick", _("reported sick")
        TRAINING = "training", _("training or course")
        OTHER = "other", _("other")

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="absences", verbose_name=_("worker")
    )
    team = models.ForeignKey(
        Team, on_delete=models.CASCADE, related_name="absences", verbose_name=_("team")
    )
    start_date = models.DateField(_("from"))
    end_date = models.DateField(
        _("until"), null=True, blank=True, help_text=_("The last day away; empty: not known yet.")
    )
    reason = models.CharField(
        _("reason"), max_length=16, choices=Reason.choices, blank=True, db_default=""
    )
    recorded_by = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )
    recorded_at = models.DateTimeField(_("recorded at"))

    class Meta:
        verbose_name = _("absence")
        verbose_name_plural = _("absences")
        ordering: ClassVar = ["start_date", "pk"]
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True)
                | models.Q(end_date__gte=models.F("start_date")),
                name="absence_ends_after_it_starts",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.start_date:%Y-%m-%d}"
