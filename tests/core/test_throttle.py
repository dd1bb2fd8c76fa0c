"""The shared throttle (core.throttle): counts that survive a second worker process and a
dropped cookie, windows that end, and the client address behind trusted proxies."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.cache import cache
from django.http import HttpRequest
from django.test import RequestFactory, override_settings
from django.utils import timezone

from buurtkracht.core.models import ThrottleCount
from buurtkracht.core.throttle import Limit, client_address

pytestmark = pytest.mark.django_db

LIMIT = Limit("test", 3, 60)


def _request(remote: str, forwarded: str | None = None) -> HttpRequest:
    request = RequestFactory().get("/", REMOTE_ADDR=remote)
    if forwarded is not None:
        request.META["HTTP_X_FORWARDED_FOR"] = forwarded
    return request


def test_counts_are_kept_in_the_database_not_in_a_process() -> None:
    assert [LIMIT.hit("a") for _ in range(4)] == [1, 2, 3, 4]
    cache.clear()  # what a second worker process would see: nothing in its own memory
    assert LIMIT.count("a") == 4 and LIMIT.reached("a")
    assert LIMIT.count("b") == 0
    # The subject is stored as a keyed hash only.
    row = ThrottleCount.objects.get()
    assert len(row.key) == 64 and row.scope == "test"


def test_a_window_ends_and_the_count_starts_again(monkeypatch: pytest.MonkeyPatch) -> None:
    LIMIT.hit("a")
    LIMIT.hit("a")
    later = timezone.now() + dt.timedelta(seconds=61)
    monkeypatch.setattr("buurtkracht.core.throttle.timezone.now", lambda: later)
    assert LIMIT.count("a") == 0
    assert LIMIT.hit("a") == 1


def test_undo_and_reset() -> None:
    LIMIT.hit("a")
    LIMIT.hit("a")
    LIMIT.undo("a")
    assert LIMIT.count("a") == 1
    LIMIT.reset("a")
    assert LIMIT.count("a") == 0


@override_settings(THROTTLE_CACHE="default")
def test_a_cache_can_be_the_store_instead() -> None:
    cache.clear()
    assert [LIMIT.hit("a") for _ in range(3)] == [1, 2, 3]
    assert LIMIT.reached("a")
    LIMIT.undo("a")
    assert LIMIT.count("a") == 2
    LIMIT.reset("a")
    assert LIMIT.count("a") == 0
    assert not ThrottleCount.objects.exists()


def test_without_trusted_proxies_the_forwarded_header_is_ignored() -> None:
    request = _request("198.51.100.7", "203.0.113.1")
    assert client_address(request) == "198.51.100.7"


@override_settings(TRUSTED_PROXIES=["10.0.0.0/8"])
def test_behind_a_trusted_proxy_the_right_most_untrusted_address_counts() -> None:
    # The client wrote 1.2.3.4 itself to look like someone else; the proxy appended the
    # address it really saw.
    assert client_address(_request("10.0.0.5", "1.2.3.4, 203.0.113.9")) == "203.0.113.9"
    # Two proxies of our own in a row.
    assert client_address(_request("10.0.0.5", "203.0.113.9, 10.1.1.1")) == "203.0.113.9"
    # Ports and IPv6 as some proxies write them.
    assert client_address(_request("10.0.0.5", "203.0.113.9:51234")) == "203.0.113.9"
    assert client_address(_request("10.0.0.5", "[2001:db8::7]:443")) == "2001:db8::7"
    # Garbage: the last address a trusted proxy vouched for.
    assert client_address(_request("10.0.0.5", "not-an-address")) == "10.0.0.5"
    # A client that is not our proxy cannot choose its address with the header.
    assert client_address(_request("198.51.100.7", "203.0.113.9")) == "198.51.100.7"
    assert client_address(None) == ""
