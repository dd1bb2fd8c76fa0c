"""The dilemma log in the demo (issue 20): three dilemmas in Team Oost, the team of
`wijkwerker` and `teamleider`, and a reflection meeting two weeks ago that discussed two
of them and recorded what the team learnt (one closed, one kept open). The third is
still open for the next meeting. Everything lies in the past (demo/clock.py), and the
texts are anonymous, as the log demands."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from buurtkracht.accounts.models import TeamMembership, User
from buurtkracht.core.models import Team
from buurtkracht.core.queries import in_force
from buurtkracht.demo.clock import days_ago
from buurtkracht.demo.staff import HOME_TEAM
from buurtkracht.dilemmas.models import AgendaItem
from buurtkracht.dilemmas.services import (
    agenda_item_add,
    dilemma_create,
    lessons_record,
    reflection_meeting_create,
)

MEETING_DAYS_AGO = 14

DILEMMAS = (
    # (days ago, title, description, values, life domain)
    (
        75,
        "Eigen kracht of veiligheid: een vader die geen hulp wil",
        "Een vader met twee jonge kinderen wil alles zelf oplossen en houdt de deur dicht "
        "voor hulp. De school ziet dat de kinderen vaak zonder ontbijt komen. Duwen we "
        "door, met het risico dat hij het contact verbreekt, of geven we hem de tijd die "
        "hij vraagt?",
        ["own_strength", "safety", "child_interest", "autonomy"],
        "family",
    ),
    (
        30,
        "De wens van de bewoner tegen het belang van de verhuurder",
        "Een oudere bewoonster wil in haar te grote eengezinswoning blijven; de "
        "corporatie biedt een passende seniorenwoning aan en wil de woning voor een "
        "gezin. Zij vraagt ons haar kant te kiezen. Hoe ver gaan we in het pleiten voor "
        "wat zij wil?",
        ["resident_wish", "third_parties", "professional_role"],
        "housing",
    ),
    (
        5,
        "Informatie delen met de school zonder toestemming?",
        "Een moeder wil niet dat de school hoort over de schulden thuis, terwijl de "
        "mentor juist vraagt waarom haar zoon zo onrustig is. Delen we iets, en zo ja "
        "wat, of houden we ons strikt aan wat zij goedvindt?",
        ["privacy", "child_interest", "resident_wish"],
        "finances",
    ),
)

LESSONS = (
    (
        "Veiligheid van de kinderen gaat voor, maar niet over zijn hoofd heen: we "
        "benoemen samen met de school wat we zien, en vragen de vader wie uit zijn eigen "
        "kring het ontbijt kan oppakken. Eigen kracht zoeken in het netwerk, niet "
        "alleen bij hem.",
        AgendaItem.Outcome.CLOSED,
    ),
    (
        "We zijn haar regisseur, niet haar advocaat: we zorgen dat ze de keuze goed "
        "kan overzien en gaan mee naar het gesprek met de corporatie. Nog open: wat doen "
        "we als de corporatie een termijn stelt?",
        AgendaItem.Outcome.KEPT_OPEN,
    ),
)


@transaction.atomic
def dilemmas_demo_create() -> dict[str, int]:
    """The three dilemmas and the meeting; counts made (nothing without the team)."""
    team = Team.objects.filter(name=HOME_TEAM).first()
    worker = User.objects.filter(username="wijkwerker").first()
    leader = User.objects.filter(username="teamleider").first()
    if team is None or worker is None or leader is None:
        return {}
    today = timezone.localdate()
    colleagues = list(
        User.objects.filter(
            team_memberships__in=TeamMembership.objects.filter(
                team=team, position=TeamMembership.Position.WORKER
            ).filter(in_force(today))
        )
        .exclude(pk=worker.pk)
        .order_by("username")[:2]
    )
    writers = [worker, *colleagues, worker][:3]
    dilemmas = [
        dilemma_create(
            team=team,
            title=title,
            description=description,
            values=values,
            life_domain=domain,
            user=writers[index % len(writers)],
            written_at=days_ago(days, 10 + index),
        )
        for index, (days, title, description, values, domain) in enumerate(DILEMMAS)
    ]
    meeting = reflection_meeting_create(
        team=team,
        held_on=today - dt.timedelta(days=MEETING_DAYS_AGO),
        starts_at=dt.time(14, 0),
        facilitator="Ilse Brouwer (intervisiecoach)",
        user=leader,
    )
    for dilemma, (lessons, outcome) in zip(dilemmas[:2], LESSONS, strict=True):
        item = agenda_item_add(meeting=meeting, dilemma=dilemma, user=leader)
        lessons_record(item=item, lessons=lessons, outcome=outcome, user=leader)
    return {"dilemmas": len(dilemmas), "meetings": 1}
