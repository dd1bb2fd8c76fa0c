"""Invitations: who may vote, their codes and letters, and blocking a lost code."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from random import Random
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from buurtkracht.audit.models import Action as AuditAction
from buurtkracht.audit.models import Ground
from buurtkracht.audit.services import audit_record
from buurtkracht.core.queries import in_force
from buurtkracht.households.models import Household
from buurtkracht.voting.codes import code_hash, code_new, code_normalise, participant_key
from buurtkracht.voting.models import VotingCode, VotingRound

if TYPE_CHECKING:
    from buurtkracht.accounts.models import User

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
    user: User | None = None,
    request: HttpRequest | None = None,
    rng: Random | None = None,
    again: bool = False,
) -> list[Letter]:
    """One code per household with a current address in the round's district (or per
    resident aged 16 or older on the opening day), from the register. Returns the letters
    with the plain codes: the caller turns them into the one download, after which only the
    hashes remain. Once per round: a second batch would double the votes — unless `again`
    is given while the round is still being prepared: then the earlier codes are deleted in
    the same transaction (no letter made before can vote) and the new letters are numbered
    on after the earlier ones, so an old letter's number never names a new letter. A lost
    download therefore never blocks a round."""
    _may_make_codes(voting_round, again=again)
    on = voting_round.opens_on
    today = timezone.localdate()
    households = (
        Household.objects.filter(address__neighbourhood__in=voting_round.neighbourhoods())
        .filter(in_force(today, end_inclusive=False))
        .select_related("address__neighbourhood")
        .prefetch_related("memberships__person")
        .order_by("address__neighbourhood__name", "address__postcode", "address__house_number")
    )
    earlier = _earlier_participants(voting_round)
    first_number = (voting_round.codes.aggregate(last=Max("letter_number"))["last"] or 0) + 1
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
            number = first_number + len(rows)
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
        # The round's row is the lock: two people making letters at once, or making them
        # again, take turns; the second sees what the first did.
        locked = VotingRound.objects.select_for_update().get(pk=voting_round.pk)
        _may_make_codes(locked, again=again)
        earlier_codes = locked.codes.all()
        if earlier_codes.exclude(letter_number__lt=first_number).exists():
            raise ValidationError(_("Someone else made the letters just now. Please try again."))
        replaced, _deleted = earlier_codes.delete() if again else (0, {})
        try:
            VotingCode.objects.bulk_create(rows, batch_size=2000)
        except IntegrityError:  # two codes alike: 1 in 10^15; try again
            raise ValidationError(_("Making the codes failed. Please try again.")) from None
        details: dict[str, int] = {"letters": len(letters)}
        if replaced:
            details["codes_made_invalid"] = replaced
        audit_record(
            action=AuditAction.PRINT, user=user, request=request, obj=voting_round,
            ground=Ground.ROLE,
            subjects=[pk for letter in letters for pk in letter.person_ids],
            details=details,
        )  # fmt: skip
    return letters


def _may_make_codes(voting_round: VotingRound, *, again: bool) -> None:
    if voting_round.status != VotingRound.Status.DRAFT:
        raise ValidationError(_("Codes can only be made while the round is being prepared."))
    if not again and voting_round.codes.exists():
        raise ValidationError(
            _(
                "The codes of this round were made already. Make the letters again (the "
                "letters made before can then no longer vote) or block a lost letter."
            )
        )


def code_block(
    *,
    voting_round: VotingRound,
    code: str = "",
    letter_number: int | None = None,
    user: User | None,
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
