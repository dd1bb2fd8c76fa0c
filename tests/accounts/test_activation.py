"""Account activation (issue 15, findings 3 and 4): the administrator never sets or knows a
password; the owner chooses it through a one-time link (72 hours) and sets up two-step
login there; the app's device exists only once its first code is confirmed; recovery
codes are shown once and stored hashed."""

from __future__ import annotations

import base64
import datetime as dt
import re

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from buurtkracht.accounts.activation import activation_issue, token_hash
from buurtkracht.accounts.models import Activation, RecoveryCode, User
from buurtkracht.audit.models import AuditEvent
from tests.clock import at_each_awkward_instant
from tests.conftest import Personas

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Eigen-gekozen-wachtwoord-42"


def inline_management(prefix: str) -> dict[str, str]:
    return {
        f"{prefix}-TOTAL_FORMS": "0",
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def new_account(username: str = "nieuwe.collega") -> User:
    user = User(username=username, email=f"{username}@gemeente.example")
    user.set_unusable_password()
    user.save()
    return user


def secret_on(page: str) -> bytes:
    match = re.search(r'data-testid="totp-secret">([A-Z2-7 ]+)<', page)
    assert match, "the activation page shows the key to type by hand"
    key = match.group(1).replace(" ", "")
    return base64.b32decode(key + "=" * (-len(key) % 8))


def code(key: bytes) -> str:
    return f"{TOTP(key, step=30, digits=6).token():06d}"


def activate(client: Client, token: str, password: str = NEW_PASSWORD) -> tuple[str, bytes]:
    page = client.get(reverse("accounts:activate-link", args=[token]), follow=True)
    key = secret_on(page.content.decode())
    response = client.post(
        reverse("accounts:activate"),
        {"new_password1": password, "new_password2": password, "token": code(key)},
    )
    return response.content.decode(), key


def test_admin_creating_an_account_sets_no_password_and_mails_the_link(
    client: Client, personas: Personas
) -> None:
    """The attack: `beheer` makes an account with a password of their choosing."""
    client.force_login(personas.functional_admin)
    response = client.post(
        reverse("admin:accounts_user_add"),
        {
            "username": "stroman",
            "first_name": "Stro",
            "last_name": "Man",
            "email": "stroman@gemeente.example",
            "password1": "Door-beheer-gekozen-1",
            "password2": "Door-beheer-gekozen-1",
            "usable_password": "true",
            **inline_management("role_grants"),
            **inline_management("team_memberships"),
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    account = User.objects.get(username="stroman")
    assert not account.has_usable_password()
    assert not Client().login(username="stroman", password="Door-beheer-gekozen-1")
    # The link went to the owner's address, not to the administrator's screen.
    assert [m.to for m in mail.outbox] == [["stroman@gemeente.example"]]
    token = re.search(r"/accounts/activeren/([\w-]+)/", str(mail.outbox[0].body))
    assert token is not None
    followed = client.get(reverse("admin:accounts_user_change", args=[account.pk]))
    assert token.group(1) not in followed.content.decode()
    activation = Activation.objects.get(user=account)
    assert activation.token_hash == token_hash(token.group(1))  # only the hash is kept
    assert AuditEvent.objects.filter(
        actor_id=personas.functional_admin.pk, details__activation="link issued"
    ).exists()


def test_admin_cannot_set_anyones_password(client: Client, personas: Personas) -> None:
    """The attack: `beheer` sets a team leader's password and logs in as them."""
    client.force_login(personas.functional_admin)
    response = client.post(
        f"/beheer/accounts/user/{personas.team_leader.pk}/password/",
        {"password1": "Overgenomen-123!", "password2": "Overgenomen-123!"},
    )
    assert response.status_code == 403
    assert not Client().login(username="teamleider", password="Overgenomen-123!")
    page = client.get(f"/beheer/accounts/user/{personas.team_leader.pk}/change/")
    assert "password/" not in page.content.decode()


def test_the_owner_activates_and_signs_in_with_app_and_recovery_code(
    client: Client, personas: Personas, settings: object
) -> None:
    settings.REQUIRE_TWO_FACTOR = True  # type: ignore[attr-defined]
    account = new_account()
    from buurtkracht.accounts.services import role_grant

    role_grant(user=account, role="worker")
    token = activation_issue(user=account, by=personas.functional_admin)
    assert not TOTPDevice.objects.filter(user=account).exists()
    done, key = activate(client, token)
    codes = re.findall(r"<code class=\"utrecht-code\">([a-z2-7-]{19})</code>", done)
    assert len(codes) == 10
    device = TOTPDevice.objects.get(user=account)
    assert device.confirmed and device.bin_key == key
    # Hashed: no stored value is a code.
    stored = set(RecoveryCode.objects.filter(user=account).values_list("code_hash", flat=True))
    assert len(stored) == 10 and not stored & set(codes)
    # The link is spent.
    again = client.get(reverse("accounts:activate-link", args=[token]))
    assert again.status_code == 404

    signer = Client()
    signer.post(reverse("accounts:login"), {"username": account.username, "password": NEW_PASSWORD})
    assert signer.get(reverse("workspace:my-work")).status_code == 302
    page = signer.get(reverse("accounts:two-factor")).content.decode()
    assert "<svg" not in page  # no secret at login, ever
    signer.post(reverse("accounts:two-factor"), {"recovery_code": codes[0].upper()})
    assert signer.get(reverse("workspace:my-work")).status_code == 200

    # A recovery code works once.
    other = Client()
    other.post(reverse("accounts:login"), {"username": account.username, "password": NEW_PASSWORD})
    refused = other.post(reverse("accounts:two-factor"), {"recovery_code": codes[0]})
    assert "eerder gebruikt" in refused.content.decode()
    assert other.get(reverse("workspace:my-work")).status_code == 302
    other.post(reverse("accounts:two-factor"), {"token": code(key)})
    assert other.get(reverse("workspace:my-work")).status_code == 200


def test_two_sessions_with_one_link_share_no_secret_and_the_first_confirmation_wins(
    personas: Personas,
) -> None:
    """Finding 4: opening the page made the device and showed its secret to anyone with
    the password. Now nothing is stored before the first code confirms it."""
    account = new_account()
    token = activation_issue(user=account, by=personas.functional_admin)
    first, second = Client(), Client()
    page_one = first.get(reverse("accounts:activate-link", args=[token]), follow=True)
    page_two = second.get(reverse("accounts:activate-link", args=[token]), follow=True)
    key_one = secret_on(page_one.content.decode())
    key_two = secret_on(page_two.content.decode())
    assert key_one != key_two
    assert not TOTPDevice.objects.filter(user=account).exists()

    first.post(
        reverse("accounts:activate"),
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD, "token": code(key_one)},
    )
    late = second.post(
        reverse("accounts:activate"),
        {
            "new_password1": "Ander-wachtwoord-99",
            "new_password2": "Ander-wachtwoord-99",
            "token": code(key_two),
        },
    )
    assert late.status_code == 404
    device = TOTPDevice.objects.get(user=account)
    assert device.bin_key == key_one
    account.refresh_from_db()
    assert account.check_password(NEW_PASSWORD)


def test_a_password_without_a_device_does_not_enrol_at_login(
    client: Client, personas: Personas, settings: object
) -> None:
    settings.REQUIRE_TWO_FACTOR = True  # type: ignore[attr-defined]
    client.post(reverse("accounts:login"), {"username": "wijkwerker", "password": "x"})
    from tests.factories import PASSWORD

    client.post(reverse("accounts:login"), {"username": "wijkwerker", "password": PASSWORD})
    for _ in range(2):
        page = client.get(reverse("accounts:two-factor")).content.decode()
        assert "<svg" not in page and "totp-secret" not in page
        assert "activeringslink" in page
    assert not TOTPDevice.objects.filter(user=personas.worker).exists()
    assert client.get(reverse("workspace:my-work")).status_code == 302


def test_a_wrong_code_keeps_the_link_open(client: Client, personas: Personas) -> None:
    account = new_account()
    token = activation_issue(user=account, by=personas.functional_admin)
    client.get(reverse("accounts:activate-link", args=[token]))
    response = client.post(
        reverse("accounts:activate"),
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD, "token": "000000"},
    )
    assert response.status_code == 200
    assert "klopt niet" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=account).exists()
    account.refresh_from_db()
    assert not account.has_usable_password()


def test_a_new_link_replaces_the_old_one(client: Client, personas: Personas) -> None:
    account = new_account()
    old = activation_issue(user=account, by=personas.functional_admin)
    new = activation_issue(user=account, by=personas.functional_admin)
    assert client.get(reverse("accounts:activate-link", args=[old])).status_code == 404
    assert client.get(reverse("accounts:activate-link", args=[new])).status_code == 302


@at_each_awkward_instant
def test_the_link_lasts_72_hours_at_any_hour(
    personas: Personas, clock_instant: dt.datetime
) -> None:
    account = new_account()
    token = activation_issue(user=account, by=personas.functional_admin)
    # 72 hours of real time: across a clock change that is 71 or 73 hours on the wall.
    start = Activation.objects.get(user=account).created_at.astimezone(dt.UTC)
    assert start - clock_instant.astimezone(dt.UTC) < dt.timedelta(minutes=1)
    clock_instant = start
    with time_machine.travel(clock_instant + dt.timedelta(hours=71, minutes=59), tick=False):
        assert Client().get(reverse("accounts:activate-link", args=[token])).status_code == 302
    with time_machine.travel(clock_instant + dt.timedelta(hours=72, seconds=1), tick=False):
        assert Client().get(reverse("accounts:activate-link", args=[token])).status_code == 404
    # Activating just before the end still works (the page was opened in time).
    client = Client()
    with time_machine.travel(clock_instant + dt.timedelta(hours=71, minutes=58), tick=False):
        done, _key = activate(client, token)
    assert "Uw account is klaar" in done


def test_admin_may_resend_a_link_only_to_an_account_not_activated(
    client: Client, personas: Personas
) -> None:
    """A fresh link for an activated account would be a takeover: that is a reset, which
    needs a second person."""
    fresh = new_account()
    client.force_login(personas.functional_admin)
    for user in (fresh, personas.team_leader):
        client.post(
            reverse("admin:accounts_user_changelist"),
            {"action": "send_activation_link", "_selected_action": [user.pk]},
        )
    assert Activation.objects.filter(user=fresh).count() == 1
    assert not Activation.objects.filter(user=personas.team_leader).exists()
    assert [m.to for m in mail.outbox] == [[fresh.email]]


def test_the_operator_makes_the_first_administrator_and_replaces_a_lost_link(
    client: Client, db: None
) -> None:
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command(
        "create_account",
        "eerste.beheerder",
        "--email=eerste@gemeente.example",
        "--role=functional_admin",
        "--base-url=https://buurtkracht.test",
        stdout=out,
    )
    first = User.objects.get(username="eerste.beheerder")
    assert first.has_role("functional_admin") and not first.has_usable_password()
    lost = re.search(r"https://buurtkracht.test(/accounts/activeren/[\w-]+/)", out.getvalue())
    assert lost is not None
    out = StringIO()
    call_command("create_account", "eerste.beheerder", "--new-link", stdout=out)
    fresh = re.search(r"(/accounts/activeren/[\w-]+/)", out.getvalue())
    assert fresh is not None
    assert client.get(lost.group(1)).status_code == 404  # replaced
    assert client.get(fresh.group(1)).status_code == 302
    assert AuditEvent.objects.filter(details__operator=True).count() == 2
