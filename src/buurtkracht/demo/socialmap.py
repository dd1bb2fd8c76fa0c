"""A synthetic social map for the demo municipality Lindenhoven: about 80 formal and
informal entries, some not checked for over a year, and two proposals waiting for a
community worker. Every name, address and phone number is made up."""

from __future__ import annotations

import datetime as dt
import random

from django.db import transaction
from django.utils import timezone

from buurtkracht.accounts.models import Role, User
from buurtkracht.core.models import Area, Organisation
from buurtkracht.socialmap.models import Provider, Resource
from buurtkracht.socialmap.services import ResourceInput, resource_create, resource_propose

K = Resource.Kind
A = Resource.Access
TOWN = "Lindenhoven"

# (name, provider, description, kind, access, life domains, target group, cost, hours)
FORMAL: tuple[tuple[str, str, str, str, str, list[str], str, str, str], ...] = (
    (
        "Schuldhulpverlening",
        "Schuldhulp Lindenhoven",
        "Hulp bij schulden: we maken samen een overzicht, regelen een betalingsregeling "
        "of een schuldsanering.",
        K.SERVICE,
        A.REFERRAL,
        ["finances"],
        "Inwoners met schulden of betalingsachterstanden",
        "Gratis",
        "ma 9:00-17:00, wo 9:00-17:00, vr 9:00-12:00",
    ),
    (
        "Inloopspreekuur geldzaken",
        "Schuldhulp Lindenhoven",
        "Zonder afspraak binnenlopen met vragen over post, rekeningen en toeslagen.",
        K.GENERAL_PROVISION,
        A.OPEN,
        ["finances", "daily_living"],
        "Iedereen met vragen over geld",
        "Gratis",
        "di 13:00-16:00",
    ),
    (
        "GGZ-inloop De Haven",
        "GGZ Lindenhoven",
        "Inloop voor mensen met psychische klachten: koffie, een gesprek, activiteiten.",
        K.GENERAL_PROVISION,
        A.OPEN,
        ["mental_health", "social_network"],
        "Volwassenen met psychische kwetsbaarheid",
        "Gratis",
        "ma 10:00-15:00, do 10:00-15:00",
    ),
    (
        "Voedselbank uitgifte",
        "Voedselbank Lindenhoven",
        "Wekelijks een pakket met boodschappen voor huishoudens met een laag inkomen.",
        K.VOLUNTEER_ORGANISATION,
        A.REFERRAL,
        ["finances", "daily_living"],
        "Huishoudens onder de inkomensgrens",
        "Gratis",
        "vr 13:00-16:00",
    ),
    (
        "Budgetcursus Rondkomen",
        "Welzijn Lindenhoven",
        "Vijf avonden leren hoe je je geld indeelt, in het buurthuis, in een kleine groep.",
        K.GENERAL_PROVISION,
        A.OPEN,
        ["finances"],
        "Volwassenen die beter willen rondkomen",
        "Gratis",
        "di 19:00-21:00",
    ),
    (
        "Maatschappelijk werk",
        "Welzijn Lindenhoven",
        "Een maatschappelijk werker denkt mee bij problemen thuis, met geld of met instanties.",
        K.SERVICE,
        A.OPEN,
        ["family", "finances", "daily_living"],
        "Alle inwoners",
        "Gratis",
        "ma 9:00-12:00, do 9:00-12:00",
    ),
    (
        "Mantelzorgsteunpunt",
        "Welzijn Lindenhoven",
        "Advies, lotgenotencontact en respijtzorg voor mensen die zorgen voor een naaste.",
        K.SERVICE,
        A.OPEN,
        ["family", "mental_health"],
        "Mantelzorgers",
        "Gratis",
        "wo 9:00-12:00",
    ),
    (
        "Thuisbegeleiding (Wmo)",
        "Gemeente Lindenhoven",
        "Begeleiding thuis bij het regelen van het huishouden en de dagelijkse dingen.",
        K.SERVICE,
        A.DECISION,
        ["daily_living", "mental_health"],
        "Volwassenen die niet zelfstandig rondkomen",
        "Eigen bijdrage volgens de Wmo",
        "",
    ),
    (
        "Jongerenwerk",
        "Welzijn Lindenhoven",
        "Jongerenwerkers in de wijk: een plek om te chillen, hulp bij school en werk.",
        K.GENERAL_PROVISION,
        A.OPEN,
        ["participation", "work", "social_network"],
        "Jongeren van 12 tot 23",
        "Gratis",
        "wo 14:00-18:00, vr 19:00-22:00",
    ),
    (
        "Werkcoach Werkplein",
        "Gemeente Lindenhoven",
        "Hulp bij het vinden van werk, een opleiding of vrijwilligerswerk.",
        K.SERVICE,
        A.REFERRAL,
        ["work", "participation"],
        "Inwoners met een uitkering",
        "Gratis",
        "",
    ),
    (
        "Vrijwilligersvacaturebank",
        "Vrijwilligerscentrale Lindenhoven",
        "Vind vrijwilligerswerk dat bij je past, of een maatje via de vrijwilligerscentrale.",
        K.VOLUNTEER_ORGANISATION,
        A.OPEN,
        ["participation", "social_network"],
        "Iedereen die iets wil doen",
        "Gratis",
        "ma 10:00-12:00, do 10:00-12:00",
    ),
    (
        "Verslavingszorg inloop",
        "GGZ Lindenhoven",
        "Vragen over alcohol, drugs of gokken? Praat anoniem met een hulpverlener.",
        K.SERVICE,
        A.OPEN,
        ["addiction", "mental_health"],
        "Volwassenen en naasten",
        "Gratis",
        "di 13:00-15:00",
    ),
    (
        "Sociaal raadslieden",
        "Welzijn Lindenhoven",
        "Hulp bij formulieren, brieven van instanties, toeslagen en bezwaar maken.",
        K.GENERAL_PROVISION,
        A.OPEN,
        ["finances", "justice"],
        "Alle inwoners",
        "Gratis",
        "wo 9:00-12:00",
    ),
    (
        "Opvoedsteunpunt",
        "Welzijn Lindenhoven",
        "Vragen over opvoeden en opgroeien: een gesprek met een pedagoog.",
        K.SERVICE,
        A.OPEN,
        ["family"],
        "Ouders van kinderen van 0 tot 18",
        "Gratis",
        "do 13:00-16:00",
    ),
)

# (name, provider, description, kind, life domains, target group, hours, languages)
INFORMAL: tuple[tuple[str, str, str, str, list[str], str, str, list[str]], ...] = (
    (
        "Koffieochtend",
        "Parochie Sint-Jozef",
        "Elke week koffie en een praatje; iedereen is welkom, gelovig of niet.",
        K.CHURCH,
        ["social_network"],
        "Iedereen, veel ouderen",
        "di 10:00-12:00",
        ["Nederlands"],
    ),
    (
        "Wandelclub",
        "Bewoners",
        "Samen een uur wandelen door de buurt; niemand hoeft snel.",
        K.RESIDENT_INITIATIVE,
        ["physical_health", "social_network"],
        "Iedereen",
        "za 10:00-11:00",
        ["Nederlands"],
    ),
    (
        "Lotgenotengroep Herstel",
        "Herstelgroep Lindenhoven",
        "Een groep voor en door mensen met psychische kwetsbaarheid: ervaringen delen.",
        K.PEER_GROUP,
        ["mental_health", "social_network"],
        "Mensen met psychische kwetsbaarheid",
        "wo 19:30-21:30",
        ["Nederlands"],
    ),
    (
        "Moestuin",
        "Bewonersinitiatief Moestuin",
        "Samen groenten kweken en oogsten in de gemeenschappelijke moestuin.",
        K.RESIDENT_INITIATIVE,
        ["social_network", "physical_health", "participation"],
        "Iedereen die wil tuinieren",
        "za 9:00-12:00",
        ["Nederlands", "Arabisch"],
    ),
    (
        "Repair Café",
        "Stichting Repair Café Lindenhoven",
        "Kapotte spullen samen repareren met vrijwillige reparateurs.",
        K.VOLUNTEER_ORGANISATION,
        ["participation", "social_network"],
        "Iedereen",
        "za 13:00-16:00",
        ["Nederlands"],
    ),
    (
        "Taalcafé",
        "Bibliotheek Lindenhoven",
        "Nederlands oefenen in een ontspannen gesprek met vrijwilligers.",
        K.VOLUNTEER_ORGANISATION,
        ["participation", "social_network"],
        "Anderstaligen",
        "do 19:00-21:00",
        ["Nederlands", "Engels", "Arabisch", "Tigrinya"],
    ),
    (
        "Buurtkamer",
        "Bewoners",
        "Een huiskamer in de buurt: binnenlopen, een kop koffie, samen eten op vrijdag.",
        K.MEETING_PLACE,
        ["social_network"],
        "Iedereen",
        "ma 10:00-16:00, vr 17:00-20:00",
        ["Nederlands", "Turks"],
    ),
    (
        "Jeu de boulesvereniging",
        "Jeu de boulesvereniging De Linde",
        "Twee keer per week spelen, een vereniging met veel gezelligheid.",
        K.CLUB,
        ["physical_health", "social_network"],
        "Volwassenen en ouderen",
        "di 14:00-16:00, vr 14:00-16:00",
        ["Nederlands"],
    ),
)
PLACES = ("Buurthuis", "Wijkcentrum", "Kerkzaal", "Bibliotheek", "Ontmoetingscentrum")
STREETS = ("Kerkstraat", "Marktplein", "Lindenlaan", "Molenweg", "Schoolstraat", "Parkweg")


def _provider_org(name: str) -> Organisation | None:
    return Organisation.objects.filter(name=name).first()


@transaction.atomic
def socialmap_demo_create(*, seed: int) -> int:
    """Fill the social map of Lindenhoven. Call once after the municipality exists; does
    nothing (returns 0) when the social map already has entries. Returns the number of
    entries made."""
    if Resource.objects.exists():
        return 0
    rng = random.Random(f"socialmap-{seed}")
    today = timezone.localdate()
    neighbourhoods = list(Area.objects.filter(kind=Area.Kind.NEIGHBOURHOOD).order_by("cbs_code"))
    made = 0

    def verified() -> dt.date:
        # About one in six entries was not checked for over a year.
        if rng.random() < 0.17:
            return today - dt.timedelta(days=rng.randint(400, 900))
        return today - dt.timedelta(days=rng.randint(0, 300))

    def address() -> tuple[str, str]:
        pc4 = rng.randint(7401, 7420)
        return (
            f"{rng.choice(STREETS)} {rng.randint(1, 120)}",
            f"{pc4}{rng.choice('ABCDEFGHJK')}{rng.choice('ABCDEFGHJK')}",
        )

    for name, provider, description, kind, access, domains, target, cost, hours in FORMAL:
        street, postcode = address()
        resource_create(
            data=ResourceInput(
                name=name,
                provider_name=provider,
                description=description,
                kind=kind,
                access=access,
                life_domains=domains,
                target_group=target,
                cost=cost,
                age_min=18 if access != A.OPEN else None,
                languages=["Nederlands", "Engels"],
                contact_phone=f"0570-{rng.randint(100000, 999999)}",
                contact_email=f"info@{provider.lower().replace(' ', '')}.example",
                verified_on=verified(),
                location_name=rng.choice(PLACES) if hours else "",
                address=street if hours else "",
                postcode=postcode if hours else "",
                city=TOWN if hours else "",
                accessibility="Drempelvrij, invalidentoilet" if hours else "",
                opening_hours=hours,
            ),
            user=None,
        )
        made += 1
    # Informal help lives in the neighbourhoods: one entry per neighbourhood for most kinds.
    for name, provider, description, kind, domains, target, hours, languages in INFORMAL:
        areas: list[Area | None] = [*rng.sample(neighbourhoods, k=min(len(neighbourhoods), 8))]
        for area in areas or [None]:
            street, postcode = address()
            area_name = area.name if area else TOWN
            resource_create(
                data=ResourceInput(
                    name=f"{name} {area_name}",
                    provider_name=(
                        f"{provider} {area_name}" if provider == "Bewoners" else provider
                    ),
                    description=description,
                    kind=kind,
                    informal=True,
                    access=A.OPEN,
                    life_domains=domains,
                    target_group=target,
                    cost=rng.choice(["Gratis", "Vrijwillige bijdrage", "€1 voor koffie"]),
                    languages=languages,
                    neighbourhoods=[area] if area else [],
                    contact_name=rng.choice(["Ans", "Mohamed", "Gerrit", "Fatma", "Joke"]),
                    contact_phone=f"06-{rng.randint(10000000, 99999999)}",
                    verified_on=verified(),
                    location_name=f"{rng.choice(PLACES)} {area_name}",
                    address=street,
                    postcode=postcode,
                    city=TOWN,
                    opening_hours=hours,
                ),
                user=None,
            )
            made += 1
    for entity in Provider.objects.filter(organisation__isnull=True):
        organisation = _provider_org(entity.name)
        if organisation is not None:
            entity.organisation = organisation
            entity.save(update_fields=["organisation"])
    proposer = User.objects.filter(role_grants__role=Role.VOLUNTEER).order_by("pk").first()
    for name, description in (
        ("Breiclub De Steek", "Elke week samen breien en haken, ook voor beginners."),
        ("Huiswerkhulp in de moskee", "Vrijwilligers helpen kinderen met hun huiswerk."),
    ):
        resource_propose(
            data=ResourceInput(
                name=name,
                provider_name=name,
                description=description,
                kind=K.RESIDENT_INITIATIVE,
                informal=True,
                life_domains=["social_network", "participation"],
            ),
            user=proposer,
        )
        made += 1
    return made
