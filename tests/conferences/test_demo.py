"""The demo's case conference: story 1 by name for the debt counsellor (consent), the
second case anonymised, actions in story 1's plan, two precedents found again."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from buurtkracht.accounts.models import User
from buurtkracht.conferences.models import Case, Conference, Precedent
from buurtkracht.conferences.queries import agenda_for, precedents_search
from buurtkracht.demo.generator import generate_municipality
from buurtkracht.households.models import Household

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


def test_the_demo_conference_names_story_one_and_anonymises_the_other() -> None:
    generate_municipality(seed=1, households=60, progress=False)
    story = Household.objects.get(memberships__person=User.objects.get(username="bewoner").person)
    conference = Conference.objects.get()
    assert conference.kind == Conference.Kind.MULTIDISCIPLINARY
    debt = User.objects.get(username="schuldhulpverlener")
    items = agenda_for(debt, conference).items
    assert [(i.case.household_id == story.pk, i.named) for i in items] == [
        (True, True),
        (False, False),
    ]
    story_case = Case.objects.get(household=story)
    assert story_case.actions.count() == 2
    assert {a.goal.plan.household_id for a in story_case.actions.all()} == {story.pk}
    assert Precedent.objects.count() == 2
    assert precedents_search(words="ontruiming")
    # The anonymised case names nobody on the debt counsellor's page.
    other = items[1].case
    client = Client()
    client.force_login(debt)
    page = client.get(reverse("conferences:detail", args=[conference.pk])).content.decode()
    card = page.split(f'id="case-{other.pk}-heading"', 1)[1].split("</article>", 1)[0]
    assert "Casus B" in card
    for member in other.household.current_memberships().select_related("person"):
        assert member.person.surname not in card
        assert member.person.given_names.split()[0] not in card
    assert other.household.address.street not in card
