"""The audit log: every event on resident data, in the spirit of NEN 7513.

Each entry records who did what, in which role and organisation, on whose behalf, to which
resident(s), on what ground, whether it was allowed, and from which client. Entries are
append-only and chained by hashes: each entry's hash covers its own content and the hash of
the entry before it, so a changed or deleted entry breaks the chain (`verify_audit_chain`).
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.db import models
from django.utils.translation import gettext_lazy as _


class Action(models.TextChoices):
    CREATE = "create", _("created")
    READ = "read", _("viewed")
    UPDATE = "update", _("changed")
    DELETE = "delete", _("deleted")
    EXPORT = "export", _("exported")
    PRINT = "print", _("printed")
    SEARCH = "search", _("searched")
    MERGE = "merge", _("merged")
    EMERGENCY_ACCESS = "emergency_access", _("opened with emergency access")
    CONSENT_CHANGE = "consent_change", _("changed consent")
    AUDIT_READ = "audit_read", _("read the audit log")
    LOGIN = "login", _("signed in")
    LOGIN_FAILED = "login_failed", _("failed to sign in")
    LOGOUT = "logout", _("signed out")


class Ground(models.TextChoices):
    """Why the access was allowed (or none, when it was refused)."""

    INVOLVEMENT = "involvement", _("involved in the household")
    TEAM = "team", _("member of the serving team")
    TEAM_LEADER = "team_leader", _("leader of the serving team")
    CONSENT = "consent", _("consent of the resident")
    EMERGENCY = "emergency", _("emergency access")
    OWN_DATA = "own_data", _("own data")
    ROLE = "role", _("role")
    NONE = "none", _("no ground")


class AppendOnlyError(Exception):
    """Raised when code tries to change or delete an audit entry."""


class AppendOnlyQuerySet(models.QuerySet[Any]):
    def update(self, **kwargs: object) -> int:
        raise AppendOnlyError("Audit entries cannot be changed.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("Audit entries cannot be deleted.")


class AppendOnlyModel(models.Model):
    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args: object, **kwargs: object) -> None:
        if not self._state.adding:
            raise AppendOnlyError("Audit entries cannot be changed.")
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def delete(self, *args: object, **kwargs: object) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("Audit entries cannot be deleted.")


class AuditEvent(AppendOnlyModel):
    """One entry. No foreign keys to users or residents: an entry must outlive what it
    names and must never be touched by a cascade."""

    sequence = models.PositiveBigIntegerField(_("sequence"), unique=True)
    occurred_at = models.DateTimeField(_("when"), db_index=True)
    actor_id = models.BigIntegerField(_("user id"), null=True, db_index=True)
    actor_username = models.CharField(_("user"), max_length=150, blank=True, db_index=True)
    actor_roles = models.CharField(_("roles"), max_length=300, blank=True)
    actor_organisation = models.CharField(_("organisation"), max_length=150, blank=True)
    on_behalf_of = models.CharField(_("on behalf of"), max_length=150, blank=True)
    action = models.CharField(_("action"), max_length=32, choices=Action.choices, db_index=True)
    object_type = models.CharField(_("object type"), max_length=100, blank=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    object_label = models.CharField(_("object"), max_length=200, blank=True)
    ground = models.CharField(_("ground"), max_length=20, choices=Ground.choices)
    allowed = models.BooleanField(_("allowed"))
    reason = models.TextField(_("reason"), blank=True)
    details = models.JSONField(_("details"), default=dict, blank=True)
    # Text, not an inet type: the database must return exactly what was hashed.
    client_ip = models.CharField(_("client address"), max_length=45, blank=True)
    client_agent = models.CharField(_("client"), max_length=300, blank=True)
    subject_ids = models.JSONField(_("residents"), default=list, blank=True)
    previous_hash = models.CharField(_("previous hash"), max_length=64)
    hash = models.CharField(_("hash"), max_length=64, unique=True)

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering: ClassVar = ["-sequence"]
        indexes: ClassVar = [models.Index(fields=["action", "occurred_at"])]

    def __str__(self) -> str:
        when = f"{self.occurred_at:%Y-%m-%d %H:%M}"
        return f"#{self.sequence} {when} {self.actor_username} {self.action}"


class AuditSubject(AppendOnlyModel):
    """Which resident an event concerns, one row per resident, so "who looked at my file"
    is an indexed lookup. Append-only like the events."""

    event = models.ForeignKey(
        AuditEvent, on_delete=models.DO_NOTHING, related_name="subjects", db_constraint=True
    )
    person_id = models.BigIntegerField(_("resident id"), db_index=True)

    class Meta:
        verbose_name = _("audit subject")
        verbose_name_plural = _("audit subjects")
        indexes: ClassVar = [models.Index(fields=["person_id", "event"])]

    def __str__(self) -> str:
        return f"{self.event_id} → {self.person_id}"


class AuditCheckpoint(models.Model):
    """Where the chain starts after old entries were removed at the end of their retention
    period: the sequence and hash of the last removed entry. verify_audit_chain starts from
    the newest checkpoint, so pruning is visible and the rest stays verifiable, and reports
    a checkpoint that is not signed with the anchor key."""

    sequence = models.PositiveBigIntegerField(_("last removed sequence"), unique=True)
    hash = models.CharField(_("hash of the last removed entry"), max_length=64)
    removed = models.PositiveIntegerField(_("entries removed"))
    cutoff = models.DateTimeField(_("removed entries before"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    # HMAC with the anchor key (audit.anchors): a checkpoint made by hand is not signed.
    signature = models.CharField(_("signature"), max_length=64, blank=True, default="")

    class Meta:
        verbose_name = _("audit checkpoint")
        verbose_name_plural = _("audit checkpoints")
        ordering: ClassVar = ["-sequence"]

    def __str__(self) -> str:
        return f"#{self.sequence} ({self.removed} removed before {self.cutoff:%Y-%m-%d})"
