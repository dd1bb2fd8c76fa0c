"""Rounds and proposals: creating a round, proposals and their follow-up, the next phase."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from buurtkracht.audit.models import Action as AuditAction
from buurtkracht.audit.models import Ground
from buurtkracht.audit.services import audit_record
from buurtkracht.core.models import Area
from buurtkracht.core.numbers import format_money
from buurtkracht.core.versioning import version_claim
from buurtkracht.voting.models import Ballot, Proposal, VotingRound
from buurtkracht.voting.services.mix import mix_flush

if TYPE_CHECKING:
    from buurtkracht.accounts.models import User


def euros(amount: int) -> str:
    """Whole euros in the page's money format (core.numbers): "€ 10.000"."""
    return format_money(int(amount))


# --- rounds and proposals -------------------------------------------------------------


@dataclass
class RoundInput:
    name: str
    area: Area
    budget: int
    opens_on: dt.date
    closes_on: dt.date
    eligibility: str = VotingRound.Eligibility.HOUSEHOLD
    ballot_type: str = VotingRound.BallotType.KNAPSACK
    tokens_per_voter: int = 10
    description: str = ""
    known_initiators: int = 0


def round_create(
    *, data: RoundInput, user: User | None, request: HttpRequest | None = None
) -> VotingRound:
    """A new voting round, as a draft: proposals and codes come next."""
    errors: dict[str, str] = {}
    if data.area.kind != Area.Kind.DISTRICT:
        errors["area"] = _("Choose a district.")
    if data.closes_on < data.opens_on:
        errors["closes_on"] = _("The closing date must be on or after the opening date.")
    if data.budget <= 0:
        errors["budget"] = _("The budget must be more than zero.")
    if data.ballot_type == VotingRound.BallotType.TOKENS and data.tokens_per_voter <= 0:
        errors["tokens_per_voter"] = _("Give each voter at least one token.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        voting_round = VotingRound.objects.create(**vars(data))
        audit_record(
            action=AuditAction.CREATE, user=user, request=request, obj=voting_round,
            ground=Ground.ROLE,
        )  # fmt: skip
    return voting_round


def proposal_create(
    *,
    voting_round: VotingRound,
    title: str,
    description: str,
    cost: int,
    neighbourhood: Area | None = None,
    initiative_ref: str = "",
    user: User | None = None,
    request: HttpRequest | None = None,
) -> Proposal:
    """A plan on the ballot. Only while the round is being prepared: the ballot may not
    change once people vote on it."""
    if voting_round.status != VotingRound.Status.DRAFT:
        raise ValidationError(_("Plans can only be added while the round is being prepared."))
    errors: dict[str, str] = {}
    if not title.strip():
        errors["title"] = _("Give the plan a title.")
    if cost <= 0:
        errors["cost"] = _("The cost must be more than zero.")
    elif cost > voting_round.budget:
        errors["cost"] = _("The plan costs more than the whole budget of %(budget)s.") % {
            "budget": euros(voting_round.budget)
        }
    if neighbourhood is not None and neighbourhood.parent_id != voting_round.area_id:
        errors["neighbourhood"] = _("Choose a neighbourhood of the round's district.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        proposal = Proposal.objects.create(
            round=voting_round,
            title=title.strip(),
            description=description.strip(),
            cost=cost,
            neighbourhood=neighbourhood,
            initiative_ref=initiative_ref,
        )
        audit_record(
            action=AuditAction.CREATE, user=user, request=request, obj=proposal, ground=Ground.ROLE
        )
    return proposal


def proposal_follow_up(
    *,
    proposal: Proposal,
    status: str,
    text: str,
    user: User | None,
    request: HttpRequest | None = None,
    expected_version: int | None = None,
) -> Proposal:
    """What happened after the vote: shown on the public result page, so that residents
    see their vote lead somewhere (peers' complaint: unclear follow-through). Refused
    (ChangedMeanwhile, nothing saved) when someone else wrote it after it was opened at
    `expected_version`."""
    if status not in Proposal.FollowUp.values:
        raise ValidationError({"follow_up_status": _("Choose what happened.")})
    with transaction.atomic():
        proposal.follow_up_status = status
        proposal.follow_up_text = text.strip()
        proposal.follow_up_on = timezone.localdate()
        version_claim(proposal, expected_version)
        proposal.save(update_fields=["follow_up_status", "follow_up_text", "follow_up_on"])
        audit_record(
            action=AuditAction.UPDATE, user=user, request=request, obj=proposal, ground=Ground.ROLE
        )
    return proposal


NEXT_STATUS = {
    VotingRound.Status.DRAFT: VotingRound.Status.OPEN,
    VotingRound.Status.OPEN: VotingRound.Status.CLOSED,
    VotingRound.Status.CLOSED: VotingRound.Status.COUNTED,
}


def round_advance(
    *, voting_round: VotingRound, user: User | None, request: HttpRequest | None = None
) -> VotingRound:
    """Draft → open → closed → counted. Opening needs plans and codes; counting is final
    (the result page turns public). Closing writes the rest of the online votes from the
    mix, counting the rest of the paper ones (paper ballots come in until the count)."""
    new = NEXT_STATUS.get(VotingRound.Status(voting_round.status))
    if new is None:
        raise ValidationError(_("This round has been counted already."))
    if new == VotingRound.Status.OPEN:
        if not voting_round.proposals.exists():
            raise ValidationError(_("Add the plans before you open the round."))
        if not voting_round.codes.exists():
            raise ValidationError(_("Make the voting codes and letters before you open the round."))
    closing = {
        VotingRound.Status.CLOSED: [Ballot.Channel.ONLINE],
        VotingRound.Status.COUNTED: [Ballot.Channel.ONLINE, Ballot.Channel.PAPER],
    }.get(new, [])
    with transaction.atomic():
        VotingRound.objects.filter(pk=voting_round.pk).update(status=new)
        voting_round.status = new
        if closing:
            mix_flush(voting_round=voting_round, closing=closing)
        audit_record(
            action=AuditAction.UPDATE, user=user, request=request, obj=voting_round,
            ground=Ground.ROLE, details={"status": str(new)},
        )  # fmt: skip
    return voting_round
