from django.http import HttpRequest

from buurtkracht.accounts.models import User


class AuthenticatedRequest(HttpRequest):
    """A request behind the login middleware: `user` is always a real User."""

    user: User
