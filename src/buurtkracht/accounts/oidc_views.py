"""The two steps of a login through OpenID Connect (accounts/oidc.py): the start, which
sends the browser to the provider with a fresh state and nonce, and the callback, which
takes the code back, lets the provider's backend find the account and says in plain Dutch
why a login was refused. Both answer 404 while their provider is not configured."""

from __future__ import annotations

from typing import Any, ClassVar
from urllib.parse import parse_qs, urlsplit

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import render
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from mozilla_django_oidc.views import (
    OIDCAuthenticationCallbackView,
    OIDCAuthenticationRequestView,
)
from requests import RequestException

from buurtkracht.accounts.oidc import (
    CALLBACK_KIND,
    PROVIDER_SECOND_FACTOR,
    RESIDENT,
    STAFF,
    is_configured,
    library_setting,
    login_reason,
    note_login,
)
from buurtkracht.accounts.reauth import mark_authenticated
from buurtkracht.accounts.two_factor import PROVIDER_SECOND_FACTOR_SESSION
from buurtkracht.audit.models import Action
from buurtkracht.audit.services import audit_record
from buurtkracht.audit.signals import login_details

# Why a login was refused, as the person reads it. Resident pages say "u", in B1 Dutch
# (decision 0010).
REFUSALS = {
    RESIDENT: {
        "no_bsn": _(
            "DigiD did not pass on your citizen service number (BSN). Try again later. "
            "Does it go wrong again? Call your neighbourhood team."
        ),
        "no_person": _(
            "We cannot find you in Buurtkracht. You can only log in here when your "
            "neighbourhood team works with you. Do you have a question? Call your "
            "neighbourhood team."
        ),
        "not_living_here": _(
            "According to our records you do not live in this municipality. Then you "
            "cannot log in here. Is that wrong? Call your neighbourhood team."
        ),
        "blocked": _("Your account is blocked. Call your neighbourhood team to unblock it."),
        "no_resident_role": _(
            "Your account is not a resident account. Log in with your user name and "
            "password, or call your neighbourhood team."
        ),
    },
    STAFF: {
        "no_claim": _(
            "Your organisation's account did not pass on the details Buurtkracht needs to "
            "find your account. Ask your IT department to check the login settings."
        ),
        "no_account": _(
            "There is no Buurtkracht account for your organisation account. Ask the "
            "functional administrator for an account."
        ),
        "ambiguous": _(
            "More than one Buurtkracht account matches your organisation account. Ask the "
            "functional administrator to correct this."
        ),
        "blocked": _("Your Buurtkracht account is blocked. Ask the functional administrator."),
        "not_staff": _("Your Buurtkracht account has no staff role. Residents log in with DigiD."),
    },
}
TAMPERED = _("This login attempt has expired or is not valid. Start again from the login page.")
FAILED = _("Logging in was stopped or did not succeed. Start again from the login page.")


def _configured_only(kind: str) -> None:
    if not is_configured(kind):
        raise Http404


@method_decorator([login_not_required, never_cache], name="dispatch")
class LoginStartView(OIDCAuthenticationRequestView):  # type: ignore[misc]
    """Off to the provider, with state, nonce and (by default) PKCE in the session."""

    kind: ClassVar[str] = ""

    def get_settings(self, attr: str, *args: Any) -> Any:
        return library_setting(self.kind, attr, *args)

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        _configured_only(self.kind)
        response: HttpResponseBase = super().dispatch(request, *args, **kwargs)
        return response

    def get(self, request: HttpRequest) -> HttpResponseBase:
        response: HttpResponseBase = super().get(request)
        # The state belongs to this provider: a code from one provider is never taken in
        # at the other's callback.
        state = parse_qs(urlsplit(response["Location"]).query).get("state", [""])[0]
        states = request.session.get("oidc_states", {})
        if state in states:
            states[state]["kind"] = self.kind
            request.session.modified = True
        return response

    def get_extra_params(self, request: HttpRequest) -> dict[str, Any]:
        params = dict(library_setting(self.kind, "OIDC_AUTH_REQUEST_EXTRA_PARAMS", {}))
        if request.GET.get("opnieuw"):
            # Re-authentication before an export (accounts/reauth.py): the provider must
            # ask again, not answer from the login it remembers.
            params.update({"prompt": "login", "max_age": "0"})
        return params


@method_decorator([login_not_required, never_cache], name="dispatch")
class LoginCallbackView(OIDCAuthenticationCallbackView):  # type: ignore[misc]
    """Back from the provider: the library checks state, code, signature and nonce; the
    provider's backend finds the account; every outcome is written to the audit log."""

    kind: ClassVar[str] = ""

    def get_settings(self, attr: str, *args: Any) -> Any:
        return library_setting(self.kind, attr, *args)

    def get(self, request: HttpRequest) -> HttpResponseBase:
        _configured_only(self.kind)
        setattr(request, CALLBACK_KIND, self.kind)
        started = request.session.get("oidc_states", {}).get(request.GET.get("state", ""))
        if started is not None and started.get("kind") != self.kind:
            note_login(request, method=self._method(), reason="not_valid", error="other provider")
            self._audit_failure()
            return self._refusal(TAMPERED, status=400)
        try:
            response: HttpResponseBase = super().get(request)
        except SuspiciousOperation as exc:
            # An unknown state (a replayed or forged callback), a wrong nonce, signature,
            # audience or issuer: refused, and written down.
            note_login(request, method=self._method(), reason="not_valid", error=str(exc))
            self._audit_failure()
            return self._refusal(TAMPERED, status=400)
        except RequestException as exc:
            # The provider did not answer, or refused the code (used twice, expired).
            note_login(request, method=self._method(), reason="provider", error=str(exc)[:200])
            self._audit_failure()
            return self._refusal(FAILED, status=502)
        return response

    def _method(self) -> str:
        return "digid" if self.kind == RESIDENT else "sso"

    def _audit_failure(self) -> None:
        details = login_details(self.request) or {}
        audit_record(
            action=Action.LOGIN_FAILED,
            request=self.request,
            allowed=False,
            username=str(details.pop("username", "")),
            details=details,
        )

    def _refusal(self, message: Any, status: int) -> HttpResponse:
        return render(
            self.request,
            "accounts/oidc_refused.html",
            {"message": message},
            status=status,
        )

    def login_failure(self) -> HttpResponse:
        reason = login_reason(self.request)
        if not reason:
            # Refused before any backend was asked (the provider sent an error, or the
            # session holds no login started here): no audit entry was written yet.
            error = str(self.request.GET.get("error", ""))[:100]
            note_login(self.request, method=self._method(), reason=error or "no_login_started")
            self._audit_failure()
            return self._refusal(FAILED, status=400)
        message = REFUSALS[self.kind].get(reason, FAILED)
        return self._refusal(message, status=403)

    def login_success(self) -> HttpResponseBase:
        response: HttpResponseBase = super().login_success()
        # A fresh login at the provider counts as typing the password (accounts/reauth.py),
        # also when the library keeps the session of the same account.
        mark_authenticated(self.request)
        if getattr(self.user, PROVIDER_SECOND_FACTOR, ""):
            # The provider asserted a second factor (amr/acr): the product's own code is
            # not asked again in this session (accounts/two_factor.py).
            self.request.session[PROVIDER_SECOND_FACTOR_SESSION] = self.user.pk
        return response
