"""The mix: why the database cannot tell who voted what (docs/voting.md, "The mix").

A database records more than its columns: the transaction that wrote a row (`xmin`), the
row's place on disk (`ctid`), sequences, commit times in logs. Whatever is written in the
transaction that uses a code can be tied to that code. So a vote is written there only
*sealed*: AES-GCM with a key derived from SECRET_KEY (not in the database), padded to one
length, in a `SealedBallot`. Ballots leave the mix in their own transaction, as readable
`Ballot` rows, in shuffled batches of `MIX_BATCH` picked at random from a pool of at least
twice that, per round, neighbourhood and channel (the code already tells its
neighbourhood, and the channel may be guessed from the time). What ties a code to a
ballot is then at best its batch: at least `MIX_BATCH` ballots alike in round,
neighbourhood and channel.

When no more votes can come in a channel (online: the round is closed; paper: the round is
counted) the rest of the mix is written, as one batch per neighbourhood: between
`MIX_BATCH` and twice that, or all there are when a neighbourhood has fewer.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
import uuid
from collections import defaultdict
from collections.abc import Iterable
from typing import TypeVar

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count
from django.utils.translation import gettext as _

from buurtkracht.voting.models import Ballot, BallotChoice, SealedBallot, VotingRound

# Ballots per batch: nobody can tie a code to a ballot more closely than to this many.
MIX_BATCH = 20
# Sealed ballots all have the same length (a multiple of this), whatever was chosen.
PADDED = 1024
NONCE = 12

Cell = tuple[int, str]  # neighbourhood, channel
T = TypeVar("T")


def _keys() -> list[bytes]:
    """The sealing key, then the keys of SECRET_KEY_FALLBACKS: after a key rotation during
    a round, the mix still opens when the old key is kept as a fallback."""
    secrets_ = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    return [hmac.new(str(s).encode(), b"voting-mix", hashlib.sha256).digest() for s in secrets_]


def _bound(voting_round_id: int, neighbourhood_id: int, channel: str) -> bytes:
    # Authenticated with the ciphertext: a sealed ballot cannot be moved to another cell.
    return f"{voting_round_id}:{neighbourhood_id}:{channel}".encode()


def ballot_seal(
    *, voting_round_id: int, neighbourhood_id: int, channel: str, chosen: dict[int, int]
) -> bytes:
    plain = json.dumps(sorted(chosen.items()), separators=(",", ":")).encode()
    size = PADDED * -(-(len(plain) + 4) // PADDED)
    padded = len(plain).to_bytes(4, "big") + plain + bytes(size - 4 - len(plain))
    nonce = os.urandom(NONCE)
    key = _keys()[0]
    bound = _bound(voting_round_id, neighbourhood_id, channel)
    return nonce + AESGCM(key).encrypt(nonce, padded, bound)


def ballot_unseal(sealed: SealedBallot) -> dict[int, int]:
    blob = bytes(sealed.sealed)
    bound = _bound(sealed.round_id, sealed.neighbourhood_id, sealed.channel)
    for key in _keys():
        try:
            padded = AESGCM(key).decrypt(blob[:NONCE], blob[NONCE:], bound)
        except InvalidTag:
            continue
        length = int.from_bytes(padded[:4], "big")
        return {int(pk): int(n) for pk, n in json.loads(padded[4 : 4 + length])}
    raise ValidationError(
        _(
            "A vote in the mix cannot be opened: the server's secret key has changed. "
            "Put the old key in SECRET_KEY_FALLBACKS and try again."
        )
    )


def mix_add(
    *, voting_round: VotingRound, neighbourhood_id: int, channel: str, chosen: dict[int, int]
) -> None:
    """Put a checked ballot in the mix; call in the transaction that uses the code."""
    SealedBallot.objects.create(
        round=voting_round,
        neighbourhood_id=neighbourhood_id,
        channel=channel,
        sealed=ballot_seal(
            voting_round_id=voting_round.pk,
            neighbourhood_id=neighbourhood_id,
            channel=channel,
            chosen=chosen,
        ),
    )


def _batches(ids: list[T], *, closing: bool) -> list[list[T]]:
    rng = secrets.SystemRandom()
    pool = list(ids)
    batches: list[list[T]] = []
    # Keep at least MIX_BATCH waiting, so that the last batch is not a small one either.
    while len(pool) >= 2 * MIX_BATCH:
        picked = rng.sample(pool, MIX_BATCH)
        chosen = set(picked)
        pool = [pk for pk in pool if pk not in chosen]
        batches.append(picked)
    if closing and pool:
        batches.append(pool)
    return batches


def _write(batch: list[uuid.UUID]) -> None:
    rows = list(SealedBallot.objects.filter(pk__in=batch))
    opened = [(row, ballot_unseal(row)) for row in rows]
    deleted, _by_model = SealedBallot.objects.filter(pk__in=batch).delete()
    if deleted != len(batch) or len(rows) != len(batch):  # another flush got there first
        raise ValidationError(_("The mix changed while it was being counted. Try again."))
    secrets.SystemRandom().shuffle(opened)
    ballots = [
        Ballot(round_id=row.round_id, neighbourhood_id=row.neighbourhood_id, channel=row.channel)
        for row, _chosen in opened
    ]
    Ballot.objects.bulk_create(ballots)
    BallotChoice.objects.bulk_create(
        [
            BallotChoice(ballot=ballot, proposal_id=pk, tokens=n)
            for ballot, (_row, chosen) in zip(ballots, opened, strict=True)
            for pk, n in chosen.items()
        ]
    )


def mix_flush(*, voting_round: VotingRound, closing: Iterable[str] = ()) -> int:
    """Write what may leave the mix as ballots, in one transaction; returns how many.
    `closing`: the channels in which no more votes can come, whose rest is written too."""
    closing = set(closing)
    if not closing and not (
        SealedBallot.objects.filter(round=voting_round)
        .values("neighbourhood", "channel")
        .annotate(n=Count("pk"))
        .filter(n__gte=2 * MIX_BATCH)
        .exists()
    ):
        return 0  # nothing may leave yet: no lock taken, most votes end here
    with transaction.atomic():
        # One flush of a round at a time: a sealed ballot becomes exactly one ballot.
        list(VotingRound.objects.select_for_update().filter(pk=voting_round.pk).values("pk"))
        cells: dict[Cell, list[uuid.UUID]] = defaultdict(list)
        for pk, neighbourhood_id, channel in SealedBallot.objects.filter(
            round=voting_round
        ).values_list("pk", "neighbourhood_id", "channel"):
            cells[(neighbourhood_id, channel)].append(pk)
        written = 0
        for (_neighbourhood, channel), ids in sorted(cells.items()):
            for batch in _batches(ids, closing=channel in closing):
                _write(batch)
                written += len(batch)
    return written


def mix_waiting(voting_round: VotingRound) -> int:
    """How many votes wait in the mix (not in any count yet)."""
    return SealedBallot.objects.filter(round=voting_round).count()
