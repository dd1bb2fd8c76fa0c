"""Writes on notifications. Domain services call `notify` where an event happens; the
top floor's daily sweep (`manage.py notify_due`) calls it for what falls due;
`digests_send` sends the daily e-mail (`manage.py send_digests`).

No audit event: a notification carries no resident data (a kind, a neutral line, a link);
the event that caused it is logged by its own service, and opening the link is logged by
the page it opens.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterable, Iterator
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from buurtkracht.notifications.kinds import DEFAULT_CHANNEL, Channel, Kind
from buurtkracht.notifications.models import Digest, Notification, Preference

if TYPE_CHECKING:
    import datetime as dt

    from buurtkracht.accounts.models import User

logger = logging.getLogger(__name__)

_muted: ContextVar[bool] = ContextVar("notifications_muted", default=False)


@contextlib.contextmanager
def notifications_muted() -> Iterator[None]:
    """Nobody is told while this runs: the demo's generator, which replays months of
    events at once, makes its own few notifications afterwards."""
    token = _muted.set(True)
    try:
        yield
    finally:
        _muted.reset(token)


def _user_id(recipient: User | int | None) -> int | None:
    if recipient is None:
        return None
    return recipient if isinstance(recipient, int) else recipient.pk


def channels_for(user_ids: Iterable[int], kind: str) -> dict[int, str]:
    """The channel each user chose for `kind`, or the kind's default. One query."""
    ids = list(user_ids)
    chosen = dict(
        Preference.objects.filter(user_id__in=ids, kind=kind).values_list("user_id", "channel")
    )
    return {pk: chosen.get(pk, DEFAULT_CHANNEL[kind]) for pk in ids}


def notify(
    *,
    recipients: Iterable[User | int | None],
    kind: str,
    link: str,
    key: str,
    text: Any = "",
    params: dict[str, Any] | None = None,
    actor: User | None = None,
) -> int:
    """Tell `recipients` (not `actor`: nobody is told what they did themselves) about one
    event, once: `key` names the event, and a recipient who has a notification with that
    key gets no second one. `link` is a path on this site; `text` a short line that names
    no resident (lazy, so that it is written in the site's language; `params` fill it in).
    Mail for those who chose it goes out once the transaction commits.
    Returns how many were told."""
    if _muted.get():
        return 0
    if kind not in Kind.values:
        raise ValueError(f"Unknown notification kind {kind!r}")
    if not link.startswith("/") or link.startswith("//"):
        raise ValueError("A notification links to a page of this site.")
    ids = {pk for r in recipients if (pk := _user_id(r)) is not None}
    if actor is not None:
        ids.discard(actor.pk)
    if not ids:
        return 0
    from buurtkracht.accounts.models import User

    ids = set(User.objects.filter(pk__in=ids, is_active=True).values_list("pk", flat=True))
    ids -= set(
        Notification.objects.filter(recipient_id__in=ids, dedupe_key=key).values_list(
            "recipient_id", flat=True
        )
    )
    channels = {pk: c for pk, c in channels_for(ids, kind).items() if c != Channel.OFF}
    if not channels:
        return 0
    with translation.override(settings.LANGUAGE_CODE):
        line = (str(text) % params if params else str(text))[:200]
    now = timezone.now()
    with transaction.atomic():
        Notification.objects.bulk_create(
            [
                Notification(
                    recipient_id=pk,
                    kind=kind,
                    text=line,
                    link=link,
                    dedupe_key=key,
                    channel=channel,
                    created_at=now,
                )
                for pk, channel in sorted(channels.items())
            ],
            ignore_conflicts=True,  # a concurrent call told them just now
        )
    at_once = [pk for pk, channel in channels.items() if channel == Channel.EMAIL]
    if at_once:
        transaction.on_commit(lambda: _mail_at_once(key, at_once))
    return len(channels)


def site_url(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def _footer() -> str:
    return _(
        "You get this e-mail because of your notification settings. Change them here: %(url)s"
    ) % {"url": site_url(reverse("notifications:preferences"))}


def _mail_at_once(key: str, user_ids: list[int]) -> None:
    pending = Notification.objects.filter(
        dedupe_key=key, recipient_id__in=user_ids, emailed_at__isnull=True
    ).select_related("recipient")
    for notification in pending:
        address = notification.recipient.email
        if not address:
            continue
        # Claim it first, so two processes never mail the same notification twice.
        now = timezone.now()
        claimed = Notification.objects.filter(pk=notification.pk, emailed_at__isnull=True).update(
            emailed_at=now
        )
        if not claimed:
            continue
        with translation.override(settings.LANGUAGE_CODE):
            label = notification.get_kind_display()
            body = "\n\n".join(
                part
                for part in (
                    str(label),
                    notification.text,
                    _("Open it in %(site)s: %(url)s")
                    % {"site": settings.SITE_NAME, "url": site_url(notification.link)},
                    _footer(),
                )
                if part
            )
            subject = f"{settings.SITE_NAME}: {label}"
        try:
            send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [address])
        except Exception:  # the mail server is down: the next run of the digest won't help,
            # but the list has it; forget the claim so an operator's retry can send it.
            logger.exception("Notification mail %s not sent", notification.pk)
            Notification.objects.filter(pk=notification.pk).update(emailed_at=None)


def digest_body(items: list[Notification]) -> str:
    lines = [
        _("What happened in %(site)s since your last daily e-mail:") % {"site": settings.SITE_NAME},
        "",
    ]
    for item in items:
        line = f"- {item.get_kind_display()}"
        if item.text:
            line += f": {item.text}"
        lines += [line, f"  {site_url(item.link)}"]
    lines += ["", _("All your notifications: %(url)s") % {"url": site_url("/meldingen/")}]
    lines += ["", _footer()]
    return "\n".join(lines)


def digests_send(*, now: dt.datetime | None = None, user_ids: list[int] | None = None) -> int:
    """The daily e-mail: to each user with unread notifications waiting for it, once per
    day (Amsterdam), whatever the hour and however often this runs. Returns how many
    e-mails went out."""
    now = now or timezone.now()
    day = timezone.localdate(now)
    waiting = Notification.objects.filter(
        channel=Channel.DIGEST, emailed_at__isnull=True, read_at__isnull=True, created_at__lte=now
    )
    if user_ids is not None:
        waiting = waiting.filter(recipient_id__in=user_ids)
    user_ids = sorted(set(waiting.values_list("recipient_id", flat=True)))
    sent = 0
    from buurtkracht.accounts.models import User

    for user in User.objects.filter(pk__in=user_ids, is_active=True).exclude(email=""):
        try:
            with transaction.atomic():
                items = list(waiting.filter(recipient=user).order_by("created_at", "pk"))
                if not items:
                    continue
                Digest.objects.create(user=user, day=day, sent_at=now, count=len(items))
                with translation.override(settings.LANGUAGE_CODE):
                    subject = _("%(site)s: your notifications of today") % {
                        "site": settings.SITE_NAME
                    }
                    body = digest_body(items)
                Notification.objects.filter(pk__in=[i.pk for i in items]).update(emailed_at=now)
                # Inside the transaction: a mail that fails leaves the day open for a retry.
                send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])
                sent += 1
        except IntegrityError:  # today's e-mail went out already (or is going out now)
            continue
    return sent


@transaction.atomic
def notification_read(*, user: User, pk: int) -> Notification | None:
    """Mark one of the user's notifications read; None when it is not theirs."""
    notification = Notification.objects.filter(recipient=user, pk=pk).first()
    if notification is None:
        return None
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


def notifications_all_read(*, user: User) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )


@transaction.atomic
def preferences_set(*, user: User, channels: dict[str, str]) -> None:
    """Store the user's choice per kind (only the kinds given)."""
    for kind, channel in channels.items():
        if kind not in Kind.values or channel not in Channel.values:
            raise ValueError(f"Unknown kind or channel: {kind!r}, {channel!r}")
        Preference.objects.update_or_create(user=user, kind=kind, defaults={"channel": channel})
