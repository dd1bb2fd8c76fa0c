"""Throttles: count attempts (wrong voting codes, initiative proposals, failed logins) per
session, per client address and per account name, in a store that every worker process
shares, so that neither a second process nor a dropped cookie resets a count.

The store is the database (`ThrottleCount`, one row per counter; created by `migrate`, so
nothing else to set up) unless `THROTTLE_CACHE` names a cache alias, such as the Redis
cache that `BUURTKRACHT_REDIS_URL` configures. Both count atomically: the database with
one `UPDATE … SET count = count + 1` (the row lock serialises concurrent attempts), a
cache with `incr`.

The client address is REMOTE_ADDR, unless that is one of `TRUSTED_PROXIES`: then the
right-most address in X-Forwarded-For that is not a trusted proxy. A client can write
anything at the left of that header; only what our own proxies appended is believed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import ipaddress
from dataclasses import dataclass
from functools import lru_cache

from django.conf import settings
from django.core.cache import caches
from django.db import IntegrityError, transaction
from django.db.models import Case, F, Value, When
from django.http import HttpRequest
from django.utils import timezone

from buurtkracht.core.models import ThrottleCount

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network


@dataclass(frozen=True)
class Limit:
    """At most `limit` attempts per subject within `seconds` (a fixed window that starts at
    the first attempt). `scope` keeps the counters of different throttles apart."""

    scope: str
    limit: int
    seconds: int

    def hit(self, subject: str) -> int:
        """Count one attempt; the count including this one."""
        if alias := settings.THROTTLE_CACHE:
            return _cache_hit(alias, self._key(subject), self.seconds)
        return _db_hit(self._key(subject), self.scope, self.seconds)

    def count(self, subject: str) -> int:
        if alias := settings.THROTTLE_CACHE:
            return int(caches[alias].get(self._key(subject)) or 0)
        found = (
            ThrottleCount.objects.filter(key=self._key(subject), expires_at__gt=timezone.now())
            .values_list("count", flat=True)
            .first()
        )
        return found or 0

    def reached(self, subject: str) -> bool:
        return self.count(subject) >= self.limit

    def undo(self, subject: str) -> None:
        """Take one attempt back (it turned out not to be a failure)."""
        key = self._key(subject)
        if alias := settings.THROTTLE_CACHE:
            try:
                if int(caches[alias].get(key) or 0) > 0:
                    caches[alias].decr(key)
            except ValueError:  # expired meanwhile
                pass
            return
        ThrottleCount.objects.filter(key=key, count__gt=0).update(count=F("count") - 1)

    def reset(self, subject: str) -> None:
        key = self._key(subject)
        if alias := settings.THROTTLE_CACHE:
            caches[alias].delete(key)
            return
        ThrottleCount.objects.filter(key=key).delete()

    def _key(self, subject: str) -> str:
        # Keyed, so the stored keys cannot be reversed into user names or addresses by
        # trying them all (there are only 2^32 IPv4 addresses).
        message = f"{self.scope}\x1f{subject}".encode("utf-8", "surrogatepass")
        return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()


def _cache_hit(alias: str, key: str, seconds: int) -> int:
    cache = caches[alias]
    cache.add(key, 0, seconds)
    try:
        return int(cache.incr(key))
    except ValueError:  # expired between add and incr
        cache.set(key, 1, seconds)
        return 1


def _db_hit(key: str, scope: str, seconds: int) -> int:
    now = timezone.now()
    expires = now + dt.timedelta(seconds=seconds)
    rows = ThrottleCount.objects.filter(key=key)
    expired = When(expires_at__lte=now, then=Value(1))
    new_window = When(expires_at__lte=now, then=Value(expires))
    with transaction.atomic():
        if rows.update(
            count=Case(expired, default=F("count") + 1),
            expires_at=Case(new_window, default=F("expires_at")),
        ):
            # The UPDATE holds the row lock until commit: no other attempt comes between.
            return rows.values_list("count", flat=True).get()
        try:
            with transaction.atomic():
                ThrottleCount.objects.create(key=key, scope=scope, count=1, expires_at=expires)
        except IntegrityError:  # another process counted the first attempt just now
            rows.update(count=F("count") + 1)
            return rows.values_list("count", flat=True).get()
    # A new window: a good moment to sweep counters whose window has passed.
    ThrottleCount.objects.filter(expires_at__lt=now).delete()
    return 1


def client_address(request: HttpRequest | None) -> str:
    """The address of the client, believing X-Forwarded-For only as far as our own trusted
    proxies wrote it (see the module docstring)."""
    if request is None:
        return ""
    remote = str(request.META.get("REMOTE_ADDR", ""))
    trusted = _networks(tuple(settings.TRUSTED_PROXIES))
    if not trusted or not _is_trusted(_ip(remote), trusted):
        return remote
    address = remote
    hops = str(request.META.get("HTTP_X_FORWARDED_FOR", "")).split(",")
    for hop in reversed(hops):
        ip = _ip(hop)
        if ip is None:  # garbage: keep the last address a trusted proxy vouched for
            break
        address = str(ip)
        if not _is_trusted(ip, trusted):
            break
    return address


def _ip(text: str) -> IPAddress | None:
    text = text.strip()
    if text.startswith("[") and "]" in text:  # [2001:db8::1]:443
        text = text[1 : text.index("]")]
    elif text.count(":") == 1:  # 192.0.2.1:443
        text = text.split(":")[0]
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        return None


def _is_trusted(ip: IPAddress | None, trusted: tuple[IPNetwork, ...]) -> bool:
    return ip is not None and any(ip.version == net.version and ip in net for net in trusted)


@lru_cache(maxsize=8)
def _networks(entries: tuple[str, ...]) -> tuple[IPNetwork, ...]:
    return tuple(ipaddress.ip_network(entry.strip(), strict=False) for entry in entries)
