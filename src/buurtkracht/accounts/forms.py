from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm, SetPasswordForm
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django.http import HttpRequest

    from buurtkracht.accounts.models import User


class LockoutMixin:
    """Refuse a locked account name before the password is even checked. Shared by our
    login page and the admin's, so neither is a way around the other."""

    request: HttpRequest | None
    cleaned_data: dict[str, Any]

    def clean(self) -> dict[str, Any]:
        from buurtkracht.accounts.lockout import login_attempt_begin, login_attempt_succeeded
        from buurtkracht.audit.models import Action
        from buurtkracht.audit.services import audit_record

        username = self.cleaned_data.get("username") or ""
        if not username or not self.cleaned_data.get("password"):
            unchecked: dict[str, Any] = super().clean()  # type: ignore[misc]
            return unchecked
        # The attempt is counted before the password is checked, so that concurrent
        # guesses cannot slip past the limit (accounts/lockout.py).
        if not login_attempt_begin(username, self.request):
            audit_record(
                action=Action.LOGIN_FAILED,
                request=self.request,
                allowed=False,
                username=username,
                details={"locked": True},
            )
            raise forms.ValidationError(
                _(
                    "This account is locked for %(minutes)s minutes after too many failed "
                    "attempts. Wait and try again, or ask your functional administrator."
                )
                % {"minutes": settings.LOCKOUT_MINUTES},
                code="locked",
            )
        # The form class this mixes into (AuthenticationForm) has clean(); the mixin does not.
        cleaned: dict[str, Any] = super().clean()  # type: ignore[misc]
        login_attempt_succeeded(username, self.request)
        return cleaned


class LoginForm(LockoutMixin, AuthenticationForm):
    """Django's login form without autofocus: a screen-reader user should land at the top
    of the page (skip link, heading, explanation), not in the middle of the form."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].widget.attrs.pop("autofocus", None)


class AdminLoginForm(LockoutMixin, AdminAuthenticationForm):
    """The admin's login form with the same lock-out."""


class ReauthForm(forms.Form):
    password = forms.CharField(
        label=_("Password"), strip=False, widget=forms.PasswordInput(render_value=False)
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self) -> str:
        password: str = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(
                _("That is not your password. Type it again; mind capital letters.")
            )
        return password


class TokenForm(forms.Form):
    """The second step of login: the app's code, or (phone lost) one recovery code."""

    # The app's code is what login asks for; `clean` demands it unless a recovery code
    # stands in, so its label does not say "optional" (the recovery code's does).
    required_elsewhere = ("token",)

    token = forms.CharField(
        label=_("Code from your app"),
        required=False,
        max_length=6,
        help_text=_("Six digits. A new code appears every 30 seconds."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "pattern": "[0-9]*"}),
    )
    recovery_code = forms.CharField(
        label=_("Or a recovery code"),
        required=False,
        max_length=24,
        help_text=_(
            "Only when you cannot use your app: one of the codes you saved when you "
            "activated your account, for example abcd-efgh-ijkl-mnop. Each code works once."
        ),
    )

    def clean_token(self) -> str:
        token = "".join(self.cleaned_data["token"].split())
        if token and (not token.isdigit() or len(token) != 6):
            raise forms.ValidationError(
                _("The code has six digits only. Type the six digits from your app.")
            )
        return token

    def clean_recovery_code(self) -> str:
        code = "".join(ch for ch in self.cleaned_data["recovery_code"].lower() if ch.isalnum())
        if code and len(code) != 16:
            raise forms.ValidationError(
                _("A recovery code has sixteen letters and digits. Type it as you saved it.")
            )
        return code

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not self.errors and not data.get("token") and not data.get("recovery_code"):
            self.add_error(
                "token", _("Type the six digits from your app, or one of your recovery codes.")
            )
        return data


if TYPE_CHECKING:
    _SetPasswordForm = SetPasswordForm[User]
else:  # Django's forms are not generic at run time
    _SetPasswordForm = SetPasswordForm


class ActivationForm(_SetPasswordForm):
    """The owner chooses a password and confirms the app with its first code."""

    token = forms.CharField(
        label=_("Code from your app"),
        min_length=6,
        max_length=6,
        help_text=_("Six digits, shown by the app after you added the account."),
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "pattern": "[0-9]*", "autocomplete": "one-time-code"}
        ),
    )

    def clean_token(self) -> str:
        token = "".join(self.cleaned_data["token"].split())
        if not token.isdigit():
            raise forms.ValidationError(
                _("The code has digits only. Type the six digits from your app.")
            )
        return token
