"""Notifications in the demo: a few unread ones for `wijkwerker` and `teamleider`, and
some mail on the demo's page of sent mail (`/meldingen/demo-post/`, as `beheerder`).

The town is built with notifications muted (months of events at once would bury the
list); this tells of what is waiting today, through the same services as the product:
the daily sweep (`notify_due`), the intakes waiting in Team Oost, the emergency access
that waits for review, two households `wijkwerker` leads, and the daily e-mail."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy

from buurtkracht.accounts.models import User
from buurtkracht.casework.intake.registration import intake_notify
from buurtkracht.casework.models import Intake
from buurtkracht.demo.staff import HOME_TEAM
from buurtkracht.households.models import EmergencyAccess, Involvement
from buurtkracht.households.services import emergency_access_notify
from buurtkracht.notifications.kinds import Kind
from buurtkracht.notifications.services import digests_send, notify
from buurtkracht.workspace.due import due_notify

DEMO_USERS = ("wijkwerker", "teamleider")


def notifications_demo_create() -> None:
    due_notify()
    for intake in Intake.objects.filter(status=Intake.Status.NEW, team__name=HOME_TEAM).order_by(
        "pk"
    )[:3]:
        intake_notify(intake, actor=None)
    for access in EmergencyAccess.objects.filter(reviewed_at__isnull=True).order_by("pk"):
        emergency_access_notify(access)
    worker = User.objects.filter(username="wijkwerker").first()
    if worker is not None:
        led = Involvement.objects.filter(
            worker=worker, kind=Involvement.Kind.LEAD, end_date__isnull=True
        ).order_by("-start_date", "-pk")[:2]
        for involvement in led:
            notify(
                recipients=[worker],
                kind=Kind.HOUSEHOLD_ASSIGNED,
                link=reverse("workspace:household", args=[involvement.household_id]),
                key=f"involvement:{involvement.pk}",
                text=gettext_lazy("You are now the lead worker of a household."),
            )
    # The daily e-mail of the two memorable accounts, so the page of sent mail shows one.
    digests_send(
        user_ids=list(User.objects.filter(username__in=DEMO_USERS).values_list("pk", flat=True))
    )
