"""Volunteer requests (hulpvragen aan de vrijwilligerscentrale) and the visits volunteers
record.

A worker asks the volunteer coordinator for a buddy (maatje), a visitor, help with
paperwork or transport for one resident. The request says, field by field, what the
resident agreed that the volunteer may know: the first name and the neighbourhood always,
the street address and the phone number only when ticked, and the text of the request,
which the worker writes for the volunteer. Nothing else of the household file ever
reaches the volunteer or the coordinator.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

if TYPE_CHECKING:
    from buurtkracht.accounts.models import User

ASKED_MAX_LENGTH = 500
VISIT_NOTE_MAX_LENGTH = 300


def duration_label(delta: dt.timedelta) -> str:
    """A waiting time for people, not a stopwatch: "3 days and 4 hours", "5 hours",
    "less than an hour"."""
    hours = int(delta.total_seconds() // 3600)
    days, hours = divmod(hours, 24)
    if days and hours:
        return _("%(days)s and %(hours)s") % {
            "days": ngettext("%(n)s day", "%(n)s days", days) % {"n": days},
            "hours": ngettext("%(n)s hour", "%(n)s hours", hours) % {"n": hours},
        }
    if days:
        return ngettext("%(n)s day", "%(n)s days", days) % {"n": days}
    if hours:
        return ngettext("%(n)s hour", "%(n)s hours", hours) % {"n": hours}
    return str(_("less than an hour"))


class VolunteerRequestQuerySet(models.QuerySet["VolunteerRequest"]):
    def for_volunteer(self, user: User) -> VolunteerRequestQuerySet:
        """The requests a volunteer is matched to now: the only ones they may open."""
        return self.filter(volunteer=user, status=VolunteerRequest.Status.MATCHED)

    def waiting(self) -> VolunteerRequestQuerySet:
        """The coordinator's queue: open requests, the longest waiting first."""
        return self.filter(status=VolunteerRequest.Status.OPEN).order_by("requested_at", "pk")


class VolunteerRequest(models.Model):
    """One request for a volunteer for one resident (hulpvraag)."""

    class Kind(models.TextChoices):
        BUDDY = "buddy", _("buddy")
        VISITOR = "visitor", _("visiting volunteer")
        PAPERWORK = "paperwork", _("help with forms and post")
        TRANSPORT = "transport", _("transport")
        OTHER = "other", _("other help")

    class Status(models.TextChoices):
        OPEN = "open", _("waiting for a volunteer")
        MATCHED = "matched", _("matched")
        ENDED = "ended", _("ended")
        WITHDRAWN = "withdrawn", _("withdrawn")

    household = models.ForeignKey(
        "households.Household",
        on_delete=models.CASCADE,
        related_name="volunteer_requests",
        verbose_name=_("household"),
    )
    person = models.ForeignKey(
        "households.Person",
        on_delete=models.CASCADE,
        related_name="volunteer_requests",
        verbose_name=_("resident"),
    )
    kind = models.CharField(_("kind of help"), max_length=16, choices=Kind.choices)
    asked = models.TextField(
        _("what is asked"),
        max_length=ASKED_MAX_LENGTH,
        help_text=_(
            "Written for the volunteer, with the resident's agreement: what help, how often, "
            "what matters to them. No diagnoses, no debts, no surname."
        ),
    )
    share_address = models.BooleanField(
        _("the volunteer may know the street address"), default=False
    )
    share_phone = models.BooleanField(_("the volunteer may know the phone number"), default=False)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.OPEN, db_index=True
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="volunteer_requests_made",
        verbose_name=_("requested by"),
    )
    team = models.ForeignKey(
        "core.Team",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("team"),
    )
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)
    proposed_volunteer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("proposed volunteer"),
        help_text=_("Chosen by the coordinator; waits for the resident's consent."),
    )
    volunteer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="volunteer_requests",
        verbose_name=_("volunteer"),
    )
    matched_at = models.DateTimeField(_("matched at"), null=True, blank=True)
    matched_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("matched by"),
    )
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    end_reason = models.CharField(_("reason"), max_length=300, blank=True)

    objects = VolunteerRequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("volunteer request")
        verbose_name_plural = _("volunteer requests")
        ordering: ClassVar = ["-requested_at", "-pk"]
        indexes: ClassVar = [
            models.Index(fields=["status", "requested_at"]),
            models.Index(fields=["volunteer", "status"]),
        ]

    def __str__(self) -> str:
        # No names: this label lands in the audit log and in admin lists.
        return f"#{self.pk} {self.get_kind_display()}"

    @property
    def time_to_match(self) -> dt.timedelta | None:
        """From the worker's request to the coordinator's match."""
        if self.matched_at is None:
            return None
        return self.matched_at - self.requested_at

    @property
    def time_to_match_label(self) -> str:
        delta = self.time_to_match
        return duration_label(delta) if delta is not None else ""

    @property
    def waiting_label(self) -> str:
        """How long an open request has been waiting, for the coordinator's queue."""
        return duration_label(timezone.now() - self.requested_at)

    @property
    def first_name(self) -> str:
        """The only name a volunteer learns."""
        person = self.person
        return person.given_names.split(" ")[0] if person.given_names else person.initials


class Visit(models.Model):
    """A visit or outing a volunteer records on their phone: when, how long, one line."""

    request = models.ForeignKey(
        VolunteerRequest,
        on_delete=models.CASCADE,
        related_name="visits",
        verbose_name=_("volunteer request"),
    )
    volunteer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="volunteer_visits",
        verbose_name=_("volunteer"),
    )
    date = models.DateField(_("date"))
    minutes = models.PositiveSmallIntegerField(_("minutes"))
    note = models.CharField(_("note"), max_length=VISIT_NOTE_MAX_LENGTH, blank=True)
    worker_should_know = models.BooleanField(_("the worker should know"), default=False)
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        verbose_name = _("visit")
        verbose_name_plural = _("visits")
        ordering: ClassVar = ["-date", "-pk"]

    def __str__(self) -> str:
        return f"#{self.request_id} {self.date:%Y-%m-%d}"
