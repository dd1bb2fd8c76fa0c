"""Login through OpenID Connect, with mozilla-django-oidc, for two providers at once.

- **resident**: the municipality's DigiD broker; the login is matched to a person in the
  register by BSN (`households.resident_login`).
- **staff**: the municipality's identity provider (Entra ID, ADFS, Keycloak); the login is
  matched to an existing staff account by e-mail or another claim. No account is ever made
  and no role is ever given here: roles stay with the four-eyes route (docs/access.md).

The library reads its settings from `settings.OIDC_*`, one provider per site. Each backend
and view here reads them from its own provider's dictionary instead (`OIDC_RESIDENT`,
`OIDC_STAFF` in conf/base.py), and a backend answers only on its own callback, so the two
never handle each other's codes. A provider without its endpoints, client id and secret is
off: its buttons are not shown and its addresses answer 404 (docs/operations.md).
"""

from __future__ import annotations

from abc import abstractmethod
from typing import TYPE_CHECKING, Any, ClassVar

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.core import checks
from django.core.exceptions import SuspiciousOperation
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.utils import import_from_settings

from buurtkracht.accounts.models import Role, User
from buurtkracht.audit.signals import LOGIN_DETAILS

if TYPE_CHECKING:
    from django.contrib.auth.base_user import AbstractBaseUser
    from django.http import HttpRequest

RESIDENT = "resident"
STAFF = "staff"
SETTING_NAMES = {RESIDENT: "OIDC_RESIDENT", STAFF: "OIDC_STAFF"}
# Without these a provider is off; with some but not all, `manage.py check` says which.
REQUIRED = (
    "AUTHORIZATION_ENDPOINT",
    "TOKEN_ENDPOINT",
    "JWKS_ENDPOINT",
    "CLIENT_ID",
    "CLIENT_SECRET",
)
# The request attribute that tells the backends whose callback this is.
CALLBACK_KIND = "buurtkracht_oidc_kind"
# Set on a staff account by its backend when the provider asserted a second factor.
PROVIDER_SECOND_FACTOR = "provider_second_factor"

# The library's setting names and where each provider keeps them.
_LIBRARY_NAMES = {
    "OIDC_OP_AUTHORIZATION_ENDPOINT": "AUTHORIZATION_ENDPOINT",
    "OIDC_OP_TOKEN_ENDPOINT": "TOKEN_ENDPOINT",
    "OIDC_OP_USER_ENDPOINT": "USERINFO_ENDPOINT",
    "OIDC_OP_JWKS_ENDPOINT": "JWKS_ENDPOINT",
    "OIDC_RP_CLIENT_ID": "CLIENT_ID",
    "OIDC_RP_CLIENT_SECRET": "CLIENT_SECRET",
    "OIDC_RP_SCOPES": "SCOPES",
    "OIDC_RP_SIGN_ALGO": "SIGN_ALGO",
    "OIDC_USE_PKCE": "USE_PKCE",
}


def provider_settings(kind: str) -> dict[str, Any]:
    return dict(getattr(settings, SETTING_NAMES[kind], {}) or {})


def is_configured(kind: str) -> bool:
    conf = provider_settings(kind)
    return all(conf.get(key) for key in REQUIRED)


def library_setting(kind: str, attr: str, *default: Any) -> Any:
    """What mozilla-django-oidc asks for `attr`, for this provider. A few are fixed here on
    purpose: a nonce always, never an account made by the library, never a token kept."""
    conf = provider_settings(kind)
    if attr in _LIBRARY_NAMES:
        value = conf.get(_LIBRARY_NAMES[attr])
        if attr == "OIDC_OP_USER_ENDPOINT":
            return value or None
        return value
    acr_values = str(conf.get("ACR_VALUES") or "")
    fixed: dict[str, Any] = {
        "OIDC_AUTHENTICATION_CALLBACK_URL": f"accounts:oidc-{kind}-callback",
        "OIDC_USE_NONCE": True,
        "OIDC_CREATE_USER": False,
        "OIDC_STORE_ACCESS_TOKEN": False,
        "OIDC_STORE_ID_TOKEN": False,
        "OIDC_ALLOW_UNSECURED_JWT": False,
        "OIDC_VERIFY_SSL": True,
        "OIDC_TIMEOUT": settings.OIDC_TIMEOUT_SECONDS,
        "OIDC_AUTH_REQUEST_EXTRA_PARAMS": {"acr_values": acr_values} if acr_values else {},
        "LOGIN_REDIRECT_URL": settings.LOGIN_REDIRECT_URL,
    }
    if attr in fixed:
        return fixed[attr]
    return import_from_settings(attr, *default)


def note_login(request: HttpRequest, **details: Any) -> None:
    """Add to what the audit entry of this login (or failed login) will say."""
    current = dict(getattr(request, LOGIN_DETAILS, None) or {})
    current.update(details)
    setattr(request, LOGIN_DETAILS, current)


def login_reason(request: HttpRequest) -> str:
    details = getattr(request, LOGIN_DETAILS, None) or {}
    return str(details.get("reason", ""))


class ProviderBackend(OIDCAuthenticationBackend):  # type: ignore[misc]
    """One provider's login. Subclasses say which provider and how a login finds its
    account (`account_for`); a refusal leaves its reason for the page and the audit."""

    kind: ClassVar[str] = ""
    method: ClassVar[str] = ""

    def get_settings(self, attr: str, *args: Any) -> Any:
        return library_setting(self.kind, attr, *args)

    def authenticate(self, request: HttpRequest | None, **kwargs: Any) -> AbstractBaseUser | None:
        if request is None or getattr(request, CALLBACK_KIND, None) != self.kind:
            return None
        if not is_configured(self.kind):
            return None
        note_login(request, method=self.method)
        user: AbstractBaseUser | None = super().authenticate(request, **kwargs)
        return user

    def verify_token(self, token: str, **kwargs: Any) -> dict[str, Any]:
        """The library checks signature, expiry and nonce; the audience and (when set) the
        issuer are checked here, so a token made for another application is refused."""
        payload: dict[str, Any] = super().verify_token(token, **kwargs)
        conf = provider_settings(self.kind)
        audience = payload.get("aud")
        audiences = audience if isinstance(audience, list) else [audience]
        if conf.get("CLIENT_ID") not in audiences:
            raise SuspiciousOperation("The id_token was not made for this client.")
        issuer = conf.get("ISSUER")
        if issuer and payload.get("iss") != issuer:
            raise SuspiciousOperation("The id_token comes from another issuer.")
        return payload

    def get_userinfo(
        self, access_token: str, id_token: str, payload: dict[str, Any]
    ) -> dict[str, Any]:
        """The id_token's claims, with the userinfo endpoint's added when there is one
        (DigiD brokers often put the BSN in the id_token only)."""
        claims = dict(payload)
        if self.OIDC_OP_USER_ENDPOINT:
            claims.update(super().get_userinfo(access_token, id_token, payload))
        return claims

    def get_or_create_user(
        self, access_token: str, id_token: str, payload: dict[str, Any]
    ) -> User | None:
        claims = self.get_userinfo(access_token, id_token, payload)
        return self.account_for(claims, payload)

    @abstractmethod
    def account_for(self, claims: dict[str, Any], token_claims: dict[str, Any]) -> User | None:
        """The account this login signs in to, or None after `refuse` said why not.
        `claims` are the id_token's with the userinfo's; `token_claims` the signed
        id_token's alone."""

    def refuse(self, reason: str, **details: Any) -> None:
        note_login(self.request, reason=reason, **details)

    def get_user(self, user_id: int) -> AbstractBaseUser | None:
        # Django's own rule, which the library drops: a blocked account is signed out.
        return ModelBackend.get_user(self, user_id)


def provider_second_factor(claims: dict[str, Any]) -> str:
    """Which assertion of the staff provider stands for the second factor, or ""."""
    conf = provider_settings(STAFF)
    amr = claims.get("amr") or []
    methods = {amr} if isinstance(amr, str) else {str(value) for value in amr}
    for wanted in conf.get("MFA_AMR") or []:
        if wanted in methods:
            return f"amr:{wanted}"
    acr = str(claims.get("acr") or "")
    if acr and acr in (conf.get("MFA_ACR") or []):
        return f"acr:{acr}"
    return ""


class StaffOIDCBackend(ProviderBackend):
    """Single sign-on for staff: an existing, active account with a staff role, found by
    the configured claim. Never a new account; never a role."""

    kind = STAFF
    method = "sso"

    def account_for(self, claims: dict[str, Any], token_claims: dict[str, Any]) -> User | None:
        conf = provider_settings(STAFF)
        value = claims.get(str(conf.get("MATCH_CLAIM") or "email"))
        if not isinstance(value, str) or not value.strip():
            self.refuse("no_claim")
            return None
        field = "username" if conf.get("MATCH_FIELD") == "username" else "email"
        matches = list(User.objects.filter(**{f"{field}__iexact": value.strip()})[:2])
        if not matches:
            self.refuse("no_account", username=value.strip())
            return None
        if len(matches) > 1:
            self.refuse("ambiguous", username=value.strip())
            return None
        user = matches[0]
        if not user.is_active:
            self.refuse("blocked", username=user.username)
            return None
        if not user.role_set - {Role.RESIDENT}:
            self.refuse("not_staff", username=user.username)
            return None
        second_factor = provider_second_factor(token_claims)
        if second_factor:
            note_login(self.request, second_factor=second_factor)
            setattr(user, PROVIDER_SECOND_FACTOR, second_factor)
        return user


def oidc_settings_check(**kwargs: Any) -> list[checks.CheckMessage]:
    """A provider with some settings but not all is named, with what is missing."""
    messages: list[checks.CheckMessage] = []
    for kind, setting in SETTING_NAMES.items():
        conf = provider_settings(kind)
        given = [key for key in REQUIRED if conf.get(key)]
        if given and len(given) < len(REQUIRED):
            missing = ", ".join(
                f"BUURTKRACHT_OIDC_{kind.upper()}_{key}" for key in REQUIRED if key not in given
            )
            messages.append(
                checks.Warning(
                    f"The {kind} login through OpenID Connect is half configured "
                    f"({setting}): {missing} not set, so the login stays off.",
                    hint="Set all of them, or none (docs/operations.md).",
                    id="buurtkracht.W010" if kind == RESIDENT else "buurtkracht.W011",
                )
            )
        if kind == RESIDENT and given and not conf.get("BSN_CLAIM"):
            messages.append(
                checks.Warning(
                    "BUURTKRACHT_OIDC_RESIDENT_BSN_CLAIM is empty: no login can be matched "
                    "to a person.",
                    hint="Name the claim your DigiD broker puts the BSN in, e.g. bsn.",
                    id="buurtkracht.W012",
                )
            )
    return messages
