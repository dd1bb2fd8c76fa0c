"""Generate the synthetic municipality of Lindenhoven for the demo and for benchmarks.

Nothing here is real. Lindenhoven (CBS code GM9901, which no municipality has) is
invented; its residents are random combinations of common names, dates of birth and
addresses, so no real person appears, and BSNs are random numbers that pass the
eleven-test. Every demo account has the password DEMO_PASSWORD: demo data only.

The same seed gives the same municipality: names, dates of birth, addresses and household
compositions come from random generators seeded from `seed` (never the global one), in an
order that depends neither on database ids nor on the batch size.

Households are planned and stored in batches (bulk_create inside one transaction per
batch), so memory stays flat from 5,000 to 500,000 households. The generated rows are
valid by construction; tests/demo runs the model validators over a sample to prove it,
instead of paying for full_clean on every row here.
"""

from __future__ import annotations

import random
import sys
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import islice

from django.contrib.auth.hashers import make_password
from django.db import reset_queries, transaction
from django.utils.translation import gettext
from tqdm import tqdm

from buurtkracht.accounts.models import User
from buurtkracht.core.models import Address, Area, Municipality, Organisation, PostcodeRange
from buurtkracht.core.services import area_create, municipality_create
from buurtkracht.demo.appointments import appointments_demo_create
from buurtkracht.demo.casework import casework_story_create
from buurtkracht.demo.circles import circles_demo_create
from buurtkracht.demo.composition import composition_story_create
from buurtkracht.demo.conferences import conferences_demo_create
from buurtkracht.demo.cowrite import cowrite_demo_create
from buurtkracht.demo.data_rights import data_rights_demo_create
from buurtkracht.demo.dilemmas import dilemmas_demo_create
from buurtkracht.demo.documents import documents_demo_create
from buurtkracht.demo.initiatives import initiatives_demo_create
from buurtkracht.demo.involved import involved_story_create
from buurtkracht.demo.mandates import mandates_demo_create
from buurtkracht.demo.messages import messages_demo_create
from buurtkracht.demo.moves import address_history_create
from buurtkracht.demo.network import network_demo_create
from buurtkracht.demo.notifications import notifications_demo_create
from buurtkracht.demo.outcomes import outcomes_story_create
from buurtkracht.demo.places import (
    DISTRICTS,
    LINDENSTRAAT_NEIGHBOURHOOD,
    MUNICIPALITY_CODE,
    MUNICIPALITY_NAME,
    NEIGHBOURHOODS,
    AddressPlan,
    PostcodeBook,
    address_stream,
    households_per_neighbourhood,
)
from buurtkracht.demo.population import HouseholdPlan, PopulationPlanner
from buurtkracht.demo.portal import portal_demo_create
from buurtkracht.demo.referrals import referrals_demo_create
from buurtkracht.demo.register import register_story_create
from buurtkracht.demo.signals import signals_story_create
from buurtkracht.demo.socialmap import socialmap_demo_create
from buurtkracht.demo.staff import (
    MEMORABLE_ACCOUNTS,
    DemoAccount,
    access_requests_demo_create,
    memorable_accounts,
    organisations_create,
    resident_account_create,
    staff_create,
    teams_create,
)
from buurtkracht.demo.team_week import team_week_demo_create
from buurtkracht.demo.trust import audit_log_anchored, trust_story_create
from buurtkracht.demo.volunteering import volunteering_demo_create
from buurtkracht.demo.voting import voting_demo_create
from buurtkracht.households.models import Household, Membership, Person
from buurtkracht.notifications.services import notifications_muted

# Every demo account's password. Demo data only: the demo command refuses production settings.
DEMO_PASSWORD: str = "buurtkracht-demo"  # noqa: S105

# Rows per INSERT statement. Large enough to keep round trips few, small enough for
# SQLite's parameter limit and for readable statements in the query log.
_ROWS_PER_INSERT = 1000

__all__ = [
    "DEMO_PASSWORD",
    "DemoAccount",
    "GenerationReport",
    "MunicipalityExistsError",
    "PlannedHome",
    "demo_accounts",
    "generate_municipality",
    "plan_homes",
]


def _bag_id(n: int) -> str:
    """A nummeraanduiding id as the BAG writes them: gemeentecode, "20", ten digits."""
    return f"{MUNICIPALITY_CODE[2:]}20{n:010d}"


class MunicipalityExistsError(ValueError):
    """The database holds a municipality already; generating would double the data."""


@dataclass
class GenerationReport:
    """What a run made; the commands print it. `accounts` are the memorable logins."""

    municipality: Municipality
    households: int
    persons: int
    accounts: list[DemoAccount]
    seconds: float


@dataclass(slots=True)
class PlannedHome:
    """One address with the household living there, before it is stored."""

    neighbourhood: int  # index into places.NEIGHBOURHOODS
    address: AddressPlan
    household: HouseholdPlan


def _stream_rng(seed: int, name: str) -> random.Random:
    """An independent random stream per purpose, so that changing how one thing is
    generated (say, street names) does not shift everything else."""
    return random.Random(f"buurtkracht-demo:{seed}:{name}")


def plan_homes(*, seed: int, households: int) -> Iterator[PlannedHome]:
    """All homes of the municipality, neighbourhood by neighbourhood, lazily.

    Pure Python: this decides every name, date and address; storing them adds only ids.
    """
    counts = households_per_neighbourhood(households)
    book = PostcodeBook()
    used_streets: set[str] = set()
    planner = PopulationPlanner(_stream_rng(seed, "population"), _stream_rng(seed, "bsn"))
    for index, (spec, count) in enumerate(zip(NEIGHBOURHOODS, counts, strict=True)):
        addresses = address_stream(
            _stream_rng(seed, f"streets:{spec.code}"), spec, book, used_streets
        )
        for address in islice(addresses, count):
            yield PlannedHome(index, address, planner.household(spec.character))


def _batches(items: Iterable[PlannedHome], size: int) -> Iterator[list[PlannedHome]]:
    """Lists of at most `size` homes: only one batch is ever held in memory."""
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


class _Writer:
    """Stores planned homes batch by batch and keeps the few running totals."""

    def __init__(self, neighbourhoods: list[Area]) -> None:
        self.neighbourhoods = neighbourhoods
        self.inhabitants = [0] * len(neighbourhoods)
        self.households = 0
        self.persons = 0
        self.opened_pc4: set[str] = set()
        # Each address is a nummeraanduiding of the BAG: gemeentecode, "20", a number.
        self.addresses_stored = 0
        # The `bewoner` account: the main resident of the first home of the Bomenbuurt
        # (on the Lindenstraat, Team Oost), or of the very first home if that is empty.
        self.resident: Person | None = None
        self._first_head: Person | None = None

    def _consider_for_resident_account(self, home: PlannedHome, person: Person) -> None:
        if self._first_head is None:
            self._first_head = person
        in_bomenbuurt = NEIGHBOURHOODS[home.neighbourhood].code == LINDENSTRAAT_NEIGHBOURHOOD
        if self.resident is None and in_bomenbuurt:
            self.resident = person

    def resident_for_account(self) -> Person:
        chosen = self.resident or self._first_head
        if chosen is None:
            raise RuntimeError("No household was stored, so there is no resident to log in.")
        return chosen

    def store(self, batch: list[PlannedHome]) -> None:
        """Store one batch in one transaction: addresses and people first, then the
        households and memberships that point at them (foreign keys set as ids, which
        skips Django's related-object bookkeeping in the hot loop)."""
        ranges: list[PostcodeRange] = []
        addresses: list[Address] = []
        persons: list[Person] = []
        for home in batch:
            area_id = self.neighbourhoods[home.neighbourhood].pk
            planned = home.address
            pc4 = planned.postcode[:4]
            if pc4 not in self.opened_pc4:
                # A neighbourhood owns whole PC4 areas, so one range row covers each.
                self.opened_pc4.add(pc4)
                ranges.append(
                    PostcodeRange(
                        neighbourhood_id=area_id, postcode_from=f"{pc4}AA", postcode_to=f"{pc4}ZZ"
                    )
                )
            addresses.append(
                Address(
                    street=planned.street,
                    house_number=planned.house_number,
                    house_letter=planned.house_letter,
                    addition=planned.addition,
                    postcode=planned.postcode,
                    town=MUNICIPALITY_NAME,
                    neighbourhood_id=area_id,
                    bag_id=_bag_id(self.addresses_stored + len(addresses)),
                )
            )
            for member in home.household.members:
                plan = member.person
                persons.append(
                    Person(
                        initials=plan.initials,
                        given_names=" ".join(plan.given_names),
                        surname_prefix=plan.surname_prefix,
                        surname=plan.surname,
                        birth_surname_prefix=plan.birth_surname_prefix,
                        birth_surname=plan.birth_surname,
                        date_of_birth=plan.date_of_birth,
                        bsn=plan.bsn,
                        phone=plan.phone,
                        email=plan.email,
                    )
                )
            self.inhabitants[home.neighbourhood] += len(home.household.members)
        with transaction.atomic():
            PostcodeRange.objects.bulk_create(ranges)
            Address.objects.bulk_create(addresses, batch_size=_ROWS_PER_INSERT)
            self.addresses_stored += len(addresses)
            Person.objects.bulk_create(persons, batch_size=_ROWS_PER_INSERT)
            households = Household.objects.bulk_create(
                [
                    Household(
                        address_id=address.pk,
                        neighbourhood_id=address.neighbourhood_id,
                        start_date=home.household.start_date,
                    )
                    for home, address in zip(batch, addresses, strict=True)
                ],
                batch_size=_ROWS_PER_INSERT,
            )
            memberships: list[Membership] = []
            people = iter(persons)
            for home, household in zip(batch, households, strict=True):
                for member in home.household.members:
                    person = next(people)
                    memberships.append(
                        Membership(
                            household_id=household.pk,
                            person_id=person.pk,
                            role=member.role,
                            start_date=member.start_date,
                        )
                    )
                    if member.role == Membership.Role.HEAD:
                        self._consider_for_resident_account(home, person)
            Membership.objects.bulk_create(memberships, batch_size=_ROWS_PER_INSERT)
        self.households += len(households)
        self.persons += len(persons)
        # Under DEBUG (the demo's dev settings) Django keeps every statement it runs;
        # with 500,000 households that would grow to gigabytes of SQL text.
        reset_queries()


def _areas_create(municipality: Municipality) -> tuple[list[Area], list[Area]]:
    """The districts and neighbourhoods, through the service that checks CBS nesting."""
    districts: list[Area] = []
    neighbourhoods: list[Area] = []
    for district_spec in DISTRICTS:
        district = area_create(
            municipality=municipality,
            kind=Area.Kind.DISTRICT,
            cbs_code=district_spec.code,
            name=district_spec.name,
        )
        districts.append(district)
        for spec in district_spec.neighbourhoods:
            neighbourhoods.append(
                area_create(
                    municipality=municipality,
                    kind=Area.Kind.NEIGHBOURHOOD,
                    cbs_code=spec.code,
                    name=spec.name,
                    parent=district,
                )
            )
    return districts, neighbourhoods


def generate_municipality(
    *,
    seed: int = 1,
    households: int = 5000,
    batch_size: int = 2000,
    progress: bool = True,
    address_history: bool = False,
) -> GenerationReport:
    """Fill an empty database with the municipality of Lindenhoven (`_generate`). Nobody
    is notified of the months of events the town is built from; a few notifications for
    the memorable accounts follow at the end (demo/notifications.py)."""
    with notifications_muted():
        report = _generate(
            seed=seed,
            households=households,
            batch_size=batch_size,
            progress=progress,
            address_history=address_history,
        )
    notifications_demo_create()
    return report


def _generate(
    *,
    seed: int,
    households: int,
    batch_size: int,
    progress: bool,
    address_history: bool,
) -> GenerationReport:
    """Fill an empty database with the municipality of Lindenhoven.

    Refuses when any municipality exists, so that running it twice never doubles the
    data. Shows a progress bar on stderr when `progress` is on. With `address_history`,
    some residents lived at another address in town before (demo.moves): the signal
    matching benchmark and its tests use that to find movers.
    """
    if households < 1:
        raise ValueError(gettext("The number of households must be at least 1."))
    if batch_size < 1:
        raise ValueError(gettext("The batch size must be at least 1."))
    existing = Municipality.objects.order_by("pk").first()
    if existing is not None:
        raise MunicipalityExistsError(
            gettext(
                "The database already holds the municipality %(name)s (%(code)s). The "
                "generator only fills an empty database, so that demo data is never doubled: "
                "start from a fresh database, for example with `manage.py flush`."
            )
            % {"name": existing.name, "code": existing.cbs_code}
        )
    started = time.perf_counter()
    # Argon2 is slow on purpose: hash the one demo password once and share the hash.
    password_hash = make_password(DEMO_PASSWORD)

    with transaction.atomic():
        municipality = municipality_create(name=MUNICIPALITY_NAME, cbs_code=MUNICIPALITY_CODE)
        districts, neighbourhoods = _areas_create(municipality)
        organisations = organisations_create(municipality=municipality)
        teams = teams_create(
            organisation=organisations[Organisation.Kind.MUNICIPALITY], districts=districts
        )
        accounts = staff_create(
            rng=_stream_rng(seed, "staff"),
            password_hash=password_hash,
            organisations=organisations,
            teams=teams,
        )
        access_requests_demo_create()

    writer = _Writer(neighbourhoods)
    with tqdm(
        total=households,
        desc=MUNICIPALITY_NAME,
        unit=" " + gettext("households"),
        file=sys.stderr,
        disable=not progress,
    ) as bar:
        for batch in _batches(plan_homes(seed=seed, households=households), batch_size):
            writer.store(batch)
            bar.update(len(batch))

    with transaction.atomic():
        for area, count in zip(neighbourhoods, writer.inhabitants, strict=True):
            Area.objects.filter(pk=area.pk).update(inhabitants=count)
        for district in districts:
            total = sum(
                count
                for area, count in zip(neighbourhoods, writer.inhabitants, strict=True)
                if area.parent_id == district.pk
            )
            Area.objects.filter(pk=district.pk).update(inhabitants=total)
        resident = resident_account_create(
            person=writer.resident_for_account(), password_hash=password_hash
        )
    # Casework on top of the town: who leads which household, consent, looks at files,
    # and the plans and contacts of the households with a lead worker.
    trust_story_create(seed=seed)
    story_household = Household.objects.filter(
        memberships__person=writer.resident_for_account()
    ).first()
    casework_story_create(seed=seed, resident_household=story_household)
    # Co-writing: story 1's resident marked an own-strength action done (accepted) and
    # proposed a goal in their own words (waiting on wijkwerker's Mijn werk).
    cowrite_demo_create(resident_household=story_household)
    # Appointments: wijkwerker's coming days, and story 1's home visit last week.
    appointments_demo_create(resident_household=story_household)
    # Six months of early signals and the outreach on them.
    signals_story_create(seed=seed, resident_household=story_household)
    # Intake and review assessments: pictures of progress for every plan.
    outcomes_story_create(seed=seed, resident_household=story_household)
    # Support-network maps: story 2's growing network, and small maps for other plans.
    network_demo_create(seed=seed, resident_household=story_household)
    # The social map of formal and informal help, with proposals waiting for a moderator.
    socialmap_demo_create(seed=seed)
    # Warm referrals from plan actions, story 1's to debt counselling among them.
    referrals_demo_create(seed=seed, resident_household=story_household)
    # Who else is involved in story 1: a co-worker, the debt counsellor, the wijkagent.
    involved_story_create(resident_household=story_household)
    # The resident's own door: story 1's resident gave a consent online.
    portal_demo_create(resident_household=story_household)
    # Messages: story 1's resident and wijkwerker, the resident's last one still unread.
    messages_demo_create(resident_household=story_household)
    # Documents on story 1's file: the landlord's letter and a photo of a reminder.
    documents_demo_create(resident_household=story_household)
    # Last week's case conference with the debt counsellor: story 1 by name (consent), a
    # second case anonymised; decisions in the plan, two precedents.
    conferences_demo_create(resident_household=story_household)
    # Mandates of the corporation and the debt bank, with decisions; one on story 1's file.
    mandates_demo_create(seed=seed, resident_household=story_household)
    # Resident initiatives and budgets: story 3 and initiatives in every state.
    initiatives_demo_create(seed=seed)
    # Participatory budgeting: a counted knapsack round in Oost, an open one in West.
    voting_demo_create(seed=seed)
    # Volunteer requests: waiting in the coordinator's queue, matched, with visits.
    volunteering_demo_create(seed=seed)
    # Learning circles: one on loneliness with residents and the library, one finished.
    circles_demo_create()
    # A member who moved out of a led household: the composition keeps the history.
    composition_story_create(resident_household=story_household)
    if address_history:
        # Residents who moved within the town (after the stories, which
        # pick current members): the register keeps their old address.
        address_history_create(seed=seed)
    # The town's register through the BRP import: a baseline extract that changes
    # nothing, then a later one with moves, births, a death, a name change, a departure.
    register_story_create(seed=seed, keep=story_household)
    # The team leader's week: a worker on leave with work falling due, a household
    # without a lead worker (the waiting intakes come from the casework story).
    team_week_demo_create()
    # Data rights: story 1's resident downloaded their copy and asked for a correction.
    data_rights_demo_create(resident_household=story_household)
    # The dilemma log: three dilemmas in Team Oost, two discussed in a reflection meeting.
    dilemmas_demo_create()
    # Last: the audit log of the new town, verified and anchored outside the database.
    audit_log_anchored()
    return GenerationReport(
        municipality=municipality,
        households=writer.households,
        persons=writer.persons,
        accounts=memorable_accounts({resident.username} | {a.username for a in accounts}),
        seconds=time.perf_counter() - started,
    )


def demo_accounts() -> list[DemoAccount]:
    """The memorable accounts that exist in the database, for a demo started on old data."""
    usernames = [username for username, _ in MEMORABLE_ACCOUNTS]
    existing = set(User.objects.filter(username__in=usernames).values_list("username", flat=True))
    return memorable_accounts(existing)
