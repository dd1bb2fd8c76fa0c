"""The pages of mandates: the decision form on a household file (refusals keep what was
typed), the section on the household page, the partner's page and API (only its own
organisation's decisions, name and date of birth only, every look logged), the report
of a mandate's use (rounded under decision 0009) and Beheer (versioned)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from buurtkracht.audit.models import Action, AuditEvent, Ground
from buurtkracht.core.models import Organisation
from buurtkracht.households.models import EmergencyAccess
from buurtkracht.mandates.models import Mandate, MandateDecision
from buurtkracht.mandates.services import decision_record
from buurtkracht.signals.tokens import api_token_create
from tests import factories
from tests.conftest import Personas
from tests.mandates.helpers import make_mandate

pytestmark = pytest.mark.django_db


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _decide(personas: Personas, mandate: Mandate, amount: int | None = 90_000) -> MandateDecision:
    return decision_record(
        mandate=mandate,
        household=personas.household,
        person=personas.household.members.get(),
        what="Betalingsregeling 10 maanden",
        amount_cents=amount,
        reason="Huurachterstand na baanverlies",
        user=personas.worker,
        ground=Ground.INVOLVEMENT,
    )


def _other_organisation_decision(personas: Personas) -> MandateDecision:
    """A decision under another organisation's mandate, about another resident."""
    other = factories.OrganisationFactory.create(
        name="Woonbedrijf Anders", housing_corporation=True
    )
    mandate = make_mandate(personas, organisation=other, decision="Huurbevriezing")
    membership = factories.MembershipFactory.create(
        household__address__neighbourhood=personas.household.address.neighbourhood,
        person__surname="Anderszins",
    )
    return decision_record(
        mandate=mandate,
        household=membership.household,
        person=membership.person,
        what="Huur drie maanden bevroren",
        amount_cents=30_000,
        reason="Wacht op toeslag",
        user=personas.team_leader,
        ground=Ground.TEAM_LEADER,
    )


def test_the_lead_worker_records_a_decision_and_the_file_shows_it(personas: Personas) -> None:
    personas.make_worker_lead()
    mandate = make_mandate(personas)
    person = personas.household.members.get()
    client = _client(personas.worker)
    url = reverse("mandates:decision-new", args=[personas.household.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert "Betalingsregeling huurachterstand" in page.content.decode()
    response = client.post(
        url,
        {
            "mandate": mandate.pk,
            "person": person.pk,
            "what": "Betalingsregeling 10 maanden",
            "amount": "1200,50",
            "reason": "Huurachterstand na baanverlies",
        },
    )
    assert response.status_code == 302
    decision = MandateDecision.objects.get()
    assert decision.amount_cents == 120_050
    file_page = client.get(reverse("workspace:household", args=[personas.household.pk]))
    html = file_page.content.decode()
    assert "Betalingsregeling 10 maanden" in html and "€ 1.200,50" in html


def test_over_the_limit_the_form_says_so_and_keeps_what_was_typed(personas: Personas) -> None:
    personas.make_worker_lead()
    mandate = make_mandate(personas)
    response = _client(personas.worker).post(
        reverse("mandates:decision-new", args=[personas.household.pk]),
        {
            "mandate": mandate.pk,
            "person": personas.household.members.get().pk,
            "what": "Betalingsregeling 24 maanden",
            "amount": "2400",
            "reason": "Grote achterstand",
        },
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "€ 1.500,00" in html and "Woonstichting Test" in html
    assert "error-summary" in html
    assert "Betalingsregeling 24 maanden" in html  # kept
    assert not MandateDecision.objects.exists()


def test_a_resident_reads_the_decisions_on_their_file_but_cannot_record_one(
    personas: Personas,
) -> None:
    _decide(personas, make_mandate(personas))
    client = _client(personas.resident)
    page = client.get(reverse("workspace:household", args=[personas.household.pk]))
    html = page.content.decode()
    assert "Betalingsregeling 10 maanden" in html
    assert reverse("mandates:decision-new", args=[personas.household.pk]) not in html
    url = reverse("mandates:decision-new", args=[personas.household.pk])
    assert client.get(url).status_code == 404


def test_the_partner_sees_only_its_own_organisations_decisions(personas: Personas) -> None:
    own = _decide(personas, make_mandate(personas))
    other = _other_organisation_decision(personas)
    response = _client(personas.partner_liaison).get(reverse("mandates:partner"))
    html = response.content.decode()
    person = personas.household.members.get()
    assert person.full_name in html
    assert person.date_of_birth is not None and person.date_of_birth.strftime("%d-%m-%Y") in html
    assert own.what in html
    assert "Anderszins" not in html and other.what not in html
    # Nothing else of the file: no address.
    assert personas.household.address.street not in html
    look = AuditEvent.objects.filter(actor_id=personas.partner_liaison.pk, action=Action.READ).get()
    assert list(look.subjects.values_list("person_id", flat=True)) == [person.pk]
    assert look.ground == Ground.ROLE and look.on_behalf_of == "Woonstichting Test"
    assert "legal_ground" in look.details


def test_the_debt_banks_liaison_does_not_see_the_corporations_decisions(
    personas: Personas,
) -> None:
    _decide(personas, make_mandate(personas))
    debt_bank = Organisation.objects.get(name="Kredietbank Test")
    liaison = factories.UserFactory.create(
        username="kredietbank", organisation=debt_bank, roles=["partner_liaison"]
    )
    html = _client(liaison).get(reverse("mandates:partner")).content.decode()
    assert personas.household.members.get().surname not in html
    assert "Betalingsregeling 10 maanden" not in html


@pytest.mark.parametrize(
    "name",
    ["worker", "team_leader", "outside_professional", "circle_member", "resident", "volunteer"],
)
def test_the_partner_page_is_a_404_for_everyone_else(personas: Personas, name: str) -> None:
    _decide(personas, make_mandate(personas))
    response = _client(getattr(personas, name)).get(reverse("mandates:partner"))
    assert response.status_code == 404


def test_the_api_gives_a_token_only_its_own_organisations_decisions(
    client: Client, personas: Personas
) -> None:
    own = _decide(personas, make_mandate(personas))
    _other_organisation_decision(personas)
    token, plain = api_token_create(
        organisation=personas.partner_liaison.organisation,  # type: ignore[arg-type]
        label="Klantsysteem",
    )
    url = reverse("workspace:mandate-decisions-api")
    assert client.get(url).status_code == 401
    response = client.get(url, HTTP_AUTHORIZATION=f"Bearer {plain}")
    assert response.status_code == 200
    body = response.json()
    person = personas.household.members.get()
    assert body == {
        "besluiten": [
            {
                "id": own.pk,
                "besloten_op": own.decided_on.isoformat(),
                "mandaat": {"id": own.mandate_id, "besluit": "Betalingsregeling huurachterstand"},
                "besluit": "Betalingsregeling 10 maanden",
                "bedrag": "900.00",
                "reden": "Huurachterstand na baanverlies",
                "team": "Team Oost",
                "bewoner": {
                    "naam": person.full_name,
                    "geboortedatum": person.date_of_birth.isoformat()
                    if person.date_of_birth
                    else None,
                },
            }
        ]
    }
    event = AuditEvent.objects.filter(action=Action.EXPORT).get()
    assert event.actor_username == f"api-token:{token.prefix}"
    assert list(event.subjects.values_list("person_id", flat=True)) == [person.pk]
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    later = client.get(url, {"sinds": tomorrow}, HTTP_AUTHORIZATION=f"Bearer {plain}")
    assert later.json() == {"besluiten": []}
    bad = client.get(url, {"sinds": "gisteren"}, HTTP_AUTHORIZATION=f"Bearer {plain}")
    assert bad.status_code == 400


def test_the_report_rounds_counts_and_hides_small_totals(personas: Personas) -> None:
    mandate = make_mandate(personas)
    for _ in range(3):
        _decide(personas, mandate, 10_000)
    for name in ("functional_admin", "team_leader", "policy_advisor"):
        client = _client(getattr(personas, name))
        assert mandate.decision in client.get(reverse("mandates:list")).content.decode()
        html = client.get(reverse("mandates:usage", args=[mandate.pk])).content.decode()
        # Three decisions are published as 5; their total (€ 300) is not shown.
        assert '<td class="utrecht-table__cell utrecht-table__cell--numeric">5</td>' in html
        assert "€ 300" not in html
        assert personas.household.members.get().surname not in html
    for name in ("worker", "partner_liaison", "outside_professional", "circle_member", "resident"):
        client = _client(getattr(personas, name))
        assert client.get(reverse("mandates:list")).status_code == 404
        assert client.get(reverse("mandates:usage", args=[mandate.pk])).status_code == 404


def test_the_report_shows_the_total_on_a_base_of_ten(personas: Personas) -> None:
    mandate = make_mandate(personas)
    for _ in range(10):
        _decide(personas, mandate, 10_000)
    html = (
        _client(personas.policy_advisor)
        .get(reverse("mandates:usage", args=[mandate.pk]))
        .content.decode()
    )
    assert "€ 1.000" in html


def test_beheer_registers_and_changes_a_mandate_versioned(personas: Personas) -> None:
    client = _client(personas.functional_admin)
    team = personas.worker.team_memberships.get().team
    fields = {
        "organisation": personas.partner_liaison.organisation.pk,  # type: ignore[union-attr]
        "decision": "Betalingsregeling huurachterstand",
        "conditions": "",
        "life_domain": "housing",
        "max_amount": "1500.00",
        "max_per_household_year": "",
        "start_date": timezone.localdate().isoformat(),
        "end_date": "",
        "teams": [team.pk],
    }
    response = client.post("/beheer/mandates/mandate/add/", fields)
    assert response.status_code == 302, response.content.decode()[:2000]
    mandate = Mandate.objects.get()
    assert (mandate.max_amount_cents, mandate.version) == (150_000, 1)
    assert list(mandate.teams.all()) == [team]
    url = f"/beheer/mandates/mandate/{mandate.pk}/change/"
    assert (
        client.post(url, {**fields, "max_amount": "1000", "opened_version": 1}).status_code == 302
    )
    mandate.refresh_from_db()
    assert (mandate.max_amount_cents, mandate.version) == (100_000, 2)
    # A form opened at version 1 is refused now: the other change is not overwritten.
    stale = client.post(url, {**fields, "max_amount": "5000", "opened_version": 1})
    assert stale.status_code == 200
    mandate.refresh_from_db()
    assert mandate.max_amount_cents == 100_000
    actions = AuditEvent.objects.filter(object_id=str(mandate.pk), details__has_key="mandate")
    assert actions.count() == 2


def test_the_team_leader_records_and_emergency_access_does_not(personas: Personas) -> None:
    mandate = make_mandate(personas)
    person = personas.household.members.get()
    url = reverse("mandates:decision-new", args=[personas.household.pk])
    fields = {
        "mandate": mandate.pk,
        "person": person.pk,
        "what": "Ontruiming gepauzeerd",
        "amount": "100",
        "reason": "Plan loopt",
    }
    assert _client(personas.team_leader).post(url, fields).status_code == 302
    decision = MandateDecision.objects.get()
    assert decision.decided_by == personas.team_leader
    # A colleague of another team with emergency access reads the file, but may not
    # decide on it (and holds no mandate for this team).
    EmergencyAccess.objects.create(
        household=personas.household,
        worker=personas.colleague,
        reason="Crisis in de avond",
        started_at=timezone.now(),
        expires_at=timezone.now() + dt.timedelta(hours=1),
    )
    colleague = _client(personas.colleague)
    assert (
        colleague.get(reverse("workspace:household", args=[personas.household.pk])).status_code
        == 200
    )
    assert colleague.post(url, fields).status_code == 404
    assert MandateDecision.objects.count() == 1
