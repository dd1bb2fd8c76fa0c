"""Reads for the privacy officer's pages and the resident's "who looked": the audit log
filtered, exported and grouped per day. It names roles and accounts, so it lives on the
top floor with the pages; the audit log itself (ground floor) imports no other app's
models beyond the core. Residents are named by their person id only."""

from __future__ import annotations

import datetime as dt
import json
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from buurtkracht.accounts.models import Role
from buurtkracht.audit.models import Action, AuditEvent


def filtered_events(
    *,
    person_ids: list[int] | None = None,
    actor: str = "",
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    actions: list[str] | None = None,
) -> QuerySet[AuditEvent]:
    events = AuditEvent.objects.all()
    if person_ids is not None:
        events = events.filter(subjects__person_id__in=person_ids).distinct()
    if actor:
        events = events.filter(actor_username__iexact=actor.strip())
    tz = timezone.get_current_timezone()
    if date_from:
        events = events.filter(occurred_at__gte=dt.datetime.combine(date_from, dt.time.min, tz))
    if date_to:
        events = events.filter(
            occurred_at__lt=dt.datetime.combine(date_to + dt.timedelta(days=1), dt.time.min, tz)
        )
    if actions:
        events = events.filter(action__in=actions)
    return events.order_by("-sequence")


@dataclass(frozen=True)
class Look:
    """One line of "who looked at my file", in words a resident understands."""

    time: dt.datetime
    who: str
    role: str
    organisation: str
    action: str
    ground: str
    allowed: bool


# What a resident is shown: looks at and changes to their data, not logins of workers.
RESIDENT_VISIBLE_ACTIONS = [
    Action.CREATE,
    Action.READ,
    Action.UPDATE,
    Action.DELETE,
    Action.EXPORT,
    Action.PRINT,
    Action.SEARCH,
    Action.MERGE,
    Action.EMERGENCY_ACCESS,
    Action.CONSENT_CHANGE,
]


def _role_label(roles: str) -> str:
    labels = [str(Role(r).label) for r in roles.split(",") if r in Role.values]
    return ", ".join(labels)


def who_looked(person_id: int, *, days: int = 365) -> OrderedDict[dt.date, list[Look]]:
    """Every look at the data of the resident (Person) `person_id` in the last `days`,
    grouped per day, newest first."""
    since = timezone.now() - dt.timedelta(days=days)
    events = (
        AuditEvent.objects.filter(
            subjects__person_id=person_id,
            occurred_at__gte=since,
            action__in=RESIDENT_VISIBLE_ACTIONS,
        )
        .order_by("-sequence")
        .values(
            "occurred_at",
            "actor_id",
            "actor_username",
            "actor_roles",
            "actor_organisation",
            "action",
            "ground",
            "allowed",
        )
    )
    from buurtkracht.accounts.models import User

    rows = list(events[:1000])
    names = {
        u.pk: u.get_full_name() or u.username
        for u in User.objects.filter(pk__in={r["actor_id"] for r in rows if r["actor_id"]})
    }
    grouped: OrderedDict[dt.date, list[Look]] = OrderedDict()
    for row in rows:
        local = timezone.localtime(row["occurred_at"])
        grouped.setdefault(local.date(), []).append(
            Look(
                time=local,
                who=names.get(row["actor_id"], row["actor_username"]),
                role=_role_label(row["actor_roles"]),
                organisation=row["actor_organisation"],
                action=str(Action(row["action"]).label),
                ground=row["ground"],
                allowed=row["allowed"],
            )
        )
    return grouped


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value: Any) -> Any:
    """A cell a spreadsheet will not run as a formula: typed user names, reasons and search
    terms reach the export, so any text starting with = + - @ gets a leading quote."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def export_rows(events: QuerySet[AuditEvent]) -> Any:
    """CSV rows of the filtered log, for the privacy officer's export."""
    yield [
        "sequence", "occurred_at", "actor", "roles", "organisation", "on_behalf_of", "action",
        "object_type", "object_id", "residents", "ground", "allowed", "reason", "client_ip",
        "details", "hash",
    ]  # fmt: skip
    for event in events.iterator(chunk_size=2000):
        yield [spreadsheet_safe(cell) for cell in [
            event.sequence,
            event.occurred_at.isoformat(),
            event.actor_username,
            event.actor_roles,
            event.actor_organisation,
            event.on_behalf_of,
            event.action,
            event.object_type,
            event.object_id,
            " ".join(str(s) for s in event.subject_ids),
            event.ground,
            "yes" if event.allowed else "no",
            event.reason,
            event.client_ip,
            json.dumps(event.details, ensure_ascii=False, sort_keys=True),
            event.hash,
        ]]  # fmt: skip
