"""Resident initiatives (bewonersinitiatieven) and resident budgets (bewonersbudgetten),
issue 8.

Residents propose an initiative without an account; a secret link lets them follow and
change it. The municipality configures per budget the route of assessment: which checks,
from which amount, and who decides (an official, a jury, a neighbourhood platform, a
vote). Every decision keeps who took it, as what, and why, so the initiators always see
where their proposal is and who takes the next step.

The practice reports (seeds 003, "Bewonersbudgetten: verder dan de voorhoede?") warn of
a vanguard without a base and of "a hurdle race through the bureaucracy": the route is
short and visible, and the public form asks each thing once.

Initiators are not registered residents (no Person): their contact details are shown to
staff only, never on public pages.
"""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import ClassVar

from django.db import models
from django.utils.translation import gettext_lazy as _

from buurtkracht.core.versioning import Versioned


class Decider(models.TextChoices):
    OFFICIAL = "official", _("an official of the municipality")
    JURY = "jury", _("a jury of residents")
    PLATFORM = "platform", _("the neighbourhood platform")
    VOTE = "vote", _("a vote by residents")


class Check(models.TextChoices):
    POLICY = "policy", _("fits the policy")
    LIVEABILITY = "liveability", _("good for the neighbourhood")
    FEASIBILITY = "feasibility", _("can be done")
    COST = "cost", _("reasonable cost")


class Budget(models.Model):
    """A resident budget: an amount for a district or neighbourhood in a period, with
    its own route of assessment (`RouteStep`)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(_("name"), max_length=200)
    area = models.ForeignKey(
        "core.Area",
        on_delete=models.PROTECT,
        related_name="budgets",
        verbose_name=_("district or neighbourhood"),
    )
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"))
    amount = models.DecimalField(_("amount in euros"), max_digits=10, decimal_places=2)
    active = models.BooleanField(_("open for proposals"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("resident budget")
        verbose_name_plural = _("resident budgets")
        ordering: ClassVar = ["-starts_on", "name"]

    def __str__(self) -> str:
        return self.name

    def steps_for(self, amount: Decimal) -> list[RouteStep]:
        """The steps of the route that apply to a proposal of this amount, in order."""
        return [step for step in self.steps.all() if step.applies_to(amount)]


class RouteStep(models.Model):
    """One step of a budget's route: what is checked, for which amounts, and who
    decides. Several checks may be one step (one official looks at policy and cost)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    budget = models.ForeignKey(
        Budget, on_delete=models.CASCADE, related_name="steps", verbose_name=_("budget")
    )
    order = models.PositiveSmallIntegerField(_("order"), default=1)
    checks = models.JSONField(_("checks"), default=list, blank=True)
    amount_above = models.DecimalField(
        _("for amounts above"),
        default=Decimal("0"),
        help_text=_("In euros. 0: from the first euro."),
        max_digits=10,
        decimal_places=2,
    )
    amount_up_to = models.DecimalField(
        _("up to and including"),
        null=True,
        blank=True,
        help_text=_("In euros. Empty: no upper limit."),
        max_digits=10,
        decimal_places=2,
    )
    decider = models.CharField(_("who decides"), max_length=16, choices=Decider.choices)
    decider_label = models.CharField(
        _("name of who decides"),
        max_length=200,
        blank=True,
        help_text=_("For example: wijkplatform Oost. Empty: the kind of decider."),
    )

    class Meta:
        verbose_name = _("route step")
        verbose_name_plural = _("route steps")
        ordering: ClassVar = ["budget", "order", "amount_above"]

    def __str__(self) -> str:
        return f"{self.order}. {self.who}"

    @property
    def who(self) -> str:
        return self.decider_label or str(self.get_decider_display())

    def applies_to(self, amount: Decimal) -> bool:
        # "Above" is exclusive, so €1,000 falls in "up to €1,000" and not in "above €1,000";
        # a step from 0 also takes a proposal that costs nothing.
        if self.amount_above > 0 and amount <= self.amount_above:
            return False
        return self.amount_up_to is None or amount <= self.amount_up_to

    def check_labels(self) -> list[str]:
        labels = dict(Check.choices)
        return [str(labels.get(code, code)) for code in self.checks]


class Initiative(Versioned):
    """A resident initiative: what residents want to do for their neighbourhood, what
    it costs, what they do themselves and who else helps."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("sent in")
        IN_ASSESSMENT = "in_assessment", _("being assessed")
        CHANGES_REQUESTED = "changes_requested", _("changes asked")
        APPROVED = "approved", _("approved")
        REJECTED = "rejected", _("not approved")
        WITHDRAWN = "withdrawn", _("withdrawn")
        RUNNING = "running", _("running")
        REPORTED = "reported", _("done and reported")

    # Initiators may change their proposal while nobody has decided on it, or when asked.
    EDITABLE: ClassVar[frozenset[str]] = frozenset({Status.SUBMITTED, Status.CHANGES_REQUESTED})
    OPEN: ClassVar[frozenset[str]] = frozenset(
        {Status.SUBMITTED, Status.IN_ASSESSMENT, Status.CHANGES_REQUESTED}
    )
    # Money is committed from approval on.
    COMMITTED: ClassVar[frozenset[str]] = frozenset(
        {Status.APPROVED, Status.RUNNING, Status.REPORTED}
    )

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    title = models.CharField(_("name of your initiative"), max_length=200)
    description = models.TextField(_("what do you want to do"))
    neighbourhood = models.ForeignKey(
        "core.Area",
        on_delete=models.PROTECT,
        related_name="initiatives",
        verbose_name=_("neighbourhood"),
    )
    for_whom = models.CharField(_("for whom"), max_length=300)
    cost = models.DecimalField(_("what does it cost"), max_digits=10, decimal_places=2)
    cost_breakdown = models.TextField(_("what is the money for"), blank=True)
    own_contribution = models.TextField(_("what do you do yourselves"))
    helpers = models.TextField(_("who else helps"), blank=True)
    contact_name = models.CharField(_("your name"), max_length=200)
    contact_email = models.EmailField(_("e-mail address"), blank=True)
    contact_phone = models.CharField(_("phone number"), max_length=30, blank=True)
    # Only a hash: whoever reads the database cannot follow or change a proposal.
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.SUBMITTED
    )
    budget = models.ForeignKey(
        Budget,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="initiatives",
        verbose_name=_("budget"),
    )
    approved_amount = models.DecimalField(
        _("approved amount"), null=True, blank=True, max_digits=10, decimal_places=2
    )
    paid_on = models.DateField(_("paid on"), null=True, blank=True)
    created_at = models.DateTimeField(_("sent in on"), auto_now_add=True)
    updated_at = models.DateTimeField(_("changed on"), auto_now=True)

    class Meta:
        verbose_name = _("resident initiative")
        verbose_name_plural = _("resident initiatives")
        ordering: ClassVar = ["-created_at"]
        indexes: ClassVar = [models.Index(fields=["status", "neighbourhood"])]

    def __str__(self) -> str:
        return self.title

    def steps(self) -> list[RouteStep]:
        return self.budget.steps_for(self.cost) if self.budget else []


class Support(models.Model):
    """Support by a community worker (opbouwwerker, sociaal makelaar) to the initiators:
    help with the plan, a contact, a place to meet."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    initiative = models.ForeignKey(
        Initiative, on_delete=models.CASCADE, related_name="supports", verbose_name=_("initiative")
    )
    date = models.DateField(_("date"))
    what = models.TextField(_("what did you do"))
    by = models.ForeignKey(
        "accounts.User",
        on_delete=models.PROTECT,
        related_name="initiative_supports",
        verbose_name=_("by"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("support")
        verbose_name_plural = _("support")
        ordering: ClassVar = ["-date", "-created_at"]

    def __str__(self) -> str:
        return f"{self.date}: {self.what[:50]}"


class Decision(models.Model):
    """A decision on one step of the route, with its reason (always) and who decided as
    what: "jury", "wijkplatform Oost", or the voting round for a vote."""

    class Outcome(models.TextChoices):
        APPROVE = "approve", _("yes")
        CHANGES = "changes", _("yes, if it changes")
        REJECT = "reject", _("no")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    initiative = models.ForeignKey(
        Initiative, on_delete=models.CASCADE, related_name="decisions", verbose_name=_("initiative")
    )
    step = models.ForeignKey(
        RouteStep, on_delete=models.PROTECT, related_name="decisions", verbose_name=_("step")
    )
    outcome = models.CharField(_("decision"), max_length=16, choices=Outcome.choices)
    reason = models.TextField(_("why"))
    decided_as = models.CharField(_("decided by"), max_length=200)
    reference = models.CharField(
        _("reference"),
        max_length=200,
        blank=True,
        help_text=_("For a vote: which voting round and its result."),
    )
    recorded_by = models.ForeignKey(
        "accounts.User",
        on_delete=models.PROTECT,
        related_name="initiative_decisions",
        verbose_name=_("recorded by"),
    )
    decided_at = models.DateTimeField(_("decided on"), auto_now_add=True)

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering: ClassVar = ["decided_at"]

    def __str__(self) -> str:
        return f"{self.decided_as}: {self.get_outcome_display()}"


class Funding(models.Model):
    """Who pays which share of an approved initiative, e.g. the municipality 70% and
    the housing corporation 30%. The shares of an initiative add up to 100%."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    initiative = models.ForeignKey(
        Initiative, on_delete=models.CASCADE, related_name="fundings", verbose_name=_("initiative")
    )
    organisation = models.ForeignKey(
        "core.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="initiative_fundings",
        verbose_name=_("organisation"),
    )
    funder_name = models.CharField(_("funder"), max_length=200)
    share_percent = models.DecimalField(_("share in percent"), max_digits=5, decimal_places=2)
    amount = models.DecimalField(_("amount"), max_digits=10, decimal_places=2)

    class Meta:
        verbose_name = _("funding")
        verbose_name_plural = _("fundings")
        ordering: ClassVar = ["-share_percent", "funder_name"]

    def __str__(self) -> str:
        return f"{self.funder_name} {self.share_percent}%"


class Report(models.Model):
    """The report back afterwards: a short story and how many people took part. It is
    public, on the results page, without the initiators' contact details."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    initiative = models.OneToOneField(
        Initiative, on_delete=models.CASCADE, related_name="report", verbose_name=_("initiative")
    )
    story = models.TextField(_("how did it go"))
    attendance = models.PositiveIntegerField(_("how many people took part"))
    created_at = models.DateTimeField(_("reported on"), auto_now_add=True)

    class Meta:
        verbose_name = _("report back")
        verbose_name_plural = _("reports back")

    def __str__(self) -> str:
        return str(self.initiative)


def _photo_path(instance: ReportPhoto, filename: str) -> str:
    # A random name: nothing of the uploader's file name reaches the server.
    return f"initiatives/{uuid.uuid4().hex}.jpg"


class ReportPhoto(models.Model):
    """A photo with the report back, re-encoded on upload (no location or camera data)
    and public on the results page. Its description is the alternative text."""

    report = models.ForeignKey(
        Report, on_delete=models.CASCADE, related_name="photos", verbose_name=_("report back")
    )
    image = models.ImageField(_("photo"), upload_to=_photo_path)
    description = models.CharField(_("what the photo shows"), max_length=200)
    created_at = models.DateTimeField(_("added on"), auto_now_add=True)

    class Meta:
        verbose_name = _("photo")
        verbose_name_plural = _("photos")
        ordering: ClassVar = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.description
