"""Grants of access (households/grants.py): every path that makes a worker involved in a
household holds only on a ground the team leader or the team's own setting gives, keeps
how it was granted, and shows on the team leader's start page (issue 15, finding 2)."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from buurtkracht.accounts.models import User
from buurtkracht.accounts.services import team_membership_create
from buurtkracht.audit.models import Action, AuditEvent, Ground
from buurtkracht.casework.handover import Move, handover
from buurtkracht.casework.intake import intake_assign, intake_create
from buurtkracht.casework.merge import household_merge
from buurtkracht.core.models import Team
from buurtkracht.households.grants import grant_ground, involvement_grant, recent_grants
from buurtkracht.households.models import GrantPath, Household, Involvement, Membership
from buurtkracht.households.services import emergency_access_start
from tests import factories
from tests.conftest import Personas

pytestmark = pytest.mark.django_db

SRC = Path(__file__).resolve().parents[2] / "src" / "buurtkracht"


def _team(personas: Personas) -> Team:
    return personas.worker.team_memberships.get().team


def _grant(personas: Personas, by: User, team: Team | None) -> Involvement:
    return involvement_grant(
        household=personas.household,
        worker=personas.worker,
        kind=Involvement.Kind.LEAD,
        via=GrantPath.INTAKE,
        by=by,
        team=team,
    )


def test_only_the_team_leader_or_the_teams_setting_grants(personas: Personas) -> None:
    team = _team(personas)
    other = personas.colleague.team_memberships.get().team
    for by, in_team in (
        (personas.worker, team),  # a member, and the team does not let members assign
        (personas.colleague, team),  # not in the team
        (personas.team_leader, other),  # leads another team
        (personas.team_leader, None),  # no team at all
        (personas.signal_officer, team),
    ):
        with pytest.raises(PermissionDenied):
            _grant(personas, by, in_team)
    assert not Involvement.objects.exists()
    assert grant_ground(by=personas.team_leader, team=team) == Ground.TEAM_LEADER
    team.members_may_assign = True
    team.save()
    assert grant_ground(by=personas.worker, team=team) == Ground.TEAM
    with pytest.raises(PermissionDenied):
        grant_ground(by=personas.colleague, team=team)


def test_assigning_an_intake_is_a_grant_of_the_team_leader(personas: Personas) -> None:
    address = personas.household.address
    intake = intake_create(
        description="Buren maken zich zorgen.",
        postcode=address.postcode,
        house_number=address.house_number,
        user=personas.worker,
    )
    with pytest.raises(PermissionDenied):
        intake_assign(intake=intake, worker=personas.worker, by=personas.worker)
    intake_assign(intake=intake, worker=personas.worker, by=personas.team_leader)
    lead = Involvement.objects.get(worker=personas.worker)
    assert (lead.granted_via, lead.granted_by, lead.granted_team) == (
        GrantPath.INTAKE,
        personas.team_leader,
        _team(personas),
    )
    assert lead.granted_at is not None


def test_a_handover_is_a_grant_of_the_team_leader(personas: Personas) -> None:
    old = personas.make_worker_lead()
    successor = factories.UserFactory.create(username="opvolger")
    team_membership_create(user=successor, team=_team(personas))
    handover(leader=personas.team_leader, moves=[Move(old, successor, "Belt liever.")])
    new = Involvement.objects.get(worker=successor)
    assert (new.granted_via, new.granted_by, new.granted_ground) == (
        GrantPath.HANDOVER,
        personas.team_leader,
        Ground.TEAM_LEADER,
    )


def test_a_merge_grants_the_duplicates_workers_the_file_that_stays(personas: Personas) -> None:
    personas.make_worker_lead()
    duplicate = factories.HouseholdFactory.create(address=personas.household.address)
    second = factories.UserFactory.create(username="tweede")
    third = factories.UserFactory.create(username="derde")
    for user in (second, third):
        team_membership_create(user=user, team=_team(personas))
    Involvement.objects.create(
        household=duplicate, worker=second, kind="lead", start_date=dt.date(2026, 2, 1)
    )
    Involvement.objects.create(
        household=duplicate, worker=third, kind="co_worker", start_date=dt.date(2026, 2, 1)
    )
    household_merge(
        keep=personas.household, duplicate=duplicate, by=personas.team_leader, reason="Dubbel"
    )
    moved = Involvement.objects.filter(
        household=personas.household, worker__in=[second, third], end_date__isnull=True
    )
    assert {(i.worker, i.kind) for i in moved} == {(second, "co_worker"), (third, "co_worker")}
    for involvement in moved:
        assert (involvement.granted_via, involvement.granted_by) == (
            GrantPath.MERGE,
            personas.team_leader,
        )
    assert {g.worker for g in recent_grants(personas.team_leader)} == {second, third}


def test_no_path_makes_someone_involved_but_through_the_grant() -> None:
    """Every write of an involvement row in the product is in households/grants.py, so a
    new path cannot skip the check nor the team leader's list."""
    creating = re.compile(
        r"(?<!class )Involvement\("
        r"|(Involvement\.objects|involvements)\.(create|bulk_create|get_or_create|update_or_create)"
    )
    offenders = [
        str(path.relative_to(SRC))
        for path in SRC.rglob("*.py")
        if "migrations" not in path.parts
        and path.name != "grants.py"
        and creating.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []


def test_the_team_leaders_start_page_lists_the_recent_grants(personas: Personas) -> None:
    team = _team(personas)
    _grant(personas, personas.team_leader, team)
    # Granted three weeks ago: no longer recent.
    old_household = factories.HouseholdFactory.create(
        address__neighbourhood=personas.household.address.neighbourhood
    )
    involvement_grant(
        household=old_household,
        worker=personas.team_leader,
        kind=Involvement.Kind.LEAD,
        via=GrantPath.INTAKE,
        by=personas.team_leader,
        team=team,
        at=timezone.now() - dt.timedelta(days=21),
    )
    # Emergency access by a worker of another team: listed too, nobody granted it.
    emergency_access_start(
        worker=personas.colleague,
        household=personas.household,
        reason="Mevrouw belde 's avonds in paniek over de stroom.",
    )
    # A grant in another team's neighbourhood: not this team leader's.
    west = personas.colleague.team_memberships.get().team
    west_leader = factories.UserFactory.create(username="leider-west")
    team_membership_create(user=west_leader, team=west, position="team_leader")
    elsewhere = factories.HouseholdFactory.create(address__neighbourhood=west.neighbourhoods.get())
    involvement_grant(
        household=elsewhere,
        worker=personas.colleague,
        kind=Involvement.Kind.LEAD,
        via=GrantPath.INTAKE,
        by=west_leader,
        team=west,
    )

    client = Client()
    client.force_login(personas.team_leader)
    page = client.get(reverse("workspace:my-work")).content.decode()
    assert "Toegang tot dossiers verleend in de afgelopen 14 dagen" in page
    section = page.split('id="grants"', 1)[1].split("</ul>", 1)[0]
    assert section.count("<li") == 2
    assert personas.household.address.street_line in section
    assert "aanmelding toegewezen" in section and "als teamleider" in section
    assert "noodtoegang" in section
    assert elsewhere.address.street_line not in section
    assert old_household.address.street_line not in section
    # The list names households and workers: a look, logged with the residents.
    look = AuditEvent.objects.filter(
        action=Action.READ, actor_id=personas.team_leader.pk, details__grants=2
    ).get()
    members = Membership.objects.filter(household=personas.household)
    assert set(look.subject_ids) == set(members.values_list("person_id", flat=True))
    assert look.ground == Ground.TEAM_LEADER

    # A worker has no such list.
    client.force_login(personas.worker)
    assert 'id="grants-heading"' not in client.get(reverse("workspace:my-work")).content.decode()


def test_an_empty_list_says_so(personas: Personas) -> None:
    client = Client()
    client.force_login(personas.team_leader)
    page = client.get(reverse("workspace:my-work")).content.decode()
    assert "Niemand kreeg toegang tot een dossier in de afgelopen 14 dagen." in page
    assert Household.objects.count() == 1
