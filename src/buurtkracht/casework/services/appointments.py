"""Appointments with a household (a home visit, a conversation, a review) and each
worker's private calendar feed (docs/appointments.md).

An appointment is planned, changed and cancelled, never deleted; every write is an audit
event on the household's residents, and a change or cancellation made on a page opened
before someone else's change is refused (`core.versioning`). Times are aware moments,
typed as a day and a wall-clock time in Europe/Amsterdam: a time that does not exist
(the hour the clocks skip in spring) is refused, an hour that happens twice (autumn) is
the first of the two."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from buurtkracht.audit.models import Action as AuditAction
from buurtkracht.audit.models import Ground
from buurtkracht.audit.services import audit_record
from buurtkracht.casework.models import Appointment, CalendarFeed
from buurtkracht.casework.services.plans import _log
from buurtkracht.core import validators
from buurtkracht.core.versioning import version_claim
from buurtkracht.households.models import Household

if TYPE_CHECKING:
    from django.http import HttpRequest

    from buurtkracht.accounts.models import User

# An appointment lasts at most a working day; a longer one is a typing error.
LONGEST = dt.timedelta(hours=12)
DEFAULT_LENGTH = dt.timedelta(hours=1)


def local_moment(day: dt.date, time: dt.time) -> dt.datetime:
    """The aware moment of a wall-clock `time` on `day` in Amsterdam. Raises
    ValidationError when that time does not exist on that day (spring forward)."""
    zone = timezone.get_default_timezone()
    moment = dt.datetime.combine(day, time.replace(tzinfo=None, fold=0), tzinfo=zone)
    # A time in the skipped hour does not survive the round trip through UTC.
    back = moment.astimezone(dt.UTC).astimezone(zone)
    if (back.date(), back.time().replace(fold=0)) != (day, time.replace(tzinfo=None, fold=0)):
        raise ValidationError(
            _(
                "The time %(time)s does not exist on %(date)s: the clocks go forward an hour "
                "that night. Choose another time."
            )
            % {"time": time.strftime("%H:%M"), "date": formats.date_format(day, "d-m-Y")}
        )
    return moment


def _checked(
    *,
    household: Household,
    kind: str,
    starts_at: dt.datetime | None,
    ends_at: dt.datetime | None,
    place: str,
    place_text: str,
    workers: Iterable[User],
    allowed_workers: Iterable[int],
) -> tuple[dt.datetime, dt.datetime, list[User]]:
    """What every appointment needs, as errors by field, or the clean values."""
    errors: dict[str, str] = {}
    if kind not in Appointment.Kind.values:
        errors["kind"] = _("Choose what kind of appointment it is.")
    if place not in Appointment.Place.values:
        errors["place"] = _("Choose where the appointment is.")
    elif place != Appointment.Place.HOME and not place_text.strip():
        errors["place_text"] = _("Write the address or the place where you meet.")
    chosen = list(workers)
    allowed = set(allowed_workers)
    if not chosen:
        errors["workers"] = _("Choose at least one worker who goes.")
    elif any(worker.pk not in allowed for worker in chosen):
        errors["workers"] = _("Choose workers who are involved in this household.")
    if starts_at is None:
        errors["date"] = _("Fill in the day, for example 22-11-2026.")
    else:
        # Arithmetic and comparisons in UTC: in one zone Python counts wall-clock hours,
        # and a night when the clocks change would make an hour of two or of none.
        starts_at = starts_at.astimezone(dt.UTC)
        ends_at = ends_at.astimezone(dt.UTC) if ends_at is not None else None
        message = validators.PLANNED.error(timezone.localdate(starts_at))
        if message:
            errors["date"] = message
        ends_at = ends_at or starts_at + DEFAULT_LENGTH
        if ends_at <= starts_at:
            errors["end"] = _("The end lies before the start. Fill in a later end time.")
        elif ends_at - starts_at > LONGEST:
            errors["end"] = _("An appointment lasts at most 12 hours. Check the end time.")
    if errors:
        raise ValidationError(errors)
    assert starts_at is not None and ends_at is not None
    return starts_at, ends_at, chosen


@transaction.atomic
def appointment_plan(
    *,
    household: Household,
    user: User,
    kind: str,
    starts_at: dt.datetime | None,
    ends_at: dt.datetime | None = None,
    place: str = Appointment.Place.HOME,
    place_text: str = "",
    workers: Iterable[User] = (),
    allowed_workers: Iterable[int] = (),
    with_others: str = "",
    note: str = "",
    request: HttpRequest | None = None,
    ground: str = Ground.INVOLVEMENT,
) -> Appointment:
    """Plan an appointment with the household. `allowed_workers` are the ids of the
    workers involved in the household, who may be chosen (`queries.involved_workers`)."""
    starts_at, ends_at, chosen = _checked(
        household=household,
        kind=kind,
        starts_at=starts_at,
        ends_at=ends_at,
        place=place,
        place_text=place_text,
        workers=workers,
        allowed_workers=allowed_workers,
    )
    appointment = Appointment.objects.create(
        household=household,
        kind=kind,
        starts_at=starts_at,
        ends_at=ends_at,
        place=place,
        place_text=place_text.strip() if place != Appointment.Place.HOME else "",
        with_others=with_others.strip(),
        note=note.strip(),
        created_by=user,
    )
    appointment.workers.set(chosen)
    _log(
        action=AuditAction.CREATE,
        user=user,
        household=household,
        obj=appointment,
        request=request,
        change="appointment planned",
        kind=kind,
        ground=ground,
    )
    return appointment


@transaction.atomic
def appointment_change(
    *,
    appointment: Appointment,
    user: User,
    kind: str,
    starts_at: dt.datetime | None,
    ends_at: dt.datetime | None = None,
    place: str = Appointment.Place.HOME,
    place_text: str = "",
    workers: Iterable[User] = (),
    allowed_workers: Iterable[int] = (),
    with_others: str = "",
    note: str = "",
    expected_version: int | None = None,
    request: HttpRequest | None = None,
    ground: str = Ground.INVOLVEMENT,
) -> Appointment:
    """Change an appointment that is not cancelled. Raises ChangedMeanwhile (nothing
    saved) when someone else changed it after the user opened it at `expected_version`."""
    if appointment.is_cancelled:
        raise ValidationError(_("This appointment is cancelled. Plan a new one instead."))
    starts_at, ends_at, chosen = _checked(
        household=appointment.household,
        kind=kind,
        starts_at=starts_at,
        ends_at=ends_at,
        place=place,
        place_text=place_text,
        workers=workers,
        allowed_workers=allowed_workers,
    )
    version_claim(appointment, expected_version)
    before = {
        "kind": appointment.kind,
        "starts_at": appointment.starts_at,
        "ends_at": appointment.ends_at,
        "place": appointment.place,
        "place_text": appointment.place_text,
        "with_others": appointment.with_others,
        "note": appointment.note,
    }
    appointment.kind = kind
    appointment.starts_at = starts_at
    appointment.ends_at = ends_at
    appointment.place = place
    appointment.place_text = place_text.strip() if place != Appointment.Place.HOME else ""
    appointment.with_others = with_others.strip()
    appointment.note = note.strip()
    appointment.save()
    old_workers = set(appointment.workers.values_list("pk", flat=True))
    appointment.workers.set(chosen)
    changed = sorted(name for name, old in before.items() if getattr(appointment, name) != old)
    if old_workers != {worker.pk for worker in chosen}:
        changed.append("workers")
    _log(
        action=AuditAction.UPDATE,
        user=user,
        household=appointment.household,
        obj=appointment,
        request=request,
        change="appointment changed",
        fields=changed,
        ground=ground,
    )
    return appointment


@transaction.atomic
def appointment_cancel(
    *,
    appointment: Appointment,
    user: User,
    reason: str,
    expected_version: int | None = None,
    request: HttpRequest | None = None,
    ground: str = Ground.INVOLVEMENT,
) -> Appointment:
    """Cancel an appointment, with a reason. It stays on the file and in the calendar
    feeds, marked cancelled."""
    if appointment.is_cancelled:
        raise ValidationError(_("This appointment is cancelled already."))
    if not (reason or "").strip():
        raise ValidationError(
            {"reason": _("Write why the appointment does not go ahead, for example: ill.")}
        )
    version_claim(appointment, expected_version)
    appointment.cancelled_at = timezone.now()
    appointment.cancelled_by = user
    appointment.cancel_reason = reason.strip()
    appointment.save()
    _log(
        action=AuditAction.UPDATE,
        user=user,
        household=appointment.household,
        obj=appointment,
        request=request,
        change="appointment cancelled",
        ground=ground,
    )
    return appointment


def feed_token_hash(token: str) -> str:
    """The stored form of a feed token: a random 256-bit token needs no slow hash."""
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def calendar_feed_renew(*, user: User, request: HttpRequest | None = None) -> str:
    """Make (or remake) the user's calendar feed and return its new token, the only time
    it is ever shown: the database keeps only its hash, and the old address stops
    working at once."""
    token = secrets.token_urlsafe(32)
    feed, created = CalendarFeed.objects.select_for_update().get_or_create(
        user=user,
        defaults={"token_hash": feed_token_hash(token), "renewed_at": timezone.now()},
    )
    if not created:
        feed.token_hash = feed_token_hash(token)
        feed.renewed_at = timezone.now()
        feed.save(update_fields=["token_hash", "renewed_at"])
    audit_record(
        action=AuditAction.CREATE if created else AuditAction.UPDATE,
        user=user,
        request=request,
        obj=feed,
        details={"change": "calendar feed made" if created else "calendar feed renewed"},
    )
    return token


@transaction.atomic
def calendar_feed_set_names(
    *, user: User, show_names: bool, request: HttpRequest | None = None
) -> CalendarFeed:
    """Say whether the user's feed shows residents' names and addresses."""
    feed = CalendarFeed.objects.select_for_update().get(user=user)
    if feed.show_names != show_names:
        feed.show_names = show_names
        feed.save(update_fields=["show_names"])
        audit_record(
            action=AuditAction.UPDATE,
            user=user,
            request=request,
            obj=feed,
            details={"change": "calendar feed names", "show_names": show_names},
        )
    return feed


@transaction.atomic
def calendar_feed_stop(*, user: User, request: HttpRequest | None = None) -> None:
    """Switch the feed off: the address stops working."""
    deleted, _rows = CalendarFeed.objects.filter(user=user).delete()
    if deleted:
        audit_record(
            action=AuditAction.DELETE,
            user=user,
            request=request,
            details={"change": "calendar feed stopped"},
        )
