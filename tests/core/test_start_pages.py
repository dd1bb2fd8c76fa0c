"""The start page: a resident lands on their own file and their neighbourhood, in plain
words, without staff text."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from buurtkracht.accounts.models import Role, User
from buurtkracht.audit.models import AuditEvent, Ground
from buurtkracht.households.models import Involvement
from tests import factories
from tests.conftest import Personas

pytestmark = pytest.mark.django_db

# The old placeholder ("Binnenkort — Hier komen straks …"). "Binnenkort" alone is also the
# worker's real "Due soon" heading, so the placeholder is recognised by its sentence.
PLACEHOLDERS = ("Hier komen straks", "Coming soon", "will appear here")
NO_TEAM = "U zit niet in een wijkteam"


def page_of(user: User) -> str:
    client = Client()
    client.force_login(user)
    response = client.get(reverse("core:my-work"))
    assert response.status_code == 200
    return response.content.decode()


def links_in(html: str) -> set[str]:
    main = html.split('<main id="main"', 1)[1].split("</main>", 1)[0]
    return set(re.findall(r'href="([^"#]+)"', main))


def assert_links_open(user: User, html: str) -> None:
    client = Client()
    client.force_login(user)
    for link in links_in(html):
        if link.startswith("tel:"):
            continue
        response = client.get(link)
        assert response.status_code == 200, f"{link} answers {response.status_code} to {user}"


# The resident.


def test_resident_finds_their_own_file_and_neighbourhood_without_staff_text(
    personas: Personas,
) -> None:
    personas.worker.first_name, personas.worker.last_name = "Sanne", "Visser"
    personas.worker.phone = "020 123 45 67"
    personas.worker.save()
    personas.make_worker_lead()
    other = factories.MembershipFactory.create()  # someone else's household
    resident = personas.resident
    html = page_of(resident)
    household = personas.household.pk
    for url in (
        reverse("households:detail", args=[household]),
        reverse("casework:plan", args=[household]),
        reverse("outcomes:progress", args=[household]),
        reverse("network:map", args=[household]),
        reverse("households:consents", args=[household]),
        reverse("audit:my-looks"),
        reverse("voting:index"),
        reverse("initiatives:propose"),
        reverse("initiatives:results"),
    ):
        assert f'href="{url}"' in html, url
    assert reverse("households:detail", args=[other.household_id]) not in html
    assert "Uw huishouden in Lindenbuurt" in html
    assert "Uw contactpersoon is Sanne Visser." in html
    assert "020 123 45 67" in html
    # No staff text: no roles, no teams, no work.
    for staff_text in (NO_TEAM, "Uw rollen", "Mijn werk", *PLACEHOLDERS):
        assert staff_text not in html, staff_text
    # The menu names the page for the resident too.
    assert ">Mijn pagina</a>" in html
    assert_links_open(resident, html)
    # Naming the lead worker is a look at the file: logged on the resident's own ground.
    assert AuditEvent.objects.filter(
        actor_id=resident.pk, ground=Ground.OWN_DATA, details__page="my work"
    ).exists()


def test_resident_without_a_household_hears_who_to_contact(personas: Personas) -> None:
    lonely = factories.UserFactory.create(
        username="nieuw", person=factories.PersonFactory.create(), roles=[Role.RESIDENT]
    )
    html = page_of(lonely)
    assert "U hebt geen dossier bij het wijkteam." in html
    assert "Neem dan contact op met het wijkteam in uw buurt" in html
    assert reverse("households:detail", args=[personas.household.pk]) not in html
    for staff_text in (NO_TEAM, "Uw rollen", *PLACEHOLDERS):
        assert staff_text not in html, staff_text
    assert_links_open(lonely, html)


def test_resident_who_moved_out_no_longer_reaches_the_old_file(personas: Personas) -> None:
    membership = personas.household.memberships.get()
    membership.end_date = timezone.localdate() - dt.timedelta(days=1)
    membership.save()
    html = page_of(personas.resident)
    assert reverse("households:detail", args=[personas.household.pk]) not in html
    assert "U hebt geen dossier bij het wijkteam." in html


def test_resident_page_in_english(personas: Personas) -> None:
    client = Client()
    client.force_login(personas.resident)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    html = client.get(reverse("core:my-work")).content.decode()
    assert "My page" in html and "Your file" in html
    assert "You are not in a neighbourhood team" not in html


def test_a_lead_worker_shown_is_the_current_one(personas: Personas) -> None:
    involvement = personas.make_worker_lead()
    involvement.end_date = timezone.localdate() - dt.timedelta(days=1)
    involvement.save()
    Involvement.objects.create(
        household=personas.household,
        worker=personas.team_leader,
        kind=Involvement.Kind.LEAD,
        start_date=timezone.localdate(),
    )
    html = page_of(personas.resident)
    assert personas.team_leader.get_full_name() in html
    assert personas.worker.get_full_name() not in html
