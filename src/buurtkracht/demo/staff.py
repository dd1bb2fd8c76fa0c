"""The organisations, neighbourhood teams and demo accounts of Lindenhoven.

Every role of PRODUCT.md has a memorable account (`wijkwerker`, `teamleider`, `partner`,
…) so that a demo can show what each persona may do; the other workers get generated
usernames. All accounts share DEMO_PASSWORD: this is demo data, never production data.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from django.utils.translation import gettext

from buurtkracht.accounts.approvals import access_request_refuse, role_request
from buurtkracht.accounts.models import AccessRequest, Role, TeamMembership, User
from buurtkracht.accounts.services import role_grant, team_membership_create
from buurtkracht.core.models import Area, Municipality, Organisation, Team
from buurtkracht.demo.places import DISTRICTS, MUNICIPALITY_NAME
from buurtkracht.demo.population import REFERENCE_DATE, PopulationPlanner, ascii_slug
from buurtkracht.households.models import Person

Kind = Organisation.Kind

# One organisation of every kind, all fictional. The municipality holds the teams.
ORGANISATIONS: tuple[tuple[str, str], ...] = (
    (Kind.MUNICIPALITY, f"Gemeente {MUNICIPALITY_NAME}"),
    (Kind.HOUSING_CORPORATION, f"Woonstichting {MUNICIPALITY_NAME}"),
    (Kind.ENERGY_SUPPLIER, "Energie Noordwest"),
    (Kind.WATER_COMPANY, "Waterbedrijf Linde en Vecht"),
    (Kind.HEALTH_INSURER, "Zorgverzekeraar De Linde"),
    (Kind.WELFARE, f"Welzijn {MUNICIPALITY_NAME}"),
    (Kind.MENTAL_HEALTH, f"GGZ {MUNICIPALITY_NAME}"),
    (Kind.DEBT_COUNSELLING, f"Schuldhulp {MUNICIPALITY_NAME}"),
    (Kind.SCHOOL, "Basisschool De Lindeboom"),
    (Kind.POLICE, f"Politie basisteam {MUNICIPALITY_NAME}"),
    (Kind.GENERAL_PRACTICE, "Huisartsenpraktijk Oosterpark"),
    (Kind.VOLUNTEER_ORGANISATION, f"Vrijwilligerscentrale {MUNICIPALITY_NAME}"),
    (Kind.OTHER, f"Voedselbank {MUNICIPALITY_NAME}"),
)
# Partners that deliver early signals (PRODUCT.md: vroegsignalering) get a liaison each.
SIGNAL_PARTNERS: tuple[tuple[str, str], ...] = (
    (Kind.HOUSING_CORPORATION, "partner"),
    (Kind.ENERGY_SUPPLIER, "partner-energie"),
    (Kind.WATER_COMPANY, "partner-water"),
    (Kind.HEALTH_INSURER, "partner-zorgverzekeraar"),
)
HOME_TEAM = "Team Oost"  # the team of `wijkwerker` and `teamleider`
OTHER_TEAM = "Team West"  # the team of `collega`
EMAIL_DOMAIN = "lindenhoven.example"  # .example is reserved: mail never leaves


@dataclass(frozen=True)
class DemoAccount:
    """A memorable demo login: who it is and what that persona may do."""

    username: str
    role: str
    description: str


# The memorable logins, in the order of accounts.models.Role (two workers: one in the
# home team, one colleague in another team, for showing what the other team cannot see).
MEMORABLE_ACCOUNTS: tuple[tuple[str, str], ...] = (
    ("bewoner", Role.RESIDENT),
    ("wijkwerker", Role.WORKER),
    ("collega", Role.WORKER),
    ("teamleider", Role.TEAM_LEADER),
    ("signaalfunctionaris", Role.SIGNAL_OFFICER),
    ("opbouwwerker", Role.COMMUNITY_WORKER),
    ("vrijwilligerscoordinator", Role.VOLUNTEER_COORDINATOR),
    ("vrijwilliger", Role.VOLUNTEER),
    ("partner", Role.PARTNER_LIAISON),
    ("partner-energie", Role.PARTNER_LIAISON),
    ("beleid", Role.POLICY_ADVISOR),
    ("privacy", Role.PRIVACY_OFFICER),
    ("beheer", Role.FUNCTIONAL_ADMIN),
    ("kringlid", Role.CIRCLE_MEMBER),
    ("schuldhulpverlener", Role.OUTSIDE_PROFESSIONAL),
)
# The library whose worker `kringlid` takes part in the learning circle on loneliness.
LIBRARY = f"Bibliotheek {MUNICIPALITY_NAME}"


def _descriptions() -> dict[str, str]:
    """What each persona may do, in the active language (read at call time)."""
    housing = dict(ORGANISATIONS)[Kind.HOUSING_CORPORATION]
    energy = dict(ORGANISATIONS)[Kind.ENERGY_SUPPLIER]
    return {
        "bewoner": gettext("Resident: reads and co-writes their own plan and file."),
        "wijkwerker": gettext(
            "Worker in %(team)s: visits households in Oost and works on their plans."
        )
        % {"team": HOME_TEAM},
        "collega": gettext("Worker in %(team)s: a colleague from another team.")
        % {"team": OTHER_TEAM},
        "teamleider": gettext(
            "Team leader of %(team)s: divides the work and runs case conferences."
        )
        % {"team": HOME_TEAM},
        "signaalfunctionaris": gettext(
            "Signal officer: receives partner signals, checks them and routes them to a team."
        ),
        "opbouwwerker": gettext(
            "Community worker: neighbourhood initiatives, activities and the social map."
        ),
        "vrijwilligerscoordinator": gettext(
            "Volunteer coordinator: handles volunteer requests and matches."
        ),
        "vrijwilliger": gettext("Volunteer: sees only what a match with a resident needs."),
        "partner": gettext(
            "Liaison of %(organisation)s: delivers signals and hears only the outcome."
        )
        % {"organisation": housing},
        "partner-energie": gettext(
            "Liaison of %(organisation)s, an energy company: its signals arrive through the "
            "API, with the token listed in Beheer."
        )
        % {"organisation": energy},
        "beleid": gettext("Policy advisor: neighbourhood reports, aggregated and privacy-safe."),
        "privacy": gettext("Privacy officer: access log, consent, retention and data requests."),
        "beheer": gettext("Functional administrator: areas, teams and accounts; no case content."),
        "kringlid": gettext(
            "Worker of %(organisation)s in a learning circle: sees only the circles they are "
            "in, no resident case data."
        )
        % {"organisation": LIBRARY},
        "schuldhulpverlener": gettext(
            "Debt counsellor of %(organisation)s: takes part in case conferences and sees a "
            "case by name only with the residents' consent."
        )
        % {"organisation": dict(ORGANISATIONS)[Kind.DEBT_COUNSELLING]},
    }


def memorable_accounts(existing: set[str] | None = None) -> list[DemoAccount]:
    """The memorable accounts (those in `existing`, if given), in the order of Role."""
    descriptions = _descriptions()
    return [
        DemoAccount(username=username, role=str(role), description=descriptions[username])
        for username, role in MEMORABLE_ACCOUNTS
        if existing is None or username in existing
    ]


def organisations_create(*, municipality: Municipality) -> dict[str, Organisation]:
    """One organisation of every kind, keyed by kind."""
    created = Organisation.objects.bulk_create(
        [
            Organisation(name=name, kind=kind, municipality=municipality)
            for kind, name in ORGANISATIONS
        ]
    )
    return {organisation.kind: organisation for organisation in created}


def teams_create(*, organisation: Organisation, districts: list[Area]) -> dict[str, Team]:
    """One neighbourhood team per district, serving that district's neighbourhoods."""
    teams: dict[str, Team] = {}
    for spec, district in zip(DISTRICTS, districts, strict=True):
        team = Team.objects.create(name=spec.team_name, organisation=organisation)
        team.neighbourhoods.set(district.children.order_by("cbs_code"))
        teams[spec.team_name] = team
    return teams


class StaffFactory:
    """Makes worker accounts, named from the same name material as the residents."""

    def __init__(self, *, rng: random.Random, password_hash: str) -> None:
        self.rng = rng
        # Workers are not residents: their BSNs are never stored, so any stream will do.
        self.people = PopulationPlanner(rng, random.Random(0))
        self.password_hash = password_hash
        self.taken: set[str] = set()

    def user(
        self,
        *,
        organisation: Organisation,
        job_title: str,
        role: str | None = None,
        username: str | None = None,
    ) -> User:
        """An account with a fictional name; `role` is granted through the accounts service."""
        sex = "f" if self.rng.random() < 0.6 else "m"  # social work employs mostly women
        person = self.people.person(sex=sex, age=self.rng.randint(23, 64))
        first_name = person.given_names[0]
        last_name = " ".join(part for part in (person.surname_prefix, person.surname) if part)
        username = username or self._username(first_name, last_name)
        self.taken.add(username)
        user = User(
            username=username,
            first_name=first_name,
            last_name=last_name,
            email=f"{username}@{EMAIL_DOMAIN}",
            organisation=organisation,
            job_title=job_title,
            password=self.password_hash,
        )
        user.save()
        if role is not None:
            role_grant(user=user, role=role)
        return user

    def _username(self, first_name: str, last_name: str) -> str:
        base = f"{ascii_slug(first_name)}.{ascii_slug(last_name)}"
        candidate, number = base, 1
        while candidate in self.taken:
            number += 1
            candidate = f"{base}{number}"
        return candidate

    def start_date(self) -> dt.date:
        """Joined the team some time in the eight years before the reference date."""
        return REFERENCE_DATE - dt.timedelta(days=self.rng.randint(30, 8 * 365))


def staff_create(
    *,
    rng: random.Random,
    password_hash: str,
    organisations: dict[str, Organisation],
    teams: dict[str, Team],
) -> list[DemoAccount]:
    """Workers in every role but resident; returns their memorable accounts."""
    factory = StaffFactory(rng=rng, password_hash=password_hash)
    municipality = organisations[Kind.MUNICIPALITY]

    for team_name, team in teams.items():
        leader = factory.user(
            organisation=municipality,
            job_title="Teamleider sociaal wijkteam",
            username="teamleider" if team_name == HOME_TEAM else None,
        )
        # The service grants the team-leader or worker role with the membership.
        team_membership_create(
            user=leader,
            team=team,
            position=TeamMembership.Position.TEAM_LEADER,
            start_date=factory.start_date(),
        )
        for index in range(rng.randint(4, 6)):
            username = None
            if index == 0 and team_name == HOME_TEAM:
                username = "wijkwerker"
            elif index == 0 and team_name == OTHER_TEAM:
                username = "collega"
            worker = factory.user(
                organisation=municipality, job_title="Wijkteammedewerker", username=username
            )
            team_membership_create(user=worker, team=team, start_date=factory.start_date())

    factory.user(
        organisation=municipality,
        job_title="Signaalfunctionaris vroegsignalering",
        role=Role.SIGNAL_OFFICER,
        username="signaalfunctionaris",
    )
    for index in range(rng.randint(2, 3)):
        factory.user(
            organisation=organisations[Kind.WELFARE],
            job_title="Opbouwwerker" if index % 2 == 0 else "Sociaal makelaar",
            role=Role.COMMUNITY_WORKER,
            username="opbouwwerker" if index == 0 else None,
        )
    factory.user(
        organisation=organisations[Kind.VOLUNTEER_ORGANISATION],
        job_title="Vrijwilligerscoördinator",
        role=Role.VOLUNTEER_COORDINATOR,
        username="vrijwilligerscoordinator",
    )
    for index in range(rng.randint(3, 5)):
        factory.user(
            organisation=organisations[Kind.VOLUNTEER_ORGANISATION],
            job_title="Vrijwilliger (maatje)",
            role=Role.VOLUNTEER,
            username="vrijwilliger" if index == 0 else None,
        )
    for kind, username in SIGNAL_PARTNERS:
        factory.user(
            organisation=organisations[kind],
            job_title="Contactpersoon vroegsignalering",
            role=Role.PARTNER_LIAISON,
            username=username,
        )
    for username, role, job_title in (
        ("beleid", Role.POLICY_ADVISOR, "Beleidsadviseur sociaal domein"),
        ("privacy", Role.PRIVACY_OFFICER, "Privacy officer"),
        # The service also makes the functional administrator staff, for the admin site.
        ("beheer", Role.FUNCTIONAL_ADMIN, "Functioneel beheerder"),
    ):
        factory.user(organisation=municipality, job_title=job_title, role=role, username=username)
    library = Organisation.objects.create(
        name=LIBRARY, kind=Kind.OTHER, municipality=municipality.municipality
    )
    factory.user(
        organisation=library,
        job_title="Medewerker bibliotheek",
        role=Role.CIRCLE_MEMBER,
        username="kringlid",
    )
    # A partner organisation's professional at the team's case conferences.
    factory.user(
        organisation=organisations[Kind.DEBT_COUNSELLING],
        job_title="Schuldhulpverlener",
        role=Role.OUTSIDE_PROFESSIONAL,
        username="schuldhulpverlener",
    )
    return memorable_accounts(factory.taken)


def resident_account_create(*, person: Person, password_hash: str) -> DemoAccount:
    """The `bewoner` login, linked to a generated adult so the resident portal has a file."""
    user = User(
        username="bewoner",
        first_name=person.given_names.split(" ")[0],
        last_name=person.full_surname,
        email=person.email,
        person=person,
        password=password_hash,
    )
    user.save()
    role_grant(user=user, role=Role.RESIDENT)
    return memorable_accounts({"bewoner"})[0]


def access_requests_demo_create() -> None:
    """The four-eyes steps on the privacy officer's page (*Toegangsverzoeken*): `beheer`
    asked to make a Team West worker signal officer and `privacy` refused; now `beheer`
    asks to raise a Team Oost worker to team leader, waiting for approval (not in force)."""
    admin = User.objects.get(username="beheer")
    privacy = User.objects.get(username="privacy")
    workers = User.objects.filter(
        team_memberships__position=TeamMembership.Position.WORKER
    ).exclude(username__in=("wijkwerker", "collega"))
    west = workers.filter(team_memberships__team__name=OTHER_TEAM).order_by("username").first()
    east = workers.filter(team_memberships__team__name=HOME_TEAM).order_by("username").first()
    if west is not None:
        refused = role_request(
            user=west,
            role=Role.SIGNAL_OFFICER,
            by=admin,
            reason=gettext("Helps out with the signals during the holidays."),
        )
        if isinstance(refused, AccessRequest):
            access_request_refuse(access_id=refused.pk, by=privacy)
    if east is not None:
        role_request(
            user=east,
            role=Role.TEAM_LEADER,
            by=admin,
            reason=gettext("Stands in for the team leader during a leave from next month."),
        )
