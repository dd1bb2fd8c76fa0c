"""Writing audit entries. Every service that touches resident data calls `audit_record`;
views log their looks through `buurtkracht.audit.decorators.audited`."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Protocol

from django.db import connection, transaction
from django.http import HttpRequest
from django.utils import timezone

from buurtkracht.audit.chain import GENESIS, entry_hash
from buurtkracht.audit.models import AuditEvent, AuditSubject, Ground
from buurtkracht.core.bulk import insert_rows
from buurtkracht.core.throttle import client_address


class Actor(Protocol):
    """Who acts, as the audit log records them: an account of `accounts`, which the ground
    floor's log names by shape rather than importing (docs/decisions/0006-floors.md)."""

    @property
    def pk(self) -> Any: ...
    @property
    def role_set(self) -> frozenset[str]: ...
    @property
    def organisation(self) -> object: ...
    @property
    def is_authenticated(self) -> bool: ...
    def get_username(self) -> str: ...


# Any fixed number: the advisory lock that serialises writers of the chain on PostgreSQL.
# (SQLite serialises writers already: transactions start IMMEDIATE, see settings.)
_CHAIN_LOCK = 7513


def client_of(request: HttpRequest | None) -> tuple[str, str]:
    """The client address and user agent. Behind one of TRUSTED_PROXIES the address is the
    client's as the proxy forwarded it (core.throttle.client_address)."""
    if request is None:
        return "", ""
    return (
        client_address(request)[:45],
        str(request.META.get("HTTP_USER_AGENT", ""))[:300],
    )


def _actor_fields(user: Actor | None) -> dict[str, Any]:
    if user is None or not getattr(user, "is_authenticated", False):
        return {"actor_id": None, "actor_username": "", "actor_roles": "", "actor_organisation": ""}
    return {
        "actor_id": user.pk,
        "actor_username": user.get_username(),
        "actor_roles": ",".join(sorted(user.role_set)),
        "actor_organisation": str(user.organisation or ""),
    }


def _plain(value: Any) -> Any:
    """Details as JSON that round-trips exactly through SQLite and PostgreSQL (jsonb
    rewrites floats such as 1e16), so the hash still matches when read back."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set):
        return [_plain(v) for v in value]
    if value is None or isinstance(value, bool | int | str):
        return value
    return str(value)


@transaction.atomic
def audit_record(
    *,
    action: str,
    user: Actor | None = None,
    request: HttpRequest | None = None,
    subjects: Iterable[int] = (),
    obj: Any = None,
    ground: str = Ground.NONE,
    allowed: bool = True,
    reason: str = "",
    details: dict[str, Any] | None = None,
    on_behalf_of: str = "",
    username: str = "",
) -> AuditEvent:
    """Append one entry to the chain.

    `subjects` are the ids of the residents (Person) the event concerns; `obj` the object
    acted on. `username` names the account for a failed login, where there is no user.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_CHAIN_LOCK])
    last = AuditEvent.objects.order_by("-sequence").values("sequence", "hash").first()
    previous_hash = last["hash"] if last else GENESIS
    ip, agent = client_of(request)
    subject_ids = sorted({int(s) for s in subjects})
    fields: dict[str, Any] = {
        "sequence": (last["sequence"] + 1) if last else 1,
        "occurred_at": timezone.now(),
        **_actor_fields(user),
        "on_behalf_of": on_behalf_of,
        "action": action,
        "object_type": obj._meta.label if obj is not None else "",
        "object_id": str(obj.pk) if obj is not None else "",
        "object_label": str(obj)[:200] if obj is not None else "",
        "ground": ground,
        "allowed": allowed,
        "reason": reason,
        "details": _plain(details or {}),
        "client_ip": ip,
        "client_agent": agent,
        "subject_ids": subject_ids,
    }
    if username and not fields["actor_username"]:
        fields["actor_username"] = username[:150]
    event = AuditEvent.objects.create(
        **fields, previous_hash=previous_hash, hash=entry_hash(previous_hash, fields)
    )
    # A bulk import names thousands of residents in one event: rows, not instances.
    insert_rows(AuditSubject, ("event_id", "person_id"), [(event.pk, p) for p in subject_ids])
    return event
