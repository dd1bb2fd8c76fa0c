"""The daily sweep of what falls due (`manage.py notify_due`): actions, reviews and
aftercare checks due today or in the days the sweep missed, referral checks overdue, and
the appointments of tomorrow (a reminder to each worker who goes).
Each item is told once per due date: the event key holds the date, so running the sweep
twice, or at any hour, tells nobody twice; a new date (an action moved on) is a new event.

The top floor composes it, as it composes *Mijn werk*: it reads casework and referrals
and tells through the ground floor's `notify`."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from buurtkracht.casework.models import Action, Goal, Plan
from buurtkracht.casework.queries import appointments_due_for_reminder
from buurtkracht.core.queries import in_force
from buurtkracht.households.models import Involvement
from buurtkracht.notifications.kinds import Kind
from buurtkracht.notifications.services import notify
from buurtkracht.referrals.models import Referral

# Items that fell due up to this many days ago are still told (a sweep that did not run
# over a long weekend); older ones are on *Mijn werk* already and are not announced anew.
LOOK_BACK_DAYS = 7


def _leads(household_ids: set[int], today: dt.date) -> dict[int, list[int]]:
    leads: dict[int, list[int]] = defaultdict(list)
    for household_id, worker_id in Involvement.objects.filter(
        in_force(today), household_id__in=household_ids, kind=Involvement.Kind.LEAD
    ).values_list("household_id", "worker_id"):
        leads[household_id].append(worker_id)
    return leads


def _involved(household_ids: set[int], today: dt.date) -> dict[int, list[int]]:
    workers: dict[int, list[int]] = defaultdict(list)
    for household_id, worker_id in Involvement.objects.filter(
        in_force(today), household_id__in=household_ids
    ).values_list("household_id", "worker_id"):
        workers[household_id].append(worker_id)
    return workers


def _day(value: dt.date | None) -> dt.date:
    assert value is not None  # the queries filter on the date
    return value


def due_notify(*, today: dt.date | None = None) -> int:
    """Tell who is due what; returns how many notifications were made."""
    today = today or timezone.localdate()
    since = today - dt.timedelta(days=LOOK_BACK_DAYS)
    told = 0

    actions = list(
        Action.objects.filter(
            status=Action.Status.TO_DO,
            goal__status=Goal.Status.OPEN,
            goal__plan__closed_on__isnull=True,
            due_date__gte=since,
            due_date__lte=today,
        ).values_list("pk", "due_date", "owner_worker_id", "goal__plan__household_id")
    )
    involved = _involved({row[3] for row in actions}, today)
    for pk, due, owner_id, household_id in actions:
        # The worker who holds the action; else everyone involved in the household.
        recipients = [owner_id] if owner_id else involved.get(household_id, [])
        told += notify(
            recipients=recipients,
            kind=Kind.ACTION_DUE,
            link=reverse("casework:action", args=[household_id, pk]),
            key=f"action-due:{pk}:{_day(due).isoformat()}",
            text=_("An action in a plan is due on %(date)s."),
            params={"date": _day(due).strftime("%d-%m-%Y")},
        )

    reviews = list(
        Plan.objects.filter(
            closed_on__isnull=True, review_date__gte=since, review_date__lte=today
        ).values_list("pk", "review_date", "household_id")
    )
    aftercare = list(
        Plan.objects.filter(
            closed_on__isnull=False,
            aftercare_done_on__isnull=True,
            aftercare_on__gte=since,
            aftercare_on__lte=today,
        ).values_list("pk", "aftercare_on", "household_id")
    )
    referrals = list(
        Referral.objects.exclude(status__in=Referral.ENDED)
        .filter(follow_up_on__gte=since, follow_up_on__lt=today)
        .values_list("pk", "follow_up_on", "household_id", "created_by_id")
    )
    leads = _leads(
        {r[2] for r in reviews} | {a[2] for a in aftercare} | {r[2] for r in referrals}, today
    )
    for pk, due, household_id in reviews:
        told += notify(
            recipients=leads.get(household_id, []),
            kind=Kind.REVIEW_DUE,
            link=reverse("casework:plan", args=[household_id]),
            key=f"review-due:{pk}:{_day(due).isoformat()}",
            text=_("A plan's review is due on %(date)s."),
            params={"date": _day(due).strftime("%d-%m-%Y")},
        )
    for pk, due, household_id in aftercare:
        told += notify(
            recipients=leads.get(household_id, []),
            kind=Kind.AFTERCARE_DUE,
            link=reverse("workspace:household", args=[household_id]),
            key=f"aftercare-due:{pk}:{_day(due).isoformat()}",
            text=_("An aftercare check is due on %(date)s."),
            params={"date": _day(due).strftime("%d-%m-%Y")},
        )
    for pk, due, household_id, created_by_id in referrals:
        told += notify(
            recipients=[*leads.get(household_id, []), created_by_id],
            kind=Kind.REFERRAL_OVERDUE,
            link=reverse("referrals:detail", args=[household_id, pk]),
            key=f"referral-overdue:{pk}:{_day(due).isoformat()}",
            text=_("A referral was to be checked on %(date)s."),
            params={"date": _day(due).strftime("%d-%m-%Y")},
        )
    told += _appointments_tomorrow(today)
    return told


def _appointments_tomorrow(today: dt.date) -> int:
    """Remind each worker who goes to an appointment tomorrow, while they are still
    involved in the household. The key holds the moment: a moved appointment is told
    again, a sweep run twice is not."""
    told = 0
    appointments = list(appointments_due_for_reminder(today + dt.timedelta(days=1)))
    involved = _involved({a.household_id for a in appointments}, today)
    for appointment in appointments:
        still_involved = set(involved.get(appointment.household_id, []))
        starts = timezone.localtime(appointment.starts_at)
        told += notify(
            recipients=[w.pk for w in appointment.workers.all() if w.pk in still_involved],
            kind=Kind.APPOINTMENT_TOMORROW,
            link=reverse("casework:appointment", args=[appointment.household_id, appointment.pk]),
            key=f"appointment-tomorrow:{appointment.pk}:{starts.isoformat()}",
            text=_("You have an appointment tomorrow, %(date)s at %(time)s."),
            params={"date": starts.strftime("%d-%m-%Y"), "time": starts.strftime("%H:%M")},
        )
    return told
