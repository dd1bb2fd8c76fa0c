from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from buurtkracht.accounts.models import User


class AuthenticatedRequest(HttpRequest):
    """A request behind the login middleware: `user` is always a real User."""

    user: User


def acting_user(request: HttpRequest) -> User | None:
    """Who acts in this request: the logged-in account, or nobody (a partner's API client,
    a visitor of a public page). For the audit log, which records both."""
    user = request.user
    return user if isinstance(user, User) else None


def request_user(request: HttpRequest) -> User:
    """The logged-in account of a request Django types as possibly anonymous (the admin's
    actions and hooks, which only run behind its login). Refuses rather than guessing."""
    user = acting_user(request)
    if user is None:
        raise PermissionDenied
    return user
