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

# A login route other than the password form (accounts/oidc.py) leaves on the request how
# the login went ({"method": "digid", "reason": "no_person"}), to be written with the
# login or the failed login: one entry, with its reason.
LOGIN_DETAILS = "buurtkracht_login_details"


def login_details(request: HttpRequest | None) -> dict[str, Any] | None:
    details = getattr(request, LOGIN_DETAILS, None) if request is not None else None
    return dict(details) if details else None


@receiver(user_logged_in)
def _logged_in(sender: Any, request: HttpRequest, user: Actor | None, **kwargs: Any) -> None:
    audit_record(
        action=Action.LOGIN,
        user=user,
        request=request,
        ground=Ground.OWN_DATA,
        details=login_details(request),
    )


@receiver(user_logged_out)
def _logged_out(sender: Any, request: HttpRequest, user: Actor | None, **kwargs: Any) -> None:
    if user is not None:
        audit_record(action=Action.LOGOUT, user=user, request=request, ground=Ground.OWN_DATA)


@receiver(user_login_failed)
def _login_failed(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    # Django already masks the password in `credentials`; only the user name is kept. A
    # login through an identity provider names the account it asked for in its details.
    details = login_details(request) or {}
    audit_record(
        action=Action.LOGIN_FAILED,
        request=request,
        allowed=False,
        username=str(credentials.get("username") or details.pop("username", "")),
        details=details or None,
    )
