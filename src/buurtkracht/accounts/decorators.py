"""View guards by role. A user without the role gets a 404, not a 403: the page's
existence says nothing to someone who may not use it (DESIGN.md)."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.http import Http404, HttpRequest, HttpResponseBase

View = Callable[..., HttpResponseBase]


def role_required(*roles: str) -> Callable[[View], View]:
    def decorator(view: View) -> View:
        @functools.wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            user = request.user
            if not user.is_authenticated or not any(user.has_role(role) for role in roles):
                raise Http404
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
