"""The login lock-out (accounts/lockout.py): no sixth guess through a race, a stranger
cannot lock the owner out from another address, and the name-wide lock stays for
guessing spread over many addresses."""

from __future__ import annotations

import threading

import pytest
from django.contrib.auth.signals import user_login_failed
from django.db import connection
from django.test import Client, RequestFactory
from django.urls import reverse

from buurtkracht.accounts.forms import LoginForm
from tests.factories import PASSWORD, UserFactory

LOGIN = "/login/"


def _login(address: str, username: str, password: str) -> str:
    """The body of the login answer, from a fresh browser at `address`."""
    client = Client(REMOTE_ADDR=address)
    response = client.post(reverse("accounts:login"), {"username": username, "password": password})
    if response.status_code == 302:
        return "signed in"
    return response.content.decode()


@pytest.mark.django_db
def test_a_stranger_elsewhere_cannot_lock_the_owner_out(settings: object) -> None:
    """The finding: anyone could lock a known user name out for 15 minutes."""
    UserFactory.create(username="wijkwerker")
    for _ in range(5):
        _login("198.51.100.66", "wijkwerker", "fout")
    assert "geblokkeerd" in _login("198.51.100.66", "wijkwerker", PASSWORD)
    assert _login("203.0.113.10", "wijkwerker", PASSWORD) == "signed in"


@pytest.mark.django_db
def test_the_owners_address_is_told_apart_behind_the_proxy(settings: object) -> None:
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]  # type: ignore[attr-defined]
    UserFactory.create(username="wijkwerker")
    attacker = Client(REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="198.51.100.66")
    for _ in range(6):
        attacker.post(reverse("accounts:login"), {"username": "wijkwerker", "password": "x"})
    owner = Client(REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="203.0.113.10")
    response = owner.post(
        reverse("accounts:login"), {"username": "wijkwerker", "password": PASSWORD}
    )
    assert response.status_code == 302


@pytest.mark.django_db
def test_guessing_from_many_addresses_locks_the_name_everywhere(settings: object) -> None:
    settings.LOCKOUT_ATTEMPTS = 3  # type: ignore[attr-defined]
    settings.LOCKOUT_NAME_ATTEMPTS = 6  # type: ignore[attr-defined]
    UserFactory.create(username="wijkwerker")
    # One address cannot add more than its own limit to the name's count.
    for _ in range(10):
        _login("198.51.100.1", "wijkwerker", "fout")
    assert _login("203.0.113.10", "wijkwerker", PASSWORD) == "signed in"
    for _ in range(3):
        _login("198.51.100.2", "wijkwerker", "fout")
        _login("198.51.100.3", "wijkwerker", "fout")
    assert "geblokkeerd" in _login("203.0.113.10", "wijkwerker", PASSWORD)


@pytest.mark.django_db
def test_a_right_password_clears_the_own_typing_errors(settings: object) -> None:
    UserFactory.create(username="wijkwerker")
    for _ in range(4):
        _login("203.0.113.10", "wijkwerker", "fout")
    assert _login("203.0.113.10", "wijkwerker", PASSWORD) == "signed in"
    for _ in range(4):
        _login("203.0.113.10", "wijkwerker", "fout")
    assert _login("203.0.113.10", "wijkwerker", PASSWORD) == "signed in"


@pytest.mark.django_db(transaction=True)
def test_concurrent_guesses_get_no_sixth_try(settings: object) -> None:
    """The finding: the lock-out race let six guesses through instead of five. Twelve
    guesses start at the same moment; only five may reach the password check."""
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers need PostgreSQL (SQLite in tests is one connection)")
    UserFactory.create(username="wijkwerker")
    checked = 0
    lock = threading.Lock()

    def count(**kwargs: object) -> None:
        nonlocal checked
        with lock:
            checked += 1

    user_login_failed.connect(count, dispatch_uid="test-lockout-race")
    start = threading.Barrier(12)

    def guess() -> None:
        try:
            request = RequestFactory().post(LOGIN, REMOTE_ADDR="198.51.100.66")
            form = LoginForm(request, data={"username": "wijkwerker", "password": "fout"})
            start.wait()
            form.is_valid()
        finally:
            connection.close()

    threads = [threading.Thread(target=guess) for _ in range(12)]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        user_login_failed.disconnect(dispatch_uid="test-lockout-race")
    assert checked == 5
