"""Address history in the synthetic municipality: residents who moved within the town.

The register keeps where a person lived before (issue 16): a membership with an end date
in the household at the old address. Partners' files lag behind: an energy supplier or
a health insurer still writes to the old address for months, so signal matching must
find these movers (signals.matching, "elsewhere"). Without history in the generated town
the evaluation set could hold no movers at all.

Of the households that moved in during the last `RECENT_YEARS`, a share `MOVER_SHARE`
came from another address in Lindenhoven: the main resident (and, one time in two, a
partner who moved in on the same day) lived in the household of another address until
the day before. The old household is a current one at that address that was there
before them, so the mover was a housemate there; the residents of the old address now
are other people.

Deterministic per seed: one random stream of its own, and the households ordered by
address, never by database id.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from django.db import transaction

from buurtkracht.demo.population import REFERENCE_DATE
from buurtkracht.households.models import Household, Membership

RECENT_YEARS = 4
MOVER_SHARE = 0.5
PARTNER_ALONG_CHANCE = 0.5
# At least this long at the old address, so the history is a real stay.
MIN_STAY_DAYS = 120
_ADULT_DAYS = round(18 * 365.25)


@dataclass(frozen=True, slots=True)
class _Home:
    household_id: int
    start: dt.date
    sort_key: tuple[str, int, str, str]


def address_history_create(*, seed: int) -> int:
    """Give some recent households a past address in town; returns the number of movers."""
    rng = random.Random(f"buurtkracht-demo:{seed}:moves")
    homes = sorted(
        (
            _Home(pk, start or REFERENCE_DATE, (postcode, number, letter, addition))
            for pk, start, postcode, number, letter, addition in Household.objects.filter(
                end_date__isnull=True, start_date__isnull=False
            )
            .order_by()
            .values_list(
                "pk",
                "start_date",
                "address__postcode",
                "address__house_number",
                "address__house_letter",
                "address__addition",
            )
        ),
        key=lambda h: h.sort_key,
    )
    if len(homes) < 2:
        return 0
    adults: dict[int, list[tuple[int, str, dt.date | None, dt.date | None]]] = {}
    for household_id, person_id, role, start, born in (
        Membership.objects.filter(
            end_date__isnull=True,
            role__in=(Membership.Role.HEAD, Membership.Role.PARTNER),
        )
        .order_by()
        .values_list("household_id", "person_id", "role", "start_date", "person__date_of_birth")
    ):
        adults.setdefault(household_id, []).append((person_id, role, start, born))
    recent_from = REFERENCE_DATE - dt.timedelta(days=round(RECENT_YEARS * 365.25))
    history: list[Membership] = []
    movers = 0
    for home in homes:
        if home.start < recent_from or rng.random() >= MOVER_SHARE:
            continue
        members = sorted(adults.get(home.household_id, ()), key=lambda m: m[1] != "head")
        heads = [m for m in members if m[1] == Membership.Role.HEAD and m[2] == home.start]
        if not heads:
            continue
        moving = heads[:1]
        partners = [m for m in members if m[1] == Membership.Role.PARTNER and m[2] == home.start]
        if partners and rng.random() < PARTNER_ALONG_CHANCE:
            moving.append(partners[0])
        left_on = home.start - dt.timedelta(days=1)
        for _attempt in range(6):
            old = rng.choice(homes)
            if old.household_id == home.household_id:
                continue
            joined = max(
                [
                    old.start,
                    *(born + dt.timedelta(days=_ADULT_DAYS) for _p, _r, _s, born in moving if born),
                ]
            )
            if (left_on - joined).days >= MIN_STAY_DAYS:
                break
        else:
            continue
        for person_id, _role, _start, _born in moving:
            history.append(
                Membership(
                    household_id=old.household_id,
                    person_id=person_id,
                    role=Membership.Role.HOUSEMATE,
                    start_date=joined,
                    end_date=left_on,
                )
            )
            movers += 1
    with transaction.atomic():
        Membership.objects.bulk_create(history, batch_size=1000)
    return movers
