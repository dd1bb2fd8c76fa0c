"""Secret ballots against someone who reads the whole PostgreSQL database (issue 15,
finding 1): not only the columns, but what PostgreSQL keeps next to them — the transaction
that wrote each row (`xmin`), the command within it (`cmin`), the place on disk (`ctid`),
sequences, and the dead row versions still on the pages. With the letters ZIP (letter
number → address) a code is a household, so every one of these must give no more than:
this code's ballot is one of a batch of at least `MIX_BATCH` ballots of its round,
neighbourhood and channel (docs/voting.md, "The mix").

The tests commit every vote for real (`transaction=True`): inside one test transaction
every row would share one `xmin` and prove nothing.
"""

from __future__ import annotations

import itertools
import json
import threading
from collections import Counter
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection, connections

from buurtkracht.voting import services
from buurtkracht.voting.models import Proposal, VotingCode, VotingRound
from buurtkracht.voting.results import recount
from tests.voting.helpers import counted, households, open_round, place, voting_round

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="transaction ids, row places and sequences are what PostgreSQL keeps",
    ),
    pytest.mark.django_db(transaction=True),
]

VOTES = 50  # a batch of 20 leaves at the 40th vote; 30 wait until closing
Choice = frozenset[tuple[int, int]]


def _rows(sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _place_on_disk(ctid: str) -> tuple[int, int]:
    block, offset = ctid.strip("()").split(",")
    return int(block), int(offset)


def _distinct_choices(plans: list[Proposal], n: int) -> list[dict[int, int]]:
    """n different ways to spread the tokens: each ballot can be recognised by its content,
    so the test knows the truth an attacker is after."""
    spreads = (
        spread
        for spread in itertools.product(range(11), repeat=len(plans))
        if 1 <= sum(spread) <= 10
    )
    return [
        {plan.pk: tokens for plan, tokens in zip(plans, spread, strict=True) if tokens}
        for spread in itertools.islice(spreads, n)
    ]


def _cast(
    before_voting: Callable[[], None] = lambda: None,
) -> tuple[VotingRound, dict[int, Choice]]:
    """A tokens round in one neighbourhood; VOTES codes vote, each a different spread.
    Returns the round and the truth: letter number → what that household voted."""
    where = place()
    households(where.north, VOTES)
    made, plans = voting_round(where, ballot_type=VotingRound.BallotType.TOKENS, tokens=10)
    letters = open_round(made)
    spreads = _distinct_choices(list(plans.values()), VOTES)
    before_voting()
    truth: dict[int, Choice] = {}
    for letter, choice in zip(letters, spreads, strict=True):
        services.vote_cast(voting_round=made, typed_code=letter.code, choices=choice)
        truth[letter.letter_number] = frozenset(choice.items())
    return made, truth


def _sequences() -> dict[str, int | None]:
    return dict(_rows("SELECT schemaname || '.' || sequencename, last_value FROM pg_sequences"))


def test_nothing_postgresql_keeps_ties_a_ballot_to_a_code_closer_than_its_batch() -> None:
    before: dict[str, int | None] = {}
    made, truth = _cast(lambda: before.update(_sequences()))
    # Sequences: voting draws no number anywhere (random ids only).
    assert _sequences() == before
    counted(made)

    codes = _rows(
        "SELECT letter_number, xmin::text::bigint FROM voting_votingcode "
        "WHERE round_id = %s AND status = 'used'",
        (made.pk,),
    )
    ballots = _rows(
        "SELECT id::text, xmin::text::bigint, cmin::text::bigint, ctid::text "
        "FROM voting_ballot WHERE round_id = %s",
        (made.pk,),
    )
    choice_rows = _rows(
        "SELECT ballot_id::text, proposal_id, tokens, xmin::text::bigint, ctid::text "
        "FROM voting_ballotchoice"
    )
    assert len(codes) == len(ballots) == VOTES
    content: dict[str, set[tuple[int, int]]] = {}
    for ballot_id, proposal_id, tokens, _, _ in choice_rows:
        content.setdefault(ballot_id, set()).add((proposal_id, tokens))
    ballot_of_code = {  # the truth the attacker is after
        number: next(b for b, c in content.items() if frozenset(c) == choice)
        for number, choice in truth.items()
    }

    # 1. Same transaction: no ballot and no choice was written by a code's transaction.
    code_xids = {xid for _, xid in codes}
    assert not code_xids & {xid for _, xid, _, _ in ballots}
    assert not code_xids & {row[3] for row in choice_rows}

    # 2. Batches: ballots come in groups (transaction, command) of at least MIX_BATCH,
    #    and so do the choices (by transaction).
    batches = Counter((xid, cid) for _, xid, cid, _ in ballots)
    assert min(batches.values()) >= services.MIX_BATCH, batches
    per_xid = Counter(xid for _, xid, _, _ in ballots)
    choice_ballots = {(row[3], row[0]) for row in choice_rows}
    assert Counter(xid for xid, _ in choice_ballots) == per_xid

    # 3. Order: the attacker lines up the codes in the order they voted (transaction id)
    #    with the ballots in the order they were written (transaction id, place on disk),
    #    for the ballot rows and for the choice rows. A shuffle leaves about one right
    #    guess per batch; the unmixed order gave all of them.
    voted = [number for number, _ in sorted(codes, key=lambda row: row[1])]
    written = [b for b, *_ in sorted(ballots, key=lambda r: (r[1], _place_on_disk(r[3])))]
    by_choices = list(
        dict.fromkeys(
            row[0] for row in sorted(choice_rows, key=lambda r: (r[3], _place_on_disk(r[4])))
        )
    )
    for order in (written, by_choices):
        right = sum(ballot_of_code[n] == b for n, b in zip(voted, order, strict=True))
        assert right < 10, f"the order of writing gives away {right} of {VOTES} votes"

    # 4. Nearest transaction: for each ballot, the code that voted last before it was
    #    written. At most one right guess per batch.
    def last_code_before(xid: int) -> int:
        return max((row for row in codes if row[1] <= xid), key=lambda row: row[1])[0]

    right = sum(ballot_of_code[last_code_before(xid)] == b for b, xid, _, _ in ballots)
    assert right <= len(per_xid)

    # 5. Time: no date or time column in any ballot table.
    timed = _rows(
        "SELECT table_name, column_name FROM information_schema.columns "
        "WHERE table_name IN ('voting_ballot', 'voting_ballotchoice', 'voting_sealedballot') "
        "AND (data_type LIKE '%%time%%' OR data_type = 'date')"
    )
    assert timed == []


def test_the_mix_holds_only_sealed_ballots_and_its_dead_rows_point_to_a_batch() -> None:
    made, truth = _cast()
    waiting = _rows(
        "SELECT xmin::text::bigint, sealed FROM voting_sealedballot WHERE round_id = %s",
        (made.pk,),
    )
    assert len(waiting) == VOTES - services.MIX_BATCH
    code_xids = {
        xid
        for (xid,) in _rows(
            "SELECT xmin::text::bigint FROM voting_votingcode WHERE round_id = %s", (made.pk,)
        )
    }
    # The database does tie a waiting vote to its code (written in the code's transaction)…
    assert {xid for xid, _ in waiting} <= code_xids
    # …but it cannot be read: every sealed ballot is as long as any other, and holds no
    # plan number or token count in the clear.
    assert len({len(bytes(sealed)) for _, sealed in waiting}) == 1
    clear = [
        json.dumps(sorted(choice), separators=(",", ":")).encode() for choice in truth.values()
    ]
    assert not any(text in bytes(sealed) for _, sealed in waiting for text in clear)
    columns = {
        name
        for (name,) in _rows(
            "SELECT column_name FROM information_schema.columns "
            "WHERE table_name = 'voting_sealedballot'"
        )
    }
    assert columns == {"id", "round_id", "neighbourhood_id", "channel", "sealed"}
    # Interim counts move by whole batches only.
    assert services.mix_waiting(made) == VOTES - services.MIX_BATCH
    assert recount(made).ballots == services.MIX_BATCH
    services.round_advance(voting_round=made, user=None)  # closed: the mix is written
    _dead_rows_of_the_mix_point_to_a_batch(made, code_xids)
    assert counted(made).ballots == VOTES and services.mix_waiting(made) == 0


def _dead_rows_of_the_mix_point_to_a_batch(made: VotingRound, code_xids: set[int]) -> None:
    """Dead row versions of the mix stay on the pages until VACUUM (or until a later read
    prunes the page, so this looks right after the flush): each was written by its code's
    transaction and deleted by the transaction that wrote its batch."""
    if not _rows("SELECT 1 FROM pg_available_extensions WHERE name = 'pageinspect'"):
        pytest.skip("pageinspect is not installed: the dead rows cannot be read")
    with connection.cursor() as cursor:
        cursor.execute("CREATE EXTENSION IF NOT EXISTS pageinspect")
    pages = _rows(
        "SELECT pg_relation_size('voting_sealedballot') / current_setting('block_size')::int"
    )[0][0]
    dead = [
        (int(xmin), int(xmax))
        for page in range(pages)
        for xmin, xmax in _rows(
            "SELECT t_xmin::text, t_xmax::text FROM "
            "heap_page_items(get_raw_page('voting_sealedballot', %s)) WHERE t_xmax::text <> '0'",
            (page,),
        )
    ]
    batch_sizes = Counter(
        xid
        for (xid,) in _rows(
            "SELECT xmin::text::bigint FROM voting_ballot WHERE round_id = %s", (made.pk,)
        )
    )
    # At least the closing batch's rows: nothing has read those pages since.
    assert len(dead) >= VOTES - services.MIX_BATCH, "the dead rows of the mix were not read"
    for xmin, xmax in dead:
        assert xmin in code_xids
        assert batch_sizes[xmax] >= services.MIX_BATCH, "a dead mix row points below a batch"


def _in_threads(work: list[Callable[[], None]]) -> list[BaseException | None]:
    outcomes: list[BaseException | None] = [None] * len(work)
    start = threading.Barrier(len(work))

    def run(i: int) -> None:
        start.wait()
        try:
            work[i]()
        except BaseException as error:  # reported to the test
            outcomes[i] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(work))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def test_one_code_one_vote_and_every_vote_once_when_voters_race() -> None:
    where = place()
    households(where.north, 44)
    made, plans = voting_round(where, ballot_type=VotingRound.BallotType.APPROVAL)
    first, *others = open_round(made)
    choice = {plans["Bankjes"].pk: 1}

    def vote(code: str) -> Callable[[], None]:
        return lambda: services.vote_cast(voting_round=made, typed_code=code, choices=choice)

    # The same code from two places at once: one vote.
    same = _in_threads([vote(first.code), vote(first.code)])
    assert sorted(type(o).__name__ for o in same) == ["CodeRefused", "NoneType"]

    # 43 codes in four streams at once: batches leave the mix while others vote, and
    # every vote is written exactly once.
    def stream(letters: list[services.Letter]) -> Callable[[], None]:
        def run() -> None:
            for letter in letters:
                vote(letter.code)()

        return run

    outcomes = _in_threads([stream(others[i::4]) for i in range(4)])
    assert outcomes == [None] * 4
    assert VotingCode.objects.filter(round=made, status=VotingCode.Status.USED).count() == 44
    tally = counted(made)
    assert tally.ballots == 44 and tally.scores[plans["Bankjes"].pk] == 44
