"""Need-to-know: who may read a household's file, and on what ground."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from buurtkracht.audit.models import Ground
from buurtkracht.households.models import EmergencyAccess, Household, Involvement
from buurtkracht.households.visibility import household_ground
from tests import factories
from tests.conftest import Personas

pytestmark = pytest.mark.django_db


def visible(personas: Personas) -> dict[str, bool]:
    return {
        name: Household.objects.visible_to(user).filter(pk=personas.household.pk).exists()
        for name, user in personas.all().items()
    }


def set_team_wide(personas: Personas, on: bool) -> None:
    municipality = personas.household.address.neighbourhood.municipality  # type: ignore[union-attr]
    municipality.team_wide_reading = on
    municipality.save()


def test_strict_variant_only_involved_workers_team_leader_and_resident(
    personas: Personas,
) -> None:
    set_team_wide(personas, False)
    assert visible(personas) == {
        "worker": False,  # same team, but not involved
        "colleague": False,
        "team_leader": True,
        "volunteer": False,
        "partner_liaison": False,
        "signal_officer": False,
        "policy_advisor": False,
        "privacy_officer": False,
        "functional_admin": False,
        "resident": True,
        "outside_professional": False,
        "circle_member": False,
    }
    Involvement.objects.create(
        household=personas.household,
        worker=personas.worker,
        kind=Involvement.Kind.LEAD,
        start_date=dt.date(2026, 1, 1),
    )
    assert visible(personas)["worker"] is True
    assert household_ground(personas.worker, personas.household) == Ground.INVOLVEMENT


def test_team_wide_reading_opens_the_file_to_the_serving_team_only(personas: Personas) -> None:
    set_team_wide(personas, True)
    result = visible(personas)
    assert result["worker"] is True
    assert result["colleague"] is False
    assert household_ground(personas.worker, personas.household) == Ground.TEAM
    assert household_ground(personas.team_leader, personas.household) == Ground.TEAM_LEADER
    assert household_ground(personas.resident, personas.household) == Ground.OWN_DATA
    assert household_ground(personas.colleague, personas.household) is None


def test_ended_involvement_and_ended_team_membership_give_no_access(personas: Personas) -> None:
    set_team_wide(personas, True)
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    personas.worker.team_memberships.update(end_date=yesterday)
    Involvement.objects.create(
        household=personas.household,
        worker=personas.worker,
        kind=Involvement.Kind.CO_WORKER,
        start_date=dt.date(2025, 1, 1),
        end_date=yesterday,
    )
    assert visible(personas)["worker"] is False


def test_emergency_access_holds_until_it_expires(personas: Personas) -> None:
    now = timezone.now()
    access = EmergencyAccess.objects.create(
        household=personas.household,
        worker=personas.colleague,
        reason="Bewoner belt in crisis, eigen team onbereikbaar",
        started_at=now,
        expires_at=now + dt.timedelta(minutes=60),
    )
    assert visible(personas)["colleague"] is True
    assert household_ground(personas.colleague, personas.household) == Ground.EMERGENCY
    access.expires_at = now - dt.timedelta(seconds=1)
    access.save()
    assert visible(personas)["colleague"] is False


def test_one_lead_worker_per_household(personas: Personas) -> None:
    from django.db import IntegrityError, transaction

    Involvement.objects.create(
        household=personas.household,
        worker=personas.worker,
        kind=Involvement.Kind.LEAD,
        start_date=dt.date(2026, 1, 1),
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        Involvement.objects.create(
            household=personas.household,
            worker=personas.team_leader,
            kind=Involvement.Kind.LEAD,
            start_date=dt.date(2026, 2, 1),
        )


def test_visibility_query_does_not_duplicate_rows(personas: Personas) -> None:
    set_team_wide(personas, True)
    # The worker has three grounds at once; the household must still appear once.
    Involvement.objects.create(
        household=personas.household,
        worker=personas.worker,
        kind=Involvement.Kind.CO_WORKER,
        start_date=dt.date(2026, 1, 1),
    )
    factories.MembershipFactory.create(household=personas.household)
    households = list(Household.objects.visible_to(personas.worker))
    assert households == [personas.household]


def test_inactive_and_anonymous_users_see_nothing(personas: Personas) -> None:
    from django.contrib.auth.models import AnonymousUser

    # Never reached by the product (every page is behind the login), but refused all the same.
    assert not Household.objects.visible_to(AnonymousUser()).exists()  # type: ignore[arg-type]
    personas.team_leader.is_active = False
    assert not Household.objects.visible_to(personas.team_leader).exists()
