"""Voting: checking a code, validating a ballot, putting it in the mix with only the
code's neighbourhood (services/mix.py says why the mix)."""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from buurtkracht.voting.codes import code_hash, code_normalise
from buurtkracht.voting.models import Ballot, VotingCode, VotingRound
from buurtkracht.voting.services.mix import mix_add, mix_flush
from buurtkracht.voting.services.rounds import euros

logger = logging.getLogger(__name__)

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
    """Mark the code used and put the ballot, sealed, in the mix: in one transaction, the
    code locked, so a code votes once even when two requests race, and a vote that was
    confirmed is never lost (a crash leaves both or neither). The ballot takes the code's
    neighbourhood (online and paper alike) and nothing else of it.

    Then, in a transaction of its own, a batch leaves the mix when enough are waiting. If
    that fails, the vote is still safe in the mix: the next vote or the closing writes it."""
    round_accepts(voting_round, channel)
    chosen = ballot_validate(voting_round=voting_round, choices=choices)
    with transaction.atomic():
        code = code_check(voting_round=voting_round, typed=typed_code, hashed=hashed, lock=True)
        ballot_store(voting_round=voting_round, code=code, chosen=chosen, channel=channel)
    try:
        mix_flush(voting_round=voting_round)
    except (DatabaseError, ValidationError):
        # Nothing about the vote in the log: only that the batch waits for the next try.
        logger.warning("voting round %s: the mix could not be written yet", voting_round.pk)


def ballot_store(
    *, voting_round: VotingRound, code: VotingCode, chosen: dict[int, int], channel: str
) -> None:
    """Use the code and put a checked ballot in the mix; call inside a transaction with
    the code locked (vote_cast does). The ballot gets the code's neighbourhood and nothing
    else of it; it is sealed, because this transaction can be tied to the code."""
    updated = VotingCode.objects.filter(pk=code.pk, status=VotingCode.Status.UNUSED).update(
        status=VotingCode.Status.USED
    )
    if updated != 1:  # SQLite has no row locks: the conditional update is the guard
        raise CodeRefused(_("This code has been used to vote already. A code votes once."))
    mix_add(
        voting_round=voting_round,
        neighbourhood_id=code.neighbourhood_id,
        channel=channel,
        chosen=chosen,
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
