"""The team leader's week (workspace.team): what waits in the team's neighbourhoods, who is
away and moving what falls due to a colleague, plain counts per worker by name."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from buurtkracht.accounts.models import Absence, TeamMembership, User
from buurtkracht.accounts.services import absence_record, team_membership_create
from buurtkracht.audit.models import AuditEvent, Ground
from buurtkracht.casework.models import Action, Intake, Plan
from buurtkracht.casework.services import action_add, goal_add, plan_get_or_create
from buurtkracht.core.models import Team
from buurtkracht.households.models import Household, Involvement
from buurtkracht.signals.models import Report
from tests import factories
from tests.conftest import Personas
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

DAY = dt.timedelta(days=1)
URL = "/team/"


def _team(personas: Personas) -> Team:
    return personas.team_leader.team_memberships.get().team


def _household(personas: Personas, street: str) -> Household:
    area = personas.household.address.neighbourhood
    membership = factories.MembershipFactory.create(
        household__address__neighbourhood=area, household__address__street=street
    )
    return membership.household


def _worker(personas: Personas, first: str, last: str) -> User:
    user = factories.UserFactory.create(username=first.lower(), first_name=first, last_name=last)
    team_membership_create(user=user, team=_team(personas))
    return user


def _lead(household: Household, worker: User, kind: str = Involvement.Kind.LEAD) -> Involvement:
    return Involvement.objects.create(
        household=household, worker=worker, kind=kind, start_date=dt.date(2026, 1, 1)
    )


def _plan_with_action(household: Household, worker: User, *, due: dt.date, mine: bool) -> Action:
    """A plan with one goal and one action due on `due`: done by `worker` when `mine`,
    otherwise by the resident."""
    plan = plan_get_or_create(household=household, user=worker)
    goal = goal_add(plan=plan, text="Rust in de financiën", domains=["finances"], user=worker)
    return action_add(
        goal=goal,
        description=f"Bellen met de woonstichting ({household.address.street})",
        owner="" if mine else "Bewoner zelf",
        step=1,
        due_date=due,
        owner_worker=worker if mine else None,
        user=worker,
    )


def _overdue_report(personas: Personas, household: Household, days_late: int) -> Report:
    today = timezone.localdate()
    return Report.objects.create(
        address_key=f"k|{household.pk}",
        month=today.replace(day=1),
        address=household.address,
        household=household,
        team=_team(personas),
        neighbourhood=household.address.neighbourhood,
        first_signal_date=today - dt.timedelta(days=days_late + 7),
        first_attempt_due=today - dt.timedelta(days=days_late),
    )


def _page(client: Client, user: User, url: str = URL) -> str:
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def test_the_team_leader_sees_what_waits_and_every_resident_named_is_logged(
    client: Client, personas: Personas
) -> None:
    today = timezone.localdate()
    team = _team(personas)
    intake = Intake.objects.create(
        source=Intake.Source.NEIGHBOUR,
        description="Zorgen",
        household=_household(personas, "Wachtstraat"),
        team=team,
        created_by=personas.team_leader,
    )
    Intake.objects.filter(pk=intake.pk).update(created_at=timezone.now() - 9 * DAY)
    # A plan runs, its lead worker's involvement ended without a handover.
    orphan = _household(personas, "Verlatenlaan")
    plan_get_or_create(household=orphan, user=personas.worker)
    gone = _lead(orphan, personas.worker)
    gone.end_date = today - 3 * DAY
    gone.save()
    late = _household(personas, "Laatweg")
    _lead(late, personas.worker)
    _plan_with_action(late, personas.worker, due=today - 2 * DAY, mine=False)
    Plan.objects.filter(household=late).update(review_date=today - 5 * DAY)
    _overdue_report(personas, _household(personas, "Signaalsingel"), days_late=4)
    # Households of another team's neighbourhood are not this team's.
    elsewhere = factories.MembershipFactory.create().household
    plan_get_or_create(household=elsewhere, user=personas.colleague)

    page = _page(client, personas.team_leader)

    assert "Wachtstraat" in page and "wacht 9 dagen" in page
    assert "Verlatenlaan" in page
    assert "Signaalsingel" in page and "4 dagen te laat" in page
    assert "1 evaluatie over de datum" in page and "Laatweg" in page
    assert "1 actie over de datum" in page
    assert elsewhere.address.street not in page
    look = AuditEvent.objects.filter(actor_id=personas.team_leader.pk, action="read").latest(
        "sequence"
    )
    assert look.ground == Ground.TEAM_LEADER
    seen = set(look.subjects.values_list("person_id", flat=True))
    for household in (intake.household, orphan, late):
        assert household is not None
        assert set(household.memberships.values_list("person_id", flat=True)) <= seen
    assert not set(elsewhere.memberships.values_list("person_id", flat=True)) & seen


def test_workers_are_listed_by_name_with_plain_counts_not_by_how_many(
    client: Client, personas: Personas
) -> None:
    busy = _worker(personas, "Zeger", "Zwart")  # last by name, most households
    quiet = _worker(personas, "Anna", "Aalders")
    for n in range(3):
        _lead(_household(personas, f"Drukstraat {n}"), busy)
    _lead(_household(personas, "Rustpad"), quiet, kind=Involvement.Kind.CO_WORKER)

    page = _page(client, personas.team_leader)

    table = page[page.index('id="caseloads"') :]
    assert table.index("Anna Aalders") < table.index("Zeger Zwart")
    rows = {
        name: table[table.index(name) :].split("</tr>")[0]
        for name in ("Anna Aalders", "Zeger Zwart")
    }
    assert rows["Zeger Zwart"].count(">3<") == 1 and rows["Zeger Zwart"].count(">0<") == 1
    assert rows["Anna Aalders"].count(">0<") == 1 and rows["Anna Aalders"].count(">1<") == 1
    assert "niet op aantal" in page  # the page says why it does not rank


def test_only_a_leader_of_the_team_opens_it(client: Client, personas: Personas) -> None:
    for user in (personas.worker, personas.colleague, personas.privacy_officer):
        client.force_login(user)
        assert client.get(URL).status_code == 404
    other = Team.objects.exclude(pk=_team(personas).pk).get()
    client.force_login(personas.team_leader)
    assert client.get(f"{URL}?team={other.pk}").status_code == 404


def test_the_start_page_of_a_team_leader_links_to_the_team_view(
    client: Client, personas: Personas
) -> None:
    client.force_login(personas.team_leader)
    assert 'href="/team/"' in client.get("/").content.decode()
    client.force_login(personas.worker)
    assert 'href="/team/"' not in client.get("/").content.decode()


# Absence -------------------------------------------------------------------------------


def _day(value: dt.date) -> str:
    return value.strftime("%d-%m-%Y")


def test_an_absence_is_recorded_with_only_a_category_and_logged(
    client: Client, personas: Personas
) -> None:
    today = timezone.localdate()
    client.force_login(personas.team_leader)
    response = client.post(
        reverse("workspace:absence-add"),
        {
            "team": _team(personas).pk,
            "worker": personas.worker.pk,
            "start_date": _day(today),
            "end_date": _day(today + 10 * DAY),
            "reason": "sick",
        },
    )
    assert response.status_code == 302
    absence = Absence.objects.get()
    assert (absence.user, absence.start_date, absence.end_date) == (
        personas.worker,
        today,
        today + 10 * DAY,
    )
    assert {f.name for f in Absence._meta.get_fields()} == {
        "id",
        "user",
        "team",
        "start_date",
        "end_date",
        "reason",
        "recorded_by",
        "recorded_at",
    }  # no free text: nothing medical can be typed
    event = AuditEvent.objects.filter(action="create", actor_id=personas.team_leader.pk).latest(
        "sequence"
    )
    assert event.details["absence"]["worker"] == "wijkwerker"
    page = _page(client, personas.team_leader)
    assert "Ziek gemeld" in page
    assert "(afwezig)" in page


def test_a_wrong_absence_is_refused_in_dutch_and_keeps_what_was_typed(
    client: Client, personas: Personas
) -> None:
    today = timezone.localdate()
    client.force_login(personas.team_leader)
    url = reverse("workspace:absence-add")
    team = _team(personas).pk
    response = client.post(
        url,
        {
            "team": team,
            "worker": personas.worker.pk,
            "start_date": _day(today),
            "end_date": _day(today - 2 * DAY),
        },
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "De laatste dag afwezig kan niet voor de eerste liggen" in html
    assert f'value="{_day(today - 2 * DAY)}"' in html
    response = client.post(
        url, {"team": team, "worker": personas.worker.pk, "start_date": "01-01-1800"}
    )
    assert response.status_code == 400 and "ligt te ver terug" in response.content.decode()
    absence_record(
        user=personas.worker,
        team=_team(personas),
        start_date=today + 5 * DAY,
        end_date=None,
        reason="",
        by=personas.team_leader,
    )
    response = client.post(
        url,
        {"team": team, "worker": personas.worker.pk, "start_date": _day(today + 20 * DAY)},
    )
    assert response.status_code == 400
    assert "staat al afwezig vanaf" in response.content.decode()
    assert Absence.objects.count() == 1
    # Someone outside the team cannot be chosen.
    response = client.post(
        url, {"team": team, "worker": personas.colleague.pk, "start_date": _day(today)}
    )
    assert response.status_code == 400
    assert Absence.objects.count() == 1


def test_back_at_work_ends_yesterday_and_a_planned_absence_is_cancelled(
    client: Client, personas: Personas
) -> None:
    today = timezone.localdate()
    running = absence_record(
        user=personas.worker,
        team=_team(personas),
        start_date=today - 4 * DAY,
        end_date=None,
        reason="leave",
        by=personas.team_leader,
    )
    client.force_login(personas.team_leader)
    assert client.post(reverse("workspace:absence-end", args=[running.pk])).status_code == 302
    running.refresh_from_db()
    assert running.end_date == today - DAY
    planned = absence_record(
        user=personas.worker,
        team=_team(personas),
        start_date=today + 4 * DAY,
        end_date=today + 8 * DAY,
        reason="",
        by=personas.team_leader,
    )
    client.post(reverse("workspace:absence-end", args=[planned.pk]))
    assert not Absence.objects.filter(pk=planned.pk).exists()
    # Another team's leader cannot touch it.
    other_leader = factories.UserFactory.create(username="anderleider")
    team_membership_create(
        user=other_leader,
        team=Team.objects.exclude(pk=_team(personas).pk).get(),
        position=TeamMembership.Position.TEAM_LEADER,
    )
    client.force_login(other_leader)
    assert client.post(reverse("workspace:absence-end", args=[running.pk])).status_code == 404


def _away(personas: Personas, days: int = 7) -> Absence:
    today = timezone.localdate()
    return absence_record(
        user=personas.worker,
        team=_team(personas),
        start_date=today,
        end_date=today + days * DAY,
        reason="leave",
        by=personas.team_leader,
    )


def _cover(client: Client, absence: Absence, data: dict[str, Any]) -> Any:
    prefixed = {f"cover{absence.pk}-{key}": value for key, value in data.items()}
    return client.post(reverse("workspace:absence-cover", args=[absence.pk]), prefixed)


def test_the_absent_workers_due_items_move_to_a_colleague_in_one_step(
    client: Client, personas: Personas
) -> None:
    today = timezone.localdate()
    colleague = _worker(personas, "Bram", "Bos")
    led = _household(personas, "Regielaan")
    _lead(led, personas.worker)
    action = _plan_with_action(led, personas.worker, due=today + 2 * DAY, mine=True)
    Plan.objects.filter(household=led).update(review_date=today + 3 * DAY)
    shared = _household(personas, "Samenweg")
    _lead(shared, colleague)
    _lead(shared, personas.worker, kind=Involvement.Kind.CO_WORKER)
    shared_action = _plan_with_action(shared, personas.worker, due=today - DAY, mine=True)
    # Nothing falls due here while away: not listed, not moved.
    calm = _household(personas, "Kalmestraat")
    _lead(calm, personas.worker)
    absence = _away(personas)

    page = _page(client, personas.team_leader)
    card = page[page.index('data-testid="absence-wijkwerker"') :]
    card = card[: card.index('<details class="bk-details"')]
    assert "Regielaan" in card and "Samenweg" in card and "Kalmestraat" not in card
    assert "Evaluatie op" in card and action.description in card

    response = _cover(
        client,
        absence,
        {"households": [led.pk, shared.pk], "to": colleague.pk, "note": "Sleutel bij buren"},
    )
    assert response.status_code == 302
    new_lead = Involvement.objects.get(household=led, end_date__isnull=True)
    assert (new_lead.worker, new_lead.kind) == (colleague, Involvement.Kind.LEAD)
    assert "Sleutel bij buren" in new_lead.handover_note
    assert "afwezig" in new_lead.handover_note
    # Already involved in the shared household: only the action moves, no second place.
    assert Involvement.objects.filter(household=shared, worker=colleague).count() == 1
    assert Involvement.objects.filter(
        household=shared, worker=personas.worker, end_date__isnull=True
    ).exists()
    for moved in (action, shared_action):
        moved.refresh_from_db()
        assert moved.owner_worker == colleague
        assert moved.owner == "Bram Bos"
    assert Involvement.objects.filter(
        household=calm, worker=personas.worker, end_date__isnull=True
    ).exists()
    changes = AuditEvent.objects.filter(actor_id=personas.team_leader.pk, action="update")
    assert changes.filter(details__change="action reassigned", ground=Ground.TEAM_LEADER).count()
    assert changes.filter(details__handover__to="bram").count() == 1


def test_a_move_is_refused_without_a_colleague_or_to_one_who_is_away_too(
    client: Client, personas: Personas
) -> None:
    today = timezone.localdate()
    led = _household(personas, "Regielaan")
    _lead(led, personas.worker)
    _plan_with_action(led, personas.worker, due=today, mine=True)
    absence = _away(personas)
    _worker(personas, "Bram", "Bos")
    client.force_login(personas.team_leader)
    response = _cover(client, absence, {"households": [led.pk]})
    assert response.status_code == 400
    assert "Kies de collega die het overneemt" in response.content.decode()
    response = _cover(client, absence, {"households": [led.pk], "to": personas.worker.pk})
    assert response.status_code == 400  # not a colleague to choose
    other = _worker(personas, "Clara", "Claes")
    absence_record(
        user=other,
        team=_team(personas),
        start_date=today - DAY,
        end_date=None,
        reason="",
        by=personas.team_leader,
    )
    response = _cover(client, absence, {"households": [led.pk], "to": other.pk})
    assert response.status_code == 400
    assert Involvement.objects.get(household=led, end_date__isnull=True).worker == personas.worker


def test_a_move_asks_for_the_password_when_it_was_typed_long_ago(
    client: Client, personas: Personas
) -> None:
    from buurtkracht.accounts.reauth import SESSION_KEY

    today = timezone.localdate()
    colleague = _worker(personas, "Bram", "Bos")
    led = _household(personas, "Regielaan")
    _lead(led, personas.worker)
    _plan_with_action(led, personas.worker, due=today, mine=True)
    absence = _away(personas)
    client.force_login(personas.team_leader)
    session = client.session
    session[SESSION_KEY] = 0
    session.save()
    data = {"households": [led.pk], "to": colleague.pk}
    response = _cover(client, absence, data)
    assert response.status_code == 400
    assert "Typ uw wachtwoord" in response.content.decode()
    assert Involvement.objects.get(household=led, end_date__isnull=True).worker == personas.worker
    response = client.post(
        reverse("workspace:absence-cover", args=[absence.pk]),
        {**{f"cover{absence.pk}-{k}": v for k, v in data.items()}, "password": PASSWORD},
    )
    assert response.status_code == 302
    assert Involvement.objects.get(household=led, end_date__isnull=True).worker == colleague


# Queries -------------------------------------------------------------------------------


def _grow(personas: Personas, n: int, tag: str) -> None:
    """n more of everything the team view lists."""
    today = timezone.localdate()
    team = _team(personas)
    worker = _worker(personas, f"Werker{tag}", "Groei")
    absence_record(
        user=worker,
        team=team,
        start_date=today,
        end_date=today + 5 * DAY,
        reason="",
        by=personas.team_leader,
    )
    for i in range(n):
        household = _household(personas, f"Groeistraat {tag}{i}")
        Intake.objects.create(
            source=Intake.Source.NEIGHBOUR,
            description="Zorgen",
            household=household,
            team=team,
            created_by=personas.team_leader,
        )
        _lead(household, worker)
        _plan_with_action(household, worker, due=today - DAY, mine=True)
        Plan.objects.filter(household=household).update(review_date=today - DAY)
        _overdue_report(personas, household, days_late=2)
        orphan = _household(personas, f"Weesstraat {tag}{i}")
        plan_get_or_create(household=orphan, user=worker)


def test_the_team_view_takes_the_same_number_of_queries_as_the_town_grows(
    client: Client, personas: Personas
) -> None:
    client.force_login(personas.team_leader)
    _grow(personas, 2, "a")
    client.get(URL)
    with CaptureQueriesContext(connection) as small:
        assert client.get(URL).status_code == 200
    _grow(personas, 20, "b")
    with CaptureQueriesContext(connection) as large:
        page = client.get(URL).content.decode()
    assert "Groeistraat b19" in page or "22 aanmeldingen" in page
    assert len(large) == len(small), [q["sql"][:120] for q in large.captured_queries]
