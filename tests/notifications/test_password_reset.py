"""Password reset by e-mail, for residents only; the form does not say whether an address
exists, and it is throttled."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import authenticate
from django.core import mail
from django.test import Client

from buurtkracht.audit.models import AuditEvent
from tests.conftest import Personas

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Een-nieuw-wachtwoord-voor-2027"


@pytest.fixture
def addresses(personas: Personas) -> Personas:
    personas.resident.email = "bewoner@voorbeeld.example"
    personas.resident.save()
    personas.worker.email = "wijkwerker@gemeente.example"
    personas.worker.save()
    return personas


def ask(client: Client, email: str) -> str:
    response = client.post("/accounts/wachtwoord-vergeten/", {"email": email}, follow=True)
    assert response.status_code == 200
    return response.content.decode()


def test_a_resident_resets_the_password_by_mail(addresses: Personas) -> None:
    client = Client()
    assert "Wachtwoord vergeten" in client.get("/accounts/login/").content.decode()
    ask(client, "Bewoner@Voorbeeld.example")
    assert len(mail.outbox) == 1
    body = str(mail.outbox[0].body)
    person = addresses.household.members.get()
    for word in (person.surname, addresses.household.address.street, "bewoner"):
        assert word not in body.replace("bewoner@", "")  # no name, no address
    link = re.search(r"https?://[^/\s]+(/accounts/wachtwoord-vergeten/nieuw/\S+)", body)
    assert link
    page = client.get(link.group(1), follow=True)
    assert "new_password1" in page.content.decode()
    done = client.post(
        page.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
        follow=True,
    )
    assert done.status_code == 200
    assert authenticate(username="bewoner", password=NEW_PASSWORD) is not None
    assert AuditEvent.objects.filter(actor_id=addresses.resident.pk).exists()
    # The link works once.
    again = client.get(link.group(1), follow=True)
    assert "new_password1" not in again.content.decode()


def test_staff_and_unknown_addresses_get_the_same_answer_and_no_mail(
    addresses: Personas,
) -> None:
    client = Client()
    resident_page = ask(client, "bewoner@voorbeeld.example")
    mail.outbox.clear()
    staff_page = ask(Client(), "wijkwerker@gemeente.example")
    unknown_page = ask(Client(), "niemand@nergens.example")
    assert not mail.outbox

    def main(html: str) -> str:
        return html[html.index("<main") : html.index("</main>")]

    assert main(resident_page) == main(staff_page) == main(unknown_page)


def test_a_staff_reset_link_made_elsewhere_does_not_work(addresses: Personas) -> None:
    from django.contrib.auth.tokens import default_token_generator
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    user = addresses.worker
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    page = Client().get(f"/accounts/wachtwoord-vergeten/nieuw/{uid}/{token}/", follow=True)
    assert "new_password1" not in page.content.decode()


def test_the_form_is_throttled_per_address(addresses: Personas) -> None:
    client = Client()
    for _ in range(6):
        ask(client, "bewoner@voorbeeld.example")
    assert len(mail.outbox) == 3
