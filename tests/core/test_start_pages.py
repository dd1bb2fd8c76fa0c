"""The start page ("Mijn werk"): every role lands on its own work and the way to it, a
resident on their own file; no placeholder, no staff text for residents, and a number of
queries that does not grow with the work waiting."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from buurtkracht.accounts.approvals import role_request
from buurtkracht.accounts.models import Role, User
from buurtkracht.audit.models import AuditEvent, Ground
from buurtkracht.households.models import EmergencyAccess, Involvement
from buurtkracht.initiatives import services as initiative_services
from buurtkracht.signals.models import Delivery, RejectedRow, Report, Signal
from buurtkracht.socialmap.services import ResourceInput, resource_propose
from tests import factories
from tests.circles.helpers import circle_planted
from tests.conferences.helpers import schedule as schedule_conference
from tests.conftest import Personas
from tests.initiatives.helpers import budget, propose
from tests.volunteering.helpers import ask, consent_for, coordinator
from tests.volunteering.helpers import matched as volunteer_matched

pytestmark = pytest.mark.django_db

# The old placeholder ("Binnenkort — Hier komen straks …"). "Binnenkort" alone is also the
# worker's real "Due soon" heading, so the placeholder is recognised by its sentence.
PLACEHOLDERS = ("Hier komen straks", "Coming soon", "will appear here")
NO_TEAM = "U zit niet in een wijkteam"


@dataclass
class World:
    personas: Personas
    community_worker: User
    coordinator: User
    made: int = 0

    def users(self) -> dict[str, User]:
        return {
            **self.personas.all(),
            "community_worker": self.community_worker,
            "coordinator": self.coordinator,
        }


def make_world(personas: Personas) -> World:
    """The personas, with a community worker, a volunteer coordinator and a budget."""
    hood = personas.household.address.neighbourhood
    assert hood is not None and hood.parent is not None
    budget(hood.parent)
    return World(
        personas=personas,
        community_worker=factories.UserFactory.create(
            username="opbouwwerker", roles=[Role.COMMUNITY_WORKER]
        ),
        coordinator=coordinator(),
    )


@pytest.fixture
def world(personas: Personas) -> World:
    return make_world(personas)


def add_work(world: World, n: int) -> None:
    """n more of every kind of work that waits for somebody."""
    personas = world.personas
    hood = personas.household.address.neighbourhood
    assert hood is not None and hood.parent is not None
    district_budget = hood.parent.budgets.get()
    partner = personas.partner_liaison.organisation
    assert partner is not None
    today = timezone.localdate()
    for _ in range(n):
        world.made += 1
        number = world.made
        propose(hood, title=f"Bankje {number}")
        assessed, _token = propose(hood, title=f"Buurtfeest {number}")
        initiative_services.budget_assign(
            initiative=assessed, budget=district_budget, user=world.community_worker
        )
        resource_propose(
            data=ResourceInput(
                name=f"Breiclub {number}",
                provider_name="Buurthuis De Linde",
                description="Elke donderdag samen breien.",
            ),
            user=personas.volunteer,
        )
        delivery = Delivery.objects.create(
            organisation=partner, channel="upload", checksum=f"c{number}", status="done"
        )
        RejectedRow.objects.create(
            delivery=delivery,
            line=2,
            raw={"surname": "", "house_number": "12"},
            errors=[{"field": "surname", "message": "De achternaam ontbreekt."}],
        )
        member = factories.MembershipFactory.create(household__address__neighbourhood=hood)
        report = Report.objects.create(
            address_key=f"key|{number}",
            month=today.replace(day=1),
            address=member.household.address,
            household=member.household,
            team=hood.teams.first(),
            neighbourhood=hood,
            first_signal_date=today - dt.timedelta(days=10),
            first_attempt_due=today - dt.timedelta(days=3),
        )
        Signal.objects.create(
            delivery=delivery,
            organisation=partner,
            partner_kind="housing",
            partner_reference=f"K-{number}",
            signal_date=today - dt.timedelta(days=10),
            surname=member.person.surname,
            house_number=member.household.address.house_number,
            postcode=member.household.address.postcode,
            report=report,
            match_status=Signal.MatchStatus.REVIEW,
        )
        EmergencyAccess.objects.create(
            household=member.household,
            worker=personas.colleague,
            reason="Crisis in de avond, eigen team niet bereikbaar",
            started_at=timezone.now(),
            expires_at=timezone.now() + dt.timedelta(hours=1),
        )
        ask(personas)
        volunteer_matched(personas)
        role_request(
            user=factories.UserFactory.create(), role="team_leader", by=personas.functional_admin
        )
        schedule_conference(personas)


def page_of(user: User) -> str:
    client = Client()
    client.force_login(user)
    response = client.get(reverse("workspace:my-work"))
    assert response.status_code == 200
    return response.content.decode()


def links_in(html: str) -> set[str]:
    main = html.split('<main id="main"', 1)[1].split("</main>", 1)[0]
    return set(re.findall(r'href="([^"#]+)"', main))


def assert_links_open(user: User, html: str) -> None:
    client = Client()
    client.force_login(user)
    for link in links_in(html):
        if link.startswith("tel:"):
            continue
        response = client.get(link)
        assert response.status_code == 200, f"{link} answers {response.status_code} to {user}"


# What each role must find on its start page when work waits (two of everything).
EXPECTED = {
    "worker": ["Mijn werk", "Team Oost", "2 meldingen om op te volgen."],
    "team_leader": [
        "Team Oost",
        "2 meldingen om op te volgen.",
        "Daarvan wachten 2 te lang op een eerste poging.",
        "Voorstellen om te beoordelen",
    ],
    "community_worker": [
        "2 nieuwe voorstellen wachten tot u de indieners belt of mailt",
        "2 voorstellen wachten op een besluit.",
        "2 voorstellen voor de sociale kaart wachten op uw beoordeling.",
        "?status=submitted",
        "?status=in_assessment",
    ],
    "signal_officer": [
        "2 signalen wachten tot u controleert over wie ze gaan.",
        "2 meldingen om op te volgen.",
        "Daarvan wachten 2 te lang op een eerste poging.",
        reverse("signals:review"),
    ],
    "partner_liaison": [
        "2 apart gezette regels wachten op uw verbetering.",
        "1 te verbeteren",
        reverse("signals:feedback"),
        reverse("signals:deliver"),
    ],
    "coordinator": ["2 hulpvragen wachten op een vrijwilliger.", reverse("volunteering:queue")],
    "volunteer": ["Bezoek vastleggen", reverse("volunteering:mine")],
    "privacy_officer": [
        "2 keer noodtoegang wachten op uw oordeel.",
        "2 verzoeken om een rol of om tweestapsinloggen opnieuw in te stellen wachten op een "
        "tweede persoon.",
        reverse("audit:access-requests"),
        reverse("audit:log"),
        reverse("audit:consents"),
    ],
    "policy_advisor": [
        reverse("outcomes:report"),
        reverse("signals:monitor"),
        reverse("initiatives:list"),
        reverse("voting:manage"),
    ],
    "functional_admin": [
        reverse("admin:accounts_user_changelist"),
        reverse("admin:core_team_changelist"),
        reverse("admin:signals_apitoken_changelist"),
        reverse("socialmap:exchange"),
    ],
    "resident": ["Mijn pagina", "Uw dossier", "Uw plan", reverse("audit:my-looks")],
    # A library worker in a learning circle: their circles, nothing of the teams' work.
    "circle_member": ["Mijn leerkringen", "Uw leerkringen", reverse("circles:list")],
    "outside_professional": [
        "Casusoverleggen",
        "Wijkcentrum De Linde",
        reverse("conferences:list"),
    ],
}

# What an empty queue says: in words, not an empty page.
EMPTY = {
    "community_worker": ["Geen nieuwe voorstellen.", "Niets wacht op een besluit."],
    "signal_officer": ["Niets te beoordelen.", "Geen meldingen om op te volgen."],
    "partner_liaison": [
        "Er wachten geen regels op verbetering.",
        "U hebt nog geen signalen aangeleverd.",
    ],
    "coordinator": ["Er wachten geen hulpvragen op een vrijwilliger."],
    "volunteer": ["U hebt nu geen hulpvragen."],
    "privacy_officer": ["Niets te beoordelen.", "Er wacht geen verzoek op goedkeuring."],
    "circle_member": ["U zit niet in een lopende kring."],
    "outside_professional": ["Er is geen recent casusoverleg en geen casusoverleg op komst"],
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_every_role_lands_on_its_own_work(world: World, name: str) -> None:
    add_work(world, 2)
    user = world.users()[name]
    html = page_of(user)
    for text in EXPECTED[name]:
        assert text in html, f"{name} misses {text!r}"
    for placeholder in PLACEHOLDERS:
        assert placeholder not in html, f"{name} sees the placeholder {placeholder!r}"
    if name not in ("worker", "team_leader"):
        # Only a team's worker needs a team; for everyone else this is noise.
        assert NO_TEAM not in html


@pytest.mark.parametrize("name", sorted(EMPTY))
def test_an_empty_queue_says_so_in_words(world: World, name: str) -> None:
    html = page_of(world.users()[name])
    for text in EMPTY[name]:
        assert text in html, f"{name} misses {text!r}"


@pytest.mark.parametrize(
    "name",
    [
        "community_worker",
        "signal_officer",
        "partner_liaison",
        "privacy_officer",
        "outside_professional",
    ],
)
def test_the_ways_to_the_work_open(world: World, name: str) -> None:
    add_work(world, 1)
    user = world.users()[name]
    assert_links_open(user, page_of(user))


def test_policy_advisor_and_functional_admin_reach_every_link(world: World) -> None:
    for user in (world.personas.policy_advisor, world.personas.functional_admin):
        assert_links_open(user, page_of(user))


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_query_count_does_not_grow_with_the_work_waiting(
    world: World, name: str, django_assert_max_num_queries: Any
) -> None:
    user = world.users()[name]
    world.personas.make_worker_lead()
    add_work(world, 1)
    client = Client()
    client.force_login(user)
    client.get(reverse("workspace:my-work"))  # warm the caches a first request fills
    with CaptureQueriesContext(connection) as one_each:
        client.get(reverse("workspace:my-work"))
    # A ceiling for the sections the page composes; the assertion that matters is below.
    # (The team leader's list of grants is a look of its own, logged: a few more; since
    # issue 18 the appointments, the menu's notification badge and the team view link;
    # since issue 20 the dilemma log's line: open dilemmas and the next meeting, and the
    # learning circles one belongs to; since issue 19 the households with messages waiting
    # and the residents' plan proposals waiting.)
    assert len(one_each) <= 39, f"{name}: {len(one_each)} queries"
    add_work(world, 4)
    with django_assert_max_num_queries(len(one_each)):
        response = client.get(reverse("workspace:my-work"))
    assert response.status_code == 200


# The resident.


def test_resident_finds_their_own_file_and_neighbourhood_without_staff_text(
    world: World,
) -> None:
    personas = world.personas
    personas.worker.first_name, personas.worker.last_name = "Sanne", "Visser"
    personas.worker.phone = "020 123 45 67"
    personas.worker.save()
    personas.make_worker_lead()
    other = factories.MembershipFactory.create()  # someone else's household
    resident = personas.resident
    html = page_of(resident)
    household = personas.household.pk
    for url in (
        reverse("workspace:household", args=[household]),
        reverse("casework:plan", args=[household]),
        reverse("outcomes:progress", args=[household]),
        reverse("network:map", args=[household]),
        reverse("workspace:my-consent", args=[household]),
        reverse("audit:my-looks"),
        reverse("voting:index"),
        reverse("initiatives:propose"),
        reverse("initiatives:results"),
    ):
        assert f'href="{url}"' in html, url
    assert reverse("workspace:household", args=[other.household_id]) not in html
    assert "Uw huishouden in Lindenbuurt" in html
    assert "Uw contactpersoon is Sanne Visser." in html
    assert "020 123 45 67" in html
    # No staff text: no roles, no teams, no work.
    for staff_text in (NO_TEAM, "Uw rollen", "Mijn werk", *PLACEHOLDERS):
        assert staff_text not in html, staff_text
    # The menu names the page for the resident too.
    assert ">Mijn pagina</a>" in html
    assert_links_open(resident, html)
    # Naming the lead worker is a look at the file: logged on the resident's own ground.
    assert AuditEvent.objects.filter(
        actor_id=resident.pk, ground=Ground.OWN_DATA, details__page="my work"
    ).exists()


def test_resident_without_a_household_hears_who_to_contact(personas: Personas) -> None:
    lonely = factories.UserFactory.create(
        username="nieuw", person=factories.PersonFactory.create(), roles=[Role.RESIDENT]
    )
    html = page_of(lonely)
    assert "U hebt geen dossier bij het wijkteam." in html
    assert "Neem dan contact op met het wijkteam in uw buurt" in html
    assert reverse("workspace:household", args=[personas.household.pk]) not in html
    for staff_text in (NO_TEAM, "Uw rollen", *PLACEHOLDERS):
        assert staff_text not in html, staff_text
    assert_links_open(lonely, html)


def test_resident_who_moved_out_no_longer_reaches_the_old_file(personas: Personas) -> None:
    membership = personas.household.memberships.get()
    membership.end_date = timezone.localdate() - dt.timedelta(days=1)
    membership.save()
    html = page_of(personas.resident)
    assert reverse("workspace:household", args=[personas.household.pk]) not in html
    assert "U hebt geen dossier bij het wijkteam." in html


def test_resident_page_in_english(personas: Personas) -> None:
    client = Client()
    client.force_login(personas.resident)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    html = client.get(reverse("workspace:my-work")).content.decode()
    assert "My page" in html and "Your file" in html
    assert "You are not in a neighbourhood team" not in html


def test_a_lead_worker_shown_is_the_current_one(world: World) -> None:
    personas = world.personas
    involvement = personas.make_worker_lead()
    involvement.end_date = timezone.localdate() - dt.timedelta(days=1)
    involvement.save()
    Involvement.objects.create(
        household=personas.household,
        worker=personas.team_leader,
        kind=Involvement.Kind.LEAD,
        start_date=timezone.localdate(),
    )
    html = page_of(personas.resident)
    assert personas.team_leader.get_full_name() in html
    assert personas.worker.get_full_name() not in html


def test_volunteer_sees_a_consented_match(world: World) -> None:
    personas = world.personas
    vrequest = ask(personas)
    consent_for(vrequest.person, personas.volunteer, personas.worker)
    assert "U hebt nu geen hulpvragen." in page_of(personas.volunteer)


def test_circle_member_finds_their_circle_and_their_actions(world: World) -> None:
    planted = circle_planted(world.personas, publish=False)
    user = world.personas.circle_member
    html = page_of(user)
    assert reverse("circles:detail", args=[planted["pk"]]) in html
    assert "Flyer maken" in html
    for staff_text in (NO_TEAM, "Uw rollen", "Mijn werk", *PLACEHOLDERS):
        assert staff_text not in html, staff_text
    assert_links_open(user, html)


def test_resident_sees_their_plan_and_next_appointments_on_the_start_page(
    world: World,
) -> None:
    """Issue 19: the resident's start page shows the plan's goals in their own words and
    the coming appointments, not only links to them."""
    import datetime as dt

    from django.utils import timezone

    from buurtkracht.casework.models import Appointment
    from buurtkracht.casework.services import goal_add, plan_get_or_create

    personas = world.personas
    personas.make_worker_lead()
    plan = plan_get_or_create(household=personas.household, user=personas.worker)
    goal_add(
        plan=plan,
        text="Rust in mijn hoofd over het geld",
        domains=["finances"],
        user=personas.worker,
    )
    html = page_of(personas.resident)
    assert "Rust in mijn hoofd over het geld" in html
    assert "Geen afspraken gepland." in html

    start = timezone.now() + dt.timedelta(days=2)
    visit = Appointment.objects.create(
        household=personas.household,
        kind=Appointment.Kind.HOME_VISIT,
        starts_at=start,
        ends_at=start + dt.timedelta(hours=1),
        place=Appointment.Place.HOME,
        created_by=personas.worker,
    )
    visit.workers.add(personas.worker)
    html = page_of(personas.resident)
    assert "Uw volgende afspraken" in html and "Geen afspraken gepland." not in html
    assert timezone.localtime(start).strftime("%H:%M") in html
