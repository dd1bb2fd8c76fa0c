"""Writes of participatory budgeting (issue 8). Staff writes are audit events; votes are
not: an audit entry per vote would put a time and a client next to each ballot and undo
the secrecy of the vote (docs/voting.md).

Where things are: `rounds` (rounds, proposals, phases), `invitations` (who may vote, codes,
letters, blocking), `ballots` (checking a code, validating a ballot, putting it in the mix)
and `mix` (sealed ballots waiting, written as ballots in shuffled batches).
"""

from buurtkracht.voting.services.ballots import (
    CodeRefused,
    ballot_store,
    ballot_validate,
    choices_from,
    code_check,
    round_accepts,
    vote_cast,
)
from buurtkracht.voting.services.invitations import Letter, age_group, code_block, codes_generate
from buurtkracht.voting.services.mix import MIX_BATCH, mix_flush, mix_waiting
from buurtkracht.voting.services.rounds import (
    NEXT_STATUS,
    RoundInput,
    euros,
    proposal_create,
    proposal_follow_up,
    round_advance,
    round_create,
)

__all__ = [
    "MIX_BATCH",
    "NEXT_STATUS",
    "CodeRefused",
    "Letter",
    "RoundInput",
    "age_group",
    "ballot_store",
    "ballot_validate",
    "choices_from",
    "code_block",
    "code_check",
    "codes_generate",
    "euros",
    "mix_flush",
    "mix_waiting",
    "proposal_create",
    "proposal_follow_up",
    "round_accepts",
    "round_advance",
    "round_create",
    "vote_cast",
]
