"""The user's own notifications (the list behind the badge in the menu), their
preferences, and the demo's page of sent mail. Each user sees only their own."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from buurtkracht.accounts.decorators import role_required
from buurtkracht.accounts.models import Role
from buurtkracht.accounts.types import AuthenticatedRequest
from buurtkracht.notifications.forms import PreferencesForm
from buurtkracht.notifications.mailbox import BACKEND, redact
from buurtkracht.notifications.queries import demo_mail, notifications_of, preferences_of
from buurtkracht.notifications.services import (
    notification_read,
    notifications_all_read,
    preferences_set,
)

PAGE_SIZE = 25


@require_GET
def notification_list(request: AuthenticatedRequest) -> HttpResponse:
    page = Paginator(notifications_of(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    demo_mail_link = demo_mail_shown() and request.user.has_role(Role.FUNCTIONAL_ADMIN)
    return render(
        request, "notifications/list.html", {"page": page, "demo_mail_link": demo_mail_link}
    )


@require_POST
def notification_open(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Mark read and go to the item (the page there decides whether it may be seen)."""
    notification = notification_read(user=request.user, pk=pk)
    if notification is None:
        raise Http404
    return redirect(notification.link)


@require_POST
def notification_mark_read(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    if notification_read(user=request.user, pk=pk) is None:
        raise Http404
    messages.success(request, _("Marked as read."))
    return redirect("notifications:list")


@require_POST
def notification_all_read(request: AuthenticatedRequest) -> HttpResponse:
    count = notifications_all_read(user=request.user)
    if count:
        messages.success(request, _("All notifications are marked as read."))
    return redirect("notifications:list")


@require_http_methods(["GET", "POST"])
def preferences(request: AuthenticatedRequest) -> HttpResponse:
    form = PreferencesForm(request.POST or None, initial_channels=preferences_of(request.user))
    if request.method == "POST" and form.is_valid():
        preferences_set(user=request.user, channels=form.cleaned_data)
        messages.success(request, _("Your choices are saved."))
        return redirect("notifications:preferences")
    return render(
        request,
        "notifications/preferences.html",
        {"form": form, "has_email": bool(request.user.email)},
    )


def demo_mail_shown() -> bool:
    return not settings.IS_PRODUCTION and settings.EMAIL_BACKEND == BACKEND


@require_GET
@role_required(Role.FUNCTIONAL_ADMIN)
def demo_mailbox(request: AuthenticatedRequest) -> HttpResponse:
    """The mail the demo sent, for the functional administrator: a demo sends nothing
    out, so this is where one sees what would have gone. Links that open someone's own
    account (activation, password reset) are hidden: they are for the owner only."""
    if not demo_mail_shown():
        raise Http404
    page = Paginator(demo_mail(), PAGE_SIZE).get_page(request.GET.get("page"))
    hidden = _("[link hidden: it is for the account's owner only]")
    mails = [(mail, redact(mail.body, hidden)) for mail in page]
    return render(request, "notifications/demo_mail.html", {"page": page, "mails": mails})
