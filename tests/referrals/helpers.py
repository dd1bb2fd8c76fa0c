"""Shared makers for the referral tests: story 1 of PRODUCT.md, synthetic data only."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from buurtkracht.casework.models import Action, Step
from buurtkracht.households.consent import Purpose, consent_record
from buurtkracht.households.models import Person
from buurtkracht.referrals.models import Referral
from buurtkracht.referrals.services import referral_propose
from buurtkracht.socialmap.models import Provider, Resource
from tests import factories
from tests.casework.stories import story_one_plan
from tests.conftest import Personas
from tests.socialmap.helpers import entry


@dataclass
class World:
    person: Person
    action: Action
    resource: Resource
    organisation: Any


def make_world(personas: Personas, *, consent: bool = True) -> World:
    """The worker leads the household; its plan has a step-4 action; the social map has
    Schuldhulp Lindenhoven's debt counselling, linked to the organisation."""
    personas.make_worker_lead()
    plan = story_one_plan(personas)
    action = Action.objects.get(goal__plan=plan, step=Step.INDIVIDUAL_PROVISION)
    organisation = factories.OrganisationFactory.create(name="Schuldhulp Lindenhoven")
    resource = entry(
        personas.worker, name="Schuldhulpverlening", provider_name="Schuldhulp Lindenhoven"
    )
    Provider.objects.filter(pk=resource.provider_id).update(organisation=organisation)
    resource.refresh_from_db()
    person = personas.household.members.get()
    if consent:
        consent_record(
            person=person,
            purpose=Purpose.SHARE_WITH_ORGANISATION,
            given=True,
            method="spoken",
            recorded_by=personas.worker,
            organisation=organisation,
        )
    return World(person, action, resource, organisation)


def in_days(days: int) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=days)


def propose(personas: Personas, world: World, **overrides: Any) -> Referral:
    values: dict[str, Any] = {
        "household": personas.household,
        "person": world.person,
        "action": world.action,
        "user": personas.worker,
        "resource": world.resource,
        "follow_up_on": in_days(7),
    }
    values.update(overrides)
    return referral_propose(**values)
