"""A report linked to a household: a link to the file only for who may open it, and for
everyone else, in words, who holds the file and how to reach them (issue 13). A page that
does not exist is the project's own page, in Dutch, not Django's English one."""

from __future__ import annotations

import pytest
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from buurtkracht.households.models import Involvement
from buurtkracht.signals.models import Report
from buurtkracht.signals.services import delivery_receive_rows
from tests.conftest import Personas
from tests.signals.helpers import signal_row

pytestmark = pytest.mark.django_db


def _report(personas: Personas) -> Report:
    """A signal about the personas' resident, matched for certain to their household."""
    organisation = personas.partner_liaison.organisation
    assert organisation is not None
    delivery_receive_rows(
        organisation=organisation,
        rows=[
            signal_row(personas, "H-1"),
        ],
        channel="api",
    )
    report = Report.objects.get()
    assert report.household == personas.household
    return report


def _page(client: Client, report: Report) -> str:
    response = client.get(reverse("signals:report", args=[report.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_the_signal_officer_sees_who_holds_the_file_instead_of_a_dead_link(
    personas: Personas,
) -> None:
    report = _report(personas)
    lead = personas.make_worker_lead()
    lead.worker.email = "wijkwerker@lindenhoven.example"
    lead.worker.phone = "06-12345678"
    lead.worker.save()
    file_url = reverse("workspace:household", args=[personas.household.pk])
    client = Client()
    client.force_login(personas.signal_officer)
    # By need-to-know the signal officer may not open the file …
    assert client.get(file_url).status_code == 404
    page = _page(client, report)
    # … so the report offers no link to it, and says who holds it and how to reach them.
    assert file_url not in page
    assert str(lead.worker) in page
    assert "Team Oost" in page
    assert "wijkwerker@lindenhoven.example" in page
    assert "06-12345678" in page
    assert "Dossier van het huishouden openen" not in page


def test_without_a_lead_worker_the_team_and_its_leader_are_named(personas: Personas) -> None:
    report = _report(personas)
    assert not Involvement.objects.exists()
    client = Client()
    client.force_login(personas.signal_officer)
    page = _page(client, report)
    assert reverse("workspace:household", args=[personas.household.pk]) not in page
    assert "Team Oost" in page
    assert str(personas.team_leader) in page


def test_who_may_open_the_file_gets_the_link(personas: Personas) -> None:
    report = _report(personas)
    personas.make_worker_lead()
    file_url = reverse("workspace:household", args=[personas.household.pk])
    client = Client()
    for user in (personas.worker, personas.team_leader):
        client.force_login(user)
        assert client.get(file_url).status_code == 200
        page = _page(client, report)
        assert f'href="{file_url}"' in page, user
        assert "Dossier van het huishouden openen" in page


@override_settings(DEBUG=False)
def test_a_page_not_found_is_the_projects_own_page_in_dutch(personas: Personas) -> None:
    client = Client(raise_request_exception=False)
    client.force_login(personas.signal_officer)
    response = client.get(reverse("workspace:household", args=[personas.household.pk]))
    assert response.status_code == 404
    page = response.content.decode()
    assert "Pagina niet gevonden" in page
    assert "Naar Mijn werk" in page
    assert "Page not found" not in page
    assert 'lang="nl"' in page


def test_a_lead_worker_of_another_team_is_named_with_their_own_team(
    personas: Personas,
) -> None:
    report = _report(personas)
    assert report.team is not None and report.team.name == "Team Oost"
    Involvement.objects.create(
        household=personas.household,
        worker=personas.colleague,
        kind=Involvement.Kind.LEAD,
        start_date=timezone.localdate(),
    )
    client = Client()
    client.force_login(personas.signal_officer)
    page = _page(client, report)
    assert f"{personas.colleague} van Team West" in page
