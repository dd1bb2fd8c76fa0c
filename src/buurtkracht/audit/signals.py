"""Logins, failed logins and logouts are audit events too (issue: Trust)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from buurtkracht.audit.models import Action, Ground
from buurtkracht.audit.services import audit_record

if TYPE_CHECKING:
    from django.http import HttpRequest

    from buurtkracht.audit.services import Actor


@receiver(user_logged_in)
def _logged_in(sender: Any, request: HttpRequest, user: Actor | None, **kwargs: Any) -> None:
    audit_record(action=Action.LOGIN, user=user, request=request, ground=Ground.OWN_DATA)


@receiver(user_logged_out)
def _logged_out(sender: Any, request: HttpRequest, user: Actor | None, **kwargs: Any) -> None:
    if user is not None:
        audit_record(action=Action.LOGOUT, user=user, request=request, ground=Ground.OWN_DATA)


@receiver(user_login_failed)
def _login_failed(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    # Django already masks the password in `credentials`; only the user name is kept.
    audit_record(
        action=Action.LOGIN_FAILED,
        request=request,
        allowed=False,
        username=str(credentials.get("username", "")),
    )
