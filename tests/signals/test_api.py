"""The signals API: tokens, delivering a batch, refusals, the OpenAPI description, the
command that makes a token, and the admin that makes and revokes them."""

from __future__ import annotations

import datetime as dt
import io
import json
from typing import Any

import pytest
from django.contrib.auth.models import Permission
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from buurtkracht.audit.models import Action, AuditEvent
from buurtkracht.core.models import Organisation
from buurtkracht.households.models import Person
from buurtkracht.signals.columns import CANONICAL_FIELDS, HEADER_SPELLINGS, REQUIRED_FIELDS
from buurtkracht.signals.models import ApiToken, Delivery, RejectedRow, Signal
from buurtkracht.signals.tokens import (
    PREFIX_LENGTH,
    api_token_create,
    api_token_revoke,
    authenticate_token,
    token_hash,
)
from tests.conftest import Personas

pytestmark = pytest.mark.django_db

SIGNALS_URL = "/api/v1/signalen/"
FEEDBACK_URL = "/api/v1/terugkoppeling/"
OPENAPI_URL = "/api/v1/openapi.json"


def _corporation(personas: Personas) -> Organisation:
    organisation = personas.partner_liaison.organisation
    assert organisation is not None
    return organisation


@pytest.fixture
def token(personas: Personas) -> str:
    _token, plain = api_token_create(
        organisation=_corporation(personas), label="Koppeling", by=personas.functional_admin
    )
    return plain


def _client() -> Client:
    """A client that asks for English, so the messages read as in the code."""
    return Client(HTTP_ACCEPT_LANGUAGE="en")


def _resident(personas: Personas) -> Person:
    return personas.household.current_memberships().get().person


def _batch(personas: Personas) -> list[dict[str, Any]]:
    person = _resident(personas)
    address = personas.household.address
    day = timezone.localdate() - dt.timedelta(days=3)
    return [
        {
            "partner_reference": "WS-1",
            "signal_date": day.isoformat(),
            "initials": person.initials,
            "surname_prefix": person.surname_prefix,
            "surname": person.surname,
            "date_of_birth": person.date_of_birth.isoformat() if person.date_of_birth else None,
            "street": address.street,
            "house_number": address.house_number,
            "postcode": address.postcode,
            "town": address.town,
            "amount": 1234.56,
            "missed_terms": 3,
        },
        {
            "partner_reference": "WS-2",
            "signal_date": day.strftime("%d-%m-%Y"),
            "surname": "Kerstiëns",
            "house_number": "40a",
            "postcode": "9990 ab",
            "amount": "850,00",
            "end_of_supply_date": None,
        },
        {
            "partner_reference": "WS-3",
            "signal_date": day.isoformat(),
            "surname": "Jansen",
            "house_number": 3,
            "postcode": "99AB",
            "amount": 40,
        },
    ]


def _post(client: Client, token: str | None, body: object, **extra: Any) -> Any:
    headers: dict[str, Any] = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
    data = body if isinstance(body, str | bytes) else json.dumps(body)
    return client.post(SIGNALS_URL, data=data, content_type="application/json", **headers, **extra)


# --- tokens ------------------------------------------------------------------------------


def test_a_token_is_stored_as_a_hash_and_audited(personas: Personas) -> None:
    token, plain = api_token_create(
        organisation=_corporation(personas), label=" Koppeling ", by=personas.functional_admin
    )
    assert len(plain) >= 40
    assert token.key_hash == token_hash(plain) and plain not in token.key_hash
    assert token.prefix == plain[:8]
    assert token.label == "Koppeling"
    event = AuditEvent.objects.filter(object_type="signals.ApiToken").get()
    assert event.action == Action.CREATE
    assert event.actor_username == "beheer"
    assert plain not in json.dumps(event.details)


def test_authenticate_token(personas: Personas, token: str) -> None:
    found = authenticate_token(f"Bearer {token}")
    assert found is not None and found.organisation == _corporation(personas)
    assert authenticate_token(f"bearer  {token} ") is not None
    for header in ("", "Bearer", f"Token {token}", token, "Bearer nope", "Bearer " + "x" * 500):
        assert authenticate_token(header) is None


def test_last_use_is_written_at_most_once_a_minute(token: str) -> None:
    first = authenticate_token(f"Bearer {token}")
    assert first is not None and first.last_used_at is not None
    used = ApiToken.objects.get().last_used_at
    authenticate_token(f"Bearer {token}")
    assert ApiToken.objects.get().last_used_at == used
    ApiToken.objects.update(last_used_at=timezone.now() - dt.timedelta(minutes=2))
    authenticate_token(f"Bearer {token}")
    assert ApiToken.objects.get().last_used_at > used  # type: ignore[operator]


def test_a_revoked_token_no_longer_works(personas: Personas, token: str) -> None:
    api_token_revoke(token=ApiToken.objects.get(), by=personas.functional_admin)
    assert authenticate_token(f"Bearer {token}") is None
    response = _post(_client(), token, {"signals": _batch(personas)})
    assert response.status_code == 401
    assert "revoked" in response.json()["error"]
    assert AuditEvent.objects.filter(action=Action.UPDATE, object_type="signals.ApiToken").exists()


# --- delivering a batch ------------------------------------------------------------------


def test_a_batch_is_taken_in_with_the_bad_row_set_aside(personas: Personas, token: str) -> None:
    response = _post(_client(), token, {"signals": _batch(personas)})
    assert response.status_code == 201, response.content
    body = response.json()
    delivery = Delivery.objects.get()
    assert body["delivery"] == delivery.pk
    assert (body["received"], body["accepted"], body["delivered_before"]) == (3, 2, 0)
    assert body["ignored_fields"] == []
    [rejected] = body["rejected"]
    assert (rejected["index"], rejected["line"], rejected["partner_reference"]) == (2, 3, "WS-3")
    assert [e["field"] for e in rejected["errors"]] == ["postcode"]
    assert rejected["errors"][0]["message"]

    assert delivery.channel == Delivery.Channel.API
    assert delivery.status == Delivery.Status.DONE
    assert delivery.received_by is None
    signals = {s.partner_reference: s for s in Signal.objects.all()}
    assert set(signals) == {"WS-1", "WS-2"}
    first, second = signals["WS-1"], signals["WS-2"]
    assert first.organisation == _corporation(personas)
    assert first.partner_kind == "housing"
    assert first.person == _resident(personas)
    assert str(first.amount) == "1234.56" and first.missed_terms == 3
    assert (second.house_number, second.house_letter, second.postcode) == (40, "A", "9990AB")
    assert str(second.amount) == "850.00"
    assert RejectedRow.objects.get().raw["partner_reference"] == "WS-3"
    event = AuditEvent.objects.filter(object_type="signals.Delivery").get()
    assert event.details["channel"] == "api"
    assert event.on_behalf_of == "Woonstichting Test"


def test_the_same_batch_again_creates_nothing_new(personas: Personas, token: str) -> None:
    client = _client()
    batch = _batch(personas)
    assert _post(client, token, {"signals": batch}).status_code == 201
    again = _post(client, token, {"signals": batch})
    body = again.json()
    assert (body["received"], body["accepted"], body["delivered_before"]) == (3, 0, 2)
    assert len(body["rejected"]) == 1  # still wrong, still named
    assert Signal.objects.count() == 2
    # Only rows delivered before: nothing was created, 200 rather than 201.
    only_good = _post(client, token, {"signals": batch[:2]})
    assert only_good.status_code == 200
    assert only_good.json()["delivered_before"] == 2
    assert Signal.objects.count() == 2


def test_unknown_fields_are_named_and_not_read(personas: Personas, token: str) -> None:
    row = {**_batch(personas)[1], "Achternaam": "Berg", "bsn": "123456782"}
    body = _post(_client(), token, {"signals": [row]}).json()
    assert body["ignored_fields"] == ["Achternaam", "bsn"]
    assert Signal.objects.get().surname == "Kerstiëns"


def test_a_reference_twice_in_one_batch(personas: Personas, token: str) -> None:
    row = _batch(personas)[1]
    body = _post(_client(), token, {"signals": [row, row]}).json()
    assert body["accepted"] == 1
    [rejected] = body["rejected"]
    assert rejected["index"] == 1
    assert rejected["errors"][0]["field"] == "partner_reference"


# --- refusals ------------------------------------------------------------------------------


def test_without_a_token_401(personas: Personas) -> None:
    client = _client()
    response = _post(client, None, {"signals": _batch(personas)})
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert "Authorization: Bearer" in response.json()["error"]
    assert client.get(FEEDBACK_URL).status_code == 401
    assert _post(client, "not-a-token", {"signals": []}).status_code == 401
    assert not Delivery.objects.exists()


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ('{"signals": [{"partner_reference": "A-1",}]}', "line 1, column"),
        ("", "empty"),
        (b'{"signals": [{"surname": "Berg\xe9"}]}', "UTF-8"),
        ("[]", '"signals"'),
        ('{"signals": {}}', '"signals"'),
        ('{"signals": []}', '"signals"'),
        ('{"signals": [{"partner_reference": "A-1"}, 12]}', "Signal 1"),
        ("[" * 100_000, "nested"),
    ],
)
def test_malformed_bodies_400(body: str | bytes, expected: str, token: str) -> None:
    response = _post(_client(), token, body)
    assert response.status_code == 400, response.content
    assert expected in response.json()["error"]
    assert not Delivery.objects.exists()


def test_too_large_413_names_the_limit(personas: Personas, token: str, settings: Any) -> None:
    client = _client()
    settings.SIGNALS_API_MAX_SIGNALS = 2
    response = _post(client, token, {"signals": _batch(personas)})
    assert response.status_code == 413
    assert response.json()["error"] == (
        "The batch holds 3 signals. The limit is 2 signals per request. Split the batch "
        "into requests of at most 2 signals."
    )
    settings.SIGNALS_API_MAX_SIGNALS = 10_000
    settings.SIGNALS_API_MAX_MB = 1
    batch = _batch(personas)
    batch[0]["padding"] = "x" * 2**20
    response = _post(client, token, {"signals": batch})
    assert response.status_code == 413
    assert "1 MB" in response.json()["error"] and "10000 signals" in response.json()["error"]
    assert not Delivery.objects.exists()


def test_the_default_limit_refuses_100_001_signals_before_taking_any_in(
    personas: Personas, token: str
) -> None:
    """The finding: a batch of 100,001 signals ran past the server's timeout and the
    worker was killed. Now it is refused at once with the limit."""
    signal = _batch(personas)[0]
    response = _post(_client(), token, {"signals": [signal] * 100_001})
    assert response.status_code == 413
    # Over 10 MB too: the body limit answers first, naming both limits.
    assert "10 MB and 10000 signals each" in response.json()["error"]
    small = {k: v for k, v in signal.items() if k in ("partner_reference", "surname")}
    response = _post(_client(), token, {"signals": [small] * 10_001})
    assert response.status_code == 413
    assert "The limit is 10000 signals per request" in response.json()["error"]
    assert not Delivery.objects.exists()


def test_a_token_of_an_organisation_that_is_no_partner_403(personas: Personas) -> None:
    municipality_org = personas.worker.organisation
    assert municipality_org is not None
    _token, plain = api_token_create(organisation=municipality_org, label="x", by=None)
    client = _client()
    response = _post(client, plain, {"signals": _batch(personas)})
    assert response.status_code == 403
    assert "Gemeente Testwijk" in response.json()["error"]
    feedback = client.get(FEEDBACK_URL, HTTP_AUTHORIZATION=f"Bearer {plain}")
    assert feedback.status_code == 403
    assert not Delivery.objects.exists()


def test_wrong_method_405(token: str) -> None:
    client = _client()
    response = client.get(SIGNALS_URL, HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 405
    assert response["Allow"] == "POST"
    assert client.post(OPENAPI_URL).status_code == 405


# --- the description -----------------------------------------------------------------------


def test_the_openapi_description_lists_every_field(db: None) -> None:
    response = _client().get(OPENAPI_URL)  # no token, no login
    assert response.status_code == 200
    document = response.json()
    assert document["openapi"].startswith("3.1")
    assert document["servers"][0]["url"].endswith("/api/v1")
    assert set(document["paths"]) == {"/signalen/", "/leveringen/{delivery}/", "/terugkoppeling/"}
    signal = document["components"]["schemas"]["Signal"]
    assert list(signal["properties"]) == list(CANONICAL_FIELDS)
    assert signal["required"] == list(REQUIRED_FIELDS)
    for name, schema in signal["properties"].items():
        assert schema["type"] and schema["description"] and schema["examples"], name
        assert schema["x-column-names"] == list(HEADER_SPELLINGS[name])
    assert signal["properties"]["signal_date"]["format"] == "date"
    scheme = document["components"]["securitySchemes"]["bearerAuth"]
    assert (scheme["type"], scheme["scheme"]) == ("http", "bearer")
    post = document["paths"]["/signalen/"]["post"]
    assert {"200", "201", "400", "401", "403", "413"} <= set(post["responses"])
    feedback = document["components"]["schemas"]["FeedbackRow"]
    assert set(feedback["properties"]) == {
        "partner_reference",
        "signal_date",
        "status",
        "contact_made",
        "help_accepted",
        "closed_on",
    }
    # Every $ref points at a schema that exists.
    text = json.dumps(document)
    for name in document["components"]["schemas"]:
        text = text.replace(f'"#/components/schemas/{name}"', "")
    assert "#/components/schemas/" not in text


def test_the_example_signal_is_accepted(personas: Personas, token: str) -> None:
    document = _client().get(OPENAPI_URL).json()
    [example] = document["components"]["schemas"]["Signal"]["examples"]
    example["signal_date"] = (timezone.localdate() - dt.timedelta(days=1)).isoformat()
    body = _post(_client(), token, {"signals": [example]}).json()
    assert body["accepted"] == 1, body


# --- the command and the admin -------------------------------------------------------------


def test_create_api_token_command(personas: Personas) -> None:
    out = io.StringIO()
    call_command("create_api_token", "woonstichting test", "--label", "Klantsysteem", stdout=out)
    plain = out.getvalue().splitlines()[1]
    token = authenticate_token(f"Bearer {plain}")
    assert token is not None and token.label == "Klantsysteem"
    with pytest.raises(CommandError, match="No organisation"):
        call_command("create_api_token", "Bestaat niet", "--label", "x")
    with (
        translation.override("en"),
        pytest.raises(CommandError, match="not registered as a partner"),
    ):
        call_command("create_api_token", "Gemeente Testwijk", "--label", "x")


def _admin_client(personas: Personas) -> Client:
    """The functional administrator with the token rights (accounts/roles.py gives them
    to the role's group once it lists the signals models)."""
    admin = personas.functional_admin
    admin.user_permissions.add(
        *Permission.objects.filter(content_type__app_label="signals", codename__endswith="apitoken")
    )
    client = _client()
    client.force_login(admin)
    return client


def test_the_admin_makes_a_token_and_shows_it_once(personas: Personas) -> None:
    client = _admin_client(personas)
    add = reverse("admin:signals_apitoken_add")
    page = client.get(add)
    assert page.status_code == 200
    assert "Gemeente Testwijk" not in page.content.decode()  # only partners to choose
    response = client.post(
        add, {"organisation": _corporation(personas).pk, "label": "Koppeling"}, follow=True
    )
    assert response.status_code == 200
    token = ApiToken.objects.get()
    words = [w for m in response.context["messages"] for w in str(m).split()]
    [plain] = [w for w in words if w.startswith(token.prefix) and len(w) > 40]
    assert authenticate_token(f"Bearer {plain}") == token
    assert plain not in client.get(reverse("admin:signals_apitoken_changelist")).content.decode()
    assert AuditEvent.objects.filter(
        object_type="signals.ApiToken", actor_username="beheer"
    ).exists()


def test_the_admin_revokes_tokens(personas: Personas, token: str) -> None:
    client = _admin_client(personas)
    stored = ApiToken.objects.get()
    response = client.post(
        reverse("admin:signals_apitoken_changelist"),
        {"action": "revoke_tokens", "_selected_action": [stored.pk]},
    )
    assert response.status_code == 302
    stored.refresh_from_db()
    assert stored.revoked_at is not None
    assert authenticate_token(f"Bearer {token}") is None


def test_fetching_the_feedback_is_logged_as_an_export_by_the_token(
    personas: Personas, token: str
) -> None:
    client = _client()
    # A session of a person in the same browser does not make the look theirs.
    client.force_login(personas.worker)
    response = client.get(FEEDBACK_URL, HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 200
    event = AuditEvent.objects.filter(action=Action.EXPORT).get()
    assert event.actor_id is None
    assert event.actor_username == f"api-token:{token[:PREFIX_LENGTH]}"
    assert event.on_behalf_of == str(_corporation(personas))
    assert event.object_type == "core.Organisation"
    assert event.details["api"] == "feedback"
