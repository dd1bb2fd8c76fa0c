"""Beheer lists the partners' API tokens: partner, account, label and first characters,
made, last used, revoked — never the token or its hash (issue 13: "Beheer lists no API
tokens although the demo's deliveries came through the API")."""

from __future__ import annotations

import io
import re

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from buurtkracht.accounts.models import Role
from buurtkracht.accounts.services import role_grant
from buurtkracht.audit.models import AuditEvent
from buurtkracht.core.models import Organisation
from buurtkracht.signals.models import ApiToken, Delivery
from buurtkracht.signals.tokens import api_token_create, api_token_revoke
from tests import factories
from tests.conftest import Personas

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:signals_apitoken_changelist"


def _corporation(personas: Personas) -> Organisation:
    organisation = personas.partner_liaison.organisation
    assert organisation is not None
    return organisation


def _beheer(personas: Personas) -> Client:
    """The functional administrator, with the rights of their role's group."""
    client = Client()
    client.force_login(personas.functional_admin)
    return client


def _cells(page: str, token: ApiToken) -> list[str]:
    """The texts of the token's row in the changelist."""
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", page, re.S)
    [row] = [r for r in rows if token.prefix in r]
    cells = re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
    return [" ".join(re.sub(r"<[^>]+>", " ", c).split()) for c in cells]


def test_beheer_lists_the_tokens_with_partner_and_account_but_never_the_secret(
    personas: Personas,
) -> None:
    token, plain = api_token_create(
        organisation=_corporation(personas),
        label="Koppeling klantsysteem",
        account=personas.partner_liaison,
        by=personas.functional_admin,
    )
    client = _beheer(personas)
    response = client.get(reverse(CHANGELIST))
    assert response.status_code == 200
    page = response.content.decode()
    cells = _cells(page, token)
    assert "Woonstichting Test" in cells
    assert "partner" in cells  # the account's login name
    assert "Koppeling klantsysteem" in cells
    assert token.prefix in cells
    for header in ("Partner", "Account", "Omschrijving", "Eerste tekens", "Laatst gebruikt"):
        assert header in page
    assert plain not in page and token.key_hash not in page
    detail = client.get(reverse("admin:signals_apitoken_change", args=[token.pk]))
    assert detail.status_code == 200
    assert plain not in detail.content.decode()
    assert token.key_hash not in detail.content.decode()

    assert cells[-1] == "-"  # not revoked
    api_token_revoke(token=token, by=personas.functional_admin)
    cells = _cells(client.get(reverse(CHANGELIST)).content.decode(), token)
    assert cells[-1] not in ("-", "")  # revoked, with the moment


def test_beheer_makes_a_token_for_a_partners_account_through_the_service(
    personas: Personas,
) -> None:
    client = _beheer(personas)
    add = reverse("admin:signals_apitoken_add")
    form = client.get(add).content.decode()
    assert "partner — " in form  # the partner liaison's account to choose
    assert "wijkwerker — " not in form  # a worker is no partner's account
    response = client.post(
        add,
        {
            "organisation": _corporation(personas).pk,
            "account": personas.partner_liaison.pk,
            "label": "Koppeling",
        },
        follow=True,
    )
    assert response.status_code == 200
    token = ApiToken.objects.get()
    assert token.account == personas.partner_liaison
    event = AuditEvent.objects.get(object_type="signals.ApiToken")
    assert event.details["account"] == "partner"
    assert event.actor_username == "beheer"


def test_an_account_of_another_organisation_is_refused_with_a_message(
    personas: Personas,
) -> None:
    energy = factories.OrganisationFactory.create(
        name="Energie Test", kind=Organisation.Kind.ENERGY_SUPPLIER
    )
    other = factories.UserFactory.create(username="partner-energie", organisation=energy)
    role_grant(user=other, role=Role.PARTNER_LIAISON)
    response = _beheer(personas).post(
        reverse("admin:signals_apitoken_add"),
        {"organisation": _corporation(personas).pk, "account": other.pk, "label": "Koppeling"},
    )
    assert response.status_code == 200
    assert "geen contactpersoon van Woonstichting Test" in response.content.decode()
    assert 'value="Koppeling"' in response.content.decode()  # what was typed stays
    assert not ApiToken.objects.exists()


def test_a_delivery_through_a_token_is_the_accounts(personas: Personas) -> None:
    _token, plain = api_token_create(
        organisation=_corporation(personas), label="Koppeling", account=personas.partner_liaison
    )
    address = personas.household.address
    response = Client().post(
        "/api/v1/signalen/",
        {
            "signals": [
                {
                    "partner_reference": "T-1",
                    "signal_date": timezone.localdate().isoformat(),
                    "surname": "Berg",
                    "postcode": address.postcode,
                    "house_number": address.house_number,
                }
            ]
        },
        content_type="application/json",
        headers={"authorization": f"Bearer {plain}"},
    )
    assert response.status_code == 201
    assert Delivery.objects.get().received_by == personas.partner_liaison


def test_the_command_makes_a_token_for_an_account(personas: Personas) -> None:
    out = io.StringIO()
    call_command(
        "create_api_token",
        "Woonstichting Test",
        "--label",
        "Klantsysteem",
        "--account",
        "partner",
        stdout=out,
    )
    assert ApiToken.objects.get().account == personas.partner_liaison
    with translation.override("en"), pytest.raises(CommandError, match="not a partner liaison"):
        call_command(
            "create_api_token", "Woonstichting Test", "--label", "x", "--account", "wijkwerker"
        )
    assert ApiToken.objects.count() == 1
