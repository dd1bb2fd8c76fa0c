"""Writes of participatory budgeting (issue 8). Staff writes are audit events; votes are
not: an audit entry per vote would put a time and a client next to each ballot and undo
the secrecy of the vote (docs/voting.md)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from random import Random
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.http import HttpRequest
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from buurtkracht.audit.models import Action as AuditAction
from buurtkracht.audit.models import Ground
from buurtkracht.audit.services import audit_record
from buurtkracht.core.models import Area
from buurtkracht.core.numbers import format_money
from buurtkracht.households.models import Household
from buurtkracht.voting.codes import code_hash, code_new, code_normalise, participant_key
from buurtkracht.voting.models import Ballot, BallotChoice, Proposal, VotingCode, VotingRound


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


def round_create(*, data: RoundInput, user: Any, request: HttpRequest | None = None) -> VotingRound:
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
    user: Any = None,
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
    user: Any,
    request: HttpRequest | None = None,
) -> Proposal:
    """What happened after the vote: shown on the public result page, so that residents
    see their vote lead somewhere (peers' complaint: unclear follow-through)."""
    if status not in Proposal.FollowUp.values:
        raise ValidationError({"follow_up_status": _("Choose what happened.")})
    with transaction.atomic():
        proposal.follow_up_status = status
        proposal.follow_up_text = text.strip()
        proposal.follow_up_on = timezone.localdate()
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
    *, voting_round: VotingRound, user: Any, request: HttpRequest | None = None
) -> VotingRound:
    """Draft → open → closed → counted. Opening needs plans and codes; counting is final
    (the result page turns public)."""
    new = NEXT_STATUS.get(VotingRound.Status(voting_round.status))
    if new is None:
        raise ValidationError(_("This round has been counted already."))
    if new == VotingRound.Status.OPEN:
        if not voting_round.proposals.exists():
            raise ValidationError(_("Add the plans before you open the round."))
        if not voting_round.codes.exists():
            raise ValidationError(_("Make the voting codes and letters before you open the round."))
    with transaction.atomic():
        VotingRound.objects.filter(pk=voting_round.pk).update(status=new)
        voting_round.status = new
        audit_record(
            action=AuditAction.UPDATE, user=user, request=request, obj=voting_round,
            ground=Ground.ROLE, details={"status": str(new)},
        )  # fmt: skip
    return voting_round


# --- codes and letters ----------------------------------------------------------------


@dataclass(frozen=True)
class Letter:
    """One letter as printed. Exists only in memory, for the one download."""

    letter_number: int
    code: str
    neighbourhood: str
    addressee: str
    street_line: str
    postcode: str
    town: str
    person_ids: tuple[int, ...] = field(default=())


def age_group(date_of_birth: dt.date | None, on: dt.date) -> str:
    if date_of_birth is None:
        return ""
    age = (
        on.year
        - date_of_birth.year
        - ((on.month, on.day) < (date_of_birth.month, date_of_birth.day))
    )
    if age < 16:
        return "<16"
    if age < 18:
        return VotingCode.AgeGroup.AGE_16_17
    if age < 35:
        return VotingCode.AgeGroup.AGE_18_34
    if age < 65:
        return VotingCode.AgeGroup.AGE_35_64
    return VotingCode.AgeGroup.AGE_65


def _earlier_participants(voting_round: VotingRound) -> set[str]:
    return set(
        VotingCode.objects.filter(
            status=VotingCode.Status.USED, round__opens_on__lt=voting_round.opens_on
        )
        .exclude(round=voting_round)
        .values_list("participant_key", flat=True)
    )


def codes_generate(
    *,
    voting_round: VotingRound,
    user: Any = None,
    request: HttpRequest | None = None,
    rng: Random | None = None,
) -> list[Letter]:
    """One code per household with a current address in the round's district (or per
    resident aged 16 or older on the opening day), from the register. Returns the letters
    with the plain codes: the caller turns them into the one download, after which only the
    hashes remain. Once per round: a second batch would double the votes."""
    if voting_round.status != VotingRound.Status.DRAFT:
        raise ValidationError(_("Codes can only be made while the round is being prepared."))
    if voting_round.codes.exists():
        raise ValidationError(
            _("The codes of this round were made already. Block a lost letter instead.")
        )
    on = voting_round.opens_on
    today = timezone.localdate()
    households = (
        Household.objects.filter(address__neighbourhood__in=voting_round.neighbourhoods())
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=today))
        .filter(Q(start_date__isnull=True) | Q(start_date__lte=today))
        .select_related("address__neighbourhood")
        .prefetch_related("memberships__person")
        .order_by("address__neighbourhood__name", "address__postcode", "address__house_number")
    )
    earlier = _earlier_participants(voting_round)
    letters: list[Letter] = []
    rows: list[VotingCode] = []
    per_resident = voting_round.eligibility == VotingRound.Eligibility.RESIDENT_16
    # In chunks: the members are prefetched per chunk, so no query names every household
    # of a district at once (SQLite refuses very long IN lists).
    for household in households.iterator(chunk_size=200):
        address = household.address
        assert address.neighbourhood is not None
        members = [
            m.person
            for m in household.memberships.all()
            if (m.start_date is None or m.start_date <= today)
            and (m.end_date is None or m.end_date >= today)
        ]
        if per_resident:
            groups = [(p, age_group(p.date_of_birth, on)) for p in members]
            recipients = [
                ([p], p.formal_name, group, participant_key("person", p.pk))
                for p, group in groups
                if group not in ("", "<16")
            ]
        else:
            births = [p.date_of_birth for p in members if p.date_of_birth]
            eldest = age_group(min(births), on) if births else ""
            recipients = [
                (
                    members,
                    _("The residents of %(address)s") % {"address": address.street_line},
                    eldest if eldest != "<16" else "",
                    participant_key("address", address.pk),
                )
            ]
        for people, addressee, group, key in recipients:
            code = code_new(rng)
            number = len(rows) + 1
            rows.append(
                VotingCode(
                    round=voting_round,
                    code_hash=code_hash(code),
                    letter_number=number,
                    neighbourhood=address.neighbourhood,
                    age_group=group,
                    participant_key=key,
                    first_time=key not in earlier,
                )
            )
            letters.append(
                Letter(
                    letter_number=number,
                    code=code,
                    neighbourhood=address.neighbourhood.name,
                    addressee=addressee,
                    street_line=address.street_line,
                    postcode=address.postcode,
                    town=address.town,
                    person_ids=tuple(p.pk for p in people),
                )
            )
    if not rows:
        raise ValidationError(_("Nobody in this district may vote: the register has no one there."))
    with transaction.atomic():
        try:
            VotingCode.objects.bulk_create(rows, batch_size=2000)
        except IntegrityError:  # two codes alike: 1 in 10^15; try again
            raise ValidationError(_("Making the codes failed. Please try again.")) from None
        audit_record(
            action=AuditAction.PRINT, user=user, request=request, obj=voting_round,
            ground=Ground.ROLE,
            subjects=[pk for letter in letters for pk in letter.person_ids],
            details={"letters": len(letters)},
        )  # fmt: skip
    return letters


def code_block(
    *,
    voting_round: VotingRound,
    code: str = "",
    letter_number: int | None = None,
    user: Any,
    request: HttpRequest | None = None,
) -> VotingCode:
    """Block a lost or stolen letter, by the code the resident reads out or by the letter
    number printed on it. A blocked code cannot vote; the resident gets a new letter from a
    later batch or votes on paper at the voting day with proof of address."""
    codes = VotingCode.objects.filter(round=voting_round)
    if code:
        plain = code_normalise(code)
        if plain is None:
            raise ValidationError({"code": _("A voting code has 10 letters and digits.")})
        codes = codes.filter(code_hash=code_hash(plain))
    elif letter_number is not None:
        codes = codes.filter(letter_number=letter_number)
    else:
        raise ValidationError(_("Type the code or the letter number."))
    with transaction.atomic():
        found = codes.select_for_update().first()
        if found is None:
            raise ValidationError(_("This round has no such code or letter number."))
        if found.status == VotingCode.Status.USED:
            raise ValidationError(_("This code has voted already; it can no longer be blocked."))
        found.status = VotingCode.Status.BLOCKED
        found.save(update_fields=["status"])
        audit_record(
            action=AuditAction.UPDATE, user=user, request=request, obj=voting_round,
            ground=Ground.ROLE, details={"blocked_letter": found.letter_number},
        )  # fmt: skip
    return found


# --- voting ---------------------------------------------------------------------------


class CodeRefused(ValidationError):
    """A code that may not vote, with a message fit for the resident."""


def round_accepts(voting_round: VotingRound, channel: str) -> None:
    today = timezone.localdate()
    if channel == Ballot.Channel.PAPER:
        # Paper ballots of the voting day may be entered after closing, until the count.
        if voting_round.status in (VotingRound.Status.OPEN, VotingRound.Status.CLOSED):
            return
        raise CodeRefused(_("Paper ballots can be entered while the round is open or closed."))
    if voting_round.status != VotingRound.Status.OPEN or today > voting_round.closes_on:
        raise CodeRefused(_("Voting in this round has closed."))
    if today < voting_round.opens_on:
        raise CodeRefused(
            _("Voting opens on %(date)s.")
            % {"date": formats.date_format(voting_round.opens_on, "j F Y")}
        )


def code_check(
    *, voting_round: VotingRound, typed: str = "", hashed: str = "", lock: bool = False
) -> VotingCode:
    """The code a resident typed (or its hash, kept in the session between the code page and
    the ballot), if it may vote in this round. The messages say what is wrong with *this*
    code only, never anything about other codes."""
    if not hashed:
        plain = code_normalise(typed)
        if plain is None:
            raise CodeRefused(
                _(
                    "A voting code has 10 letters and digits, for example KX7PM-4RTQW. "
                    "Check the letter."
                )
            )
        hashed = code_hash(plain)
    codes = VotingCode.objects.filter(code_hash=hashed)
    if lock:
        codes = codes.select_for_update()
    code = codes.first()
    if code is None:
        raise CodeRefused(_("This code is not right. Check the letter and type it again."))
    if code.round_id != voting_round.pk:
        raise CodeRefused(
            _("This code belongs to another voting round or district. Check the letter.")
        )
    if code.status == VotingCode.Status.USED:
        raise CodeRefused(_("This code has been used to vote already. A code votes once."))
    if code.status == VotingCode.Status.BLOCKED:
        raise CodeRefused(
            _("This code has been blocked, for example because the letter was lost. "
              "Ask the community worker for help.")
        )  # fmt: skip
    return code


def ballot_validate(*, voting_round: VotingRound, choices: dict[int, int]) -> dict[int, int]:
    """The choices of a ballot (plan id → tokens; 1 for a chosen plan), checked against the
    ballot type. Returns them without the zeros; raises with a message for the voter."""
    known = {p.pk: p for p in voting_round.proposals.all()}
    chosen = {pk: n for pk, n in choices.items() if n}
    if any(pk not in known for pk in chosen) or any(n < 0 for n in chosen.values()):
        raise ValidationError(_("The ballot has a plan that is not in this round."))
    if not chosen:
        if voting_round.ballot_type == VotingRound.BallotType.TOKENS:
            raise ValidationError(_("Put at least one token on a plan."))
        raise ValidationError(_("Choose at least one plan."))
    if voting_round.ballot_type == VotingRound.BallotType.TOKENS:
        spent = sum(chosen.values())
        if spent > voting_round.tokens_per_voter:
            raise ValidationError(
                ngettext(
                    "You spread %(spent)s tokens, but you have %(n)s token.",
                    "You spread %(spent)s tokens, but you have %(n)s tokens.",
                    voting_round.tokens_per_voter,
                )
                % {"spent": spent, "n": voting_round.tokens_per_voter}
            )
        return chosen
    if any(n != 1 for n in chosen.values()):
        raise ValidationError(_("The ballot has a plan that is not in this round."))
    if voting_round.ballot_type == VotingRound.BallotType.KNAPSACK:
        total = sum(known[pk].cost for pk in chosen)
        if total > voting_round.budget:
            raise ValidationError(
                _(
                    "Your plans cost %(total)s together, more than the budget of %(budget)s. "
                    "Choose fewer or cheaper plans."
                )
                % {"total": euros(total), "budget": euros(voting_round.budget)}
            )
    return chosen


def vote_cast(
    *,
    voting_round: VotingRound,
    choices: dict[int, int],
    typed_code: str = "",
    hashed: str = "",
    channel: str = Ballot.Channel.ONLINE,
) -> None:
    """Mark the code used and store the ballot, in one transaction, the code locked so it
    votes once even when two requests race. The ballot takes the code's neighbourhood
    (online and paper alike) and nothing else of it."""
    round_accepts(voting_round, channel)
    chosen = ballot_validate(voting_round=voting_round, choices=choices)
    with transaction.atomic():
        code = code_check(voting_round=voting_round, typed=typed_code, hashed=hashed, lock=True)
        ballot_store(voting_round=voting_round, code=code, chosen=chosen, channel=channel)


def ballot_store(
    *, voting_round: VotingRound, code: VotingCode, chosen: dict[int, int], channel: str
) -> None:
    """Use the code and store a checked ballot; call inside a transaction with the code
    locked (vote_cast does). The ballot gets the code's neighbourhood and nothing else."""
    updated = VotingCode.objects.filter(pk=code.pk, status=VotingCode.Status.UNUSED).update(
        status=VotingCode.Status.USED
    )
    if updated != 1:  # SQLite has no row locks: the conditional update is the guard
        raise CodeRefused(_("This code has been used to vote already. A code votes once."))
    ballot = Ballot.objects.create(
        round=voting_round, neighbourhood_id=code.neighbourhood_id, channel=channel
    )
    BallotChoice.objects.bulk_create(
        [BallotChoice(ballot=ballot, proposal_id=pk, tokens=n) for pk, n in chosen.items()]
    )


def choices_from(data: Iterable[tuple[str, str]], voting_round: VotingRound) -> dict[int, int]:
    """Read a ballot form: `plan` checkboxes (approval, budget) or `tokens-<id>` numbers.
    Anything unreadable raises a ValidationError for the voter."""
    choices: dict[int, int] = {}
    for key, value in data:
        try:
            if key == "plan" and voting_round.ballot_type != VotingRound.BallotType.TOKENS:
                choices[int(value)] = 1
            elif key.startswith("tokens-") and (
                voting_round.ballot_type == VotingRound.BallotType.TOKENS
            ):
                choices[int(key.removeprefix("tokens-"))] = int(value or 0)
        except ValueError:
            raise ValidationError(_("Type a whole number of tokens for each plan.")) from None
    return choices
