"""Messages between the resident and the workers involved: kept with the file, read under
the file's rules, every look logged, and the others told only that a message waits."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from buurtkracht.audit.models import Action, AuditEvent, Ground
from buurtkracht.casework.message_models import MESSAGE_MAX_LENGTH, Message
from buurtkracht.casework.message_queries import my_work_section, unread_counts
from buurtkracht.casework.services import message_send, messages_mark_read
from buurtkracht.households.models import Involvement
from buurtkracht.notifications.kinds import Kind
from buurtkracht.notifications.models import Notification
from tests import factories
from tests.conftest import Personas

pytestmark = pytest.mark.django_db

SECRET = "Mijn schulden bij de energieleverancier lopen op"


def _url(personas: Personas) -> str:
    return reverse("casework:messages", args=[personas.household.pk])


def _co_worker(personas: Personas) -> Any:
    co_worker = factories.UserFactory.create(username="collega2")
    Involvement.objects.create(
        household=personas.household,
        worker=co_worker,
        kind=Involvement.Kind.CO_WORKER,
        start_date=dt.date(2026, 1, 1),
    )
    return co_worker


def test_a_residents_message_tells_the_workers_once_and_names_nobody(
    personas: Personas,
) -> None:
    personas.make_worker_lead()
    co_worker = _co_worker(personas)
    message = message_send(
        household=personas.household, author=personas.resident, text=SECRET, ground="own_data"
    )
    told = Notification.objects.filter(kind=Kind.MESSAGE_WAITING)
    assert sorted(told.values_list("recipient_id", flat=True)) == sorted(
        [personas.worker.pk, co_worker.pk]
    )
    person = personas.resident.person
    assert person is not None
    for notification in told:
        assert notification.link == _url(personas)
        assert notification.dedupe_key == f"message:{message.pk}"
        for private in ("energie", "schulden", person.given_names, person.surname):
            assert private not in notification.text
        assert personas.household.address.street_line not in notification.text


def test_a_workers_message_tells_the_resident_and_the_other_workers(
    personas: Personas,
) -> None:
    personas.make_worker_lead()
    co_worker = _co_worker(personas)
    message_send(
        household=personas.household,
        author=personas.worker,
        text="Tot dinsdag",
        ground="involvement",
    )
    told = set(
        Notification.objects.filter(kind=Kind.MESSAGE_WAITING).values_list(
            "recipient_id", flat=True
        )
    )
    assert told == {personas.resident.pk, co_worker.pk}


def test_a_long_message_is_refused_with_its_length(personas: Personas) -> None:
    personas.make_worker_lead()
    with pytest.raises(ValidationError) as refused:
        message_send(
            household=personas.household,
            author=personas.resident,
            text="a" * (MESSAGE_MAX_LENGTH + 1),
            ground="own_data",
        )
    assert str(MESSAGE_MAX_LENGTH + 1) in str(refused.value)
    assert not Message.objects.exists()
    assert not Notification.objects.exists()


def test_the_page_refuses_a_long_message_and_keeps_what_was_typed(
    client: Client, personas: Personas
) -> None:
    client.force_login(personas.resident)
    typed = "Goedemorgen " + "b" * MESSAGE_MAX_LENGTH
    response = client.post(_url(personas), {"text": typed})
    assert response.status_code == 400
    page = response.content.decode()
    assert "tekens lang" in page and typed in page
    assert not Message.objects.exists()


def test_the_resident_writes_and_the_worker_reads_it(client: Client, personas: Personas) -> None:
    personas.make_worker_lead()
    client.force_login(personas.resident)
    response = client.post(_url(personas), {"text": SECRET})
    assert response.status_code == 302
    message = Message.objects.get()
    assert message.author == personas.resident
    assert AuditEvent.objects.filter(
        action=Action.CREATE, object_type="casework.Message", ground="own_data"
    ).exists()

    assert unread_counts(personas.worker, [personas.household.pk]) == {personas.household.pk: 1}
    client.force_login(personas.worker)
    file_page = client.get(reverse("workspace:household", args=[personas.household.pk]))
    assert "1 ongelezen" in file_page.content.decode()
    page = client.get(_url(personas)).content.decode()
    assert SECRET in page and "nieuw" in page
    assert unread_counts(personas.worker, [personas.household.pk]) == {}
    # Nobody is told of what they wrote themselves, and their own message is read.
    assert unread_counts(personas.resident, [personas.household.pk]) == {}
    assert not Notification.objects.filter(recipient=personas.resident).exists()


def test_the_team_leader_reads_along_but_does_not_write(client: Client, personas: Personas) -> None:
    personas.make_worker_lead()
    message_send(
        household=personas.household, author=personas.resident, text=SECRET, ground="own_data"
    )
    client.force_login(personas.team_leader)
    response = client.get(_url(personas))
    assert response.status_code == 200 and SECRET in response.content.decode()
    assert client.post(_url(personas), {"text": "Ik lees mee"}).status_code == 404
    assert Message.objects.count() == 1


@pytest.mark.parametrize(
    "name",
    [
        "colleague",
        "volunteer",
        "partner_liaison",
        "outside_professional",
        "circle_member",
        "policy_advisor",
        "privacy_officer",
    ],
)
def test_everyone_else_gets_404(client: Client, personas: Personas, name: str) -> None:
    message_send(
        household=personas.household, author=personas.resident, text=SECRET, ground="own_data"
    )
    client.force_login(getattr(personas, name))
    assert client.get(_url(personas)).status_code == 404
    assert client.post(_url(personas), {"text": "Hallo"}).status_code == 404
    assert Message.objects.count() == 1


def test_a_resident_reads_only_their_own_household(client: Client, personas: Personas) -> None:
    other = factories.MembershipFactory.create(
        household__address__neighbourhood=personas.household.address.neighbourhood
    ).household
    client.force_login(personas.resident)
    assert client.get(_url(personas)).status_code == 200
    assert client.get(reverse("casework:messages", args=[other.pk])).status_code == 404


def test_team_wide_reading_is_no_ground_for_the_conversation(
    client: Client, personas: Personas
) -> None:
    neighbourhood = personas.household.address.neighbourhood
    assert neighbourhood is not None
    municipality = neighbourhood.municipality
    municipality.team_wide_reading = True
    municipality.save()
    client.force_login(personas.worker)  # in the team, not involved
    file_url = reverse("workspace:household", args=[personas.household.pk])
    assert client.get(file_url).status_code == 200  # the file, on the team's ground
    assert client.get(_url(personas)).status_code == 404  # but not the conversation


def test_every_look_is_logged(client: Client, personas: Personas) -> None:
    personas.make_worker_lead()
    for user, ground in (
        (personas.resident, Ground.OWN_DATA),
        (personas.worker, Ground.INVOLVEMENT),
        (personas.team_leader, Ground.TEAM_LEADER),
    ):
        client.force_login(user)
        before = AuditEvent.objects.count()
        client.get(_url(personas))
        look = AuditEvent.objects.filter(action=Action.READ, actor_id=user.pk).first()
        assert look is not None and AuditEvent.objects.count() > before
        assert look.ground == ground and look.allowed
        assert look.details.get("page") == "messages"
    client.force_login(personas.colleague)
    client.get(_url(personas))
    assert AuditEvent.objects.filter(actor_id=personas.colleague.pk, allowed=False).exists()


def test_my_work_lists_waiting_messages_in_a_fixed_number_of_queries(
    rf: Any, personas: Personas, django_assert_num_queries: Any
) -> None:
    personas.make_worker_lead()
    households = [personas.household]
    for _n in range(3):
        household = factories.MembershipFactory.create(
            household__address__neighbourhood=personas.household.address.neighbourhood
        ).household
        Involvement.objects.create(
            household=household,
            worker=personas.worker,
            kind=Involvement.Kind.LEAD,
            start_date=dt.date(2026, 1, 1),
        )
        households.append(household)
    for household in households:
        Message.objects.create(household=household, author=personas.resident, text="Hallo")
    # Read by the worker already, and one they wrote themselves: nothing waits there.
    messages_mark_read(household=households[0], user=personas.worker, until=timezone.now())
    Message.objects.create(household=households[1], author=personas.worker, text="Ik kom morgen")
    request = rf.get("/")
    request.user = personas.worker
    with django_assert_num_queries(3):
        waiting = my_work_section(request)
    assert {w.household.pk for w in waiting} == {h.pk for h in households[1:]}
    assert all(w.unread == 1 for w in waiting)
