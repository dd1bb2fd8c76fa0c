"""The demo's partners deliver their signals through the API with tokens that Beheer
lists: the energy company's through the account `partner-energie` (issue 13)."""

from __future__ import annotations

import pytest

from buurtkracht.core.models import Organisation
from buurtkracht.demo.generator import generate_municipality
from buurtkracht.signals.models import ApiToken, Delivery

pytestmark = pytest.mark.django_db


def test_the_demos_api_deliveries_came_through_tokens_listed_in_beheer() -> None:
    report = generate_municipality(seed=2, households=120, progress=False)
    energy = Organisation.objects.get(kind=Organisation.Kind.ENERGY_SUPPLIER)
    token = ApiToken.objects.select_related("account").get(organisation=energy)
    assert token.account is not None and token.account.username == "partner-energie"
    assert token.revoked_at is None and token.last_used_at is not None
    through_api = Delivery.objects.filter(organisation=energy, channel=Delivery.Channel.API)
    assert through_api.exists()
    assert set(through_api.values_list("received_by__username", flat=True)) == {"partner-energie"}
    # Every partner that delivered through the API has a token for its liaison.
    api_partners = set(
        Delivery.objects.filter(channel=Delivery.Channel.API).values_list("organisation", flat=True)
    )
    assert api_partners <= set(ApiToken.objects.values_list("organisation", flat=True))
    assert "partner-energie" in {account.username for account in report.accounts}
    # The partner's upload shows the rules for hostile files (issue 17, item 6): a new
    # amount for a signal sent before is taken, an amount of zero is set aside.
    upload = Delivery.objects.get(filename="achterstanden-woonstichting.csv")
    assert (upload.rows_valid, upload.rows_updated, upload.rows_rejected) == (1, 1, 3)
    messages = [e["message"] for row in upload.rejected_rows.all() for e in row.errors]
    assert any("0,00" in message for message in messages)
