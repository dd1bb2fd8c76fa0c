"""Early signals of payment arrears (vroegsignalering schulden) and the outreach after them.

Since 2021 housing corporations, energy suppliers, water companies and health insurers must
send municipalities signals of payment arrears (Wet gemeentelijke schuldhulpverlening), and
the municipality must offer help. A partner's delivery holds signals; signals at one address
in one month are bundled into a report (melding), which a team contacts (Eropaf!).
"""

from __future__ import annotations

from typing import ClassVar

from django.db import models
from django.utils.translation import gettext_lazy as _

from buurtkracht.core.versioning import Versioned


class PartnerKind(models.TextChoices):
    HOUSING = "housing", _("housing corporation")
    ENERGY = "energy", _("energy supplier")
    WATER = "water", _("water company")
    HEALTH_INSURER = "health_insurer", _("health insurer")


class Delivery(models.Model):
    """One file or API batch from a partner. The same file delivered twice (same content)
    is recognised by its checksum and creates nothing twice."""

    class Channel(models.TextChoices):
        UPLOAD = "upload", _("upload")
        API = "api", _("API")
        CORRECTION = "correction", _("corrected rows")

    class Status(models.TextChoices):
        PROCESSING = "processing", _("processing")
        DONE = "done", _("done")
        FAILED = "failed", _("could not be read")

    organisation = models.ForeignKey(
        "core.Organisation",
        on_delete=models.PROTECT,
        related_name="signal_deliveries",
        verbose_name=_("partner"),
    )
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices)
    filename = models.CharField(_("file"), max_length=255, blank=True)
    checksum = models.CharField(_("checksum"), max_length=64, db_index=True)
    # Set by the upload form, so the page can ask for progress while the upload runs.
    upload_id = models.CharField(_("upload id"), max_length=36, blank=True, db_index=True)
    received_at = models.DateTimeField(_("received at"), auto_now_add=True)
    received_by = models.ForeignKey(
        "accounts.User",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("delivered by"),
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PROCESSING
    )
    message = models.TextField(_("message"), blank=True)
    rows_total = models.PositiveIntegerField(_("rows"), default=0)
    rows_done = models.PositiveIntegerField(_("rows processed"), default=0)
    rows_valid = models.PositiveIntegerField(_("valid rows"), default=0)
    rows_rejected = models.PositiveIntegerField(_("rows set aside"), default=0)
    rows_duplicate = models.PositiveIntegerField(_("rows delivered before"), default=0)
    # Of the rows delivered before: those whose arrears (amount, missed terms, end of
    # supply) changed, so the signal now holds the new figures.
    rows_updated = models.PositiveIntegerField(_("rows with new arrears"), default=0)
    # Rows set aside that the partner corrected on screen: they count as taken in (or
    # delivered before) in this delivery, no longer as set aside.
    rows_corrected = models.PositiveIntegerField(_("rows corrected"), default=0)
    ignored_columns = models.JSONField(_("columns not used"), default=list, blank=True)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        ordering: ClassVar = ["-received_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.organisation} {self.received_at:%Y-%m-%d %H:%M}"


class RejectedRow(models.Model):
    """A row that could not be taken in, kept aside with its messages until the partner
    corrects and resubmits it (nothing delivered is lost). A corrected row is kept for the
    record: its values as taken in, the messages it had, when and how it was resolved."""

    class Resolution(models.TextChoices):
        TAKEN_IN = "taken_in", _("corrected and taken in")
        DELIVERED_BEFORE = "delivered_before", _("corrected; delivered before")

    delivery = models.ForeignKey(
        Delivery, on_delete=models.CASCADE, related_name="rejected_rows", verbose_name=_("delivery")
    )
    line = models.PositiveIntegerField(_("line"))
    raw = models.JSONField(_("values as delivered"))
    errors = models.JSONField(_("messages"))
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    resolution = models.CharField(
        _("resolution"), max_length=16, choices=Resolution.choices, blank=True
    )

    class Meta:
        verbose_name = _("row set aside")
        verbose_name_plural = _("rows set aside")
        ordering: ClassVar = ["delivery", "line"]

    def __str__(self) -> str:
        return f"{self.delivery} r{self.line}"


class Report(Versioned):
    """A report (melding): the signals at one address in one month, bundled. It is routed to
    the team of the address's neighbourhood, which contacts the household (Eropaf!)."""

    class Status(models.TextChoices):
        OPEN = "open", _("to contact")
        CLOSED = "closed", _("closed")

    class Outcome(models.TextChoices):
        ACCEPTED = "accepted", _("reached, help accepted")
        DECLINED = "declined", _("reached, help declined")
        ALREADY_HELPED = "already_helped", _("reached, already helped")
        NOT_REACHED = "not_reached", _("not reached")
        MOVED = "moved", _("moved or unknown")
        RESOLVED = "resolved", _("resolved: the partner reports it paid")

    address_key = models.CharField(_("address"), max_length=32)
    month = models.DateField(_("month"))
    address = models.ForeignKey(
        "core.Address",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="signal_reports",
        verbose_name=_("address"),
    )
    household = models.ForeignKey(
        "households.Household",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="signal_reports",
        verbose_name=_("household"),
    )
    team = models.ForeignKey(
        "core.Team",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="signal_reports",
        verbose_name=_("team"),
    )
    neighbourhood = models.ForeignKey(
        "core.Area",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="signal_reports",
        verbose_name=_("neighbourhood"),
    )
    multiple = models.BooleanField(_("several signals"), default=False)
    consecutive = models.BooleanField(_("signal in the previous six months"), default=False)
    priority = models.SmallIntegerField(_("priority"), default=0, db_index=True)
    priority_reasons = models.JSONField(_("why this priority"), default=list)
    priority_override = models.SmallIntegerField(_("priority set by hand"), null=True, blank=True)
    override_reason = models.CharField(_("why set by hand"), max_length=300, blank=True)
    first_signal_date = models.DateField(_("first signal"))
    first_attempt_due = models.DateField(_("first attempt due"), db_index=True)
    first_attempt_at = models.DateTimeField(_("first attempt"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.OPEN, db_index=True
    )
    outcome = models.CharField(_("outcome"), max_length=24, choices=Outcome.choices, blank=True)
    outcome_note = models.CharField(_("note on the outcome"), max_length=500, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    intake = models.ForeignKey(
        "casework.Intake",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="signal_reports",
        verbose_name=_("intake"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        ordering: ClassVar = ["-month", "-pk"]
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["address_key", "month"], name="report_per_address_month"
            )
        ]
        indexes: ClassVar = [models.Index(fields=["team", "status", "first_attempt_due"])]

    def __str__(self) -> str:
        return f"{self.address_key} {self.month:%Y-%m}"

    @property
    def place(self) -> str:
        """Where the report is: the registered address, or the address as the partner wrote
        it (an address outside the register), with the postcode when no street was given."""
        if self.address is not None:
            return f"{self.address.street_line}, {self.address.town}"
        signal = next(iter(self.signals.all()), None)
        if signal is None:
            return self.address_key
        number = f"{signal.house_number}{signal.house_letter}"
        number += f"-{signal.addition}" if signal.addition else ""
        street = signal.street or signal.postcode
        return f"{street} {number}" + (f", {signal.town}" if signal.town else "")

    @property
    def effective_priority(self) -> int:
        return self.priority if self.priority_override is None else self.priority_override


class Signal(models.Model):
    """One signal of payment arrears from one partner about one contract."""

    class MatchStatus(models.TextChoices):
        AUTOMATIC = "automatic", _("matched automatically")
        REVIEW = "review", _("to review")
        CONFIRMED = "confirmed", _("confirmed by the signal officer")
        NO_MATCH = "no_match", _("no resident found")

    delivery = models.ForeignKey(
        Delivery, on_delete=models.PROTECT, related_name="signals", verbose_name=_("delivery")
    )
    organisation = models.ForeignKey(
        "core.Organisation",
        on_delete=models.PROTECT,
        related_name="signals",
        verbose_name=_("partner"),
    )
    partner_kind = models.CharField(
        _("kind of partner"), max_length=16, choices=PartnerKind.choices
    )
    partner_reference = models.CharField(_("partner reference"), max_length=64)
    signal_date = models.DateField(_("signal date"))
    initials = models.CharField(_("initials"), max_length=30, blank=True)
    # The BRP holds names of up to 200 characters.
    given_names = models.CharField(_("given names"), max_length=200, blank=True)
    surname_prefix = models.CharField(_("surname prefix"), max_length=30, blank=True)
    surname = models.CharField(_("surname"), max_length=200)
    date_of_birth = models.DateField(_("date of birth"), null=True, blank=True)
    street = models.CharField(_("street"), max_length=100, blank=True)
    house_number = models.PositiveIntegerField(_("house number"))
    house_letter = models.CharField(_("house letter"), max_length=1, blank=True)
    addition = models.CharField(_("addition"), max_length=4, blank=True)
    postcode = models.CharField(_("postcode"), max_length=6)
    town = models.CharField(_("town"), max_length=80, blank=True)
    amount = models.DecimalField(
        _("amount in arrears"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    missed_terms = models.PositiveSmallIntegerField(_("missed terms"), null=True, blank=True)
    end_of_supply_date = models.DateField(_("end of supply"), null=True, blank=True)

    report = models.ForeignKey(
        Report, on_delete=models.CASCADE, related_name="signals", verbose_name=_("report")
    )
    person = models.ForeignKey(
        "households.Person",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="signals",
        verbose_name=_("resident"),
    )
    match_status = models.CharField(
        _("match"), max_length=16, choices=MatchStatus.choices, db_index=True
    )
    match_confidence = models.PositiveSmallIntegerField(_("confidence"), default=0)
    match_reasons = models.JSONField(_("why"), default=list)
    match_alternatives = models.JSONField(_("other candidates"), default=list)
    created_at = models.DateTimeField(_("received at"), auto_now_add=True)

    class Meta:
        verbose_name = _("signal")
        verbose_name_plural = _("signals")
        ordering: ClassVar = ["-signal_date", "-pk"]
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["organisation", "partner_reference"], name="signal_reference_per_partner"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} {self.partner_reference}"

    @property
    def name_line(self) -> str:
        first = self.initials or self.given_names
        return " ".join(p for p in (first, self.surname_prefix, self.surname) if p)


class MatchDecision(models.Model):
    """The signal officer's decision on an uncertain match, remembered so the next signal of
    the same partner about the same name at the same address is matched the same way."""

    organisation = models.ForeignKey(
        "core.Organisation", on_delete=models.CASCADE, related_name="+", verbose_name=_("partner")
    )
    key = models.CharField(_("key"), max_length=300)
    person = models.ForeignKey(
        "households.Person",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("resident"),
        help_text=_("Empty: this name at this address is nobody in the register."),
    )
    decided_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, related_name="+", verbose_name=_("decided by")
    )
    decided_at = models.DateTimeField(_("decided at"), auto_now=True)

    class Meta:
        verbose_name = _("match decision")
        verbose_name_plural = _("match decisions")
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["organisation", "key"], name="one_decision_per_key")
        ]

    def __str__(self) -> str:
        return self.key


class ContactAttempt(models.Model):
    """One attempt to reach the household about a report, with its result."""

    class Kind(models.TextChoices):
        LETTER = "letter", _("letter")
        PHONE = "phone", _("phone call")
        TEXT = "text", _("text message")
        EMAIL = "email", _("e-mail")
        HOME_VISIT = "home_visit", _("home visit")
        CARD = "card", _("card through the door")
        VIA_PARTNER = "via_partner", _("via the partner")

    report = models.ForeignKey(
        Report, on_delete=models.CASCADE, related_name="attempts", verbose_name=_("report")
    )
    kind = models.CharField(_("how"), max_length=16, choices=Kind.choices)
    reached = models.BooleanField(_("reached someone"))
    note = models.CharField(_("note"), max_length=500, blank=True)
    at = models.DateTimeField(_("when"))
    by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, related_name="+", verbose_name=_("by")
    )

    class Meta:
        verbose_name = _("contact attempt")
        verbose_name_plural = _("contact attempts")
        ordering: ClassVar = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.at:%Y-%m-%d}"


class MonitorCount(models.Model):
    """Anonymous counts kept when signal data is removed after the retention period, so the
    monitor still shows the months whose signals are gone. No person, no address."""

    month = models.DateField(_("month"))
    team = models.ForeignKey(
        "core.Team", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    neighbourhood = models.ForeignKey(
        "core.Area", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    signals = models.PositiveIntegerField(default=0)
    reports = models.PositiveIntegerField(default=0)
    multiple = models.PositiveIntegerField(default=0)
    consecutive = models.PositiveIntegerField(default=0)
    reached = models.PositiveIntegerField(default=0)
    accepted = models.PositiveIntegerField(default=0)
    attempts = models.JSONField(default=dict)  # kind -> [attempts, reached]

    class Meta:
        verbose_name = _("monitor count")
        verbose_name_plural = _("monitor counts")

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.neighbourhood_id}"


class ApiToken(models.Model):
    """A token with which one partner organisation delivers signals through the API and
    fetches its feedback. Only a hash is stored; the token is shown once when made."""

    organisation = models.ForeignKey(
        "core.Organisation",
        on_delete=models.CASCADE,
        related_name="api_tokens",
        verbose_name=_("partner"),
    )
    # The partner's account the token is for: deliveries through the token show this
    # account as "delivered by", so the partner's own pages list them with its uploads.
    account = models.ForeignKey(
        "accounts.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="api_tokens",
        verbose_name=_("account"),
        help_text=_(
            "The partner's account the token is for. Deliveries through the token are "
            "shown as delivered by this account."
        ),
    )
    label = models.CharField(_("label"), max_length=100)
    prefix = models.CharField(_("first characters"), max_length=8, db_index=True)
    key_hash = models.CharField(_("hash"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.organisation}: {self.label} ({self.prefix}…)"


# Models of this app kept in modules of their own (along the domain), registered here.
from buurtkracht.signals.outreach_settings import (  # noqa: E402
    OutreachSettings as OutreachSettings,
)
from buurtkracht.signals.outreach_settings import (  # noqa: E402
    PriorityRule as PriorityRule,
)
from buurtkracht.signals.stored import DeliveryContent  # noqa: E402, F401
