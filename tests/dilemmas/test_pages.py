"""The pages of the dilemma log: a refused dilemma keeps what was typed and says how to
fix it; the dilemma's history names the meetings that discussed it; the themes page
counts values per quarter, rounded to base 5 (decision 0009), per team and for all of a
leader's teams; the start page says how many dilemmas are open."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from buurtkracht.accounts.models import TeamMembership
from buurtkracht.accounts.services import team_membership_create
from buurtkracht.dilemmas.models import Dilemma, ReflectionMeeting
from buurtkracht.dilemmas.queries import last_quarters, theme_tables
from buurtkracht.dilemmas.services import agenda_item_add, dilemma_create
from tests import factories
from tests.conftest import Personas

pytestmark = pytest.mark.django_db


def _client(user: object) -> Client:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    return client


def test_a_dilemma_with_a_postcode_is_refused_and_kept(personas: Personas) -> None:
    response = _client(personas.worker).post(
        reverse("dilemmas:new"),
        {
            "title": "Huur of kinderen",
            "description": "De familie op 1234 AB wil niet verhuizen.",
            "values": ["resident_wish", "child_interest"],
        },
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "error-summary" in body
    assert "noem de buurt" in body  # how to fix it
    assert "De familie op 1234 AB wil niet verhuizen." in body  # what was typed is kept
    assert not Dilemma.objects.exists()


def test_written_dilemma_and_its_history(
    personas: Personas, dilemma: Dilemma, meeting: ReflectionMeeting
) -> None:
    worker = _client(personas.worker)
    response = worker.post(
        reverse("dilemmas:detail", args=[dilemma.pk]), {"meeting": str(meeting.pk)}
    )
    # The meeting was yesterday: only meetings from today on are offered from the dilemma.
    assert response.status_code == 400
    item = agenda_item_add(meeting=meeting, dilemma=dilemma, user=personas.worker)
    response = worker.post(
        reverse("dilemmas:lessons", args=[item.pk]),
        {"lessons": "Samen met school een veiligheidsplan.", "outcome": "closed", "version": "1"},
    )
    assert response.status_code == 302
    page = worker.get(reverse("dilemmas:detail", args=[dilemma.pk])).content.decode()
    assert "Samen met school een veiligheidsplan." in page
    assert reverse("dilemmas:meeting", args=[meeting.pk]) in page
    assert "afgesloten" in page


def test_theme_counts_are_rounded_to_base_five(personas: Personas) -> None:
    team = personas.worker.team_memberships.get().team
    for n in range(4):
        dilemma_create(
            team=team,
            title=f"Dilemma {n}",
            description="Tussen twee goede dingen.",
            values=["safety", "own_strength"] if n < 3 else ["privacy", "safety"],
            user=personas.worker,
        )
    (table,) = theme_tables([team])
    rows = {row.value: row for row in table.rows}
    assert rows["safety"].cells[-1] == 5  # 4 becomes 5
    assert rows["own_strength"].cells[-1] == 5  # 3 becomes 5
    assert rows["privacy"].cells[-1] == 0  # 1 becomes 0
    assert table.totals[-1] == 10  # the sum of what is shown, not 8
    assert all(cell % 5 == 0 for row in table.rows for cell in row.cells)
    page = _client(personas.team_leader).get(reverse("dilemmas:themes")).content.decode()
    assert "afgerond op vijftallen" in page


def test_a_leader_of_two_teams_sees_each_and_both(personas: Personas) -> None:
    oost = personas.team_leader.team_memberships.get().team
    west = personas.colleague.team_memberships.get().team
    team_membership_create(
        user=personas.team_leader, team=west, position=TeamMembership.Position.TEAM_LEADER
    )
    for team, user in ((oost, personas.worker), (west, personas.colleague)):
        for n in range(2):
            dilemma_create(
                team=team,
                title=f"{team.name} {n}",
                description="Tussen twee goede dingen.",
                values=["lawfulness", "resident_wish"],
                user=user,
            )
    tables = theme_tables([oost, west])
    assert [t.title for t in tables] == ["Al uw teams", "Team Oost", "Team West"]
    lawfulness = [next(r for r in t.rows if r.value == "lawfulness").cells[-1] for t in tables]
    assert lawfulness == [5, 0, 0]  # 4 together, 2 in each


def test_quarters_run_back_over_the_new_year() -> None:
    assert last_quarters(dt.date(2027, 2, 10)) == [
        dt.date(2026, 4, 1),
        dt.date(2026, 7, 1),
        dt.date(2026, 10, 1),
        dt.date(2027, 1, 1),
    ]


def test_an_old_dilemma_counts_in_its_own_quarter(personas: Personas) -> None:
    team = personas.worker.team_memberships.get().team
    today = timezone.localdate()
    quarters = last_quarters(today)
    for n in range(3):
        dilemma_create(
            team=team,
            title=f"Oud {n}",
            description="Tussen twee goede dingen.",
            values=["equal_treatment", "professional_role"],
            user=personas.worker,
            written_at=timezone.make_aware(
                dt.datetime.combine(quarters[0] + dt.timedelta(days=20), dt.time(12))
            ),
        )
    (table,) = theme_tables([team], today)
    row = next(r for r in table.rows if r.value == "equal_treatment")
    assert row.cells == [5, 0, 0, 0]


def test_the_start_page_counts_open_dilemmas(personas: Personas, dilemma: Dilemma) -> None:
    page = _client(personas.worker).get(reverse("workspace:my-work")).content.decode()
    assert "1 open dilemma in het logboek" in page
    assert reverse("dilemmas:list") in page
    other = factories.UserFactory.create(username="vrijwilliger2", roles=["volunteer"])
    page = _client(other).get(reverse("workspace:my-work")).content.decode()
    assert reverse("dilemmas:list") not in page
