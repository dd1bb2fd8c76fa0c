"""Synthetic resident budgets and initiatives for the demo municipality Lindenhoven.

One budget per district for the current year. The standard route: up to €1,000 an
official checks and decides; above it the official checks first, then a jury of
residents decides up to €10,000 and the neighbourhood platform above that. Oost has
chosen to let its wijkplatform decide everything above €500: that is where story 3
(PRODUCT.md) happens, the walking group and bench of the Lindenstraat. About twelve
other initiatives stand in every state, some waiting for the community worker. Every
name, address and phone number is made up.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from buurtkracht.accounts.models import Role, User
from buurtkracht.core.models import Area, Organisation
from buurtkracht.demo.places import LINDENSTRAAT_NEIGHBOURHOOD
from buurtkracht.initiatives import services
from buurtkracht.initiatives.models import Budget, Check, Decider, Decision, Initiative, RouteStep

S = Initiative.Status
D = Decision.Outcome
STORY_THREE = "Wandelgroep en bankje Lindenstraat"

# (title, what, for whom, cost, breakdown, own contribution, helpers, state)
OTHERS: tuple[tuple[str, str, str, str, str, str, str, str], ...] = (
    (
        "Buurtbarbecue",
        "Een barbecue op het pleintje voor de hele buurt, om elkaar beter te leren kennen.",
        "Iedereen in de buurt",
        "450",
        "Vlees en groente €300, huur barbecue €150",
        "We organiseren alles zelf en ruimen samen op.",
        "",
        S.SUBMITTED,
    ),
    (
        "Moestuin achter de flat",
        "Van het grasveld achter de flat een moestuin maken waar buren samen groente kweken.",
        "Bewoners van de flat, ook kinderen",
        "2.400",
        "Bakken en aarde €1.600, gereedschap €500, zaden €300",
        "We bouwen de bakken zelf en verdelen het onderhoud per week.",
        "De woonstichting geeft toestemming voor het grasveld.",
        S.SUBMITTED,
    ),
    (
        "Taalmaatjes in de bibliotheek",
        "Elke week samen Nederlands praten met nieuwe buren, onder het genot van koffie.",
        "Buren die Nederlands willen oefenen",
        "600",
        "Koffie en thee €300, lesmateriaal €300",
        "Vijf buren zijn maatje en praten elke week een uur.",
        "De bibliotheek geeft een ruimte.",
        S.SUBMITTED,
    ),
    (
        "Speelstraat in de zomer",
        "Op woensdagmiddag in de zomer de straat afsluiten zodat kinderen kunnen spelen.",
        "Kinderen in de straat en hun ouders",
        "750",
        "Hekken huren €400, spelmateriaal €350",
        "Ouders houden om de beurt toezicht.",
        "",
        S.IN_ASSESSMENT,
    ),
    (
        "Buurtkamer in de oude winkel",
        "Een huiskamer voor de buurt in de lege winkel: koffie, spelletjes en een praatje.",
        "Buren die weinig mensen zien",
        "8.500",
        "Huur een jaar €6.000, inrichting €2.500",
        "Tien vrijwilligers houden de buurtkamer vier dagen per week open.",
        "Welzijn Lindenhoven helpt met het rooster.",
        S.IN_ASSESSMENT,
    ),
    (
        "Kunstwerk bij het speelveld",
        "Samen met kinderen een mozaïek maken op de muur bij het speelveld.",
        "Kinderen en jongeren",
        "3.200",
        "Materiaal €1.200, kunstenaar €2.000",
        "Kinderen ontwerpen en leggen het mozaïek met hun ouders.",
        "Basisschool De Lindeboom doet mee.",
        S.IN_ASSESSMENT,
    ),
    (
        "Bloembakken in de straat",
        "Bloembakken langs de gevels, zodat de straat groener en vrolijker wordt.",
        "De hele straat",
        "1.800",
        "Twintig bakken €1.200, planten €600",
        "Elke bewoner zorgt voor de bak voor zijn huis.",
        "",
        S.CHANGES_REQUESTED,
    ),
    (
        "Repair Café",
        "Eens per maand samen kapotte spullen repareren in het buurthuis.",
        "Iedereen in de wijk",
        "900",
        "Gereedschap €700, koffie €200",
        "Zes handige buren repareren; anderen zetten koffie.",
        "Het buurthuis geeft de zaal.",
        S.APPROVED,
    ),
    (
        "Vuurwerkshow op oudejaarsavond",
        "Een grote vuurwerkshow op het plein.",
        "De hele wijk",
        "15.000",
        "Vuurwerk en beveiliging",
        "We zoeken een bedrijf dat het doet.",
        "",
        S.REJECTED,
    ),
    (
        "Zwerfvuilactie",
        "Elke maand samen zwerfvuil prikken in het park.",
        "Iedereen die mee wil doen",
        "250",
        "Grijpers en zakken",
        "We prikken zelf.",
        "",
        S.WITHDRAWN,
    ),
    (
        "Kookclub voor alleenstaanden",
        "Elke donderdag samen koken en eten in de keuken van het buurthuis.",
        "Buren die alleen wonen",
        "1.200",
        "Boodschappen voor een half jaar",
        "Wie meedoet kookt om de beurt; iedereen betaalt €2.",
        "Het buurthuis stelt de keuken beschikbaar.",
        S.RUNNING,
    ),
    (
        "Buitenbioscoop",
        "Een zomeravond films kijken op het grasveld met de hele buurt.",
        "Gezinnen in de buurt",
        "700",
        "Scherm en beamer huren €500, popcorn €200",
        "We zetten alles op en ruimen samen op.",
        "",
        S.REPORTED,
    ),
)
FIRST_NAMES = ("Ans", "Mohamed", "Gerrit", "Fatma", "Joke", "Sanne", "Karim", "Els", "Priya")
SURNAMES = ("de Vries", "El Amrani", "Jansen", "Yıldız", "Bakker", "Visser", "Smit", "Kaya")


def _route(budget: Budget, *, district: str, threshold: Decimal) -> None:
    """The route of a district's budget (see the module docstring)."""
    platform = f"wijkplatform {district}"
    steps: list[tuple[int, list[Check], Decimal, Decimal | None, Decider, str]] = [
        (
            1,
            [Check.POLICY, Check.FEASIBILITY, Check.COST, Check.LIVEABILITY],
            Decimal("0"),
            threshold,
            Decider.OFFICIAL,
            "ambtenaar bewonersbudget",
        ),
        (
            1,
            [Check.POLICY, Check.FEASIBILITY],
            threshold,
            None,
            Decider.OFFICIAL,
            "ambtenaar bewonersbudget",
        ),
    ]
    if threshold < Decimal("1000"):
        steps.append(
            (2, [Check.LIVEABILITY, Check.COST], threshold, None, Decider.PLATFORM, platform)
        )
    else:
        steps += [
            (
                2,
                [Check.LIVEABILITY, Check.COST],
                threshold,
                Decimal("10000"),
                Decider.JURY,
                f"bewonersjury {district}",
            ),
            (
                2,
                [Check.LIVEABILITY, Check.COST],
                Decimal("10000"),
                None,
                Decider.PLATFORM,
                platform,
            ),
        ]
    for order, checks, above, up_to, decider, label in steps:
        RouteStep.objects.create(
            budget=budget,
            order=order,
            checks=[str(c) for c in checks],
            amount_above=above,
            amount_up_to=up_to,
            decider=decider,
            decider_label=label,
        )


def _decide_all(initiative: Initiative, user: User, reasons: list[str]) -> None:
    for reason in reasons:
        step = services.current_step(initiative)
        assert step is not None
        services.decision_record(initiative=initiative, outcome=D.APPROVE, reason=reason, user=user)


def _fund(
    initiative: Initiative,
    user: User,
    municipality: Organisation | None,
    corporation: Organisation | None,
    *,
    corporation_share: int,
) -> None:
    shares = [
        services.FundingShare(
            percent=Decimal(100 - corporation_share),
            organisation=municipality,
            name="" if municipality else "Gemeente Lindenhoven",
        )
    ]
    if corporation_share:
        shares.append(
            services.FundingShare(
                percent=Decimal(corporation_share),
                organisation=corporation,
                name="" if corporation else "Woonstichting Lindenhoven",
            )
        )
    services.funding_set(initiative=initiative, shares=shares, user=user)


@transaction.atomic
def initiatives_demo_create(*, seed: int) -> int:
    """Budgets, routes and initiatives for Lindenhoven. Call after the areas, the
    organisations and the staff exist; does nothing (returns 0) when budgets exist.
    Returns the number of initiatives made."""
    if Budget.objects.exists():
        return 0
    user = User.objects.filter(role_grants__role=Role.COMMUNITY_WORKER).order_by("pk").first()
    if user is None:
        return 0
    rng = random.Random(f"initiatives-{seed}")
    today = timezone.localdate()
    year_start, year_end = dt.date(today.year, 1, 1), dt.date(today.year, 12, 31)
    municipality = Organisation.objects.filter(kind=Organisation.Kind.MUNICIPALITY).first()
    corporation = Organisation.objects.filter(kind=Organisation.Kind.HOUSING_CORPORATION).first()

    districts = list(Area.objects.filter(kind=Area.Kind.DISTRICT).order_by("cbs_code"))
    for district in districts:
        oost = district.name == "Oost"
        budget = Budget.objects.create(
            name=f"Bewonersbudget {district.name} {today.year}",
            area=district,
            starts_on=year_start,
            ends_on=year_end,
            amount=Decimal("30000" if oost else "25000"),
        )
        _route(budget, district=district.name, threshold=Decimal("500" if oost else "1000"))

    neighbourhoods = list(Area.objects.filter(kind=Area.Kind.NEIGHBOURHOOD).order_by("cbs_code"))
    if not neighbourhoods:
        return 0
    made = 0
    lindenbuurt = next(
        (a for a in neighbourhoods if a.cbs_code == LINDENSTRAAT_NEIGHBOURHOOD), None
    ) or next(
        (a for a in neighbourhoods if a.parent and a.parent.name == "Oost"), neighbourhoods[0]
    )

    # Story 3: the Lindenstraat's walking group and bench.
    story, _token = services.initiative_propose(
        data=services.InitiativeInput(
            title=STORY_THREE,
            description=(
                "Elke woensdagochtend wandelen we een half uur door de buurt. "
                "Halverwege de Lindenstraat willen we een bankje, zodat ook wie "
                "slecht ter been is kan meelopen en uitrusten."
            ),
            neighbourhood=lindenbuurt,
            for_whom="Buren van de Lindenstraat, vooral ouderen die weinig buiten komen",
            cost="800",
            cost_breakdown="Bankje €600, koffie, thee en flyers €200",
            own_contribution=(
                "We lopen zelf voorop, nodigen buren aan de deur uit en houden het bankje schoon."
            ),
            helpers="Woonstichting Lindenhoven plaatst het bankje; het buurthuis zet koffie.",
            contact_name="Ria de Boer",
            contact_email="ria.deboer@voorbeeld.nl",
            contact_phone="06 12345678",
        )
    )
    services.support_record(
        initiative=story,
        date=today - dt.timedelta(days=200),
        what="Met de bewoners het plan en de begroting geschreven.",
        user=user,
    )
    assert story.budget is not None
    services.budget_assign(initiative=story, budget=story.budget, user=user)
    _decide_all(
        story,
        user,
        [
            "Past in het beleid: ontmoeten en bewegen voor ouderen. Goed uit te voeren.",
            "Het wijkplatform Oost vindt dit goed voor de straat: ouderen komen meer buiten. "
            "De kosten zijn redelijk.",
        ],
    )
    _fund(story, user, municipality, corporation, corporation_share=30)
    services.initiative_mark_paid(
        initiative=story, paid_on=today - dt.timedelta(days=180), user=user
    )
    services.report_create(
        initiative=story,
        story=(
            "Elke woensdag lopen tien tot vijftien buren mee. Het bankje staat bij de "
            "speeltuin; daar drinken we na afloop koffie. Na een half jaar loopt de groep "
            "zelf: twee buren hebben het overgenomen."
        ),
        attendance=14,
    )
    made += 1

    for title, what, for_whom, cost, breakdown, own, helpers, state in OTHERS:
        hood = rng.choice(neighbourhoods)
        initiative, _token = services.initiative_propose(
            data=services.InitiativeInput(
                title=title,
                description=what,
                neighbourhood=hood,
                for_whom=for_whom,
                cost=cost,
                cost_breakdown=breakdown,
                own_contribution=own,
                helpers=helpers,
                contact_name=f"{rng.choice(FIRST_NAMES)} {rng.choice(SURNAMES)}",
                contact_phone=f"06 {rng.randint(10000000, 99999999)}",
            )
        )
        made += 1
        if state == S.SUBMITTED or initiative.budget is None:
            continue
        if state == S.WITHDRAWN:
            services.initiative_withdraw(initiative=initiative)
            continue
        services.support_record(
            initiative=initiative,
            date=today - dt.timedelta(days=rng.randint(5, 60)),
            what=rng.choice(
                [
                    "Kennisgemaakt en het plan doorgenomen.",
                    "Geholpen met de begroting.",
                    "In contact gebracht met het buurthuis.",
                ]
            ),
            user=user,
        )
        services.budget_assign(initiative=initiative, budget=initiative.budget, user=user)
        steps = initiative.steps()
        if state == S.IN_ASSESSMENT:
            if len(steps) > 1 and rng.random() < 0.5:
                _decide_all(initiative, user, ["Past in het beleid en is uit te voeren."])
            continue
        if state == S.CHANGES_REQUESTED:
            services.decision_record(
                initiative=initiative,
                outcome=D.CHANGES,
                reason="Goed plan. Vraag eerst aan de buren of zij een bak willen; "
                "dan betalen we alleen de bakken die er echt komen.",
                user=user,
            )
            continue
        if state == S.REJECTED:
            services.decision_record(
                initiative=initiative,
                outcome=D.REJECT,
                reason="Vuurwerk valt buiten het bewonersbudget: het is eenmalig, "
                "de bewoners doen er zelf weinig aan en het is duur.",
                user=user,
            )
            continue
        _decide_all(
            initiative,
            user,
            ["Past in het beleid en is uit te voeren.", "Goed voor de buurt; redelijke kosten."][
                : len(steps)
            ],
        )
        if state == S.APPROVED:
            continue
        _fund(initiative, user, municipality, corporation, corporation_share=0)
        services.initiative_mark_paid(initiative=initiative, user=user)
        if state == S.REPORTED:
            services.report_create(
                initiative=initiative,
                story="Zestig buren kwamen kijken. Kinderen kozen de film; "
                "de buren willen het volgend jaar weer doen.",
                attendance=60,
            )
    return made
