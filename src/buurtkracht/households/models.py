"""Households and the people in them (huishouden, bewoner)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from buurtkracht.core import validators
from buurtkracht.core.models import Address
from buurtkracht.core.queries import in_force
from buurtkracht.core.versioning import Versioned
from buurtkracht.households.visibility import involved_households, visible_households

if TYPE_CHECKING:
    from buurtkracht.accounts.models import User


class Person(Versioned):
    """A resident. Names follow Dutch conventions: initials, given names, a surname
    prefix (tussenvoegsel) stored apart from the surname so that "van der Berg" sorts
    under B, and the birth surname of someone who uses a partner's name."""

    initials = models.CharField(
        _("initials"), max_length=20, blank=True, validators=[validators.validate_initials]
    )
    given_names = models.CharField(
        _("given names"), max_length=100, blank=True, validators=[validators.validate_name]
    )
    surname_prefix = models.CharField(
        _("surname prefix"),
        max_length=20,
        blank=True,
        validators=[validators.validate_surname_prefix],
        help_text=_("For example “van der” or “de”."),
    )
    surname = models.CharField(_("surname"), max_length=100, validators=[validators.validate_name])
    birth_surname_prefix = models.CharField(
        _("birth surname prefix"),
        max_length=20,
        blank=True,
        validators=[validators.validate_surname_prefix],
    )
    birth_surname = models.CharField(
        _("birth surname"),
        max_length=100,
        blank=True,
        validators=[validators.validate_name],
        help_text=_("Only if it differs from the surname in use."),
    )
    date_of_birth = models.DateField(
        _("date of birth"), null=True, blank=True, validators=[validators.validate_date_of_birth]
    )
    bsn = models.CharField(
        _("BSN"),
        max_length=9,
        null=True,
        blank=True,
        unique=True,
        validators=[validators.validate_bsn],
        help_text=_("Citizen service number. Optional; only when the work needs it."),
    )
    date_of_death = models.DateField(_("date of death"), null=True, blank=True)
    phone = models.CharField(
        _("phone"), max_length=20, blank=True, validators=[validators.validate_phone]
    )
    email = models.EmailField(_("e-mail"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("persons")
        ordering: ClassVar = ["surname", "surname_prefix", "initials"]
        indexes: ClassVar = [
            models.Index(fields=["surname", "date_of_birth"]),
            # Signal matching looks for movers and mistyped addresses by date of birth
            # alone (signals/matching/elsewhere.py): without this, a scan of every person.
            models.Index(fields=["date_of_birth"], name="person_date_of_birth"),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_surname(self) -> str:
        return " ".join(part for part in (self.surname_prefix, self.surname) if part)

    @property
    def full_name(self) -> str:
        first = self.given_names.split(" ")[0] if self.given_names else self.initials
        return " ".join(part for part in (first, self.full_surname) if part)

    @property
    def formal_name(self) -> str:
        """`J.H. van der Berg` as on a letter."""
        return " ".join(part for part in (self.initials, self.full_surname) if part)

    def clean(self) -> None:
        """Bring initials, BSN and phone into one stored form; errors stay with their field."""
        errors: dict[str, ValidationError] = {}
        normalisers = {
            "initials": validators.normalise_initials,
            "bsn": validators.normalise_bsn,
            "phone": validators.normalise_phone,
        }
        for field, normalise in normalisers.items():
            value = getattr(self, field)
            if not value:
                continue
            try:
                setattr(self, field, normalise(value))
            except ValidationError as exc:
                errors[field] = exc
        if not self.bsn:
            self.bsn = None
        if errors:
            raise ValidationError(errors)


class HouseholdQuerySet(models.QuerySet["Household"]):
    def visible_to(self, user: User) -> HouseholdQuerySet:
        """The households `user` may read (households.visibility decides)."""
        return visible_households(user, self)  # type: ignore[return-value]

    def involving(self, user: User) -> HouseholdQuerySet:
        """The households `user` is involved in today, lead or co-worker (their caseload)."""
        return involved_households(user, self)  # type: ignore[return-value]


class Household(models.Model):
    """A household living at one address for a period."""

    address = models.ForeignKey(
        Address, on_delete=models.PROTECT, related_name="households", verbose_name=_("address")
    )
    start_date = models.DateField(_("living here since"), null=True, blank=True)
    end_date = models.DateField(_("moved out on"), null=True, blank=True)
    # The address's neighbourhood, kept on the household so that reports group households
    # by neighbourhood without joining every address (benchmarks/README.md: a neighbourhood
    # report at 500,000 households). Set on save; Address.save keeps it in step.
    neighbourhood = models.ForeignKey(
        "core.Area",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("neighbourhood"),
    )
    members: models.ManyToManyField[Person, Membership] = models.ManyToManyField(
        Person, through="Membership", related_name="households", verbose_name=_("members")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = HouseholdQuerySet.as_manager()

    class Meta:
        verbose_name = _("household")
        verbose_name_plural = _("households")
        ordering: ClassVar = ["address__postcode", "address__house_number"]

    def __str__(self) -> str:
        return str(_("Household at %(address)s") % {"address": self.address.street_line})

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.address_id and self._state.adding:
            cached = self._state.fields_cache.get("address")
            self.neighbourhood_id = (
                cached.neighbourhood_id
                if cached is not None and cached.pk == self.address_id
                else Address.objects.filter(pk=self.address_id)
                .values_list("neighbourhood_id", flat=True)
                .first()
            )
        super().save(*args, **kwargs)

    def current_memberships(self) -> models.QuerySet[Membership]:
        """The members living here today. Former members (an ex-partner who moved out)
        are not subjects of what happens in the file from then on."""
        return self.memberships.filter(in_force())

    def current_member_ids(self) -> list[int]:
        return list(self.current_memberships().values_list("person_id", flat=True))


class Membership(models.Model):
    """A person's place in a household, for a period."""

    class Role(models.TextChoices):
        HEAD = "head", _("main resident")
        PARTNER = "partner", _("partner")
        CHILD = "child", _("child")
        PARENT = "parent", _("parent")
        OTHER_RELATIVE = "other_relative", _("other relative")
        HOUSEMATE = "housemate", _("housemate")

    household = models.ForeignKey(
        Household, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("household")
    )
    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("person")
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    start_date = models.DateField(_("from"), null=True, blank=True)
    end_date = models.DateField(_("until"), null=True, blank=True)
    # Proposed by the register import (households/register_import.py). A later extract
    # ends only memberships it made; a worker's memberships are never ended by it
    # (except at a death), their differences with the register are shown instead.
    from_register = models.BooleanField(_("from the register"), default=False, editable=False)

    class Meta:
        verbose_name = _("household membership")
        verbose_name_plural = _("household memberships")
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["household", "person", "start_date"],
                name="membership_unique_person_period",
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} – {self.get_role_display()}"


class GrantPath(models.TextChoices):
    """The ways in which a worker comes to be involved in a household (a grant of access)."""

    INTAKE = "intake", _("intake assigned")
    SIGNAL = "signal", _("help accepted after an early signal")
    HANDOVER = "handover", _("handover")
    MERGE = "merge", _("merged files")
    ON_FILE = "on_file", _("added on the household file")


class Involvement(models.Model):
    """A worker's involvement in a household: the lead worker (regisseur, exactly one at a
    time) or a co-worker. Involvement is the first ground for reading a household's file
    (need-to-know), and everyone involved sees who else is (één gezin, één plan)."""

    class Kind(models.TextChoices):
        LEAD = "lead", _("lead worker")
        CO_WORKER = "co_worker", _("co-worker")

    household = models.ForeignKey(
        Household,
        on_delete=models.CASCADE,
        related_name="involvements",
        verbose_name=_("household"),
    )
    worker = models.ForeignKey(
        "accounts.User",
        on_delete=models.PROTECT,
        related_name="involvements",
        verbose_name=_("worker"),
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    start_date = models.DateField(_("from"))
    end_date = models.DateField(_("until"), null=True, blank=True)
    handover_note = models.TextField(
        _("handover note"),
        blank=True,
        help_text=_("What the previous worker passes on when the household changes hands."),
    )
    # How the worker got this access, and on whose say (households/grants.py): every
    # involvement is a grant that the team leader — or the team's own setting *members
    # may assign* — made, and it is listed on the team leader's start page. Empty on
    # involvements recorded before grants were kept.
    granted_via = models.CharField(
        _("granted via"), max_length=16, choices=GrantPath.choices, blank=True
    )
    granted_by = models.ForeignKey(
        "accounts.User",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("granted by"),
    )
    granted_ground = models.CharField(_("granted on the ground"), max_length=24, blank=True)
    granted_team = models.ForeignKey(
        "core.Team",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("granted in team"),
    )
    granted_at = models.DateTimeField(_("granted at"), null=True, blank=True, db_index=True)

    class Meta:
        verbose_name = _("involvement")
        verbose_name_plural = _("involvements")
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["household"],
                condition=models.Q(kind="lead", end_date__isnull=True),
                name="involvement_one_lead_worker",
                violation_error_message=_("A household has exactly one lead worker."),
            )
        ]
        indexes: ClassVar = [models.Index(fields=["worker", "end_date"])]

    def __str__(self) -> str:
        return f"{self.worker} – {self.get_kind_display()}"


class EmergencyAccess(models.Model):
    """Break-the-glass access (noodtoegang): a worker without a ground opens a household
    file for a limited time after giving a reason. Every use lands in a review list for the
    privacy officer and the team leader."""

    household = models.ForeignKey(
        Household,
        on_delete=models.CASCADE,
        related_name="emergency_accesses",
        verbose_name=_("household"),
    )
    worker = models.ForeignKey(
        "accounts.User",
        on_delete=models.PROTECT,
        related_name="emergency_accesses",
        verbose_name=_("worker"),
    )
    reason = models.TextField(_("reason"))
    started_at = models.DateTimeField(_("started at"))
    expires_at = models.DateTimeField(_("expires at"), db_index=True)
    reviewed_by = models.ForeignKey(
        "accounts.User",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    review_note = models.TextField(_("review note"), blank=True)

    class Meta:
        verbose_name = _("emergency access")
        verbose_name_plural = _("emergency accesses")
        ordering: ClassVar = ["-started_at"]

    def __str__(self) -> str:
        return f"{self.worker} → {self.household} ({self.started_at:%Y-%m-%d %H:%M})"


class Consent(models.Model):
    """One entry in a person's consent register (toestemming): for one purpose, given or
    withdrawn, how, by whom recorded, until when. The newest entry for a purpose and
    counterpart decides; a withdrawal takes effect at once (AVG art. 7(3))."""

    class Purpose(models.TextChoices):
        SHARE_WITH_ORGANISATION = (
            "share_with_organisation",
            _("share information with an organisation"),
        )
        INVOLVE_NETWORK_MEMBER = "involve_network_member", _("involve someone from their network")
        SHARE_WITH_VOLUNTEER = "share_with_volunteer", _("share information with a volunteer")
        STORY_IN_REPORT = "story_in_report", _("use their story in a report")

    class Method(models.TextChoices):
        SPOKEN = "spoken", _("spoken")
        WRITTEN = "written", _("written")
        ONLINE = "online", _("online")

    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="consents", verbose_name=_("person")
    )
    purpose = models.CharField(_("purpose"), max_length=32, choices=Purpose.choices)
    organisation = models.ForeignKey(
        "core.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="consents",
        verbose_name=_("organisation"),
        help_text=_("For sharing with an organisation: which one."),
    )
    counterpart = models.CharField(
        _("with whom"),
        max_length=150,
        blank=True,
        help_text=_("For a network member or volunteer: their name."),
    )
    given = models.BooleanField(_("given"), help_text=_("Off means withdrawn or refused."))
    method = models.CharField(_("how"), max_length=16, choices=Method.choices)
    recorded_at = models.DateTimeField(_("recorded at"))
    recorded_by = models.ForeignKey(
        "accounts.User",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        ordering: ClassVar = ["-recorded_at", "-id"]
        indexes: ClassVar = [models.Index(fields=["person", "purpose", "recorded_at"])]

    def __str__(self) -> str:
        return f"{self.person}: {self.get_purpose_display()} ({'+' if self.given else '-'})"

    @property
    def counterpart_label(self) -> str:
        return str(self.organisation) if self.organisation_id else self.counterpart


class OutsideProfessional(models.Model):
    """A professional from outside the team who works with the household (a debt counsellor,
    a community police officer, a school's care coordinator): who, from which organisation,
    in what role, since when and until when. Picked from the social map (the values are
    copied, `socialmap_resource` keeps the entry's id as a plain reference, because the
    social map lives on a higher floor) or typed. Ended, never deleted.

    Whether the team shares the resident's data with them is `shares_data`; it may be
    switched on only while `person` has valid consent to share with `organisation` in the
    consent register (`households/consent.py`)."""

    household = models.ForeignKey(
        Household,
        on_delete=models.CASCADE,
        related_name="outside_professionals",
        verbose_name=_("household"),
    )
    name = models.CharField(_("name"), max_length=150)
    organisation_name = models.CharField(_("organisation"), max_length=200)
    organisation = models.ForeignKey(
        "core.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organisation in the consent register"),
    )
    role = models.CharField(_("role"), max_length=150, blank=True)
    phone = models.CharField(_("phone number"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    socialmap_resource = models.UUIDField(_("social map entry"), null=True, blank=True)
    person = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("whose data is shared"),
    )
    shares_data = models.BooleanField(_("shares data"), default=False)
    start_date = models.DateField(_("since"))
    end_date = models.DateField(_("until"), null=True, blank=True)
    added_by = models.ForeignKey(
        "accounts.User",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("added by"),
    )
    added_at = models.DateTimeField(_("added at"), auto_now_add=True)

    class Meta:
        verbose_name = _("outside professional")
        verbose_name_plural = _("outside professionals")
        ordering: ClassVar = ["start_date", "pk"]

    def __str__(self) -> str:
        return f"{self.name} ({self.organisation_name})"


# The register's own view of each person (issue 16) lives in its own module; Django finds
# models by their app, and this import keeps `households.models.RegisterEntry` working.
from buurtkracht.households.register_models import (  # noqa: E402
    RegisterEntry as RegisterEntry,
)
from buurtkracht.households.register_models import (  # noqa: E402
    RegisterExtract as RegisterExtract,
)
from buurtkracht.households.rights_models import (  # noqa: E402
    DataRequest as DataRequest,
)
