"""The pages of volunteer requests: who may open them, what they show, what they log."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from buurtkracht.accounts.models import Role
from buurtkracht.audit.models import AuditEvent, Ground
from buurtkracht.volunteering.models import Visit, VolunteerRequest
from buurtkracht.volunteering.services import visit_record, volunteer_request_end
from tests import factories
from tests.conftest import Personas
from tests.volunteering.helpers import ask, consent_for, coordinator, matched, resident_of

pytestmark = pytest.mark.django_db
Status = VolunteerRequest.Status


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def last_event(user: Any) -> AuditEvent:
    event = AuditEvent.objects.filter(actor_id=user.pk).order_by("-sequence").first()
    assert event is not None
    return event


def test_anonymous_visitors_are_sent_to_the_login(client: Client, personas: Personas) -> None:
    for path in ("/vrijwilligers/hulpvragen/", "/vrijwilligers/mijn/"):
        response = client.get(path)
        assert response.status_code == 302 and "login" in response["Location"]


def test_the_volunteer_sees_only_the_agreed_fields(personas: Personas) -> None:
    person = resident_of(personas)
    address = personas.household.address
    vrequest = matched(personas)
    client = client_for(personas.volunteer)
    body = client.get(f"/vrijwilligers/mijn/{vrequest.pk}/").content.decode()
    assert "Fatma" in body
    assert "Samen wandelen op dinsdag" in body
    assert address.neighbourhood is not None and address.neighbourhood.name in body
    assert person.surname not in body
    assert "Gül" not in body  # the second given name is not the first name
    assert address.street not in body
    assert person.phone not in body
    assert f"/huishoudens/{personas.household.pk}/" not in body
    event = last_event(personas.volunteer)
    assert event.ground == Ground.CONSENT and event.subject_ids == [person.pk]

    listing = client.get("/vrijwilligers/mijn/").content.decode()
    assert "Fatma" in listing and person.surname not in listing
    assert last_event(personas.volunteer).details["page"] == "my volunteer requests"


def test_address_and_phone_are_shown_only_when_agreed(personas: Personas) -> None:
    person = resident_of(personas)
    vrequest = matched(personas, share_address=True, share_phone=True)
    body = client_for(personas.volunteer).get(f"/vrijwilligers/mijn/{vrequest.pk}/").content
    text = body.decode()
    assert personas.household.address.street in text
    assert person.phone in text
    assert person.surname not in text


def test_a_volunteer_who_is_not_matched_gets_a_404(personas: Personas) -> None:
    vrequest = matched(personas)
    other = factories.UserFactory.create(roles=[Role.VOLUNTEER])
    response = client_for(other).get(f"/vrijwilligers/mijn/{vrequest.pk}/")
    assert response.status_code == 404
    assert last_event(other).allowed is False
    # After the match ends the volunteer loses access too.
    volunteer_request_end(
        vrequest=vrequest, reason="Klaar.", ended_by=personas.worker, ground="involvement"
    )
    assert (
        client_for(personas.volunteer).get(f"/vrijwilligers/mijn/{vrequest.pk}/").status_code == 404
    )


def test_withdrawn_consent_hides_the_resident_at_once(personas: Personas) -> None:
    from buurtkracht.households.consent import Purpose, consent_record
    from buurtkracht.volunteering.services import volunteer_name

    resident_of(personas)
    vrequest = matched(personas)
    consent_record(
        person=vrequest.person,
        purpose=Purpose.SHARE_WITH_VOLUNTEER,
        given=False,
        method="spoken",
        recorded_by=personas.worker,
        counterpart=volunteer_name(personas.volunteer),
    )
    body = client_for(personas.volunteer).get(f"/vrijwilligers/mijn/{vrequest.pk}/").content
    assert "Fatma" not in body.decode()
    assert "wil zijn of haar gegevens niet meer delen" in body.decode()


def test_the_volunteer_records_a_visit(personas: Personas) -> None:
    vrequest = matched(personas)
    client = client_for(personas.volunteer)
    page = client.get(f"/vrijwilligers/mijn/{vrequest.pk}/").content.decode()
    assert timezone.localdate().strftime("%d-%m-%Y") in page  # the date defaults to today
    response = client.post(
        f"/vrijwilligers/mijn/{vrequest.pk}/",
        {"date": timezone.localdate().strftime("%d-%m-%Y"), "minutes": "", "note": "Koffie"},
    )
    assert response.status_code == 400
    assert "Vul in hoeveel minuten het bezoek duurde." in response.content.decode()
    response = client.post(
        f"/vrijwilligers/mijn/{vrequest.pk}/",
        {
            "date": timezone.localdate().strftime("%d-%m-%Y"),
            "minutes": "45",
            "note": "Koffie gedronken.",
            "worker_should_know": "on",
        },
    )
    assert response.status_code == 302
    visit = Visit.objects.get()
    assert visit.minutes == 45 and visit.worker_should_know


def test_the_worker_asks_from_the_household_file(personas: Personas) -> None:
    personas.make_worker_lead()
    person = personas.household.members.get()
    client = client_for(personas.worker)
    assert "Vrijwilligers" in client.get(f"/huishoudens/{personas.household.pk}/").content.decode()
    url = f"/vrijwilligers/huishouden/{personas.household.pk}/nieuw/"
    assert client.get(url).status_code == 200
    response = client.post(url, {"person": str(person.pk), "kind": "buddy", "asked": ""})
    assert response.status_code == 400
    assert "Schrijf in een paar woorden welke hulp er gevraagd wordt" in response.content.decode()
    assert VolunteerRequest.objects.count() == 0
    response = client.post(
        url, {"person": str(person.pk), "kind": "transport", "asked": "Vervoer naar het ziekenhuis"}
    )
    assert response.status_code == 302
    vrequest = VolunteerRequest.objects.get()
    assert vrequest.requested_by == personas.worker and not vrequest.share_address
    listing = client.get(f"/vrijwilligers/huishouden/{personas.household.pk}/").content.decode()
    assert "Vervoer naar het ziekenhuis" in listing and "Wacht op een vrijwilliger" in listing


def test_outsiders_cannot_ask_or_read_for_a_household(personas: Personas) -> None:
    personas.make_worker_lead()
    for user in (personas.colleague, personas.volunteer, personas.partner_liaison):
        client = client_for(user)
        for path in (
            f"/vrijwilligers/huishouden/{personas.household.pk}/",
            f"/vrijwilligers/huishouden/{personas.household.pk}/nieuw/",
        ):
            assert client.get(path).status_code == 404
    # The resident reads the requests about their household, but cannot ask.
    client = client_for(personas.resident)
    assert client.get(f"/vrijwilligers/huishouden/{personas.household.pk}/").status_code == 200
    assert (
        client.get(f"/vrijwilligers/huishouden/{personas.household.pk}/nieuw/").status_code == 404
    )


def test_the_coordinator_queue_shows_the_oldest_first_with_waiting_time(
    personas: Personas,
) -> None:
    resident_of(personas)
    newer = ask(personas, kind="visitor")
    older = ask(personas, kind="paperwork")
    VolunteerRequest.objects.filter(pk=older.pk).update(
        requested_at=timezone.now() - dt.timedelta(days=4, hours=2)
    )
    boss = coordinator()
    client = client_for(boss)
    body = client.get("/vrijwilligers/hulpvragen/").content.decode()
    assert body.index("Hulp bij formulieren") < body.index("Bezoekvrijwilliger")
    assert "wacht al 4 dagen en 2 uur" in body
    assert "Yılmazoğlu" not in body
    assert set(last_event(boss).subject_ids) == {newer.person_id}
    assert last_event(boss).ground == Ground.ROLE
    # Others do not reach the coordinator's pages.
    for user in (personas.worker, personas.volunteer, personas.team_leader):
        assert client_for(user).get("/vrijwilligers/hulpvragen/").status_code == 404
        assert client_for(user).get(f"/vrijwilligers/hulpvragen/{older.pk}/").status_code == 404


def test_the_coordinator_matches_after_consent_and_sees_no_file(personas: Personas) -> None:
    person = resident_of(personas)
    vrequest = ask(personas)
    boss = coordinator()
    client = client_for(boss)
    detail = client.get(f"/vrijwilligers/hulpvragen/{vrequest.pk}/").content.decode()
    assert "Fatma" in detail and person.surname not in detail
    assert personas.worker.get_full_name() in detail and "Team Oost" in detail
    assert f"/huishoudens/{personas.household.pk}/" not in detail

    response = client.post(
        f"/vrijwilligers/hulpvragen/{vrequest.pk}/koppelen/", {"volunteer": personas.volunteer.pk}
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert "Er is geen toestemming" in text and personas.worker.get_full_name() in text
    vrequest.refresh_from_db()
    assert vrequest.status == Status.OPEN and vrequest.volunteer is None
    assert vrequest.proposed_volunteer == personas.volunteer
    # The worker sees whose name to ask the resident about.
    worker_page = client_for(personas.worker).get(
        f"/vrijwilligers/huishouden/{personas.household.pk}/"
    )
    assert "De coördinator stelt" in worker_page.content.decode()

    consent_for(person, personas.volunteer, personas.worker)
    response = client.post(
        f"/vrijwilligers/hulpvragen/{vrequest.pk}/koppelen/", {"volunteer": personas.volunteer.pk}
    )
    assert response.status_code == 302
    vrequest.refresh_from_db()
    assert vrequest.status == Status.MATCHED and vrequest.volunteer == personas.volunteer
    queue = client.get("/vrijwilligers/hulpvragen/").content.decode()
    assert "Gemiddelde tijd van vraag tot koppeling" in queue

    response = client.post(f"/vrijwilligers/hulpvragen/{vrequest.pk}/beeindigen/", {"reason": ""})
    assert response.status_code == 400
    response = client.post(
        f"/vrijwilligers/hulpvragen/{vrequest.pk}/beeindigen/", {"reason": "Ze redt het zelf."}
    )
    assert response.status_code == 302
    vrequest.refresh_from_db()
    assert vrequest.status == Status.ENDED


def test_my_work_shows_each_role_its_part(personas: Personas) -> None:
    resident_of(personas)
    vrequest = matched(personas)
    visit_record(
        vrequest=vrequest,
        volunteer=personas.volunteer,
        date=timezone.localdate(),
        minutes=30,
        note="Ze maakt zich zorgen over een brief.",
        worker_should_know=True,
    )
    ask(personas)
    volunteer_page = client_for(personas.volunteer).get("/").content.decode()
    assert "Mijn hulpvragen" in volunteer_page and "Fatma" in volunteer_page
    worker_page = client_for(personas.worker).get("/").content.decode()
    assert "Ze maakt zich zorgen over een brief." in worker_page
    assert last_event(personas.worker).subject_ids
    coordinator_page = client_for(coordinator()).get("/").content.decode()
    assert "1 hulpvraag wacht op een vrijwilliger." in coordinator_page
    # A colleague of another team sees none of it.
    assert "zorgen over een brief" not in client_for(personas.colleague).get("/").content.decode()


def test_pages_keep_their_query_count(
    personas: Personas, django_assert_max_num_queries: Any
) -> None:
    for _ in range(3):
        ask(personas)
    client = client_for(coordinator())
    with django_assert_max_num_queries(20):
        assert client.get("/vrijwilligers/hulpvragen/").status_code == 200
    worker = client_for(personas.worker)
    with django_assert_max_num_queries(30):
        assert worker.get(f"/vrijwilligers/huishouden/{personas.household.pk}/").status_code == 200


def test_the_coordinators_refusal_names_the_resident_by_first_name_only(
    personas: Personas,
) -> None:
    """Issue 15, finding 9: the refusal said "no consent from Fatma Yılmazoğlu"; the
    coordinator knows the resident by first name everywhere else."""
    person = resident_of(personas)
    vrequest = ask(personas)
    response = client_for(coordinator()).post(
        f"/vrijwilligers/hulpvragen/{vrequest.pk}/koppelen/", {"volunteer": personas.volunteer.pk}
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert "Er is geen toestemming van Fatma" in text
    assert person.surname not in text
