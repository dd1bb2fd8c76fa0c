"""Reviews, closure, aftercare and reopening."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from buurtkracht.casework.models import ClosureReason, Plan
from buurtkracht.casework.services import aftercare_done, plan_close, plan_reopen, plan_review
from tests.casework.stories import story_one_plan
from tests.conftest import Personas

pytestmark = pytest.mark.django_db


def test_review_moves_the_next_review_date(personas: Personas) -> None:
    plan = story_one_plan(personas)
    today = timezone.localdate()
    plan_review(
        plan=plan, held_on=today, what_changed="Betalingsregeling loopt.", user=personas.worker
    )
    plan.refresh_from_db()
    assert plan.review_date is not None and 179 <= (plan.review_date - today).days <= 184
    earlier = today + dt.timedelta(days=30)
    plan_review(
        plan=plan,
        held_on=today,
        what_changed="Vastgelopen bij schuldhulp.",
        next_review=earlier,
        user=personas.worker,
    )
    plan.refresh_from_db()
    assert plan.review_date == earlier
    with pytest.raises(ValidationError) as excinfo:
        plan_review(
            plan=plan, held_on=today + dt.timedelta(days=2), what_changed="", user=personas.worker
        )
    assert set(excinfo.value.message_dict) == {"held_on", "what_changed"}


def test_close_then_aftercare_then_reopen(personas: Personas) -> None:
    plan = story_one_plan(personas)
    with pytest.raises(ValidationError) as excinfo:
        plan_close(plan=plan, reason="weg", reached="", user=personas.worker)
    assert set(excinfo.value.message_dict) == {"reason", "reached"}
    plan_close(
        plan=plan,
        reason=ClosureReason.GOALS_REACHED,
        reached="Huurachterstand weg.",
        user=personas.worker,
    )
    plan.refresh_from_db()
    assert plan.closed_on == timezone.localdate()
    assert plan.aftercare_on is not None and 88 <= (plan.aftercare_on - plan.closed_on).days <= 93
    aftercare_done(plan=plan, note="Gaat goed, regeling afbetaald.", user=personas.worker)
    plan.refresh_from_db()
    assert plan.aftercare_done_on == timezone.localdate()
    plan_reopen(plan=plan, user=personas.worker)
    plan.refresh_from_db()
    assert plan.closed_on is None
    assert plan.reached == "Huurachterstand weg."  # history stays


def test_closed_file_is_read_only_until_reopened(client: Client, personas: Personas) -> None:
    personas.make_worker_lead()
    plan = story_one_plan(personas)
    client.force_login(personas.worker)
    url = reverse("casework:plan", args=[personas.household.pk])
    response = client.post(
        url, {"what": "close", "reason": "goals_reached", "reached": "Rust in huis."}, follow=True
    )
    page = response.content.decode()
    assert "Dossier gesloten" in page
    assert "Actie toevoegen" not in page
    assert "Nazorg" in page
    plan.refresh_from_db()
    assert Plan.objects.get(pk=plan.pk).closed_on is not None
    response = client.post(url, {"what": "reopen"}, follow=True)
    assert "Actie toevoegen" in response.content.decode()


def test_my_work_shows_what_is_due(client: Client, personas: Personas) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from buurtkracht.casework.models import Action

    personas.make_worker_lead()
    plan = story_one_plan(personas)
    Action.objects.filter(goal__plan=plan).update(due_date=timezone.localdate())
    Plan.objects.filter(pk=plan.pk).update(review_date=timezone.localdate() + dt.timedelta(days=3))
    client.force_login(personas.worker)
    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("workspace:my-work")).content.decode()
    assert "Binnenkort" in page
    assert "Woonstichting bellen voor een betalingsregeling" in page
    assert "Geen contact in een maand" in page  # no contact recorded at all
    assert "Evaluaties" in page
    # More households with due work must not add queries.
    from buurtkracht.households.models import Involvement
    from tests import factories

    for _ in range(3):
        membership = factories.MembershipFactory.create()
        Involvement.objects.create(
            household=membership.household,
            worker=personas.worker,
            kind=Involvement.Kind.LEAD,
            start_date=dt.date(2026, 1, 1),
        )
    with CaptureQueriesContext(connection) as more:
        client.get(reverse("workspace:my-work"))
    assert len(more) == len(queries)
    # A closed file moves to aftercare.
    plan_close(
        plan=plan,
        reason=ClosureReason.GOALS_REACHED,
        reached="Klaar.",
        user=personas.worker,
        aftercare_on=timezone.localdate() + dt.timedelta(days=2),
    )
    assert "Nazorg" in client.get(reverse("workspace:my-work")).content.decode()
