"""Re-authentication before an export or a bulk action: the user types their password
again if they last did so more than REAUTH_MINUTES ago. A stolen unlocked session then
cannot carry data away in bulk."""

from __future__ import annotations

import functools
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponseBase
from django.shortcuts import redirect
from django.urls import reverse

SESSION_KEY = "buurtkracht_authenticated_at"


def mark_authenticated(request: HttpRequest) -> None:
    request.session[SESSION_KEY] = time.time()


def recently_authenticated(request: HttpRequest) -> bool:
    at = request.session.get(SESSION_KEY)
    return at is not None and time.time() - float(at) < settings.REAUTH_MINUTES * 60


def recent_auth_required(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not recently_authenticated(request):
            query = urlencode({"next": request.get_full_path()})
            return redirect(f"{reverse('accounts:reauth')}?{query}")
        return view(request, *args, **kwargs)

    return wrapped


@receiver(user_logged_in)
def _fresh_login_counts(sender: Any, request: HttpRequest | None, **kwargs: Any) -> None:
    if request is not None and hasattr(request, "session"):
        mark_authenticated(request)
