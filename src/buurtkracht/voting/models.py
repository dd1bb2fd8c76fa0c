"""Participatory budgeting (bewonersbudget, issue 8): a voting round with proposals,
one-time voting codes sent by letter, and secret ballots.

Secrecy is in the schema: a `Ballot` has no link to the `VotingCode` that cast it, no
timestamp and a random id, so the database holds *that* a code voted (its status) and
*what* was voted (the ballots), never who voted what. And in the way ballots are written:
a vote waits sealed in the mix (`SealedBallot`) and becomes a `Ballot` only in a shuffled
batch of at least 20, in a transaction of its own (`services/mix.py`). See docs/voting.md.
"""

from __future__ import annotations

import uuid
from typing import ClassVar

from django.db import models
from django.utils.translation import gettext_lazy as _

from buurtkracht.core.models import Area
from buurtkracht.core.versioning import Versioned


class VotingRound(models.Model):
    class Eligibility(models.TextChoices):
        HOUSEHOLD = "household", _("one vote per household")
        RESIDENT_16 = "resident_16_plus", _("one vote per resident aged 16 or older")

    class BallotType(models.TextChoices):
        APPROVAL = "approval", _("approval: choose any number of plans")
        KNAPSACK = "knapsack", _("budget: choose plans within the budget")
        TOKENS = "tokens", _("tokens: spread your tokens over the plans")

    class Status(models.TextChoices):
        DRAFT = "draft", _("being prepared")
        OPEN = "open", _("open for voting")
        CLOSED = "closed", _("closed, not yet counted")
        COUNTED = "counted", _("counted")

    name = models.CharField(_("name"), max_length=150)
    description = models.TextField(_("description"), blank=True)
    area = models.ForeignKey(
        Area,
        on_delete=models.PROTECT,
        related_name="voting_rounds",
        verbose_name=_("district"),
        help_text=_("Every household (or resident) in this district gets a letter."),
    )
    budget = models.PositiveIntegerField(_("budget in euros"))
    opens_on = models.DateField(_("voting opens on"))
    closes_on = models.DateField(_("voting closes on"))
    eligibility = models.CharField(
        _("who may vote"), max_length=20, choices=Eligibility.choices, default="household"
    )
    ballot_type = models.CharField(
        _("ballot"), max_length=10, choices=BallotType.choices, default="knapsack"
    )
    tokens_per_voter = models.PositiveSmallIntegerField(
        _("tokens per voter"), default=10, help_text=_("Only for the tokens ballot.")
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default="draft")
    known_initiators = models.PositiveIntegerField(
        _("known initiators"),
        default=0,
        help_text=_(
            "How many different residents or groups made the proposals (the vanguard), "
            "to set next to the number of voters."
        ),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("voting round")
        verbose_name_plural = _("voting rounds")
        ordering: ClassVar = ["-opens_on", "name"]

    def __str__(self) -> str:
        return self.name

    def neighbourhoods(self) -> models.QuerySet[Area]:
        if self.area.kind == Area.Kind.NEIGHBOURHOOD:
            return Area.objects.filter(pk=self.area_id)
        return Area.objects.filter(parent=self.area_id, kind=Area.Kind.NEIGHBOURHOOD).order_by(
            "name"
        )


class Proposal(Versioned):
    class FollowUp(models.TextChoices):
        NOT_STARTED = "not_started", _("not started yet")
        IN_PROGRESS = "in_progress", _("in progress")
        DONE = "done", _("done")
        STOPPED = "stopped", _("not carried out")

    round = models.ForeignKey(
        VotingRound, on_delete=models.CASCADE, related_name="proposals", verbose_name=_("round")
    )
    title = models.CharField(_("title"), max_length=150)
    description = models.TextField(_("short description"), max_length=1000)
    cost = models.PositiveIntegerField(_("cost in euros"))
    neighbourhood = models.ForeignKey(
        Area,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("neighbourhood"),
    )
    # The resident initiative this plan came from (issue 8, initiatives app); text for now.
    initiative_ref = models.CharField(_("initiative"), max_length=100, blank=True)
    follow_up_status = models.CharField(
        _("what happened next"), max_length=16, choices=FollowUp.choices, default="not_started"
    )
    follow_up_text = models.TextField(_("follow-through story"), blank=True)
    follow_up_on = models.DateField(_("follow-through updated on"), null=True, blank=True)

    class Meta:
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")
        ordering: ClassVar = ["title"]

    def __str__(self) -> str:
        return self.title


class VotingCode(models.Model):
    """A one-time code printed on a letter. Only a keyed hash of the code is kept."""

    class Status(models.TextChoices):
        UNUSED = "unused", _("not used")
        USED = "used", _("voted")
        BLOCKED = "blocked", _("blocked")

    class AgeGroup(models.TextChoices):
        AGE_16_17 = "16-17", "16–17"
        AGE_18_34 = "18-34", "18–34"
        AGE_35_64 = "35-64", "35–64"
        AGE_65 = "65+", "65+"
        UNKNOWN = "", _("unknown")

    round = models.ForeignKey(
        VotingRound, on_delete=models.CASCADE, related_name="codes", verbose_name=_("round")
    )
    code_hash = models.CharField(_("code (keyed hash)"), max_length=64, unique=True)
    letter_number = models.PositiveIntegerField(_("letter number"))
    neighbourhood = models.ForeignKey(
        Area, on_delete=models.PROTECT, related_name="+", verbose_name=_("neighbourhood")
    )
    age_group = models.CharField(_("age group"), max_length=5, choices=AgeGroup.choices, blank=True)
    # A keyed hash of the address (household rounds) or the person (resident rounds): only
    # to tell, in a later round, whether this participant voted before. It says whether an
    # address took part (as the register at a polling station does), never how.
    participant_key = models.CharField(max_length=64, db_index=True)
    first_time = models.BooleanField(_("never voted before"), default=True)
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default="unused")

    class Meta:
        verbose_name = _("voting code")
        verbose_name_plural = _("voting codes")
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["round", "letter_number"], name="votingcode_letter_number_per_round"
            )
        ]

    def __str__(self) -> str:
        return f"{self.round_id}/{self.letter_number}"


class Ballot(models.Model):
    """A cast ballot. Deliberately no link to a code, no user and no time: see the module
    docstring. The random id keeps the primary key from telling the order of voting."""

    class Channel(models.TextChoices):
        ONLINE = "online", _("online")
        PAPER = "paper", _("paper")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    round = models.ForeignKey(
        VotingRound, on_delete=models.CASCADE, related_name="ballots", verbose_name=_("round")
    )
    neighbourhood = models.ForeignKey(
        Area, on_delete=models.PROTECT, related_name="+", verbose_name=_("neighbourhood")
    )
    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices)

    class Meta:
        verbose_name = _("ballot")
        verbose_name_plural = _("ballots")

    def __str__(self) -> str:
        return str(self.id)


class BallotChoice(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="choices")
    proposal = models.ForeignKey(Proposal, on_delete=models.PROTECT, related_name="choices")
    tokens = models.PositiveSmallIntegerField(default=1)

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["ballot", "proposal"], name="ballotchoice_once")
        ]

    def __str__(self) -> str:
        return f"{self.proposal_id}: {self.tokens}"


class SealedBallot(models.Model):
    """A cast ballot waiting in the mix. It is written in the transaction that uses the
    code, so the database can tie it to that code (same transaction id, neighbouring
    place on disk): that is why it holds the choices only sealed, encrypted with a key
    that is not in the database and padded to one length. It leaves the mix as a readable
    `Ballot` in a shuffled batch of at least 20 of its round, neighbourhood and channel
    (`services/mix.py`). No timestamp; a random id."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    round = models.ForeignKey(
        VotingRound, on_delete=models.CASCADE, related_name="mix", verbose_name=_("round")
    )
    neighbourhood = models.ForeignKey(
        Area, on_delete=models.PROTECT, related_name="+", verbose_name=_("neighbourhood")
    )
    channel = models.CharField(_("channel"), max_length=8, choices=Ballot.Channel.choices)
    sealed = models.BinaryField()

    class Meta:
        verbose_name = _("ballot in the mix")
        verbose_name_plural = _("ballots in the mix")

    def __str__(self) -> str:
        return str(self.id)


class LettersDownload(models.Model):
    """The one download of a round's letters, made by a background job
    (voting/letters_job.py). The ZIP holds the plain codes, so it is kept only sealed
    (AES-GCM, a key derived from SECRET_KEY, not in the database) and only until it is
    downloaded; making the letters again makes an earlier, undownloaded one useless and
    empties it."""

    round = models.ForeignKey(
        VotingRound, on_delete=models.CASCADE, related_name="+", verbose_name=_("round")
    )
    again = models.BooleanField(_("made again"), default=False)
    vote_url = models.URLField(_("voting address on the letters"), max_length=300)
    made_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, related_name="+", verbose_name=_("made by")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    letters = models.PositiveIntegerField(_("letters"), default=0)
    sealed = models.BinaryField(blank=True, default=b"")
    downloaded_at = models.DateTimeField(_("downloaded at"), null=True, blank=True)

    class Meta:
        verbose_name = _("letters download")
        verbose_name_plural = _("letters downloads")

    def __str__(self) -> str:
        return f"{self.round_id}: {self.letters}"
