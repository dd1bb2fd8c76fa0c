"""Lock-out after repeated failed logins, counted from the audit log itself: failed logins
(password or second factor) are audit events already, so no second record is kept."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import timezone

from buurtkracht.audit.models import Action, AuditEvent


def account_locked(username: str) -> bool:
    """True when `username` had LOCKOUT_ATTEMPTS failures within LOCKOUT_MINUTES since its
    last successful login."""
    since = timezone.now() - dt.timedelta(minutes=settings.LOCKOUT_MINUTES)
    recent = AuditEvent.objects.filter(
        actor_username__iexact=username.strip(), occurred_at__gte=since
    )
    last_success = (
        recent.filter(action=Action.LOGIN)
        .order_by("-sequence")
        .values_list("sequence", flat=True)
        .first()
    )
    failures = recent.filter(action=Action.LOGIN_FAILED, sequence__gt=last_success or 0)
    return failures.count() >= settings.LOCKOUT_ATTEMPTS
