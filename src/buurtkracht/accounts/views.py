from __future__ import annotations

from typing import Any

from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login

from buurtkracht.accounts.forms import LoginForm, ReauthForm, TokenForm
from buurtkracht.accounts.lockout import account_locked, login_failure_record
from buurtkracht.accounts.reauth import mark_authenticated
from buurtkracht.accounts.services import two_factor_confirm
from buurtkracht.accounts.two_factor import (
    confirmed_device,
    enrolment_device,
    is_verified,
    needs_two_factor,
    qr_svg,
    readable_secret,
    seconds_to_wait,
)
from buurtkracht.accounts.types import AuthenticatedRequest
from buurtkracht.audit.models import Action, Ground
from buurtkracht.audit.services import audit_record


@method_decorator(login_not_required, name="dispatch")
class LoginView(auth_views.LoginView):
    """The login page; public by nature. Two-factor login arrives with the trust issue."""

    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


def safe_next_url(request: HttpRequest) -> str:
    """Where to go after a step of login: only a page of this site, else Mijn werk."""
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return next_url
    return reverse("workspace:my-work")


@require_http_methods(["GET", "POST"])
def reauth(request: AuthenticatedRequest) -> HttpResponse:
    """Ask for the password again before an export or a bulk action."""
    next_url = safe_next_url(request)
    form = ReauthForm(request.POST or None, user=request.user)
    if request.method == "POST":
        if form.is_valid():
            mark_authenticated(request)
            return redirect(next_url)
        # A wrong password here counts like one at the login: a taken-over session cannot
        # guess on without limit.
        audit_record(
            action=Action.LOGIN_FAILED,
            user=request.user,
            request=request,
            allowed=False,
            details={"step": "reauthentication"},
        )
        login_failure_record(request.user.get_username(), request)
        if account_locked(request.user.get_username(), request):
            logout(request)
            return redirect("accounts:login")
    return render(request, "accounts/reauth.html", {"form": form, "next": next_url})


@require_http_methods(["GET", "POST"])
def two_factor(request: AuthenticatedRequest) -> HttpResponse:
    """The second step of login: a code from the authenticator app; the first time, enrol."""
    next_url = safe_next_url(request)
    if not needs_two_factor(request.user) or is_verified(request.user):
        return redirect(next_url)
    device = confirmed_device(request.user)
    enrolling = device is None
    if enrolling:
        device = enrolment_device(request.user)
    assert device is not None
    form = TokenForm(request.POST or None)
    allowed, _why = device.verify_is_allowed()
    if request.method == "POST" and form.is_valid() and not allowed:
        seconds = seconds_to_wait(device)
        form.add_error(
            "token",
            _("Too many wrong codes. Wait %(seconds)s seconds and type the newest code.")
            % {"seconds": seconds},
        )
    elif request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"]):
            if enrolling:
                two_factor_confirm(device=device)
            otp_login(request, device)
            audit_record(
                action=Action.LOGIN,
                user=request.user,
                request=request,
                ground=Ground.OWN_DATA,
                details={"second_factor": "totp", "enrolled": enrolling},
            )
            return redirect(next_url)
        audit_record(
            action=Action.LOGIN_FAILED,
            user=request.user,
            request=request,
            allowed=False,
            details={"second_factor": "totp"},
        )
        login_failure_record(request.user.get_username(), request)
        form.add_error(
            "token",
            _(
                "That code is not right. Check that your phone's clock is correct and try "
                "the new code."
            ),
        )
    context: dict[str, Any] = {"form": form, "next": next_url, "enrolling": enrolling}
    if enrolling:
        context.update(qr_svg=qr_svg(device), secret=readable_secret(device))
    return render(request, "accounts/two_factor.html", context)
