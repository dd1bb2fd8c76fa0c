"""A resident with something in every part of the product, for the tests of their copy
(AVG art. 15): each record carries a marker the test looks for in the copy."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from buurtkracht.accounts.models import User
from buurtkracht.audit.models import Ground
from buurtkracht.casework.models import (
    Action,
    Appointment,
    Contact,
    Conversation,
    Goal,
    Intake,
    Plan,
    PlanProposal,
)
from buurtkracht.casework.services import message_send, proposal_make
from buurtkracht.documents.models import Document
from buurtkracht.households.models import (
    Consent,
    EmergencyAccess,
    Household,
    OutsideProfessional,
    Person,
    RegisterEntry,
)
from buurtkracht.mandates.services import decision_record
from buurtkracht.network.models import NetworkVersion, Tie
from buurtkracht.outcomes.models import Assessment, InstrumentVersion, Story
from buurtkracht.referrals.models import Referral
from buurtkracht.signals.models import Delivery, Report, Signal
from buurtkracht.volunteering.models import VolunteerRequest
from tests.conferences.helpers import bring_case, schedule
from tests.conftest import Personas
from tests.mandates.helpers import make_mandate


@dataclass
class FullFile:
    person: Person
    household: Household
    resident: User
    worker: User


def full_file(personas: Personas) -> FullFile:
    personas.make_worker_lead()
    household = personas.household
    person = household.members.get()
    worker = personas.worker
    now = timezone.now()
    today = timezone.localdate()
    Consent.objects.create(
        person=person, purpose=Consent.Purpose.STORY_IN_REPORT, given=True,
        method=Consent.Method.SPOKEN, recorded_at=now, recorded_by=worker, note="consent-marker",
    )  # fmt: skip
    OutsideProfessional.objects.create(
        household=household, name="Prof Marker", organisation_name="Schuldhulp",
        start_date=today, added_by=worker,
    )  # fmt: skip
    RegisterEntry.objects.create(person=person, address=household.address, updated_on=today)
    EmergencyAccess.objects.create(
        household=household, worker=personas.colleague, reason="emergency-marker",
        started_at=now, expires_at=now + dt.timedelta(hours=1),
    )  # fmt: skip
    plan = Plan.objects.create(household=household, created_by=worker, aftercare_note="plan-marker")
    goal = Goal.objects.create(plan=plan, text="goal-marker")
    action = Action.objects.create(goal=goal, description="action-marker", owner="ik", step=1)
    Contact.objects.create(
        household=household, worker=worker, kind="phone", note="contact-marker", happened_at=now
    )
    Contact.objects.create(
        household=household, worker=worker, kind="phone", note="SENSITIVE-NOTE",
        sensitive=True, happened_at=now,
    )  # fmt: skip
    Intake.objects.create(
        source="neighbour", name=person.surname, description="INTAKE-WORDS",
        household=household, team=worker.team_memberships.first().team,  # type: ignore[union-attr]
        created_by=worker,
    )  # fmt: skip
    Conversation.objects.create(
        household=household, held_on=today, by=worker, what_matters="conversation-marker"
    )
    Appointment.objects.create(
        household=household, kind="home_visit", starts_at=now, ends_at=now + dt.timedelta(hours=1),
        place="home", created_by=worker, note="WORKERS-NOTE", place_text="appointment-marker",
    )  # fmt: skip
    message_send(
        household=household, author=personas.resident, text="message-marker",
        ground=Ground.OWN_DATA,
    )  # fmt: skip
    proposal_make(
        household=household, kind=PlanProposal.Kind.NEW_GOAL, user=personas.resident,
        ground=Ground.OWN_DATA, text="proposal-marker", domains=["finances"],
    )  # fmt: skip
    version = InstrumentVersion.objects.order_by("pk").first()
    assert version is not None
    Assessment.objects.create(
        household=household, person=person, instrument_version=version, moment="intake",
        perspective="worker", held_on=today, by=worker, note="assessment-marker",
    )  # fmt: skip
    Story.objects.create(
        title="story-marker", text="Een verhaal", written_on=today, source="worker",
        author=worker, household=household, about=person,
    )  # fmt: skip
    Tie.objects.create(
        household=household, person=person, name="tie-marker", kind="friend", added_on=today,
        recorded_by=worker,
    )  # fmt: skip
    NetworkVersion.objects.create(
        household=household, person=person, saved_on=today, label="version-marker",
        saved_by=worker,
    )  # fmt: skip
    Referral.objects.create(
        household=household, person=person, action=action, status_changed_at=now,
        created_by=worker, professional_name="referral-marker",
    )  # fmt: skip
    VolunteerRequest.objects.create(
        household=household, person=person, kind="buddy", asked="volunteer-marker",
        requested_by=worker,
    )  # fmt: skip
    Document.objects.create(
        household=household, title="document-marker", kind="letter", filename="brief.pdf",
        content_type="application/pdf", size=10, scan="clean", uploaded_by=worker,
    )  # fmt: skip
    partner = personas.partner_liaison.organisation
    assert partner is not None and household.address.neighbourhood is not None
    delivery = Delivery.objects.create(organisation=partner, channel="api", checksum="c")
    report = Report.objects.create(
        address_key="x|1", month=today.replace(day=1), address=household.address,
        household=household, team=household.address.neighbourhood.teams.first(),
        neighbourhood=household.address.neighbourhood, first_signal_date=today,
        first_attempt_due=today,
    )  # fmt: skip
    Signal.objects.create(
        delivery=delivery, organisation=partner, partner_kind="housing",
        partner_reference="signal-marker", signal_date=today, surname=person.surname,
        house_number=household.address.house_number, postcode=household.address.postcode,
        report=report, person=person,
    )  # fmt: skip
    decision_record(
        mandate=make_mandate(personas), household=household, person=person,
        what="mandate-marker", amount_cents=50_000, reason="Huurachterstand", user=worker,
        ground=Ground.INVOLVEMENT,
    )  # fmt: skip
    bring_case(personas, schedule(personas))
    return FullFile(person=person, household=household, resident=personas.resident, worker=worker)
