"""Each kind of notification fires once, and only to the right people; no mail carries a
resident's name or address (issue 18: Done when)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core import mail
from django.utils import timezone

from buurtkracht.accounts.models import Role
from buurtkracht.casework.intake.registration import intake_create
from buurtkracht.casework.models import Action, Appointment, Plan, Step
from buurtkracht.casework.services import appointment_cancel, appointment_plan, message_send
from buurtkracht.casework.services.appointments import local_moment
from buurtkracht.core.models import Area
from buurtkracht.households.grants import involvement_grant
from buurtkracht.households.models import GrantPath, Involvement
from buurtkracht.households.services import emergency_access_start
from buurtkracht.notifications.kinds import Kind
from buurtkracht.notifications.models import Notification
from buurtkracht.referrals.models import Referral
from buurtkracht.referrals.services import referral_advance
from buurtkracht.socialmap.models import Resource
from buurtkracht.socialmap.services import ResourceInput, resource_propose
from buurtkracht.volunteering.services import visit_record
from buurtkracht.workspace.due import due_notify
from tests import factories
from tests.casework.stories import story_one_plan
from tests.clock import at_each_awkward_instant
from tests.conftest import Personas
from tests.initiatives.helpers import propose as initiative_propose
from tests.notifications.helpers import (
    assert_no_resident_data_in_mail,
    everyone_mailed_at_once,
    told,
)
from tests.referrals.helpers import in_days, make_world
from tests.referrals.helpers import propose as referral_propose
from tests.volunteering.helpers import matched

pytestmark = pytest.mark.django_db


@pytest.fixture
def commit(django_capture_on_commit_callbacks: Any) -> Any:
    """The tests run in a transaction that never commits: `with commit():` runs what the
    services leave for the commit (the mail at once), as a real commit would."""

    def committed() -> Any:
        return django_capture_on_commit_callbacks(execute=True)

    return committed


REASON = "Crisis in de nacht, de eigen regisseur is niet bereikbaar; het kan niet wachten."


def neighbourhood_of(personas: Personas) -> Area:
    area = personas.household.address.neighbourhood
    assert area is not None
    return area


def mailed_to() -> list[str]:
    return sorted(address.split("@")[0] for m in mail.outbox for address in m.to)


def test_a_household_assigned_tells_the_worker_not_the_team_leader(
    personas: Personas, commit: Any
) -> None:
    everyone_mailed_at_once(personas)
    team = neighbourhood_of(personas).teams.get()
    with commit():
        involvement_grant(
            household=personas.household,
            worker=personas.worker,
            kind=Involvement.Kind.LEAD,
            via=GrantPath.INTAKE,
            by=personas.team_leader,
            team=team,
        )
    assert told(Kind.HOUSEHOLD_ASSIGNED) == ["wijkwerker"]
    assert mailed_to() == ["wijkwerker"]
    notification = Notification.objects.get()
    assert notification.link == f"/huishoudens/{personas.household.pk}/"
    assert_no_resident_data_in_mail(personas.household)


def test_a_new_intake_tells_who_assigns_in_the_team(personas: Personas, commit: Any) -> None:
    everyone_mailed_at_once(personas)
    with commit():
        intake_create(
            description="Buurvrouw maakt zich zorgen.",
            name="",
            postcode="9990AB",
            house_number=personas.household.address.house_number,
            user=personas.worker,
        )
    # The team leader assigns; the worker who registered it, and other teams, hear nothing.
    assert told(Kind.INTAKE_NEW) == ["teamleider"]
    assert mailed_to() == ["teamleider"]
    assert_no_resident_data_in_mail(personas.household)


def test_a_new_intake_tells_members_where_members_assign(personas: Personas) -> None:
    team = neighbourhood_of(personas).teams.get()
    team.members_may_assign = True
    team.save()
    intake_create(description="Zorgen over de buren.", name="Iemand", user=personas.team_leader)
    assert told(Kind.INTAKE_NEW) == ["wijkwerker"]


def test_emergency_access_tells_the_team_leader_and_privacy_officer(
    personas: Personas, commit: Any
) -> None:
    everyone_mailed_at_once(personas)
    with commit():
        emergency_access_start(
            worker=personas.colleague,
            household=personas.household,
            reason=REASON,
        )
    assert told(Kind.EMERGENCY_ACCESS) == ["privacy", "teamleider"]
    assert mailed_to() == ["privacy", "teamleider"]
    assert_no_resident_data_in_mail(personas.household)


def test_a_referral_dropped_out_tells_the_lead_worker_once(personas: Personas, commit: Any) -> None:
    world = make_world(personas)
    everyone_mailed_at_once(personas)
    referral = referral_propose(personas, world)
    referral = referral_advance(
        referral=referral,
        status=Referral.Status.KEPT,
        user=personas.worker,
        follow_up_on=in_days(5),
    )
    assert not told(Kind.REFERRAL_DROPPED_OUT)
    with commit():
        referral_advance(
            referral=referral,
            status=Referral.Status.DROPPED_OUT,
            user=personas.team_leader,
            reason="Niet meer gekomen.",
        )
    assert told(Kind.REFERRAL_DROPPED_OUT) == ["wijkwerker"]
    assert mailed_to() == ["wijkwerker"]
    assert_no_resident_data_in_mail(personas.household)


def test_a_flagged_visit_tells_the_worker_and_an_unflagged_one_nobody(
    personas: Personas, commit: Any
) -> None:
    vrequest = matched(personas)
    everyone_mailed_at_once(personas)
    today = timezone.localdate()
    visit_record(
        vrequest=vrequest,
        volunteer=personas.volunteer,
        date=today,
        minutes=60,
        note="Gezellig gewandeld.",
    )
    assert not told(Kind.VISIT_FLAGGED)
    with commit():
        visit_record(
            vrequest=vrequest,
            volunteer=personas.volunteer,
            date=today,
            minutes=30,
            note="Ze maakt zich zorgen over een brief.",
            worker_should_know=True,
        )
    assert told(Kind.VISIT_FLAGGED) == ["wijkwerker"]  # asked for it and leads: told once
    assert mailed_to() == ["wijkwerker"]
    assert_no_resident_data_in_mail(personas.household)


def test_proposals_tell_the_moderators(personas: Personas, commit: Any) -> None:
    community = factories.UserFactory.create(username="opbouw", roles=[Role.COMMUNITY_WORKER])
    everyone_mailed_at_once(personas, community)
    with commit():
        resource_propose(
            data=ResourceInput(
                name="Koffieochtend Lindenkerk",
                provider_name="Lindenkerk",
                description="Elke dinsdag koffie.",
                kind=Resource.Kind.CHURCH,
                access=Resource.Access.OPEN,
                life_domains=["daily_living"],
            ),
            user=personas.volunteer,
        )
    # The social map's moderators: community workers and team leaders.
    assert told(Kind.PROPOSAL) == ["opbouw", "teamleider"]
    Notification.objects.all().delete()
    initiative_propose(neighbourhood_of(personas))
    assert told(Kind.PROPOSAL) == ["opbouw"]
    assert_no_resident_data_in_mail(personas.household)


def test_the_daily_sweep_tells_what_is_due_once(personas: Personas, commit: Any) -> None:
    world = make_world(personas)
    everyone_mailed_at_once(personas)
    today = timezone.localdate()
    plan = world.action.goal.plan
    Action.objects.filter(goal__plan=plan).update(due_date=today + dt.timedelta(days=30))
    due = Action.objects.filter(goal__plan=plan, step=Step.INDIVIDUAL_PROVISION).first()
    assert due is not None
    Action.objects.filter(pk=due.pk).update(due_date=today)
    Plan.objects.filter(pk=plan.pk).update(review_date=today)
    referral = referral_propose(personas, world)
    Referral.objects.filter(pk=referral.pk).update(follow_up_on=today - dt.timedelta(days=1))

    with commit():
        due_notify()
    with commit():
        due_notify()  # twice in a day: nobody is told twice

    assert told(Kind.ACTION_DUE) == ["wijkwerker"]
    assert told(Kind.REVIEW_DUE) == ["wijkwerker"]
    assert told(Kind.REFERRAL_OVERDUE) == ["wijkwerker"]
    assert sorted(mailed_to()) == ["wijkwerker"] * 3
    # A new due date is a new event.
    Action.objects.filter(pk=due.pk).update(due_date=today - dt.timedelta(days=1))
    due_notify()
    assert told(Kind.ACTION_DUE) == ["wijkwerker", "wijkwerker"]
    # Closed, the aftercare check falls due for the lead worker.
    Plan.objects.filter(pk=plan.pk).update(
        closed_on=today - dt.timedelta(days=90), aftercare_on=today
    )
    due_notify()
    due_notify()
    assert told(Kind.AFTERCARE_DUE) == ["wijkwerker"]
    assert_no_resident_data_in_mail(personas.household)


def test_actions_due_long_ago_are_not_announced_anew(personas: Personas) -> None:
    personas.make_worker_lead()
    plan = story_one_plan(personas)
    Action.objects.filter(goal__plan=plan).update(
        due_date=timezone.localdate() - dt.timedelta(days=60)
    )
    due_notify()
    assert not told(Kind.ACTION_DUE)


def test_nobody_without_a_role_in_the_event_is_told(personas: Personas) -> None:
    """The colleague of another team, the resident, the partner and the policy advisor
    hear of nothing in all of the above."""
    personas.make_worker_lead()
    emergency_access_start(
        worker=personas.worker,
        household=personas.household,
        reason=REASON,
    )
    intake_create(description="Zorgen.", name="Iemand", user=personas.worker)
    recipients = set(Notification.objects.values_list("recipient__username", flat=True))
    assert recipients.isdisjoint({"collega", "bewoner", "partner", "beleid", "wijkwerker"})


@at_each_awkward_instant
def test_the_sweep_reminds_each_worker_of_tomorrows_appointment_once(
    personas: Personas, clock_instant: dt.datetime, commit: Any
) -> None:
    involvement = personas.make_worker_lead()
    everyone_mailed_at_once(personas)
    today = timezone.localdate()
    tomorrow = today + dt.timedelta(days=1)
    planned = []
    for on, at in ((tomorrow, dt.time(9, 0)), (tomorrow, dt.time(15, 30)), (today, dt.time(23, 0))):
        starts = local_moment(on, at)
        planned.append(
            appointment_plan(
                household=personas.household,
                user=personas.worker,
                kind=Appointment.Kind.HOME_VISIT,
                starts_at=starts,
                ends_at=starts + dt.timedelta(minutes=45),
                workers=[personas.worker],
                allowed_workers=[personas.worker.pk],
            )
        )
    appointment_cancel(appointment=planned[1], user=personas.worker, reason="Ziek gemeld")

    with commit():
        due_notify()
    with commit():
        due_notify()  # run twice: nobody is told twice

    # Only tomorrow's appointment that goes ahead; not today's, not the cancelled one.
    reminders = Notification.objects.filter(kind=Kind.APPOINTMENT_TOMORROW)
    assert [n.recipient.username for n in reminders] == ["wijkwerker"]
    assert "09:00" in reminders.get().text
    assert reminders.get().link.endswith(f"/afspraken/{planned[0].pk}/")
    assert_no_resident_data_in_mail(personas.household)
    # A worker no longer involved in the household is not reminded of its address.
    Notification.objects.all().delete()
    involvement.end_date = today - dt.timedelta(days=1)
    involvement.save()
    due_notify()
    assert not told(Kind.APPOINTMENT_TOMORROW)


def test_a_message_tells_the_others_in_the_conversation_once_by_mail_without_its_text(
    personas: Personas, commit: Any
) -> None:
    personas.make_worker_lead()
    everyone_mailed_at_once(personas)
    with commit():
        message = message_send(
            household=personas.household,
            author=personas.resident,
            text="Mijn huurachterstand is opgelopen",
            ground="own_data",
        )
    assert told(Kind.MESSAGE_WAITING) == ["wijkwerker"]
    assert mailed_to() == ["wijkwerker"]
    assert all("huurachterstand" not in m.body for m in mail.outbox)
    assert_no_resident_data_in_mail(personas.household)
    with commit():
        message_send(
            household=personas.household,
            author=personas.worker,
            text="Ik bel u morgen",
            ground="involvement",
        )
    assert told(Kind.MESSAGE_WAITING) == ["bewoner", "wijkwerker"]
    assert Notification.objects.filter(dedupe_key=f"message:{message.pk}").count() == 1
