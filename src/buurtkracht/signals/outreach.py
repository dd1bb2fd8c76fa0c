"""Outreach after a report (Eropaf!), and the signal officer's match decisions (writes).

Contact as soon as arrears begin: attempts by letter, phone, text, e-mail, a visit, a card
through the door or via the partner, each with its result; then an outcome. "Reached and
help accepted" makes the intake on the household's file in one click; who leads it is the
team leader's to say, unless the team lets its members assign.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from buurtkracht.accounts.queries import assigning_teams, current_teams
from buurtkracht.audit.models import Action as AuditAction
from buurtkracht.audit.models import Ground
from buurtkracht.audit.services import audit_record
from buurtkracht.casework.intake.registration import intake_notify
from buurtkracht.casework.models import Intake
from buurtkracht.core.versioning import version_claim
from buurtkracht.households.grants import involvement_grant
from buurtkracht.households.models import (
    GrantPath,
    Household,
    Involvement,
    Membership,
    Person,
)
from buurtkracht.households.visibility import report_ground
from buurtkracht.signals import matching
from buurtkracht.signals.models import ContactAttempt, MatchDecision, Report, Signal
from buurtkracht.signals.queries import report_subjects
from buurtkracht.signals.services import outreach_settings, reports_prioritise, stored_decision_key
from buurtkracht.signals.services.reports import teams_of_neighbourhoods

if TYPE_CHECKING:
    from django.http import HttpRequest

    from buurtkracht.accounts.models import User

OUTCOMES_AFTER_CONTACT = {
    Report.Outcome.ACCEPTED,
    Report.Outcome.DECLINED,
    Report.Outcome.ALREADY_HELPED,
}


def _ground(user: User, report: Report) -> str:
    return report_ground(user) or Ground.TEAM


def _log(user: User, request: HttpRequest | None, report: Report, details: dict[str, Any]) -> None:
    audit_record(
        action=AuditAction.UPDATE,
        user=user,
        request=request,
        subjects=report_subjects(report),
        obj=report,
        ground=_ground(user, report),
        details=details,
    )


def _open(report: Report) -> None:
    if report.status != Report.Status.OPEN:
        raise ValidationError(_("This report is closed. Reopen it to record more."))


def _moment(at: dt.datetime | None, message: str) -> dt.datetime:
    """When it happened: now, or earlier for work recorded afterwards — never later (a few
    minutes' grace for a phone's clock that runs ahead)."""
    if at is None:
        return timezone.now()
    if at > timezone.now() + dt.timedelta(minutes=5):
        raise ValidationError({"at": message})
    return at


@transaction.atomic
def attempt_record(
    *,
    report: Report,
    kind: str,
    reached: bool,
    user: User,
    note: str = "",
    at: dt.datetime | None = None,
    request: HttpRequest | None = None,
) -> ContactAttempt:
    """Record an attempt to reach the household. The first attempt stops the clock of the
    first-attempt target; after the set number of unanswered attempts the page suggests
    the outcome "not reached"."""
    _open(report)
    if kind not in ContactAttempt.Kind.values:
        raise ValidationError({"kind": _("Choose how you tried to reach them.")})
    at = _moment(at, _("An attempt cannot lie in the future."))
    attempt = ContactAttempt.objects.create(
        report=report, kind=kind, reached=reached, note=note.strip(), at=at, by=user
    )
    if report.first_attempt_at is None or at < report.first_attempt_at:
        report.first_attempt_at = at
        report.save(update_fields=["first_attempt_at"])
    _log(user, request, report, {"attempt": kind, "reached": reached})
    return attempt


def unanswered_attempts(report: Report) -> int:
    return sum(1 for a in report.attempts.all() if not a.reached)


def suggests_not_reached(report: Report) -> bool:
    settings = outreach_settings()
    return (
        report.status == Report.Status.OPEN
        and not any(a.reached for a in report.attempts.all())
        and unanswered_attempts(report) >= settings.attempts_before_not_reached
    )


@transaction.atomic
def report_close(
    *,
    report: Report,
    outcome: str,
    user: User,
    note: str = "",
    at: dt.datetime | None = None,
    request: HttpRequest | None = None,
) -> Report:
    """Close the report with its outcome (`at`: when, if it was earlier than now). An
    outcome after contact needs an attempt that reached someone, so the monitor's contact
    rate tells the truth."""
    _open(report)
    at = _moment(at, _("A report cannot be closed in the future."))
    if outcome not in Report.Outcome.values:
        raise ValidationError({"outcome": _("Choose the outcome.")})
    if outcome in OUTCOMES_AFTER_CONTACT and not report.attempts.filter(reached=True).exists():
        raise ValidationError({"outcome": _("First record the attempt in which you reached them.")})
    report.status = Report.Status.CLOSED
    report.outcome = outcome
    report.outcome_note = note.strip()[:500]
    report.closed_at = at
    report.save(update_fields=["status", "outcome", "outcome_note", "closed_at"])
    _log(user, request, report, {"outcome": outcome})
    return report


@transaction.atomic
def report_reopen(*, report: Report, user: User, request: HttpRequest | None = None) -> Report:
    if report.status == Report.Status.OPEN:
        return report
    if report.outcome == Report.Outcome.ACCEPTED:
        raise ValidationError(
            _("Help was accepted: the household's file goes on. This report stays closed.")
        )
    report.status = Report.Status.OPEN
    report.outcome = ""
    report.outcome_note = ""
    report.closed_at = None
    report.save(update_fields=["status", "outcome", "outcome_note", "closed_at"])
    _log(user, request, report, {"reopened": True})
    return report


@transaction.atomic
def report_override_priority(
    *,
    report: Report,
    priority: int | None,
    reason: str,
    user: User,
    request: HttpRequest | None = None,
    expected_version: int | None = None,
) -> Report:
    """A worker sets the priority by hand, with a reason shown next to the rule's sum.
    Refused (ChangedMeanwhile, nothing saved) when someone else changed the report after
    it was opened at `expected_version`."""
    _open(report)
    if priority is not None and not reason.strip():
        raise ValidationError({"reason": _("Write why you change the priority.")})
    report.priority_override = priority
    report.override_reason = reason.strip()[:300] if priority is not None else ""
    version_claim(report, expected_version)
    report.save(update_fields=["priority_override", "override_reason"])
    _log(user, request, report, {"priority_override": priority, "reason": reason.strip()})
    return report


@transaction.atomic
def report_accept_help(
    *, report: Report, user: User, at: dt.datetime | None = None, request: HttpRequest | None = None
) -> Household:
    """Reached, and help accepted: the report becomes an intake (source: early signal) on
    the household's file — a file made for the address if there is none. Only a member
    of the report's team does this: the team that does the outreach.

    Who leads the household is not for the one who pressed the button to decide. With a
    lead worker already, the intake joins the file and lands with them (one household,
    one lead worker); nobody new reads the file. Without one, the worker who made contact
    becomes lead worker only where they may assign in the report's team (its team leader,
    or a member where the team lets members assign: `households/grants.py`); otherwise
    the intake waits, new, for the team leader to assign, with the report linked.
    `at`: when, if it was earlier than now."""
    report = Report.objects.select_for_update().get(pk=report.pk)  # one click, once
    _open(report)
    at = _moment(at, _("Help cannot be accepted in the future."))
    if report.team_id is None or not current_teams(user).filter(pk=report.team_id).exists():
        raise ValidationError(
            _("Only a worker of %(team)s opens the file: the team that does the outreach.")
            % {"team": report.team or _("the report's team")}
        )
    if not report.attempts.filter(reached=True).exists():
        raise ValidationError(_("First record the attempt in which you reached them."))
    household = report.household
    if household is None:
        if report.address is None:
            raise ValidationError(
                _(
                    "This address is not in the register. Register an intake with the "
                    "address first, then close this report."
                )
            )
        household = Household.objects.create(address=report.address, start_date=None)
        report.household = household
    lead = (
        Involvement.objects.filter(
            household=household, kind=Involvement.Kind.LEAD, end_date__isnull=True
        )
        .select_related("worker")
        .first()
    )
    signals = list(report.signals.all())
    intake = Intake.objects.create(
        source=Intake.Source.SIGNAL,
        name=signals[0].name_line if signals else "",
        description=_("Early signal of payment arrears (%(partners)s); help accepted.")
        % {"partners": ", ".join(sorted({s.get_partner_kind_display() for s in signals}))},
        household=household,
        team=report.team,
        created_by=user,
    )
    if lead is not None:
        # The file has its lead worker: the intake lands with them, as "Bij de regisseur
        # leggen" does, and nothing is left for the team leader to assign.
        intake.status = Intake.Status.JOINED
        intake.assigned_to = lead.worker
        intake.assigned_at = intake.closed_at = at
        intake.closed_by = user
    elif assigning_teams(user).filter(pk=report.team_id).exists():
        involvement_grant(
            household=household,
            worker=user,
            kind=Involvement.Kind.LEAD,
            via=GrantPath.SIGNAL,
            by=user,
            team=report.team,
            at=at,
        )
        intake.status = Intake.Status.ASSIGNED
        intake.assigned_to = user
        intake.assigned_at = at
    intake.save(update_fields=["status", "assigned_to", "assigned_at", "closed_at", "closed_by"])
    if intake.status == Intake.Status.NEW:  # waits for the team leader to assign
        intake_notify(intake, actor=user)
    report.intake = intake
    report.status = Report.Status.CLOSED
    report.outcome = Report.Outcome.ACCEPTED
    report.closed_at = at
    report.save(update_fields=["household", "intake", "status", "outcome", "closed_at"])
    _log(
        user,
        request,
        report,
        {"outcome": Report.Outcome.ACCEPTED, "intake": intake.pk, "intake_status": intake.status},
    )
    return household


@transaction.atomic
def _route_to_household(report: Report) -> None:
    """A report tied to a household living elsewhere (a mover, confirmed from the review
    list) goes to the team of the household's neighbourhood, as an automatic match to a
    mover does when the report is made."""
    if report.household_id is None:
        return
    neighbourhood_id = (
        Household.objects.filter(pk=report.household_id)
        .values_list("neighbourhood_id", flat=True)
        .first()
    )
    if neighbourhood_id is None or neighbourhood_id == report.neighbourhood_id:
        return
    report.neighbourhood_id = neighbourhood_id
    report.team_id = teams_of_neighbourhoods({neighbourhood_id}).get(neighbourhood_id)
    report.save(update_fields=["neighbourhood", "team"])


def match_decide(
    *, signal: Signal, person: Person | None, user: User, request: HttpRequest | None = None
) -> Signal:
    """The signal officer decides who an uncertain signal is about (or nobody). The
    decision is remembered for the next signal of this partner about this name here."""
    if not user.has_role("signal_officer"):
        raise ValidationError(_("Only the signal officer decides on matches."))
    key = matching.decision_key(organisation_id=signal.organisation_id, signal=signal)
    MatchDecision.objects.update_or_create(
        organisation_id=signal.organisation_id,
        key=stored_decision_key(key),
        defaults={"person": person, "decided_by": user},
    )
    signal.person = person
    signal.match_status = (
        Signal.MatchStatus.CONFIRMED if person is not None else Signal.MatchStatus.NO_MATCH
    )
    signal.save(update_fields=["person", "match_status"])
    report = signal.report
    # The report's household follows what is certain: the chosen person's household, or
    # that of another signal in the report linked with certainty; nobody's otherwise.
    household_id = None
    if person is not None:
        household_id = (
            person.memberships.filter(end_date__isnull=True, household__end_date__isnull=True)
            .values_list("household_id", flat=True)
            .first()
        )
    if household_id is None:
        household_id = (
            Membership.objects.filter(
                person__signals__report=report,
                person__signals__match_status__in=[
                    Signal.MatchStatus.AUTOMATIC,
                    Signal.MatchStatus.CONFIRMED,
                ],
                end_date__isnull=True,
                household__end_date__isnull=True,
            )
            .values_list("household_id", flat=True)
            .first()
        )
    if report.household_id != household_id:
        report.household_id = household_id
        report.save(update_fields=["household"])
    _route_to_household(report)
    reports_prioritise(
        [report],
        rules=list(outreach_settings().rules.filter(active=True)),
        today=timezone.localdate(),
    )
    audit_record(
        action=AuditAction.UPDATE,
        user=user,
        request=request,
        subjects=[person.pk] if person else [],
        obj=signal,
        ground=Ground.ROLE,
        details={"match": signal.match_status},
    )
    return signal
