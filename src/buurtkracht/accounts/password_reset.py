"""Password reset by e-mail, for residents only (Django's PasswordResetView flow).

Staff accounts never get a reset link here: a worker's password comes with two-step login,
through a new activation link that a second person approves when the account was
activated before (`accounts/activation.py`, `accounts/approvals.py`). The form answers
the same whether or not the address belongs to an account, and it is throttled per client
address and per address typed (`core/throttle`), so it cannot be used to find accounts or
to flood someone's mailbox.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.forms import PasswordResetForm
from django.db.models import QuerySet
from django.http import HttpResponse, HttpResponseRedirect
from django.urls import reverse_lazy
from django.utils.decorators import method_decorator

from buurtkracht.accounts.models import Role, User
from buurtkracht.audit.models import Action, Ground
from buurtkracht.audit.services import audit_record
from buurtkracht.core.throttle import Limit, client_address

PER_ADDRESS = Limit("password-reset-client", 10, 3600)
PER_EMAIL = Limit("password-reset-email", 3, 3600)


def residents_only(users: QuerySet[User]) -> QuerySet[User]:
    """Accounts that hold the resident role and no other, and are no staff in the admin."""
    return (
        users.filter(role_grants__role=Role.RESIDENT, is_staff=False, is_superuser=False)
        .exclude(role_grants__role__in=[r for r in Role.values if r != Role.RESIDENT])
        .distinct()
    )


class ResidentPasswordResetForm(PasswordResetForm):
    def get_users(self, email: str) -> Any:
        found = residents_only(User.objects.filter(email__iexact=email, is_active=True))
        return (user for user in found if user.has_usable_password())


@method_decorator(login_not_required, name="dispatch")
class ResetRequestView(auth_views.PasswordResetView):
    template_name = "accounts/password_reset_form.html"
    email_template_name = "accounts/password_reset_email.txt"
    subject_template_name = "accounts/password_reset_subject.txt"
    form_class = ResidentPasswordResetForm
    success_url = reverse_lazy("accounts:password-reset-done")

    def form_valid(self, form: Any) -> HttpResponse:
        email = str(form.cleaned_data["email"]).strip().lower()
        over = [
            PER_ADDRESS.hit(client_address(self.request)) > PER_ADDRESS.limit,
            PER_EMAIL.hit(email) > PER_EMAIL.limit,
        ]
        if any(over):
            # The same answer as always: whoever floods learns nothing, and nobody's
            # mailbox fills up.
            return HttpResponseRedirect(str(self.success_url))
        response: HttpResponse = super().form_valid(form)
        return response


@method_decorator(login_not_required, name="dispatch")
class ResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


@method_decorator(login_not_required, name="dispatch")
class ResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password-reset-complete")

    def get_user(self, uidb64: str) -> Any:
        user = super().get_user(uidb64)
        if user is None or not residents_only(User.objects.filter(pk=user.pk)).exists():
            return None  # a staff account: the link is shown as not valid
        return user

    def form_valid(self, form: Any) -> HttpResponse:
        response: HttpResponse = super().form_valid(form)
        audit_record(
            action=Action.UPDATE,
            user=self.user,
            request=self.request,
            obj=self.user,
            ground=Ground.OWN_DATA,
            details={"password": "reset by e-mail link"},
        )
        return response


@method_decorator(login_not_required, name="dispatch")
class ResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"
