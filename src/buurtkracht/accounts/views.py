from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from buurtkracht.accounts.activation import (
    ActivationGone,
    activation_by_id,
    activation_complete,
    code_matches,
    new_secret,
    open_activation,
    recovery_code_use,
)
from buurtkracht.accounts.forms import ActivationForm, LoginForm, ReauthForm, TokenForm
from buurtkracht.accounts.lockout import account_locked, login_failure_record
from buurtkracht.accounts.models import Role
from buurtkracht.accounts.oidc import RESIDENT, STAFF, is_configured
from buurtkracht.accounts.reauth import mark_authenticated
from buurtkracht.accounts.two_factor import (
    config_url,
    confirmed_device,
    needs_two_factor,
    qr_svg,
    readable_secret,
    second_factor_passed,
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

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        # The buttons of the identity providers, only for those configured (accounts/oidc.py).
        context: dict[str, Any] = super().get_context_data(**kwargs)
        context["digid_login"] = is_configured(RESIDENT)
        context["organisation_login"] = is_configured(STAFF)
        return context


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
    """Ask for the password again before an export or a bulk action. An account without a
    password (a resident who only ever used DigiD) logs in again at its identity provider,
    which is asked for a fresh login, not a remembered one."""
    next_url = safe_next_url(request)
    if not request.user.has_usable_password():
        kind = RESIDENT if request.user.role_set <= {Role.RESIDENT} else STAFF
        if is_configured(kind):
            query = urlencode({"next": next_url, "opnieuw": "1"})
            return redirect(f"{reverse(f'accounts:oidc-{kind}')}?{query}")
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


def _second_factor_passed(request: AuthenticatedRequest, device: TOTPDevice, how: str) -> None:
    otp_login(request, device)
    audit_record(
        action=Action.LOGIN,
        user=request.user,
        request=request,
        ground=Ground.OWN_DATA,
        details={"second_factor": how},
    )


@require_http_methods(["GET", "POST"])
def two_factor(request: AuthenticatedRequest) -> HttpResponse:
    """The second step of login: a code from the authenticator app, or a recovery code.
    There is no enrolment here: the app is set up within the account's activation, so a
    password alone never shows (or makes) a secret."""
    next_url = safe_next_url(request)
    if not needs_two_factor(request.user) or second_factor_passed(request):
        return redirect(next_url)
    device = confirmed_device(request.user)
    if device is None:
        return render(request, "accounts/two_factor.html", {"no_device": True})
    form = TokenForm(request.POST or None)
    allowed, _why = device.verify_is_allowed()
    if request.method == "POST" and form.is_valid():
        token, recovery = form.cleaned_data["token"], form.cleaned_data["recovery_code"]
        if token and not allowed:
            seconds = seconds_to_wait(device)
            form.add_error(
                "token",
                _("Too many wrong codes. Wait %(seconds)s seconds and type the newest code.")
                % {"seconds": seconds},
            )
        elif token and device.verify_token(token):
            _second_factor_passed(request, device, "totp")
            return redirect(next_url)
        elif not token and recovery_code_use(user=request.user, code=recovery):
            _second_factor_passed(request, device, "recovery_code")
            return redirect(next_url)
        else:
            audit_record(
                action=Action.LOGIN_FAILED,
                user=request.user,
                request=request,
                allowed=False,
                details={"second_factor": "totp" if token else "recovery_code"},
            )
            login_failure_record(request.user.get_username(), request)
            field = "token" if token else "recovery_code"
            form.add_error(
                field,
                _(
                    "That code is not right. Check that your phone's clock is correct and "
                    "try the new code."
                )
                if token
                else _(
                    "That recovery code is unknown or was used before. Check it against "
                    "your saved list, or ask for a reset of your two-step login."
                ),
            )
    return render(request, "accounts/two_factor.html", {"form": form, "next": next_url})


ACTIVATION_SESSION = "buurtkracht_activation"


@login_not_required
@never_cache
@require_GET
def activate_link(request: HttpRequest, token: str) -> HttpResponse:
    """The link from the mail. The token leaves the address bar at once: the session keeps
    which activation it opened and a secret of its own for the app (not yet stored)."""
    activation = open_activation(token)
    if activation is None:
        return render(request, "accounts/activation_invalid.html", status=404)
    if request.user.is_authenticated:
        logout(request)
    request.session.cycle_key()
    request.session[ACTIVATION_SESSION] = {"id": activation.pk, "secret": new_secret()}
    return redirect("accounts:activate")


@login_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def activate(request: HttpRequest) -> HttpResponse:
    """Choose a password and confirm the app with its first code; then the recovery codes,
    shown this once."""
    state = request.session.get(ACTIVATION_SESSION)
    activation = activation_by_id(int(state["id"])) if state else None
    if activation is None or state is None:
        request.session.pop(ACTIVATION_SESSION, None)
        return render(request, "accounts/activation_invalid.html", status=404)
    secret = str(state["secret"])
    form = ActivationForm(activation.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        if code_matches(secret, form.cleaned_data["token"]):
            try:
                user, codes = activation_complete(
                    activation_id=activation.pk,
                    secret=secret,
                    password=form.cleaned_data["new_password1"],
                    request=request,
                )
            except ActivationGone:
                request.session.pop(ACTIVATION_SESSION, None)
                return render(request, "accounts/activation_invalid.html", status=404)
            request.session.pop(ACTIVATION_SESSION, None)
            return render(
                request, "accounts/activation_done.html", {"account": user, "codes": codes}
            )
        form.add_error(
            "token",
            _(
                "That code is not right. Check that you scanned the code on this page (not "
                "an older one) and that your phone's clock is correct; type the new code."
            ),
        )
    url = config_url(activation.user, secret)
    return render(
        request,
        "accounts/activate.html",
        {
            "form": form,
            "account": activation.user,
            "qr_svg": qr_svg(url),
            "secret": readable_secret(secret),
            "expires_at": activation.expires_at,
        },
    )
