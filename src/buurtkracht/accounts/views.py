from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods

from buurtkracht.accounts.forms import LoginForm, ReauthForm
from buurtkracht.accounts.reauth import mark_authenticated
from buurtkracht.accounts.types import AuthenticatedRequest


@method_decorator(login_not_required, name="dispatch")
class LoginView(auth_views.LoginView):
    """The login page; public by nature. Two-factor login arrives with the trust issue."""

    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


@require_http_methods(["GET", "POST"])
def reauth(request: AuthenticatedRequest) -> HttpResponse:
    """Ask for the password again before an export or a bulk action."""
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = reverse("core:my-work")
    form = ReauthForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        mark_authenticated(request)
        return redirect(next_url)
    return render(request, "accounts/reauth.html", {"form": form, "next": next_url})
