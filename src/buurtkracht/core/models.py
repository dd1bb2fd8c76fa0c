"""The shared vocabulary: municipality, districts and neighbourhoods, addresses,
organisations and teams (PRODUCT.md glossary)."""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from buurtkracht.core import validators


class Municipality(models.Model):
    """A gemeente, identified by its CBS code (GM####)."""

    name = models.CharField(_("name"), max_length=100)
    cbs_code = models.CharField(
        _("CBS code"),
        max_length=6,
        unique=True,
        validators=[validators.validate_municipality_code],
        help_text=_("GM followed by four digits, for example GM0363."),
    )
    team_wide_reading = models.BooleanField(
        _("team-wide reading"),
        default=False,
        help_text=_(
            "When on, every worker of a neighbourhood team may read the files of the "
            "households in the team's neighbourhoods. When off, only the workers involved "
            "in a household (and the team leader) may."
        ),
    )

    class Meta:
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")
        ordering: ClassVar = ["name"]

    def __str__(self) -> str:
        return self.name


class Area(models.Model):
    """A district (wijk, WK######) or neighbourhood (buurt, BU########) in CBS terms."""

    class Kind(models.TextChoices):
        DISTRICT = "district", _("district (wijk)")
        NEIGHBOURHOOD = "neighbourhood", _("neighbourhood (buurt)")

    CODE_PREFIX: ClassVar[dict[str, str]] = {Kind.DISTRICT: "WK", Kind.NEIGHBOURHOOD: "BU"}

    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="areas", verbose_name=_("municipality")
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    cbs_code = models.CharField(_("CBS code"), max_length=10, unique=True)
    name = models.CharField(_("name"), max_length=100)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("district"),
        help_text=_("For a neighbourhood: the district it lies in."),
    )
    inhabitants = models.PositiveIntegerField(
        _("number of inhabitants"),
        default=0,
        help_text=_("Used for figures per 1,000 inhabitants."),
    )

    class Meta:
        verbose_name = _("area")
        verbose_name_plural = _("areas")
        ordering: ClassVar = ["cbs_code"]

    def __str__(self) -> str:
        return f"{self.name} ({self.cbs_code})"

    def clean(self) -> None:
        errors: dict[str, list[ValidationError]] = {}
        prefix = self.CODE_PREFIX.get(self.kind)
        if prefix:
            try:
                validators.validate_cbs_code(self.cbs_code, prefix)
            except ValidationError as exc:
                errors.setdefault("cbs_code", []).append(exc)
        if self.kind == self.Kind.NEIGHBOURHOOD:
            if self.parent is None:
                errors.setdefault("parent", []).append(
                    ValidationError(_("A neighbourhood lies in a district: choose its district."))
                )
            elif self.parent.kind != self.Kind.DISTRICT:
                errors.setdefault("parent", []).append(
                    ValidationError(_("The parent of a neighbourhood must be a district."))
                )
            elif (
                prefix
                and "cbs_code" not in errors
                and self.cbs_code[2:8] != self.parent.cbs_code[2:]
            ):
                errors.setdefault("cbs_code", []).append(
                    ValidationError(
                        _(
                            "Neighbourhood code %(code)s does not belong to district %(district)s: "
                            "it must start with BU%(digits)s."
                        ),
                        params={
                            "code": self.cbs_code,
                            "district": self.parent.cbs_code,
                            "digits": self.parent.cbs_code[2:],
                        },
                    )
                )
        elif self.kind == self.Kind.DISTRICT:
            if self.parent is not None:
                errors.setdefault("parent", []).append(
                    ValidationError(_("A district lies directly in the municipality: leave empty."))
                )
            if (
                "cbs_code" not in errors
                and self.municipality_id
                and self.cbs_code[2:6] != self.municipality.cbs_code[2:]
            ):
                errors.setdefault("cbs_code", []).append(
                    ValidationError(
                        _(
                            "District code %(code)s must start with WK%(digits)s, "
                            "the municipality's code."
                        ),
                        params={"code": self.cbs_code, "digits": self.municipality.cbs_code[2:]},
                    )
                )
        if errors:
            raise ValidationError(errors)


class PostcodeRange(models.Model):
    """Which neighbourhood a postcode and house-number range lies in.

    Postcodes are compared in their compact form (`1234AB`), which sorts correctly as text.
    """

    neighbourhood = models.ForeignKey(
        Area,
        on_delete=models.CASCADE,
        related_name="postcode_ranges",
        limit_choices_to={"kind": Area.Kind.NEIGHBOURHOOD},
        verbose_name=_("neighbourhood"),
    )
    postcode_from = models.CharField(_("postcode from"), max_length=6)
    postcode_to = models.CharField(_("postcode to"), max_length=6)
    number_from = models.PositiveIntegerField(_("house number from"), default=1)
    number_to = models.PositiveIntegerField(_("house number to"), default=99999)

    class Meta:
        verbose_name = _("postcode range")
        verbose_name_plural = _("postcode ranges")
        ordering: ClassVar = ["postcode_from", "number_from"]
        indexes: ClassVar = [models.Index(fields=["postcode_from", "postcode_to"])]

    def __str__(self) -> str:
        return (
            f"{validators.format_postcode(self.postcode_from)}–"
            f"{validators.format_postcode(self.postcode_to)} "
            f"{self.number_from}–{self.number_to} → {self.neighbourhood.name}"
        )

    def clean(self) -> None:
        errors: dict[str, ValidationError] = {}
        for field in ("postcode_from", "postcode_to"):
            try:
                setattr(self, field, validators.normalise_postcode(getattr(self, field)))
            except ValidationError as exc:
                errors[field] = exc
        if not errors and self.postcode_from > self.postcode_to:
            errors["postcode_to"] = ValidationError(
                _("The last postcode comes before the first. Swap them.")
            )
        if self.number_from > self.number_to:
            errors["number_to"] = ValidationError(
                _("The last house number is lower than the first. Swap them.")
            )
        if errors:
            raise ValidationError(errors)


class Address(models.Model):
    """A Dutch address (BAG style), resolved to its neighbourhood on creation.

    Addresses imported from the BAG carry its identification (`bag_id`, the 16-digit
    nummeraanduiding id) and are kept in step by `households.bag_import.addresses_import`. A
    withdrawn address (`withdrawn_on`) is never deleted: households refer to it, and it
    stays on their files, but it is not offered for new registrations (docs/register.md).
    """

    street = models.CharField(_("street"), max_length=100)
    house_number = models.PositiveIntegerField(_("house number"))
    house_letter = models.CharField(
        _("house letter"), max_length=1, blank=True, validators=[validators.validate_house_letter]
    )
    addition = models.CharField(
        _("addition"),
        max_length=4,
        blank=True,
        validators=[validators.validate_house_number_addition],
    )
    postcode = models.CharField(
        _("postcode"), max_length=7, validators=[validators.validate_postcode]
    )
    town = models.CharField(_("town"), max_length=80)
    neighbourhood = models.ForeignKey(
        Area,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="addresses",
        limit_choices_to={"kind": Area.Kind.NEIGHBOURHOOD},
        verbose_name=_("neighbourhood"),
        help_text=_("Filled in from the postcode table; empty if the address lies outside it."),
    )
    bag_id = models.CharField(
        _("BAG identification"),
        max_length=16,
        unique=True,
        null=True,
        blank=True,
        help_text=_("The 16-digit nummeraanduiding id from the BAG; empty for addresses typed in."),
    )
    withdrawn_on = models.DateField(
        _("withdrawn on"),
        null=True,
        blank=True,
        help_text=_("The day the BAG import found the address withdrawn (ingetrokken)."),
    )

    class Meta:
        verbose_name = _("address")
        verbose_name_plural = _("addresses")
        ordering: ClassVar = ["postcode", "house_number", "house_letter", "addition"]
        constraints: ClassVar = [
            # One current address per door; a withdrawn one may share it with its successor.
            models.UniqueConstraint(
                fields=["postcode", "house_number", "house_letter", "addition"],
                condition=models.Q(withdrawn_on__isnull=True),
                name="address_unique_per_postcode_number",
            )
        ]
        indexes: ClassVar = [models.Index(fields=["street", "house_number"])]

    def __str__(self) -> str:
        return f"{self.street_line}, {validators.format_postcode(self.postcode)} {self.town}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        adding = self._state.adding
        super().save(*args, **kwargs)
        if not adding:
            # Its households keep the neighbourhood for reports (Household.neighbourhood).
            self.households.exclude(neighbourhood_id=self.neighbourhood_id).update(
                neighbourhood_id=self.neighbourhood_id
            )

    def clean(self) -> None:
        errors: dict[str, ValidationError] = {}
        try:
            self.postcode = validators.normalise_postcode(self.postcode)
        except ValidationError as exc:
            errors["postcode"] = exc
        self.house_letter = self.house_letter.upper()
        self.addition = self.addition.upper()
        if self.house_number is not None and self.house_number < 1:
            errors["house_number"] = ValidationError(_("The house number starts at 1."))
        if errors:
            raise ValidationError(errors)

    @property
    def street_line(self) -> str:
        number = f"{self.house_number}{self.house_letter}"
        if self.addition:
            number = f"{number}-{self.addition}"
        return f"{self.street} {number}"


class Organisation(models.Model):
    """A municipality department, partner or provider. Partners deliver signals later."""

    class Kind(models.TextChoices):
        MUNICIPALITY = "municipality", _("municipality")
        HOUSING_CORPORATION = "housing_corporation", _("housing corporation")
        ENERGY_SUPPLIER = "energy_supplier", _("energy supplier")
        WATER_COMPANY = "water_company", _("water company")
        HEALTH_INSURER = "health_insurer", _("health insurer")
        WELFARE = "welfare", _("welfare organisation")
        MENTAL_HEALTH = "mental_health", _("mental health care")
        DEBT_COUNSELLING = "debt_counselling", _("debt counselling")
        SCHOOL = "school", _("school")
        POLICE = "police", _("police")
        GENERAL_PRACTICE = "general_practice", _("general practice")
        VOLUNTEER_ORGANISATION = "volunteer_organisation", _("volunteer organisation")
        OTHER = "other", _("other")

    name = models.CharField(_("name"), max_length=150)
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        related_name="organisations",
        verbose_name=_("municipality"),
    )

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering: ClassVar = ["name"]
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["municipality", "name"], name="organisation_unique_name_per_municipality"
            )
        ]

    def __str__(self) -> str:
        return self.name


class Team(models.Model):
    """A neighbourhood team (wijkteam): part of an organisation, serving neighbourhoods."""

    name = models.CharField(_("name"), max_length=100)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="teams", verbose_name=_("organisation")
    )
    neighbourhoods = models.ManyToManyField(
        Area,
        related_name="teams",
        blank=True,
        limit_choices_to={"kind": Area.Kind.NEIGHBOURHOOD},
        verbose_name=_("neighbourhoods served"),
    )
    members_may_assign = models.BooleanField(
        _("members may assign a lead worker"),
        default=False,
        help_text=_(
            "Off: only the team leader assigns the lead worker of a new intake. "
            "On: every member of the team may (self-steering teams)."
        ),
    )

    class Meta:
        verbose_name = _("team")
        verbose_name_plural = _("teams")
        ordering: ClassVar = ["name"]

    def __str__(self) -> str:
        return self.name


class ThrottleCount(models.Model):
    """One counter of attempts (wrong voting codes, proposals, failed logins) in a window
    of time, shared by every worker process: see `core.throttle`. The key is a keyed hash
    of what is counted, so the table holds no user names or addresses."""

    key = models.CharField(max_length=64, unique=True)
    scope = models.CharField(max_length=40)
    count = models.PositiveIntegerField(default=0)
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = _("throttle count")
        verbose_name_plural = _("throttle counts")

    def __str__(self) -> str:
        return f"{self.scope}: {self.count}"


class Job(models.Model):
    """Long work that runs in the background (a task, docs/jobs.md), with the progress the
    person who started it sees on the page and the command line. The work itself is
    idempotent and resumable: a job whose worker died (heartbeat too old) is queued again
    and carries on from its last committed step."""

    class State(models.TextChoices):
        QUEUED = "queued", _("waiting")
        RUNNING = "running", _("running")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")

    kind = models.CharField(_("kind"), max_length=64)
    # The record the job works on (a delivery, a voting round …), per kind.
    object_id = models.PositiveBigIntegerField(_("object"), null=True, blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("started by"),
    )
    state = models.CharField(_("state"), max_length=16, choices=State.choices, default=State.QUEUED)
    done = models.PositiveIntegerField(_("done"), default=0)
    total = models.PositiveIntegerField(_("total"), default=0)
    message = models.CharField(_("message"), max_length=300, blank=True)
    # Why it failed, in plain words for the person who started it (no traceback).
    failure = models.TextField(_("reason of failure"), blank=True)
    result_url = models.CharField(_("result"), max_length=300, blank=True)
    # How to run it again after a lost worker: the task's import path and its backend.
    task_path = models.CharField(_("task"), max_length=200)
    backend = models.CharField(_("backend"), max_length=32, default="default")
    task_id = models.CharField(_("task id"), max_length=64, blank=True)
    # Which run owns the job now: a run that finds another claim stops without writing.
    claim = models.CharField(_("claim"), max_length=32, blank=True)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    heartbeat_at = models.DateTimeField(_("heartbeat"), null=True, blank=True)

    class Meta:
        verbose_name = _("background job")
        verbose_name_plural = _("background jobs")
        ordering: ClassVar = ["-created_at", "-pk"]
        indexes: ClassVar = [models.Index(fields=["state", "heartbeat_at"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.pk} ({self.state})"

    @property
    def finished(self) -> bool:
        return self.state in (self.State.DONE, self.State.FAILED)
