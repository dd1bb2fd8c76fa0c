"""The one audited path for a look at resident data (NEN 7513: who, on whose behalf, which
residents, what, when, on what ground).

A view that shows, exports, prints or searches resident data is wrapped in `@audited` and
says what it showed with `note_look(request, ...)`; the decorator writes the access event
once the view has answered. So a page cannot forget the log, and cannot log a look it
then refused to give:

    @require_GET
    @role_required(Role.PRIVACY_OFFICER)
    @audited
    def log(request: AuthenticatedRequest) -> HttpResponse:
        ...
        note_look(request, subjects=person_ids, ground=Ground.ROLE, details={...})
        return render(...)

- One look noted: one event when the view answers (any response: a page, a file, a
  redirect after a form).
- The view refuses (Http404 or PermissionDenied): no look is recorded. A refusal worth
  logging (a guessed id, an expired token) is noted with `note_refusal` and recorded then.
- `note_look` outside an `@audited` view raises, so a view that shows resident data
  without the decorator fails its first test.

A page that combines sections (Mijn werk) may note one look per section, each with its
own ground; they are recorded in the order noted. Writes are not looks: services record
those themselves.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, TypeVar, cast

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.http import Http404, HttpRequest, HttpResponseBase

from buurtkracht.audit.models import Action, Ground
from buurtkracht.audit.services import audit_record

View = TypeVar("View", bound=Callable[..., HttpResponseBase])

_LOOKS = "_buurtkracht_audited_looks"


@dataclass(frozen=True)
class Look:
    """One access event waiting for the view's answer."""

    action: str
    ground: str
    allowed: bool = True
    subjects: tuple[int, ...] = ()
    obj: Any = None
    details: dict[str, Any] = field(default_factory=dict)
    on_behalf_of: str = ""
    client: str = ""


def _looks(request: HttpRequest) -> list[Look]:
    looks = getattr(request, _LOOKS, None)
    if looks is None:
        raise ImproperlyConfigured(
            "note_look() in a view without @audited: the look would not be logged."
        )
    return cast(list[Look], looks)


def note_look(
    request: HttpRequest,
    *,
    ground: str,
    action: str = Action.READ,
    subjects: Iterable[int] = (),
    obj: Any = None,
    details: dict[str, Any] | None = None,
    on_behalf_of: str = "",
    client: str = "",
) -> None:
    """Say what this response shows: the residents (Person ids) `subjects`, the object
    `obj`, on `ground`. `@audited` records it when the view answers. A machine client
    without an account (an API token) is named by `client`; the look is then not put on
    any user the request may also carry."""
    _looks(request).append(
        Look(
            action=action,
            ground=ground,
            subjects=tuple(subjects),
            obj=obj,
            details=dict(details or {}),
            on_behalf_of=on_behalf_of,
            client=client,
        )
    )


def note_refusal(
    request: HttpRequest,
    *,
    action: str = Action.READ,
    subjects: Iterable[int] = (),
    obj: Any = None,
    details: dict[str, Any] | None = None,
) -> None:
    """Say that this request asked for resident data it has no ground for; recorded as a
    refused look when the view raises Http404 (or answers all the same). The residents
    asked about are named, so that they see the attempt in "who looked at my file"."""
    _looks(request).append(
        Look(
            action=action,
            ground=Ground.NONE,
            allowed=False,
            subjects=tuple(subjects),
            obj=obj,
            details=dict(details or {}),
        )
    )


def _record(request: HttpRequest, looks: Iterable[Look]) -> None:
    for look in looks:
        audit_record(
            action=look.action,
            user=None if look.client or isinstance(request.user, AnonymousUser) else request.user,
            request=request,
            subjects=look.subjects,
            obj=look.obj,
            ground=look.ground,
            allowed=look.allowed,
            details=look.details,
            on_behalf_of=look.on_behalf_of,
            username=look.client,
        )


def audited(view: View) -> View:
    """Record the looks the view noted, once it has answered (see the module docstring)."""

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        looks: list[Look] = []
        setattr(request, _LOOKS, looks)
        try:
            response = view(request, *args, **kwargs)
        except (Http404, PermissionDenied):
            # A refused look gives nothing away; only the refusal itself is on record.
            _record(request, [look for look in looks if not look.allowed])
            raise
        finally:
            delattr(request, _LOOKS)
        _record(request, looks)
        return response

    return cast(View, wrapped)
