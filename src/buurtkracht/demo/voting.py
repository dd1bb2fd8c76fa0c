"""Demo data for participatory budgeting (issue 8), for the municipality Lindenhoven:

- a counted budget (knapsack) round in district Oost last spring, with the result, the
  computation and what happened next to each plan;
- an open tokens round in district West, with codes made. Its codes come from a fixed
  seed, so `voting_demo_codes` gives the first three for the list of demo accounts. (Only
  in the demo: real codes come from `secrets`.)
"""

from __future__ import annotations

import datetime as dt
import random

from django.db import transaction
from django.utils import timezone

from buurtkracht.core.models import Area
from buurtkracht.voting import services
from buurtkracht.voting.codes import code_display, code_new
from buurtkracht.voting.models import Ballot, Proposal, VotingCode, VotingRound

OOST_PLANS = (
    # title, description, cost, neighbourhood code, chance to be chosen
    (
        "Bankjes en een wandelroute langs de Linde",
        "Zes bankjes en bordjes voor een rondje van 2 km langs de Linde, met rustpunten "
        "voor wie slecht ter been is.",
        4_800,
        "BU99010201",
        0.62,
    ),
    (
        "Moestuin bij de Vogelwijkschool",
        "Bakken, gereedschap en zaad voor een moestuin die kinderen en buren samen bijhouden.",
        3_500,
        "BU99010203",
        0.48,
    ),
    (
        "Speelplek Vruchtenbuurt opknappen",
        "Nieuwe ondergrond en een klimrek voor het pleintje aan de Appelstraat.",
        7_500,
        "BU99010204",
        0.45,
    ),
    (
        "Buurtkamer met koffie op maandag",
        "Huur en koffie voor een jaar lang een open buurtkamer op maandagochtend.",
        2_400,
        "BU99010202",
        0.36,
    ),
    (
        "Geveltuintjes Bloemenbuurt",
        "Tegels eruit, planten erin: materiaal en een plantdag voor veertig geveltuintjes.",
        1_800,
        "BU99010202",
        0.30,
    ),
    (
        "Zomerfeest op het Lindeplein",
        "Een middag met muziek, eten uit de buurt en spelletjes voor kinderen.",
        2_000,
        "BU99010201",
        0.22,
    ),
)
FOLLOW_UP = {
    "Bankjes en een wandelroute langs de Linde": (
        Proposal.FollowUp.DONE,
        "De zes bankjes staan er sinds juni. Bewoners van de Lindenstraat liepen de route "
        "uit; de wandelgroep van de buurtkamer loopt hem elke dinsdag.",
    ),
    "Moestuin bij de Vogelwijkschool": (
        Proposal.FollowUp.DONE,
        "De bakken zijn gevuld in mei. Twaalf buren en groep 6 houden de tuin bij; de "
        "eerste oogst ging naar de voedselbank.",
    ),
    "Speelplek Vruchtenbuurt opknappen": (
        Proposal.FollowUp.NOT_STARTED,
        "Paste niet meer in het budget. De gemeente neemt het pleintje mee in het "
        "onderhoud van volgend jaar; de opbouwwerker houdt de buurt op de hoogte.",
    ),
    "Buurtkamer met koffie op maandag": (
        Proposal.FollowUp.IN_PROGRESS,
        "De buurtkamer is elke maandag open. Vier vrijwilligers zetten koffie.",
    ),
}
WEST_PLANS = (
    ("Pannaveldje Rivierenwijk", "Een omheind veldje met twee doeltjes.", 6_000, "BU99010303"),
    ("Taalcafé in de bibliotheek", "Een jaar lang elke week samen Nederlands oefenen.", 1_500, ""),
    ("Groene schoolroute", "Bomen in bakken en een veiliger oversteek bij de school.", 5_000, ""),
    ("Repair café", "Gereedschap en een plek om samen spullen te repareren.", 1_200, ""),
    ("Buurtbus voor ouderen", "Een jaar lang één rit per week naar de markt.", 3_000, ""),
)


def _spring(today: dt.date) -> tuple[dt.date, dt.date]:
    year = today.year if today.month >= 6 else today.year - 1
    return dt.date(year, 4, 1), dt.date(year, 4, 21)


def voting_demo_codes(*, seed: int, n: int = 3) -> list[str]:
    """The first `n` codes of the open demo round (as printed: "KX7PM-4RTQW")."""
    rng = random.Random(f"voting-west-{seed}")
    return [code_display(code_new(rng)) for _ in range(n)]


def voting_demo_create(*, seed: int) -> int:
    """Make the demo rounds. Call once after the municipality exists; does nothing (returns
    0) when there are voting rounds already. Returns the number of rounds made."""
    if VotingRound.objects.exists():
        return 0
    districts = {area.name: area for area in Area.objects.filter(kind=Area.Kind.DISTRICT)}
    if "Oost" not in districts or "West" not in districts:
        return 0
    neighbourhoods = {area.cbs_code: area for area in Area.objects.filter(kind="neighbourhood")}
    rng = random.Random(f"voting-{seed}")
    today = timezone.localdate()
    made = 0
    with transaction.atomic():
        opens, closes = _spring(today)
        oost = services.round_create(
            data=services.RoundInput(
                name=f"Bewonersbudget Oost {opens.year}",
                description="€ 15.000 voor plannen van bewoners in Oost. Bewoners maakten "
                "zes plannen; elk huishouden kreeg een brief met een stemcode.",
                area=districts["Oost"],
                budget=15_000,
                opens_on=opens,
                closes_on=closes,
                ballot_type=VotingRound.BallotType.KNAPSACK,
                known_initiators=5,
            ),
            user=None,
        )
        plans: list[tuple[Proposal, float]] = []
        for title, text, cost, code, chance in OOST_PLANS:
            plans.append(
                (
                    services.proposal_create(
                        voting_round=oost,
                        title=title,
                        description=text,
                        cost=cost,
                        neighbourhood=neighbourhoods.get(code),
                        user=None,
                    ),
                    chance,
                )
            )
        letters = services.codes_generate(voting_round=oost, rng=random.Random(f"oost-{seed}"))
        codes = {c.letter_number: c for c in VotingCode.objects.filter(round=oost)}
        # About one in five households voted, one in six of them on paper at the voting day.
        for letter in letters:
            if rng.random() > 0.2:
                continue
            chosen: dict[int, int] = {}
            spent = 0
            for proposal, chance in plans:
                if rng.random() < chance and spent + proposal.cost <= oost.budget:
                    chosen[proposal.pk] = 1
                    spent += proposal.cost
            if not chosen:
                continue
            channel = Ballot.Channel.PAPER if rng.random() < 0.16 else Ballot.Channel.ONLINE
            services.ballot_store(
                voting_round=oost, code=codes[letter.letter_number], chosen=chosen, channel=channel
            )
        # The round is over: every vote leaves the mix (in shuffled batches), as at counting.
        services.mix_flush(voting_round=oost, closing=[Ballot.Channel.ONLINE, Ballot.Channel.PAPER])
        VotingRound.objects.filter(pk=oost.pk).update(status=VotingRound.Status.COUNTED)
        for proposal, _ in plans:
            status, story = FOLLOW_UP.get(
                proposal.title,
                (Proposal.FollowUp.STOPPED, "Niet gekozen. De initiatiefnemers zoeken samen "
                 "met de opbouwwerker ander geld."),
            )  # fmt: skip
            services.proposal_follow_up(proposal=proposal, status=status, text=story, user=None)
        made += 1

        west = services.round_create(
            data=services.RoundInput(
                name=f"Bewonersbudget West {today.year}",
                description="Verdeel 10 munten over de plannen die u belangrijk vindt.",
                area=districts["West"],
                budget=12_000,
                opens_on=today - dt.timedelta(days=7),
                closes_on=today + dt.timedelta(days=21),
                ballot_type=VotingRound.BallotType.TOKENS,
                tokens_per_voter=10,
                known_initiators=4,
            ),
            user=None,
        )
        for title, text, cost, code in WEST_PLANS:
            services.proposal_create(
                voting_round=west,
                title=title,
                description=text,
                cost=cost,
                neighbourhood=neighbourhoods.get(code),
                user=None,
            )
        services.codes_generate(voting_round=west, rng=random.Random(f"voting-west-{seed}"))
        services.round_advance(voting_round=west, user=None)
        made += 1
    return made
