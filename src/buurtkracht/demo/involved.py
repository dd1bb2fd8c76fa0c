"""Who else is involved in story 1 (één gezin, één plan): the lead worker adds a colleague
of the team as co-worker, and two professionals from outside the team are on the file —
the debt counsellor picked from the social map, with whom data is shared on the
resident's recorded consent, and the community police officer (wijkagent), typed, with
whom nothing is shared. Runs after the referrals demo (story 1's consent for debt
counselling). Every name is synthetic."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from buurtkracht.accounts.models import User
from buurtkracht.core.models import Organisation
from buurtkracht.households.consent import (
    Purpose,
    consent_current,
    consent_is_valid,
    consent_record,
)
from buurtkracht.households.models import Household, Involvement, Person
from buurtkracht.households.queries import co_worker_candidates
from buurtkracht.households.services import co_worker_add, outside_professional_add
from buurtkracht.socialmap.models import Resource

DEBT_RESOURCE = "Schuldhulpverlening"
DEBT_COUNSELLOR = "Sanne Verbeek"
POLICE_OFFICER = "Mark de Groot"


@transaction.atomic
def involved_story_create(*, resident_household: Household | None) -> int:
    """Story 1's co-worker and outside professionals; returns how many were added."""
    if resident_household is None:
        return 0
    household = resident_household
    lead = (
        Involvement.objects.filter(
            household=household, kind=Involvement.Kind.LEAD, end_date__isnull=True
        )
        .select_related("worker")
        .first()
    )
    if lead is None:
        return 0
    worker: User = lead.worker
    members = household.current_member_ids()
    person = (
        Person.objects.filter(account__username="bewoner", pk__in=members).first()
        or Person.objects.filter(pk__in=members).order_by("pk").first()
    )
    if person is None:
        return 0
    added = 0
    colleague = co_worker_candidates(household).exclude(username="collega").first()
    if colleague is not None:
        co_worker_add(household=household, worker=colleague, by=worker)
        added += 1
    started = timezone.localdate() - dt.timedelta(days=30)
    resource = (
        Resource.objects.filter(name=DEBT_RESOURCE, status=Resource.Status.PUBLISHED)
        .select_related("provider__organisation")
        .first()
    )
    if resource is not None and resource.provider.organisation is not None:
        organisation = resource.provider.organisation
        current = consent_current(
            person=person, purpose=Purpose.SHARE_WITH_ORGANISATION, organisation=organisation
        )
        if not consent_is_valid(current):
            consent_record(
                person=person,
                purpose=Purpose.SHARE_WITH_ORGANISATION,
                given=True,
                method="spoken",
                recorded_by=worker,
                organisation=organisation,
                note="Aan de keukentafel gevraagd.",
            )
        outside_professional_add(
            household=household,
            by=worker,
            ground="involvement",
            name=resource.contact_name or DEBT_COUNSELLOR,
            organisation_name=resource.provider.name,
            organisation=organisation,
            role="Schuldhulpverlener",
            phone=resource.contact_phone,
            email=resource.contact_email,
            person=person,
            shares_data=True,
            start_date=started,
            socialmap_resource=resource.pk,
        )
        added += 1
    # Nothing is shared with the wijkagent: no consent is asked, none is needed.
    police = Organisation.objects.filter(kind=Organisation.Kind.POLICE).order_by("pk").first()
    outside_professional_add(
        household=household,
        by=worker,
        ground="involvement",
        name=POLICE_OFFICER,
        organisation_name=str(police) if police else "Politie",
        organisation=police,
        role="Wijkagent",
        phone="0900-8844",
        shares_data=False,
        start_date=started + dt.timedelta(days=14),
    )
    return added + 1
