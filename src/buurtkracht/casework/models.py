"""The household's one plan (1-plan), its goals and actions, and the contacts with the
household (één gezin, één plan, één regisseur — PRODUCT.md principle 1)."""

from __future__ import annotations

import uuid
from typing import ClassVar

from django.db import models
from django.utils.translation import gettext_lazy as _

from buurtkracht.core.versioning import Versioned
from buurtkracht.households.models import Household


class LifeDomain(models.TextChoices):
    """Life domains (leefgebieden) as the neighbourhood teams use them."""

    FINANCES = "finances", _("finances")
    HOUSING = "housing", _("housing")
    WORK = "work", _("work and daytime activity")
    FAMILY = "family", _("family relations")
    MENTAL_HEALTH = "mental_health", _("mental health")
    PHYSICAL_HEALTH = "physical_health", _("physical health")
    ADDICTION = "addiction", _("addiction")
    DAILY_LIVING = "daily_living", _("daily living")
    SOCIAL_NETWORK = "social_network", _("social network")
    PARTICIPATION = "participation", _("community participation")
    JUSTICE = "justice", _("justice")


class Step(models.IntegerChoices):
    """The four-step order of own strength first (eigen kracht): who takes an action."""

    OWN_STRENGTH = 1, _("own strength")
    NETWORK = 2, _("network")
    GENERAL_PROVISION = 3, _("general provision")
    INDIVIDUAL_PROVISION = 4, _("individual provision")


class ClosureReason(models.TextChoices):
    GOALS_REACHED = "goals_reached", _("goals reached")
    RESIDENT_STOPPED = "resident_stopped", _("the resident stopped")
    HELP_ELSEWHERE = "help_elsewhere", _("help continues elsewhere")
    MOVED = "moved", _("moved away")
    OTHER = "other", _("other")


class Plan(models.Model):
    """The one plan of a household. `version` rises with every change, so two workers
    editing at once never overwrite each other silently."""

    class AgreedHow(models.TextChoices):
        SPOKEN = "spoken", _("spoken")
        WRITTEN = "written", _("written")
        ONLINE = "online", _("online")

    household = models.OneToOneField(
        Household, on_delete=models.CASCADE, related_name="plan", verbose_name=_("household")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, related_name="+", verbose_name=_("created by")
    )
    agreed_on = models.DateField(_("agreed on"), null=True, blank=True)
    agreed_how = models.CharField(
        _("agreed how"), max_length=16, choices=AgreedHow.choices, blank=True
    )
    review_date = models.DateField(_("review date"), null=True, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    # Closure and aftercare (nazorg): the file closes with a reason and what was reached;
    # an aftercare check follows, by default three months later.
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    closure_reason = models.CharField(
        _("reason for closing"), max_length=24, choices=ClosureReason.choices, blank=True
    )
    reached = models.TextField(_("what was reached"), blank=True)
    aftercare_on = models.DateField(_("aftercare check on"), null=True, blank=True, db_index=True)
    aftercare_done_on = models.DateField(_("aftercare done on"), null=True, blank=True)
    aftercare_note = models.TextField(_("aftercare note"), blank=True)

    class Meta:
        verbose_name = _("plan")
        verbose_name_plural = _("plans")

    def __str__(self) -> str:
        return str(_("Plan of %(household)s") % {"household": self.household})


class Goal(models.Model):
    """A goal in the resident's own words, tied to one or more life domains.

    A goal closes as reached, partly reached or stopped, on a day and with the resident's
    own words about it; "goals reached" in reports is derived from these states, never
    typed (PRODUCT.md principle 6). A goal closed by mistake can be reopened, with a reason
    that goes into the audit log."""

    class Status(models.TextChoices):
        OPEN = "open", _("working on it")
        REACHED = "reached", _("reached")
        PARTLY = "partly", _("partly reached")
        STOPPED = "stopped", _("stopped")

    plan = models.ForeignKey(
        Plan, on_delete=models.CASCADE, related_name="goals", verbose_name=_("plan")
    )
    text = models.TextField(_("goal in the resident's words"))
    domains = models.JSONField(_("life domains"), default=list)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.OPEN
    )
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    # db_default: rows written in bulk outside the ORM (benchmarks) need not name it.
    closing_words = models.TextField(_("in the resident's words"), blank=True, db_default="")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("goal")
        verbose_name_plural = _("goals")
        ordering: ClassVar = ["created_at", "pk"]
        # The outcome report counts goals reached in a period.
        indexes: ClassVar = [models.Index(fields=["status", "closed_on"])]

    def __str__(self) -> str:
        return self.text[:80]

    @property
    def domain_labels(self) -> list[str]:
        return [str(LifeDomain(d).label) for d in self.domains if d in LifeDomain.values]

    @property
    def is_closed(self) -> bool:
        return self.status != self.Status.OPEN


# The states in which a goal is closed, and the one that counts as "reached".
GOAL_CLOSED_STATES = (Goal.Status.REACHED, Goal.Status.PARTLY, Goal.Status.STOPPED)


class Action(models.Model):
    """Who does what for a goal, with its step in the four-step order. Who does it is
    written (`owner`); it may also be someone from the network map (`owner_tie`, step 2)
    or a worker involved in the household (`owner_worker`), whose name is then written."""

    class Status(models.TextChoices):
        TO_DO = "todo", _("to do")
        DONE = "done", _("done")
        NOT_DONE = "not_done", _("not done")
        # The stored value predates the wording: "cancelled" is "no longer needed".
        CANCELLED = "cancelled", _("no longer needed")

    goal = models.ForeignKey(
        Goal, on_delete=models.CASCADE, related_name="actions", verbose_name=_("goal")
    )
    description = models.CharField(_("what"), max_length=300)
    owner = models.CharField(
        _("who"),
        max_length=150,
        help_text=_("For example: Mrs Yilmaz herself, her brother, the community centre."),
    )
    step = models.PositiveSmallIntegerField(_("step"), choices=Step.choices)
    # Step 2 of the four-step order: someone from the resident's network map does it.
    owner_tie = models.ForeignKey(
        "network.Tie",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="plan_actions",
        verbose_name=_("who, from the network map"),
    )
    owner_worker = models.ForeignKey(
        "accounts.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="plan_actions",
        verbose_name=_("who, a worker"),
    )
    due_date = models.DateField(_("due"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.TO_DO
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("action")
        verbose_name_plural = _("actions")
        ordering: ClassVar = ["step", "due_date", "pk"]

    def __str__(self) -> str:
        return self.description


class Contact(models.Model):
    """A contact with (someone in) the household: recorded in seconds, on a phone."""

    class Kind(models.TextChoices):
        HOME_VISIT = "home_visit", _("home visit")
        PHONE = "phone", _("phone call")
        STREET = "street", _("in the street")
        OFFICE = "office", _("at the office")
        MESSAGE = "message", _("message or e-mail")

    household = models.ForeignKey(
        Household, on_delete=models.CASCADE, related_name="contacts", verbose_name=_("household")
    )
    worker = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, related_name="contacts", verbose_name=_("worker")
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    with_whom = models.CharField(_("with whom"), max_length=150, blank=True)
    note = models.TextField(_("note"), blank=True)
    sensitive = models.BooleanField(
        _("sensitive"),
        default=False,
        help_text=_("Only workers involved in the household can read a sensitive note."),
    )
    happened_at = models.DateTimeField(_("when"), db_index=True)

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        ordering: ClassVar = ["-happened_at", "-pk"]
        indexes: ClassVar = [models.Index(fields=["household", "happened_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.happened_at:%Y-%m-%d}"


class Review(models.Model):
    """A review of the plan (evaluatie): what changed, and when the next one is."""

    plan = models.ForeignKey(
        Plan, on_delete=models.CASCADE, related_name="reviews", verbose_name=_("plan")
    )
    held_on = models.DateField(_("held on"))
    what_changed = models.TextField(_("what changed"))
    next_review = models.DateField(_("next review"), null=True, blank=True)
    # The walk through the goals at this review: one entry per goal that was open,
    # {"goal": pk, "text": the goal then, "state": "open"/"reached"/…, "words": "…"}.
    goals = models.JSONField(_("goals at this review"), default=list, blank=True)
    by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, related_name="+", verbose_name=_("by")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        ordering: ClassVar = ["-held_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.plan} {self.held_on:%Y-%m-%d}"

    @property
    def goal_lines(self) -> list[dict[str, str]]:
        """The goals walked through at this review, with their state in words."""
        labels = {**dict(Goal.Status.choices), Goal.Status.OPEN.value: _("keep going")}
        return [
            {
                "text": str(item.get("text", "")),
                "state": str(labels.get(item.get("state", ""), item.get("state", ""))),
                "words": str(item.get("words", "")),
            }
            for item in self.goals
            if isinstance(item, dict)
        ]


class Intake(models.Model):
    """An intake (aanmelding): someone tells the team that a household needs help. A name
    or an address and one sentence are enough to start (PRODUCT.md: light registration)."""

    class Source(models.TextChoices):
        RESIDENT = "resident", _("the resident")
        FAMILY = "family", _("family")
        NEIGHBOUR = "neighbour", _("a neighbour")
        PARTNER = "partner", _("a partner organisation")
        SCHOOL = "school", _("school")
        POLICE = "police", _("police")
        GENERAL_PRACTICE = "general_practice", _("general practice")
        SIGNAL = "signal", _("an early signal")
        STREET = "street", _("own street contact")
        OTHER = "other", _("other")

    class Status(models.TextChoices):
        NEW = "new", _("new")
        ASSIGNED = "assigned", _("lead worker assigned")
        # The household had its lead worker already: the intake joins the existing file
        # and lands with that lead worker (één regisseur) instead of getting a second one.
        JOINED = "joined", _("handed to the lead worker")
        CLOSED = "closed", _("closed")
        WITHDRAWN = "withdrawn", _("withdrawn")

    source = models.CharField(_("who reported it"), max_length=24, choices=Source.choices)
    name = models.CharField(_("name as reported"), max_length=150, blank=True)
    date_of_birth = models.DateField(_("date of birth"), null=True, blank=True)
    description = models.TextField(_("what is going on"))
    household = models.ForeignKey(
        Household,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="intakes",
        verbose_name=_("household"),
        help_text=_("Empty while only a name is known; linked when the address is."),
    )
    team = models.ForeignKey(
        "core.Team",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="intakes",
        verbose_name=_("team"),
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.NEW
    )
    created_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    assigned_to = models.ForeignKey(
        "accounts.User",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("lead worker"),
    )
    assigned_at = models.DateTimeField(_("assigned at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        "accounts.User",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("closed by"),
    )
    closed_reason = models.TextField(_("reason for closing"), blank=True)

    class Meta:
        verbose_name = _("intake")
        verbose_name_plural = _("intakes")
        ordering: ClassVar = ["-created_at", "-pk"]
        indexes: ClassVar = [models.Index(fields=["team", "status"])]

    def __str__(self) -> str:
        return f"{self.get_source_display()} {self.created_at:%Y-%m-%d}"


class Conversation(models.Model):
    """A kitchen-table conversation (keukentafelgesprek), in the resident's own words."""

    household = models.ForeignKey(
        Household,
        on_delete=models.CASCADE,
        related_name="conversations",
        verbose_name=_("household"),
    )
    held_on = models.DateField(_("held on"))
    by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, related_name="+", verbose_name=_("by")
    )
    with_whom = models.CharField(_("with whom"), max_length=200, blank=True)
    what_matters = models.TextField(_("what matters to them"))
    wants = models.TextField(_("what they want"), blank=True)
    tried = models.TextField(_("what they tried already"), blank=True)
    helpers = models.TextField(
        _("who around them helps"),
        blank=True,
        help_text=_("Family, neighbours, friends, church, club: the start of the network map."),
    )
    domains = models.JSONField(_("life domains"), default=list)
    decided = models.TextField(_("what was decided"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("kitchen-table conversation")
        verbose_name_plural = _("kitchen-table conversations")
        ordering: ClassVar = ["-held_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.household} {self.held_on:%Y-%m-%d}"

    @property
    def domain_labels(self) -> list[str]:
        return [str(LifeDomain(d).label) for d in self.domains if d in LifeDomain.values]


class Appointment(Versioned):
    """A home visit, conversation or review planned with a household (issue 18, item 5).

    A time is an aware moment, shown in Europe/Amsterdam. An appointment is never deleted:
    it is cancelled, with a reason, so the file and the workers' calendars (STATUS:CANCELLED
    in the feed) keep the trace. Two workers changing it at once are kept apart by its
    version (`core.versioning`)."""

    class Kind(models.TextChoices):
        HOME_VISIT = "home_visit", _("home visit")
        CONVERSATION = "conversation", _("conversation")
        REVIEW = "review", _("review of the plan")
        OTHER = "other", _("other appointment")

    class Place(models.TextChoices):
        HOME = "home", _("at the resident's home")
        OFFICE = "office", _("at the office")
        OTHER = "other", _("somewhere else")

    household = models.ForeignKey(
        Household,
        on_delete=models.CASCADE,
        related_name="appointments",
        verbose_name=_("household"),
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    place = models.CharField(_("place"), max_length=16, choices=Place.choices)
    # The office's address, or where else: a text, as short as the worker likes.
    place_text = models.CharField(_("address or place"), max_length=200, blank=True)
    workers = models.ManyToManyField(
        "accounts.User", related_name="appointments", verbose_name=_("workers")
    )
    # Someone from the network or an outside professional who joins, as text.
    with_others = models.CharField(_("also there"), max_length=200, blank=True)
    note = models.TextField(_("note"), blank=True)
    # The calendar feed's UID: the same event however often it changes.
    uid = models.UUIDField(_("calendar id"), default=uuid.uuid4, unique=True, editable=False)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    cancelled_by = models.ForeignKey(
        "accounts.User",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("cancelled by"),
    )
    cancel_reason = models.TextField(_("reason for cancelling"), blank=True)
    created_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, related_name="+", verbose_name=_("planned by")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("appointment")
        verbose_name_plural = _("appointments")
        ordering: ClassVar = ["starts_at", "pk"]
        indexes: ClassVar = [
            models.Index(fields=["household", "starts_at"]),
            models.Index(fields=["starts_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.starts_at:%Y-%m-%d %H:%M}"

    @property
    def is_cancelled(self) -> bool:
        return self.cancelled_at is not None


class CalendarFeed(models.Model):
    """A worker's private calendar feed: the address holds a random token, stored only as
    its SHA-256 hash. Renewing replaces the hash, so the old address stops working. Names
    and addresses of residents appear in the feed only when the worker says so."""

    user = models.OneToOneField(
        "accounts.User",
        on_delete=models.CASCADE,
        related_name="calendar_feed",
        verbose_name=_("worker"),
    )
    token_hash = models.CharField(_("token hash"), max_length=64, unique=True)
    show_names = models.BooleanField(
        _("show names and addresses"),
        default=False,
        help_text=_(
            "Off: the calendar shows only the kind of appointment, the time and the "
            "neighbourhood. On: also the resident's name and address."
        ),
    )
    renewed_at = models.DateTimeField(_("renewed at"))

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self) -> str:
        return str(_("Calendar feed of %(user)s") % {"user": self.user})


# The resident's conversation with the workers and their own proposals for the plan live
# in modules of their own (messages, co-writing).
from buurtkracht.casework.message_models import Message, MessageRead  # noqa: E402, F401
from buurtkracht.casework.proposal_models import PlanProposal as PlanProposal  # noqa: E402
