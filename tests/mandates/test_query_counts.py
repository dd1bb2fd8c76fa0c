"""The household page's section of decisions, the partner's page and its API take a
fixed number of queries, whatever the number of decisions: measured with 2, then 12."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from buurtkracht.audit.models import Ground
from buurtkracht.mandates.models import Mandate
from buurtkracht.mandates.services import decision_record
from buurtkracht.signals.tokens import api_token_create
from tests import factories
from tests.conftest import Personas
from tests.mandates.helpers import make_mandate

pytestmark = pytest.mark.django_db


def _queries(client: Client, url: str, **headers: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, **headers)  # type: ignore[arg-type]
    assert response.status_code == 200, url
    return len(captured)


def _decisions(personas: Personas, mandate: Mandate, n: int) -> None:
    for _ in range(n):
        person = factories.MembershipFactory.create(household=personas.household).person
        decision_record(
            mandate=mandate,
            household=personas.household,
            person=person,
            what="Betalingsregeling",
            amount_cents=10_000,
            reason="Reden",
            user=personas.worker,
            ground=Ground.INVOLVEMENT,
        )


def test_the_pages_take_as_many_queries_for_12_decisions_as_for_2(personas: Personas) -> None:
    personas.make_worker_lead()
    mandate = make_mandate(personas)
    _token, plain = api_token_create(
        organisation=personas.partner_liaison.organisation,  # type: ignore[arg-type]
        label="Klantsysteem",
    )
    worker, partner, api = Client(), Client(), Client()
    worker.force_login(personas.worker)
    partner.force_login(personas.partner_liaison)
    household_url = reverse("workspace:household", args=[personas.household.pk])
    partner_url = reverse("mandates:partner")
    api_url = reverse("workspace:mandate-decisions-api")
    bearer = {"HTTP_AUTHORIZATION": f"Bearer {plain}"}
    _decisions(personas, mandate, 2)
    # The token's first use notes when it was used (once a minute): not a read.
    api.get(api_url, **bearer)  # type: ignore[arg-type]
    small = (
        _queries(worker, household_url),
        _queries(partner, partner_url),
        _queries(api, api_url, **bearer),
    )
    _decisions(personas, mandate, 10)
    large = (
        _queries(worker, household_url),
        _queries(partner, partner_url),
        _queries(api, api_url, **bearer),
    )
    assert large == small
    assert len(api.get(api_url, **bearer).json()["besluiten"]) == 12  # type: ignore[arg-type]
