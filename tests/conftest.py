"""Shared personas (DESIGN.md): every test that asks who may see what uses these."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import time_machine

from buurtkracht.accounts.models import Role, TeamMembership, User
from buurtkracht.accounts.services import role_grant, team_membership_create
from buurtkracht.households.models import Household, Involvement
from tests import factories
from tests.clock import INSTANTS, instant


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--clock",
        default=None,
        help=(
            "Run the whole session with the clock set to this Amsterdam wall-clock time, "
            f"ticking on: one of {', '.join(INSTANTS)}, or an ISO time such as "
            "2027-06-15T09:59. Also read from BUURTKRACHT_TEST_CLOCK."
        ),
    )


_session_travel: time_machine.travel | None = None


def pytest_configure(config: pytest.Config) -> None:
    """Travel before anything else runs, so that test databases, fixtures and the live
    server all see the same clock (docs/time.md)."""
    global _session_travel
    import os

    clock = config.getoption("--clock") or os.environ.get("BUURTKRACHT_TEST_CLOCK")
    if clock:
        moment = instant(clock)
        _session_travel = time_machine.travel(moment, tick=True)
        _session_travel.start()
        config.stash[_clock_key] = moment


_clock_key = pytest.StashKey[dt.datetime]()


@pytest.fixture(autouse=True)
def _each_test_starts_at_the_clock(request: pytest.FixtureRequest) -> Iterator[None]:
    """Under --clock every test starts at the instant itself, not minutes after it as the
    session's clock ticks on: 09:59 must mean 09:59 for the last test too."""
    moment = request.config.stash.get(_clock_key, None)
    if moment is None:
        yield
        return
    if request.node.get_closest_marker("real_clock"):
        # The database server's clock cannot travel: a test that compares with it runs
        # at the real moment.
        real = dt.datetime.fromtimestamp(time_machine.escape_hatch.time.time(), tz=dt.UTC)
        with time_machine.travel(real, tick=True):
            yield
        return
    with time_machine.travel(moment, tick=True):
        yield


def pytest_report_header(config: pytest.Config) -> str:
    moment = config.stash.get(_clock_key, None)
    if moment is None:
        return "clock: real time"
    return f"clock: every test starts at {moment.isoformat()} (Europe/Amsterdam), ticking"


def pytest_unconfigure(config: pytest.Config) -> None:
    global _session_travel
    if _session_travel is not None:
        _session_travel.stop()
        _session_travel = None


@dataclass
class Personas:
    worker: User  # works in the team that serves the household's neighbourhood
    colleague: User  # works in another team
    team_leader: User  # leads the household's team
    volunteer: User
    partner_liaison: User  # of the housing corporation
    signal_officer: User  # processes the early signals of the whole municipality
    policy_advisor: User
    privacy_officer: User
    functional_admin: User
    resident: User  # lives in `household`
    # Of the debt bank (a partner organisation): takes part in case conferences.
    outside_professional: User
    # A library worker in a learning circle: sees no resident case data.
    circle_member: User
    household: Household

    def make_worker_lead(self) -> Involvement:
        """Make `worker` the household's lead worker (their usual ground to read it)."""
        involvement, _ = Involvement.objects.get_or_create(
            household=self.household,
            worker=self.worker,
            defaults={"kind": Involvement.Kind.LEAD, "start_date": dt.date(2026, 1, 1)},
        )
        return involvement

    def all(self) -> dict[str, User]:
        return {name: value for name, value in vars(self).items() if isinstance(value, User)}


@pytest.fixture
def personas(db: None) -> Personas:
    district = factories.DistrictFactory.create(name="Oost")
    own_area = factories.NeighbourhoodFactory.create(parent=district, name="Lindenbuurt")
    other_area = factories.NeighbourhoodFactory.create(parent=district, name="Vogelwijk")
    municipality_org = factories.OrganisationFactory.create(name="Gemeente Testwijk")
    own_team = factories.TeamFactory.create(
        name="Team Oost", organisation=municipality_org, neighbourhoods=[own_area]
    )
    other_team = factories.TeamFactory.create(
        name="Team West", organisation=municipality_org, neighbourhoods=[other_area]
    )
    corporation = factories.OrganisationFactory.create(
        name="Woonstichting Test", housing_corporation=True
    )

    def staff(username: str, organisation: object = municipality_org) -> User:
        return factories.UserFactory.create(username=username, organisation=organisation)

    worker = staff("wijkwerker")
    team_membership_create(user=worker, team=own_team)
    colleague = staff("collega")
    team_membership_create(user=colleague, team=other_team)
    team_leader = staff("teamleider")
    team_membership_create(
        user=team_leader, team=own_team, position=TeamMembership.Position.TEAM_LEADER
    )
    volunteer = factories.UserFactory.create(username="vrijwilliger", roles=[Role.VOLUNTEER])
    partner_liaison = staff("partner", corporation)
    role_grant(user=partner_liaison, role=Role.PARTNER_LIAISON)
    policy_advisor = factories.UserFactory.create(username="beleid", roles=[Role.POLICY_ADVISOR])
    signal_officer = staff("signaal")
    role_grant(user=signal_officer, role=Role.SIGNAL_OFFICER)
    privacy_officer = factories.UserFactory.create(username="privacy", roles=[Role.PRIVACY_OFFICER])
    functional_admin = factories.UserFactory.create(
        username="beheer", roles=[Role.FUNCTIONAL_ADMIN]
    )

    debt_bank = factories.OrganisationFactory.create(name="Kredietbank Test")
    outside_professional = staff("schuldhulp", debt_bank)
    role_grant(user=outside_professional, role=Role.OUTSIDE_PROFESSIONAL)
    library = factories.OrganisationFactory.create(name="Bibliotheek Test")
    circle_member = staff("kringlid", library)
    role_grant(user=circle_member, role=Role.CIRCLE_MEMBER)

    membership = factories.MembershipFactory.create(household__address__neighbourhood=own_area)
    resident = factories.UserFactory.create(username="bewoner", person=membership.person)
    role_grant(user=resident, role=Role.RESIDENT)
    return Personas(
        worker=worker,
        colleague=colleague,
        team_leader=team_leader,
        volunteer=volunteer,
        partner_liaison=partner_liaison,
        signal_officer=signal_officer,
        policy_advisor=policy_advisor,
        privacy_officer=privacy_officer,
        functional_admin=functional_admin,
        resident=resident,
        outside_professional=outside_professional,
        circle_member=circle_member,
        household=membership.household,
    )


# The audit anchors (audit.anchors) ----------------------------------------------------------


@pytest.fixture(autouse=True)
def _each_test_starts_in_the_site_language() -> Iterator[None]:
    """A test (or a view it calls in this thread, such as the partner API answering in
    English) may leave a language active; the next test starts in the site's own."""
    from django.utils import translation

    translation.deactivate()
    yield
    translation.deactivate()


TEST_ANCHOR_KEY = "test-anchor-key-only-for-the-test-suite-0123456789"


@pytest.fixture(scope="session", autouse=True)
def audit_anchor_folder(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Anchors written by session- and module-wide fixtures go to a temporary file with a
    test key, never to the developer's data/ folder."""
    from django.test import override_settings

    folder = tmp_path_factory.mktemp("anchors")
    with override_settings(
        AUDIT_ANCHOR_FILE=folder / "audit-anchors.log", AUDIT_ANCHOR_KEY=TEST_ANCHOR_KEY
    ):
        yield folder


_anchor_files = itertools.count(1)


@pytest.fixture(autouse=True)
def _audit_anchors_per_test(audit_anchor_folder: Path) -> Iterator[None]:
    """Each test starts with no anchors: its database starts empty too."""
    from django.test import override_settings

    name = f"test-{next(_anchor_files)}.log"
    with override_settings(AUDIT_ANCHOR_FILE=audit_anchor_folder / name):
        yield


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: None, django_db_blocker: object) -> None:
    """On PostgreSQL the audit tables refuse TRUNCATE (migration audit 0007) except in a
    database its owner marked as disposable; the test databases are, for Django's flush."""
    from django.db import connections

    with django_db_blocker.unblock():  # type: ignore[attr-defined]
        for connection in connections.all():
            if connection.vendor != "postgresql":
                continue
            with connection.cursor() as cursor:
                name = connection.ops.quote_name(connection.settings_dict["NAME"])
                cursor.execute(f"ALTER DATABASE {name} SET buurtkracht.disposable = 'on'")
