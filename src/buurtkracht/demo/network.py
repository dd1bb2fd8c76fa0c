"""Network maps for the demo (all names invented).

The `bewoner` household carries story 2 of PRODUCT.md: a man with a psychiatric
vulnerability starts with two people on his map (his mother and his ambulant support
worker). Over a year a quarter-maker (kwartiermaker) helps him into a peer group and a
volunteer job at the repair café; contact with his sister and an old friend is restored.
The map grows to seven ties, with three saved versions: the intake about a year ago, a
review half a year ago and a review two weeks ago. These go through the services (with
audit events). Some other households with a plan get a simple map, written in bulk (as
if imported from an earlier system, hence without audit events) so the demo stays quick.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone

from buurtkracht.audit.models import Ground
from buurtkracht.casework.models import Plan
from buurtkracht.households.models import Household
from buurtkracht.network.models import NetworkVersion, Tie
from buurtkracht.network.queries import tie_state
from buurtkracht.network.services import tie_add, tie_update, version_save

if TYPE_CHECKING:
    from buurtkracht.accounts.models import User

# (days ago, name, kind, relation, support, closeness, quality, energy, restored)
STORY_TWO_TIES: tuple[tuple[int, str, str, str, list[str], int, str, str, bool], ...] = (
    (420, "Moeder", "family", "moeder", ["care", "emotional"], 1, "strong", "both", False),
    (400, "Sanne", "professional", "ambulant begeleider", ["advice"], 2, "strong", "gives", False),
    (
        300,
        "Ruud",
        "professional",
        "kwartiermaker",
        ["advice", "company"],
        2,
        "strong",
        "gives",
        False,
    ),
    (
        240,
        "Herstelgroep De Brug",
        "peer",
        "lotgenotengroep, dinsdagavond",
        ["emotional"],
        2,
        "weak",
        "gives",
        False,
    ),
    (
        150,
        "Repair Café Lindenhoven",
        "initiative",
        "vrijwilligerswerk, zaterdag",
        ["company", "practical"],
        2,
        "strong",
        "gives",
        False,
    ),
    (120, "Mirjam", "family", "zus", ["emotional"], 1, "strained", "both", True),
    (60, "Dennis", "friend", "oude vriend van de voetbal", ["company"], 3, "weak", "gives", True),
)
# (days ago, label, [(tie name, changed attributes)]) — what changed just before a version
STORY_TWO_VERSIONS: tuple[tuple[int, str, list[tuple[str, dict[str, Any]]]], ...] = (
    (360, "Intake", []),
    (180, "Evaluatie", []),
    (
        14,
        "Evaluatie",
        [
            ("Herstelgroep De Brug", {"quality": "strong", "closeness": 2}),
            ("Mirjam", {"quality": "strong", "energy": "gives"}),
        ],
    ),
)

OTHER_TIES: tuple[tuple[str, str, str, list[str]], ...] = (
    ("Broer", "family", "broer", ["practical"]),
    ("Zus", "family", "zus", ["emotional"]),
    ("Buurvrouw", "neighbour", "buurvrouw van nr. 12", ["practical", "company"]),
    ("Buurman", "neighbour", "buurman", ["practical"]),
    ("Vriendin", "friend", "vriendin van school", ["company", "emotional"]),
    ("Huisarts", "professional", "huisarts", ["advice", "care"]),
    ("Buurthuis De Linde", "organisation", "koffieochtend", ["company"]),
    ("Voedselbank", "organisation", "voedselpakket", ["practical", "financial"]),
    ("Kerk", "initiative", "kerkgemeenschap", ["company", "emotional"]),
    ("Schuldhulpmaatje", "volunteer", "maatje", ["financial", "advice"]),
)


def _story_two(household: Household, user: User) -> int:
    today = timezone.localdate()
    person = household.members.order_by("pk").first()
    if person is None:
        return 0
    events: list[tuple[int, str, Any]] = [(t[0], "tie", t) for t in STORY_TWO_TIES]
    events += [(v[0], "version", v) for v in STORY_TWO_VERSIONS]
    ties: dict[str, Tie] = {}
    count = 0
    # Oldest first; on the same day a tie comes before the version that shows it.
    for days, what, item in sorted(events, key=lambda e: (-e[0], e[1] == "version")):
        day = today - dt.timedelta(days=days)
        if what == "tie":
            _d, name, kind, relation, support, closeness, quality, energy, restored = item
            ties[name] = tie_add(
                person=person,
                name=name,
                kind=kind,
                relation=relation,
                support=support,
                closeness=closeness,
                quality=quality,
                energy=energy,
                restored=restored,
                added_on=day,
                household=household,
                user=user,
                ground=Ground.INVOLVEMENT,
            )
            count += 1
            continue
        _d, label, changes = item
        for name, attributes in changes:
            tie = ties[name]
            current = {
                "name": tie.name,
                "kind": tie.kind,
                "relation": tie.relation,
                "support": list(tie.support),
                "closeness": tie.closeness,
                "quality": tie.quality,
                "energy": tie.energy,
                "contact": tie.contact,
                "restored": tie.restored,
                "do_not_contact": tie.do_not_contact,
                "phone": tie.phone,
                "note": tie.note,
            }
            tie_update(
                tie=tie,
                user=user,
                ground=Ground.INVOLVEMENT,
                **{**current, **attributes},
            )
        version_save(
            person=person,
            label=label,
            saved_on=day,
            household=household,
            user=user,
            ground=Ground.INVOLVEMENT,
        )
    return count


@transaction.atomic
def network_demo_create(*, seed: int, resident_household: Household | None) -> int:
    """Ties for the demo: story 2 for the resident's household, and a small map (with one
    saved version at the start) for about one in three other households with a plan.
    Returns the number of ties made."""
    rng = random.Random(f"buurtkracht-demo:{seed}:network")
    today = timezone.localdate()
    count = 0
    ties: list[Tie] = []
    versions: list[NetworkVersion] = []
    plans = Plan.objects.select_related("household", "created_by").order_by("household_id")
    for plan in plans:
        household, worker = plan.household, plan.created_by
        if resident_household is not None and household.pk == resident_household.pk:
            count += _story_two(household, worker)
            continue
        if rng.random() > 0.35:
            continue
        person = household.members.order_by("pk").first()
        if person is None:
            continue
        start = today - dt.timedelta(days=rng.randint(60, 200))
        chosen = rng.sample(OTHER_TIES, k=rng.randint(2, 5))
        made: list[Tie] = []
        for index, (name, kind, relation, support) in enumerate(chosen):
            tie = Tie(
                household=household,
                person=person,
                name=name,
                kind=kind,
                relation=relation,
                support=support,
                closeness=rng.choice((1, 2, 2, 3)),
                quality=rng.choices(("strong", "weak", "strained", "broken"), (4, 3, 2, 1))[0],
                energy=rng.choice(("gives", "neutral", "both", "costs")),
                contact=rng.choice(("contacted", "contacted", "known")),
                do_not_contact=rng.random() < 0.08,
                # Most were there at the start; the last one came in later.
                added_on=start if index < len(chosen) - 1 else start + dt.timedelta(days=30),
                recorded_by=worker,
            )
            made.append(tie)
        ties.extend(made)
        count += len(made)
        versions.append(
            NetworkVersion(
                household=household,
                person=person,
                saved_on=start,
                label="Intake",
                saved_by=worker,
                ties=[],
            )
        )
    Tie.objects.bulk_create(ties, batch_size=500)
    by_person: dict[int, list[Tie]] = {}
    for tie in ties:
        by_person.setdefault(tie.person_id, []).append(tie)
    for version in versions:
        version.ties = [
            tie_state(tie).as_json()
            for tie in by_person.get(version.person_id, [])
            if tie.added_on <= version.saved_on
        ]
    NetworkVersion.objects.bulk_create(versions, batch_size=500)
    return count
