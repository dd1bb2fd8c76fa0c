"""A refused form says at the top of the page what is wrong, each error a link to its field
(components/error_summary.html, issue 13). The browser side (focus, the link moving focus)
is in tests/e2e/test_forms_on_a_phone.py."""

from __future__ import annotations

import re

import pytest
from django.template import Context, Template
from django.test import Client
from django.urls import reverse

from buurtkracht.signals.forms import CorrectionForm
from tests.casework.stories import story_one_plan
from tests.conftest import Personas

pytestmark = pytest.mark.django_db


def summary_links(html: str) -> list[tuple[str, str]]:
    """(target id, message) of each link in the error summary; the targets exist."""
    match = re.search(r'<div class="bk-error-summary" id="error-summary".*?</div>', html, re.S)
    assert match is not None, "no error summary on the page"
    assert html.index('id="error-summary"') < html.index("<h1"), "the summary is not on top"
    links = re.findall(r'<a class="utrecht-link" href="#([^"]+)"[^>]*>([^<]+)</a>', match.group(0))
    for target, _message in links:
        assert html.count(f'id="{target}"') == 1, f"the link to #{target} leads nowhere"
    return links


def test_the_intake_form_lists_its_errors_at_the_top(client: Client, personas: Personas) -> None:
    client.force_login(personas.worker)
    response = client.post(reverse("casework:intake-new"), {"name": "Mevrouw Jansen"})
    assert response.status_code == 400
    assert summary_links(response.content.decode()) == [
        ("id_description", "Schrijf in één zin op wat er speelt.")
    ]


def test_the_contact_form_lists_its_errors_at_the_top(client: Client, personas: Personas) -> None:
    personas.make_worker_lead()
    client.force_login(personas.worker)
    response = client.post(
        reverse("workspace:contact-add", args=[personas.household.pk]), {"note": "Gebeld"}
    )
    assert response.status_code == 400
    [(target, _message)] = summary_links(response.content.decode())
    assert target == "id_kind_0"  # the first choice of the group


@pytest.mark.parametrize(
    ("what", "targets"),
    [
        ("goal", ["id_text", "id_domains_0"]),
        ("agree", ["id_agreed_on", "id_how_0"]),
        ("review", ["id_held_on", "id_what_changed"]),
        ("close", ["id_reason_0", "id_reached"]),
    ],
)
def test_the_plan_forms_list_their_errors_at_the_top(
    client: Client, personas: Personas, what: str, targets: list[str]
) -> None:
    personas.make_worker_lead()
    plan = story_one_plan(personas)
    client.force_login(personas.worker)
    response = client.post(
        reverse("casework:plan", args=[personas.household.pk]),
        {"what": what, "version": plan.version},
    )
    assert response.status_code == 400
    assert [target for target, _m in summary_links(response.content.decode())] == targets


def test_a_page_without_errors_has_no_summary(client: Client, personas: Personas) -> None:
    personas.make_worker_lead()
    client.force_login(personas.worker)
    response = client.get(reverse("casework:plan", args=[personas.household.pk]))
    assert 'id="error-summary"' not in response.content.decode()


def test_rows_set_aside_are_their_own_list_without_a_summary(personas: Personas) -> None:
    """The delivery page lists the rows to correct with their messages; a correction comes
    back to its own row, which a summary taking focus would scroll away from."""
    form = CorrectionForm({"row1-surname": ""}, prefix="row1")
    form.add_error("surname", "De achternaam ontbreekt.")
    template = Template('{% include "components/error_summary.html" %}')
    assert "error-summary" not in template.render(Context({"rows": [(1, form)]}))
