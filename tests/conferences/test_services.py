"""Scheduling, the agenda, decisions and their actions in the plan, precedents."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from buurtkracht.casework.models import Action, Step
from buurtkracht.conferences.models import Conference
from buurtkracht.conferences.queries import agenda_for, precedents_search
from buurtkracht.conferences.services import (
    case_action_add,
    case_add,
    case_decide,
    conference_schedule,
    precedent_mark,
)
from buurtkracht.households.consent import consent_record
from buurtkracht.households.models import Consent
from buurtkracht.notifications.models import Notification
from tests import factories
from tests.conferences.helpers import (
    ANONYMISED,
    QUESTION,
    bring_case,
    consent_debt_bank,
    identifying,
    next_week,
    schedule,
)
from tests.conftest import Personas

pytestmark = pytest.mark.django_db


def test_scheduling_tells_the_participants_and_not_the_one_who_scheduled(
    personas: Personas,
) -> None:
    conference = schedule(personas)
    assert set(conference.participants.all()) == {
        personas.worker,
        personas.team_leader,
        personas.outside_professional,
    }
    told = Notification.objects.filter(dedupe_key=f"conference-scheduled-{conference.pk}")
    assert {n.recipient for n in told} == {personas.team_leader, personas.outside_professional}
    assert all("Wijkcentrum De Linde" in n.text for n in told)


def test_a_multidisciplinary_conference_needs_an_outside_professional(
    personas: Personas,
) -> None:
    team = personas.team_leader.team_memberships.get().team
    with pytest.raises(ValidationError) as refused:
        conference_schedule(
            team=team,
            kind=Conference.Kind.MULTIDISCIPLINARY,
            starts_at=next_week(),
            place="Kamer 1",
            chair=personas.team_leader,
            participants=[personas.worker],
            user=personas.worker,
        )
    assert "participants" in refused.value.message_dict


def test_participants_come_from_the_team_or_partner_organisations(personas: Personas) -> None:
    team = personas.team_leader.team_memberships.get().team
    with pytest.raises(ValidationError) as refused:
        conference_schedule(
            team=team,
            kind=Conference.Kind.TEAM,
            starts_at=next_week(),
            place="Kamer 1",
            chair=personas.team_leader,
            participants=[personas.colleague, personas.volunteer],
            user=personas.worker,
        )
    assert "participants" in refused.value.message_dict
    # Nor does a worker of another team schedule this team's conference.
    with pytest.raises(ValidationError) as refused:
        conference_schedule(
            team=team,
            kind=Conference.Kind.TEAM,
            starts_at=next_week(),
            place="Kamer 1",
            chair=personas.team_leader,
            participants=[],
            user=personas.colleague,
        )
    assert "team" in refused.value.message_dict


def test_only_a_participant_who_may_read_the_file_brings_a_case(personas: Personas) -> None:
    conference = schedule(personas)
    for user in (personas.outside_professional, personas.colleague):
        with pytest.raises(ValidationError):
            case_add(
                conference=conference,
                household=personas.household,
                anonymised=ANONYMISED,
                question=QUESTION,
                user=user,
            )
    assert bring_case(personas, conference).anonymised == ANONYMISED


def test_a_description_that_names_the_household_is_refused(personas: Personas) -> None:
    conference = schedule(personas)
    personas.make_worker_lead()
    for word in identifying(personas):
        with pytest.raises(ValidationError) as refused:
            case_add(
                conference=conference,
                household=personas.household,
                anonymised=f"Casus: gezin {word}",
                question=QUESTION,
                user=personas.worker,
            )
        assert "anonymised" in refused.value.message_dict, word


def test_each_reader_sees_the_case_by_name_only_on_a_ground(personas: Personas) -> None:
    conference = schedule(personas)
    bring_case(personas, conference)

    def named(user: object) -> bool:
        return agenda_for(user, conference).items[0].named  # type: ignore[arg-type]

    assert named(personas.worker)  # involved
    assert named(personas.team_leader)  # leads the serving team
    assert not named(personas.outside_professional)  # no consent yet
    consent_debt_bank(personas)
    assert named(personas.outside_professional)
    assert agenda_for(personas.outside_professional, conference).items[0].ground == "consent"
    consent_debt_bank(personas, given=False)  # withdrawn: holds at once
    assert not named(personas.outside_professional)


def test_decided_actions_land_in_the_plan_with_step_and_owner(personas: Personas) -> None:
    conference = schedule(personas)
    case = bring_case(personas, conference)
    with pytest.raises(ValidationError):  # only the chair records
        case_decide(
            case=case,
            decision="Snelle intake",
            reasons="Dreigende ontruiming",
            user=personas.worker,
        )
    case_decide(
        case=case,
        decision="Snelle intake bij de kredietbank aanvragen",
        reasons="De huurachterstand loopt op; budgetbeheer alleen is te traag.",
        user=personas.team_leader,
    )
    action = case_action_add(
        case=case,
        goal=None,
        goal_text="Geen schulden meer bij de verhuurder",
        domain="finances",
        description="Intake bij de kredietbank plannen",
        owner="Kredietbank Test",
        step=Step.INDIVIDUAL_PROVISION,
        due_date=None,
        user=personas.team_leader,
    )
    stored = Action.objects.select_related("goal__plan").get(pk=action.pk)
    assert stored.goal.plan.household == personas.household
    assert stored.step == Step.INDIVIDUAL_PROVISION and stored.owner == "Kredietbank Test"
    assert stored.goal.domains == ["finances"]
    assert list(case.actions.all()) == [stored]
    # A second action under the goal now in the plan.
    case_action_add(
        case=case,
        goal=stored.goal,
        goal_text="",
        domain="",
        description="Post samen openen",
        owner="de bewoner",
        step=Step.OWN_STRENGTH,
        due_date=None,
        user=personas.team_leader,
    )
    assert stored.goal.actions.count() == 2


def test_a_decision_that_names_the_household_is_refused(personas: Personas) -> None:
    case = bring_case(personas, schedule(personas))
    surname = identifying(personas)[0]
    with pytest.raises(ValidationError) as refused:
        case_decide(
            case=case,
            decision=f"Familie {surname} krijgt een snelle intake",
            reasons="Schulden",
            user=personas.team_leader,
        )
    assert "decision" in refused.value.message_dict


def test_precedents_are_found_by_word_and_life_domain(personas: Personas) -> None:
    case = bring_case(personas, schedule(personas))
    case_decide(
        case=case, decision="Snelle intake", reasons="Ontruiming dreigt", user=personas.team_leader
    )
    precedent = precedent_mark(
        case=case,
        title="Huurachterstand en dreigende ontruiming",
        situation="Gezin met drie kinderen, huurachterstand van vier maanden.",
        consideration="Budgetbeheer alleen duurt te lang.",
        decision="Snelle intake bij de kredietbank.",
        principle="Wonen gaat voor: eerst de ontruiming voorkomen.",
        domain="housing",
        user=personas.team_leader,
    )
    assert precedents_search(words="ontruiming") == [precedent]
    assert precedents_search(words="ontruiming", domain="housing") == [precedent]
    assert precedents_search(words="ontruiming", domain="addiction") == []
    assert precedents_search(words="verslaving") == []
    with pytest.raises(ValidationError):  # once per decision
        precedent_mark(
            case=case,
            title="Nog eens",
            situation="x",
            consideration="x",
            decision="x",
            principle="x",
            domain="housing",
            user=personas.team_leader,
        )


def test_a_precedent_that_names_the_household_is_refused(personas: Personas) -> None:
    case = bring_case(personas, schedule(personas))
    case_decide(
        case=case, decision="Snelle intake", reasons="Ontruiming dreigt", user=personas.team_leader
    )
    street = identifying(personas)[2]
    with pytest.raises(ValidationError) as refused:
        precedent_mark(
            case=case,
            title="Huurachterstand",
            situation=f"Gezin aan de {street}",
            consideration="x",
            decision="x",
            principle="x",
            domain="housing",
            user=personas.team_leader,
        )
    assert "situation" in refused.value.message_dict


def test_every_adult_must_consent_a_child_need_not(personas: Personas) -> None:
    conference = schedule(personas)
    bring_case(personas, conference)
    consent_debt_bank(personas)  # the first adult only
    household = personas.household
    partner = factories.MembershipFactory.create(household=household)
    factories.MembershipFactory.create(household=household, person__child=True)

    def named() -> bool:
        return agenda_for(personas.outside_professional, conference).items[0].named

    assert not named()
    organisation = personas.outside_professional.organisation
    consent_record(
        person=partner.person,
        purpose=Consent.Purpose.SHARE_WITH_ORGANISATION,
        organisation=organisation,
        given=True,
        method=Consent.Method.WRITTEN,
        recorded_by=personas.worker,
    )
    assert named()
