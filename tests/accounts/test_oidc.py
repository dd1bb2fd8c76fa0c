"""Login through OpenID Connect, end to end through the Django test client against the
test provider (tests/oidc_provider.py): DigiD for residents matched by BSN, single sign-on
for staff matched to an existing account, and refusals of what does not add up."""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import parse_qs, urlsplit

import mozilla_django_oidc.auth
import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from buurtkracht.accounts.models import Role, User
from buurtkracht.accounts.oidc import oidc_settings_check
from buurtkracht.accounts.reauth import SESSION_KEY as REAUTH_SESSION_KEY
from buurtkracht.audit.models import Action, AuditEvent
from buurtkracht.households.models import Person
from tests import factories
from tests.conftest import Personas
from tests.oidc_provider import Provider, ProviderTransport, provider

pytestmark = pytest.mark.django_db

BSN = "111222333"
UNKNOWN_BSN = "123456782"


@pytest.fixture
def oidc(settings: Any, monkeypatch: pytest.MonkeyPatch) -> Provider:
    settings.ROOT_URLCONF = "tests.oidc_urls"
    base = provider.settings_for("http://testserver")
    settings.OIDC_RESIDENT = {**base, "BSN_CLAIM": "bsn"}
    settings.OIDC_STAFF = {
        **base,
        "MATCH_CLAIM": "email",
        "MATCH_FIELD": "email",
        "MFA_AMR": ["mfa"],
        "MFA_ACR": ["urn:gemeente:loa:substantial"],
    }
    monkeypatch.setattr(mozilla_django_oidc.auth, "requests", ProviderTransport())
    return provider


def log_in(client: Client, start: str = "/accounts/digid/") -> Any:
    """Start, the provider's authorisation endpoint, the callback: the browser's three steps."""
    to_provider = client.get(start)
    assert to_provider.status_code == 302
    back = client.get(to_provider["Location"])
    assert back.status_code == 302, back.content
    return client.get(back["Location"])


def last_event(action: str) -> AuditEvent:
    event = AuditEvent.objects.filter(action=action).order_by("-sequence").first()
    assert event is not None
    return event


def resident_with_bsn(personas: Personas) -> User:
    person = personas.resident.person
    assert person is not None
    person.bsn = BSN
    person.save()
    return personas.resident


def test_resident_logs_in_by_bsn_and_lands_on_their_own_start_page(
    client: Client, oidc: Provider, personas: Personas
) -> None:
    resident = resident_with_bsn(personas)
    oidc.sign_in_as(bsn=BSN)
    response = log_in(client)
    assert response.status_code == 302 and response["Location"] == "/"
    start = client.get("/")
    assert start.wsgi_request.user == resident
    assert "Mijn pagina" in start.content.decode()
    # The site asked with state, nonce and a PKCE challenge.
    assert {"state", "nonce", "code_challenge"} <= set(oidc.last_authorisation)
    login = last_event(Action.LOGIN)
    assert login.actor_id == resident.pk and login.details == {"method": "digid"}


def test_first_login_makes_the_resident_account_of_a_person_living_here(
    client: Client, oidc: Provider
) -> None:
    membership = factories.MembershipFactory.create(person__bsn=BSN)
    oidc.sign_in_as(bsn=BSN)
    log_in(client)
    account = User.objects.get(person=membership.person)
    assert account.role_set == {Role.RESIDENT}
    assert not account.has_usable_password()
    assert client.get("/").wsgi_request.user == account
    made = last_event(Action.CREATE)
    assert made.details == {"account": "resident", "via": "digid"}
    # Logging in again uses that account; no second one is made.
    client.logout()
    log_in(client)
    assert User.objects.filter(person=membership.person).count() == 1


def test_unknown_bsn_is_refused_in_dutch_and_no_person_is_made(
    client: Client, oidc: Provider, personas: Personas
) -> None:
    resident_with_bsn(personas)
    persons, users = Person.objects.count(), User.objects.count()
    oidc.sign_in_as(bsn=UNKNOWN_BSN)
    response = log_in(client)
    assert response.status_code == 403
    assert "We kunnen u niet vinden in Buurtkracht" in response.content.decode()
    assert not client.get("/accounts/login/").wsgi_request.user.is_authenticated
    assert (Person.objects.count(), User.objects.count()) == (persons, users)
    failed = last_event(Action.LOGIN_FAILED)
    assert failed.details == {"method": "digid", "reason": "no_person"}
    assert UNKNOWN_BSN not in str(failed.details) and failed.actor_username == ""


def test_a_person_who_moved_away_gets_no_new_account(client: Client, oidc: Provider) -> None:
    gone = timezone.localdate() - dt.timedelta(days=30)
    factories.MembershipFactory.create(person__bsn=BSN, end_date=gone)
    oidc.sign_in_as(bsn=BSN)
    response = log_in(client)
    assert response.status_code == 403
    assert "niet in deze gemeente" in response.content.decode()
    assert not User.objects.filter(person__bsn=BSN).exists()


def test_the_bsn_claim_is_configurable_and_the_id_token_alone_suffices(
    client: Client, oidc: Provider, settings: Any, personas: Personas
) -> None:
    resident = resident_with_bsn(personas)
    claim = "urn:nl-eid-gdi:1.0:id:BSN"
    settings.OIDC_RESIDENT = {**settings.OIDC_RESIDENT, "BSN_CLAIM": claim, "USERINFO_ENDPOINT": ""}
    oidc.sign_in_as(**{claim: BSN})
    log_in(client)
    assert client.get("/").wsgi_request.user == resident


def test_a_blocked_resident_account_is_refused(
    client: Client, oidc: Provider, personas: Personas
) -> None:
    resident = resident_with_bsn(personas)
    resident.is_active = False
    resident.save()
    oidc.sign_in_as(bsn=BSN)
    assert log_in(client).status_code == 403
    assert not client.get("/accounts/login/").wsgi_request.user.is_authenticated


@pytest.fixture
def two_factor_on(settings: Any) -> None:
    settings.REQUIRE_TWO_FACTOR = True


def test_staff_sso_with_mfa_asserted_skips_the_own_code(
    client: Client, oidc: Provider, personas: Personas, two_factor_on: None
) -> None:
    worker = personas.worker
    worker.email = "w.wijkwerker@gemeente.example"
    worker.save()
    oidc.sign_in_as(email="W.Wijkwerker@gemeente.example", amr=["pwd", "mfa"])
    response = log_in(client, "/accounts/organisatie/")
    assert response["Location"] == "/"
    start = client.get("/")
    assert start.status_code == 200 and start.wsgi_request.user == worker
    login = last_event(Action.LOGIN)
    assert login.details == {"method": "sso", "second_factor": "amr:mfa"}


def test_staff_sso_with_a_configured_acr_skips_the_own_code(
    client: Client, oidc: Provider, personas: Personas, two_factor_on: None
) -> None:
    personas.worker.email = "wijkwerker@gemeente.example"
    personas.worker.save()
    oidc.sign_in_as(email="wijkwerker@gemeente.example", acr="urn:gemeente:loa:substantial")
    log_in(client, "/accounts/organisatie/")
    assert client.get("/").status_code == 200


def test_staff_sso_without_mfa_asks_the_own_code(
    client: Client, oidc: Provider, personas: Personas, two_factor_on: None
) -> None:
    personas.worker.email = "wijkwerker@gemeente.example"
    personas.worker.save()
    oidc.sign_in_as(email="wijkwerker@gemeente.example", amr=["pwd"])
    log_in(client, "/accounts/organisatie/")
    start = client.get("/")
    assert start.status_code == 302 and start["Location"].startswith("/accounts/tweestaps/")
    assert last_event(Action.LOGIN).details == {"method": "sso"}


def test_staff_sso_matches_by_a_configured_claim_to_the_user_name(
    client: Client, oidc: Provider, settings: Any, personas: Personas
) -> None:
    settings.OIDC_STAFF = {
        **settings.OIDC_STAFF,
        "MATCH_CLAIM": "preferred_username",
        "MATCH_FIELD": "username",
    }
    oidc.sign_in_as(preferred_username="teamleider", email="someone.else@example.org")
    log_in(client, "/accounts/organisatie/")
    assert client.get("/").wsgi_request.user == personas.team_leader


def test_staff_sso_never_makes_an_account(
    client: Client, oidc: Provider, personas: Personas
) -> None:
    users = User.objects.count()
    oidc.sign_in_as(email="nieuw@gemeente.example", amr=["mfa"])
    response = log_in(client, "/accounts/organisatie/")
    assert response.status_code == 403
    assert "geen Buurtkracht-account" in response.content.decode()
    assert User.objects.count() == users
    failed = last_event(Action.LOGIN_FAILED)
    assert failed.actor_username == "nieuw@gemeente.example"
    assert failed.details == {"method": "sso", "reason": "no_account"}


def test_staff_sso_refuses_a_resident_account(
    client: Client, oidc: Provider, personas: Personas
) -> None:
    personas.resident.email = "bewoner@example.org"
    personas.resident.save()
    oidc.sign_in_as(email="bewoner@example.org")
    assert log_in(client, "/accounts/organisatie/").status_code == 403
    assert last_event(Action.LOGIN_FAILED).details == {"method": "sso", "reason": "not_staff"}


def _to_callback(client: Client, start: str = "/accounts/digid/") -> str:
    to_provider = client.get(start)
    return str(client.get(to_provider["Location"])["Location"])


def test_a_tampered_state_is_refused(client: Client, oidc: Provider, personas: Personas) -> None:
    resident_with_bsn(personas)
    oidc.sign_in_as(bsn=BSN)
    oidc.tamper["state"] = "forged-state"
    response = client.get(_to_callback(client))
    assert response.status_code == 400
    assert "niet geldig" in response.content.decode()
    assert not client.get("/accounts/login/").wsgi_request.user.is_authenticated
    failed = last_event(Action.LOGIN_FAILED)
    assert failed.details["reason"] == "not_valid"


@pytest.mark.parametrize(
    ("tamper", "why"),
    [
        ({"nonce": "another-nonce"}, "Nonce"),
        ({"aud": "another-client"}, "not made for this client"),
    ],
)
def test_a_tampered_id_token_is_refused(
    client: Client, oidc: Provider, personas: Personas, tamper: dict[str, str], why: str
) -> None:
    resident_with_bsn(personas)
    oidc.sign_in_as(bsn=BSN)
    oidc.tamper.update(tamper)
    response = client.get(_to_callback(client))
    assert response.status_code == 400
    assert not client.get("/accounts/login/").wsgi_request.user.is_authenticated
    assert why in last_event(Action.LOGIN_FAILED).details["error"]


def test_a_callback_cannot_be_replayed(client: Client, oidc: Provider, personas: Personas) -> None:
    resident_with_bsn(personas)
    oidc.sign_in_as(bsn=BSN)
    callback = _to_callback(client)
    assert client.get(callback).status_code == 302
    client.logout()
    assert client.get(callback).status_code == 400
    assert not client.get("/accounts/login/").wsgi_request.user.is_authenticated


def test_a_login_cancelled_at_the_provider_is_refused_and_logged(
    client: Client, oidc: Provider
) -> None:
    to_provider = client.get("/accounts/digid/")
    state = parse_qs(urlsplit(to_provider["Location"]).query)["state"][0]
    response = client.get(f"/accounts/digid/terug/?error=access_denied&state={state}")
    assert response.status_code == 400
    assert last_event(Action.LOGIN_FAILED).details == {
        "method": "digid",
        "reason": "access_denied",
    }


def test_buttons_and_routes_only_when_configured(
    client: Client, settings: Any, oidc: Provider
) -> None:
    page = client.get("/accounts/login/").content.decode()
    assert "Inloggen met DigiD" in page and "Inloggen met uw organisatie-account" in page
    settings.OIDC_STAFF = {**settings.OIDC_STAFF, "CLIENT_SECRET": ""}
    page = client.get("/accounts/login/").content.decode()
    assert "Inloggen met DigiD" in page and "organisatie-account" not in page
    assert client.get("/accounts/organisatie/").status_code == 404
    assert client.get("/accounts/organisatie/terug/?code=x&state=y").status_code == 404


def test_check_names_a_half_configured_provider(settings: Any) -> None:
    settings.OIDC_RESIDENT = {"CLIENT_ID": "buurtkracht", "BSN_CLAIM": "bsn"}
    settings.OIDC_STAFF = {}
    messages = oidc_settings_check()
    assert [m.id for m in messages] == ["buurtkracht.W010"]
    assert "BUURTKRACHT_OIDC_RESIDENT_TOKEN_ENDPOINT" in messages[0].msg
    call_command("check")  # a warning, not an error: the site still starts


def test_reauthentication_of_a_digid_account_asks_digid_for_a_fresh_login(
    client: Client, oidc: Provider
) -> None:
    membership = factories.MembershipFactory.create(person__bsn=BSN)
    oidc.sign_in_as(bsn=BSN)
    log_in(client)
    account = User.objects.get(person=membership.person)
    session = client.session
    session[REAUTH_SESSION_KEY] = 0  # the login was long ago
    session.save()
    to_start = client.get("/accounts/bevestigen/?next=/huishoudens/")
    assert to_start.status_code == 302
    assert to_start["Location"].startswith("/accounts/digid/?")
    response = log_in(client, to_start["Location"])
    assert oidc.last_authorisation["prompt"] == "login"
    assert response["Location"] == "/huishoudens/"
    assert client.get("/").wsgi_request.user == account
    assert client.session[REAUTH_SESSION_KEY] > 0


def test_a_code_is_taken_in_only_at_the_callback_of_the_provider_that_started(
    client: Client, oidc: Provider, personas: Personas
) -> None:
    personas.worker.email = "wijkwerker@gemeente.example"
    personas.worker.save()
    oidc.sign_in_as(email="wijkwerker@gemeente.example", amr=["mfa"])
    callback = _to_callback(client, "/accounts/digid/")
    path, _, query = callback.partition("?")
    assert path == "http://testserver/accounts/digid/terug/"
    response = client.get(f"/accounts/organisatie/terug/?{query}")
    assert response.status_code == 400
    assert not client.get("/accounts/login/").wsgi_request.user.is_authenticated
    assert last_event(Action.LOGIN_FAILED).details["error"] == "other provider"
