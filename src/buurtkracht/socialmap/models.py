"""The social map (sociale kaart): formal and informal resources a worker or resident can
turn to, from debt counselling to a church's coffee morning (PRODUCT.md principle 5).

The models mirror the Open Referral Human Services Data Specification (HSDS 3), so a
municipality can exchange its social map with other systems (see `socialmap.hsds`):

| here | HSDS |
|---|---|
| Provider | organization |
| Resource | service |
| Location | location (with its address and accessibility) |
| ResourceLocation | service_at_location |
| OpeningHours | schedule (weekly, one weekday per row) |
| Resource.neighbourhoods | service_area |

Every object carries a UUID as its primary key, because HSDS identifiers are UUIDs: an
export imported again finds the same objects instead of making copies.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any, ClassVar

from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from buurtkracht.core.versioning import Versioned

# An entry not checked for this long is marked on the map (issue 6): a worker should not
# send a resident to a coffee morning that stopped last spring.
STALE_AFTER_DAYS = 365


class Provider(models.Model):
    """Who offers resources (HSDS organization): an organisation, a church, a club, or a
    group of residents. Optionally the same as an organisation in the configuration."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    email = models.EmailField(_("email address"), blank=True)
    website = models.URLField(_("website"), blank=True)
    organisation = models.ForeignKey(
        "core.Organisation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="socialmap_providers",
        verbose_name=_("organisation"),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("provider")
        verbose_name_plural = _("providers")
        ordering: ClassVar = ["name"]

    def __str__(self) -> str:
        return self.name


class Location(models.Model):
    """A place where resources are offered (HSDS location with its address)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    provider = models.ForeignKey(
        Provider, on_delete=models.CASCADE, related_name="locations", verbose_name=_("provider")
    )
    name = models.CharField(_("name"), max_length=200, blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    postcode = models.CharField(_("postcode"), max_length=7, blank=True)
    city = models.CharField(_("town"), max_length=80, blank=True)
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    accessibility = models.TextField(
        _("accessibility"),
        blank=True,
        help_text=_("For example: step-free entrance, lift, accessible toilet."),
    )

    class Meta:
        verbose_name = _("location")
        verbose_name_plural = _("locations")
        ordering: ClassVar = ["name", "address"]

    def __str__(self) -> str:
        return self.name or self.address or str(self.id)

    @property
    def address_line(self) -> str:
        return ", ".join(
            part for part in (self.address, f"{self.postcode} {self.city}".strip()) if part
        )


class Resource(Versioned):
    """Something on the social map (HSDS service): what it offers, for whom, where and
    how to get in. Several people keep it up to date, so every change raises its
    `version` (core.versioning)."""

    class Kind(models.TextChoices):
        SERVICE = "service", _("service of an organisation")
        GENERAL_PROVISION = "general_provision", _("general provision")
        VOLUNTEER_ORGANISATION = "volunteer_organisation", _("volunteer organisation")
        CHURCH = "church", _("church or faith community")
        CLUB = "club", _("club or association")
        PEER_GROUP = "peer_group", _("peer group")
        RESIDENT_INITIATIVE = "resident_initiative", _("resident initiative")
        MEETING_PLACE = "meeting_place", _("meeting place")

    class Access(models.TextChoices):
        # The four-step order (PRODUCT.md principle 3) prefers what is open to everyone.
        OPEN = "open", _("open to everyone")
        REFERRAL = "referral", _("with a referral")
        DECISION = "decision", _("with a decision (indication)")

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("proposed")
        PUBLISHED = "published", _("published")
        REJECTED = "rejected", _("rejected")

    # Kinds that are informal help by nature; the flag can still be set by hand.
    INFORMAL_KINDS: ClassVar[frozenset[str]] = frozenset(
        {Kind.CHURCH, Kind.CLUB, Kind.PEER_GROUP, Kind.RESIDENT_INITIATIVE}
    )

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    provider = models.ForeignKey(
        Provider, on_delete=models.PROTECT, related_name="resources", verbose_name=_("provider")
    )
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("what it offers"))
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices, default=Kind.SERVICE)
    informal = models.BooleanField(
        _("informal help"),
        default=False,
        help_text=_("Run by residents, volunteers, a church or a club, not by professionals."),
    )
    age_min = models.PositiveSmallIntegerField(_("minimum age"), null=True, blank=True)
    age_max = models.PositiveSmallIntegerField(_("maximum age"), null=True, blank=True)
    target_group = models.CharField(_("for whom"), max_length=300, blank=True)
    life_domains = models.JSONField(_("life domains"), default=list, blank=True)
    neighbourhoods = models.ManyToManyField(
        "core.Area",
        blank=True,
        related_name="socialmap_resources",
        verbose_name=_("neighbourhoods served"),
        help_text=_("None: the whole municipality."),
    )
    whole_municipality = models.BooleanField(
        _("whole municipality"),
        default=True,
        editable=False,
        help_text=_("Kept by the services: true when no neighbourhood is chosen."),
    )
    access = models.CharField(
        _("how to get in"), max_length=16, choices=Access.choices, default=Access.OPEN
    )
    cost = models.CharField(_("cost"), max_length=300, blank=True)
    languages = models.JSONField(_("languages"), default=list, blank=True)
    contact_name = models.CharField(_("contact person"), max_length=150, blank=True)
    contact_phone = models.CharField(_("phone number"), max_length=40, blank=True)
    contact_email = models.EmailField(_("email address"), blank=True)
    website = models.URLField(_("website"), blank=True)
    verified_on = models.DateField(_("last checked on"), null=True, blank=True)

    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PUBLISHED
    )
    proposed_by = models.ForeignKey(
        "accounts.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("proposed by"),
    )
    moderated_by = models.ForeignKey(
        "accounts.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("assessed by"),
    )
    moderated_at = models.DateTimeField(_("assessed at"), null=True, blank=True)
    rejection_reason = models.TextField(_("reason for rejection"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    # Kept by `socialmap.search.search_document_refresh`: the folded text of the name and
    # of everything else a worker might search for; on PostgreSQL also the Dutch tsvector.
    search_title = models.TextField(editable=False, default="")
    search_text = models.TextField(editable=False, default="")
    search_domains = models.CharField(editable=False, max_length=300, default="")
    search_vector = SearchVectorField(null=True, editable=False)

    class Meta:
        verbose_name = _("resource")
        verbose_name_plural = _("resources")
        ordering: ClassVar = ["name"]
        indexes: ClassVar = [models.Index(fields=["status", "name"])]

    def __str__(self) -> str:
        return self.name

    @property
    def is_stale(self) -> bool:
        """Not checked for more than a year (or never): shown with a mark."""
        return self.verified_on is None or self.verified_on < stale_before()

    def life_domain_labels(self) -> list[str]:
        from buurtkracht.casework.models import LifeDomain

        labels = dict(LifeDomain.choices)
        return [str(labels.get(code, code)) for code in self.life_domains]

    @property
    def age_text(self) -> str:
        if self.age_min is not None and self.age_max is not None:
            return f"{self.age_min}–{self.age_max}"
        if self.age_min is not None:
            return f"{self.age_min}+"
        if self.age_max is not None:
            return f"0–{self.age_max}"
        return ""


def stale_before(today: dt.date | None = None) -> dt.date:
    return (today or timezone.localdate()) - dt.timedelta(days=STALE_AFTER_DAYS)


class ResourceLocation(models.Model):
    """That a resource is offered at a location (HSDS service_at_location)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    resource = models.ForeignKey(
        Resource, on_delete=models.CASCADE, related_name="places", verbose_name=_("resource")
    )
    location = models.ForeignKey(
        Location, on_delete=models.CASCADE, related_name="offers", verbose_name=_("location")
    )
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("resource at a location")
        verbose_name_plural = _("resources at locations")
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["resource", "location"], name="socialmap_unique_resource_location"
            )
        ]

    def __str__(self) -> str:
        return f"{self.resource} @ {self.location}"


class OpeningHours(models.Model):
    """Opening hours on one weekday (HSDS schedule, freq WEEKLY, byday)."""

    class Weekday(models.IntegerChoices):
        MONDAY = 1, _("Monday")
        TUESDAY = 2, _("Tuesday")
        WEDNESDAY = 3, _("Wednesday")
        THURSDAY = 4, _("Thursday")
        FRIDAY = 5, _("Friday")
        SATURDAY = 6, _("Saturday")
        SUNDAY = 7, _("Sunday")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    place = models.ForeignKey(
        ResourceLocation,
        on_delete=models.CASCADE,
        related_name="hours",
        verbose_name=_("resource at a location"),
    )
    weekday = models.PositiveSmallIntegerField(_("day"), choices=Weekday.choices)
    opens_at = models.TimeField(_("opens at"))
    closes_at = models.TimeField(_("closes at"))

    class Meta:
        verbose_name = _("opening hours")
        verbose_name_plural = _("opening hours")
        ordering: ClassVar = ["weekday", "opens_at"]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.opens_at:%H:%M}–{self.closes_at:%H:%M}"

    def as_dict(self) -> dict[str, Any]:
        return {"weekday": self.weekday, "opens_at": self.opens_at, "closes_at": self.closes_at}
