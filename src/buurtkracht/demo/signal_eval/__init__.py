"""An evaluation set for signal matching, drawn from the synthetic municipality.

Every row is a signal as a partner would send it about a resident of Lindenhoven (from
`generate_municipality`), with the truth attached: which person it is about
(`expected_person_id`), or None for a signal about nobody in the register. The benchmark
(benchmarks/signal_matching_quality.py) and the tests match these rows with
signals.matching and count how many automatic matches are right (precision) and how many
true matches were found automatically or put on the review list (recall).

Positive rows take one resident each (adults; main residents and partners more often,
as they hold the contracts) and apply one **variation**, with these weights:

=====================  ======  ==================================================
variation              weight  what the partner wrote
=====================  ======  ==================================================
exact                      30  the name and address as in the register
diacritics                  6  Celik for Çelik, Hoevenaars for Hoëvenaars
ss_s                        3  Jansen for Janssen or the other way round
prefix_form                10  "Vries, de", "DE VRIES", "de Vries" in the surname
                               field, prefix left out, "v.d. Berg"
upper_case                  4  everything in capitals
birth_surname               4  the birth surname of someone using a partner's name
partner_surname             3  the partner's surname for someone who kept their own
initials_only              10  initials, no given names
typo                        8  one letter swapped, dropped or doubled in the surname
house_number_form           6  12-a, 12 a, 12a: letter and addition swapped or in
                               lower case (addresses with a letter or addition)
date_of_birth               8  date of birth missing, day and month swapped, or
                               (one in five) the day or year one off
business                    4  a one-person business: "Schildersbedrijf J. de Vries",
                               "J. de Vries h.o.d.n. Klusbedrijf De Vries", ...
call_name                   3  Frans for Franciscus (given names in the call-name
                               table only), with the call name's initial
first_name_typo             2  one letter swapped, dropped or doubled in the first
                               given name
swapped_names               1  first name in the surname field and the other way
                               round
placeholder_date_of_birth 1.5  01-01-1900 instead of the date of birth
house_number_typo         1.5  a neighbouring number (29 or 33 for 31), or 30-a
                               for 31A
postcode_typo             1.5  one postcode character wrong (mostly a neighbouring
                               key, sometimes any), or two swapped
=====================  ======  ==================================================

**Movers** (`mover_share`, default 3% of all rows): adults whose membership at another
address in town ended (the generator's `address_history`), written at the address they
left, with the variations above on their name; variation "moved".

A variation that does not apply to a resident (diacritics for "Jansen") is drawn again
among those that do, so the rarer ones (ss_s, birth_surname) end up below their weight.
One row in ten gets a second variation on top (extra "also_typo", ...). And as in real
partner files, any positive row loses its given names with chance 0.35 (extra
"no_given_names") and its date of birth with chance 0.15 (extra "no_date_of_birth").

Negative rows (`negative_share`, default 10%): a new tenant not yet in the register at a
known address (40%), a relative with the resident's surname who is not registered there
(15%), an address not in the register (30%), and a B.V. at a resident's address carrying
the resident's surname (15%), which must not be matched to the resident.

The weights are estimates of how partner files are usually written, not counts from
real files. The set is also easier than real files in ways that matter: it has no call
names outside the small call-name table, no transliterations further apart than one
letter (Mohamed, Muhammad), movers only within the town and with the register's history
right, and the register itself is always right. Read its figures as an upper bound.

Deterministic per seed: one `random.Random(seed)`, never the global generator, and the
residents are sorted by address and name before drawing, not by database order.

The package: `residents` reads who lives in the municipality, `positives` writes a
resident as a partner would (the variations above), `negatives` makes the rows about
nobody in the register, and `rows` holds a row with its truth and its CSV form. This
module draws the set from them.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict

from django.utils import timezone

from buurtkracht.demo.signal_eval.negatives import NEGATIVE_WEIGHTS, negative_signal
from buurtkracht.demo.signal_eval.positives import (
    MOVER_SHARE,
    VARIATION_WEIGHTS,
    moved_signal,
    positive_signal,
)
from buurtkracht.demo.signal_eval.residents import (
    ROLE_WEIGHTS,
    Resident,
    age_in_years,
    past_addresses_on,
    residents_on,
)
from buurtkracht.demo.signal_eval.rows import EvalSignal, as_partner_row

__all__ = [
    "NEGATIVE_WEIGHTS",
    "VARIATION_WEIGHTS",
    "EvalSignal",
    "as_partner_row",
    "build_evaluation_set",
]


def build_evaluation_set(
    *,
    seed: int,
    size: int,
    negative_share: float = 0.1,
    mover_share: float = MOVER_SHARE,
    on: dt.date | None = None,
) -> list[EvalSignal]:
    """`size` signals about the residents in the database, with known truth.

    Reads every current membership once: fine for the test and benchmark sizes (up to
    some 100,000 households), not meant for a full-size town.
    """
    on = on or timezone.localdate()
    rng = random.Random(seed)
    residents = residents_on(on)
    if not residents:
        raise ValueError("The database holds no residents: generate a municipality first.")
    households: dict[int, list[Resident]] = defaultdict(list)
    sites_by_key: dict[tuple[str, int], list[Resident]] = defaultdict(list)
    numbers_by_postcode: dict[str, set[int]] = defaultdict(set)
    for resident in residents:
        households[resident.household_id].append(resident)
        sites_by_key[(resident.postcode, resident.house_number)].append(resident)
        numbers_by_postcode[resident.postcode].add(resident.house_number)
    sites = list(sites_by_key.values())
    adults = [r for r in residents if age_in_years(r.date_of_birth, on) >= 18]
    negatives = round(size * negative_share)
    positives = size - negatives
    if positives > len(adults):
        raise ValueError(f"Only {len(adults)} adults live here; ask for fewer signals.")

    # Movers: adults who left another address in town, written at the old address.
    past = past_addresses_on(on)
    could_move = [
        r for r in adults if any(a.address_id != r.address_id for a in past.get(r.person_id, ()))
    ]
    moved = rng.sample(could_move, min(len(could_move), round(size * mover_share)))
    seen: set[int] = {r.person_id for r in moved}
    rows = [
        moved_signal(
            rng,
            r,
            households[r.household_id],
            [a for a in past[r.person_id] if a.address_id != r.address_id],
        )
        for r in moved
    ]
    chosen: list[Resident] = []
    weights = [ROLE_WEIGHTS.get(r.role, 1.0) for r in adults]
    while len(chosen) < positives - len(moved):
        for resident in rng.choices(
            adults, weights=weights, k=positives - len(moved) - len(chosen)
        ):
            if resident.person_id not in seen:
                seen.add(resident.person_id)
                chosen.append(resident)
    rows += [positive_signal(rng, r, households[r.household_id]) for r in chosen]

    kinds = list(NEGATIVE_WEIGHTS)
    negative_weights = list(NEGATIVE_WEIGHTS.values())
    for _ in range(negatives):
        kind = rng.choices(kinds, weights=negative_weights)[0]
        rows.append(negative_signal(rng, kind, on, sites, numbers_by_postcode))
    rng.shuffle(rows)
    return rows
