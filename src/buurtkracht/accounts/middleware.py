from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse

from buurtkracht.accounts.two_factor import needs_two_factor, second_factor_passed

# What a signed-in user may reach before the second factor.
EXEMPT_VIEWS = {
    "accounts:two-factor",
    "accounts:logout",
    "accounts:activate",
    "accounts:activate-link",
    "set_language",
    "core:health",
    "core:favicon",
}


class TwoFactorRequiredMiddleware:
    """Send a staff user who passed the password but not the code to the two-factor page."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            user.is_authenticated
            and needs_two_factor(user)
            and not second_factor_passed(request)
            and not request.path.startswith("/" + settings.STATIC_URL.lstrip("/"))
        ):
            try:
                view_name = resolve(request.path_info).view_name
            except Resolver404:
                view_name = ""
            if view_name not in EXEMPT_VIEWS:
                query = urlencode({"next": request.get_full_path()})
                return redirect(f"{reverse('accounts:two-factor')}?{query}")
        return self.get_response(request)
