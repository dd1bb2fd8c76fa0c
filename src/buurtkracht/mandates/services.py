"""Writes of mandates: registering or changing a mandate (Beheer, versioned, audited) and
recording a decision under one on a household file (limits and validity enforced here,
so no page can go around them). Reads are in `mandates.queries`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from buurtkracht.accounts.queries import current_teams
from buurtkracht.audit.models import Action as AuditAction
from buurtkracht.audit.models import Ground
from buurtkracht.audit.services import audit_record
from buurtkracht.core.models import Team
from buurtkracht.core.numbers import format_money
from buurtkracht.core.queries import in_force
from buurtkracht.core.versioning import version_claim
from buurtkracht.households.models import Household, Person
from buurtkracht.mandates.models import Mandate, MandateDecision

if TYPE_CHECKING:
    from django.http import HttpRequest

    from buurtkracht.accounts.models import User


def euros(cents: int | None) -> str:
    """An amount in cents as the pages write it (€ 1.500,00)."""
    return "" if cents is None else format_money(Decimal(cents) / 100)


@transaction.atomic
def mandate_save(
    *,
    mandate: Mandate,
    by: User | None,
    expected_version: int | None,
    changed: Iterable[str] = (),
    request: HttpRequest | None = None,
) -> Mandate:
    """Register `mandate` (new) or save a change to it. A change claims the next version
    against the one the administrator opened (decision 0008): when someone else saved in
    between, ChangedMeanwhile is raised and nothing is written. Audited either way, with
    the fields that changed. The teams and workers granted are saved by the caller (the
    admin's form) after this, in the same transaction."""
    if mandate.end_date is not None and mandate.end_date < mandate.start_date:
        raise ValidationError(
            {"end_date": _("The mandate cannot end before it starts. Check the dates.")}
        )
    adding = mandate.pk is None
    if not adding:
        version_claim(mandate, expected_version)
    mandate.save()
    audit_record(
        action=AuditAction.CREATE if adding else AuditAction.UPDATE,
        user=by,
        request=request,
        obj=mandate,
        ground=Ground.ROLE,
        on_behalf_of=str(mandate.organisation),
        details={
            "mandate": mandate.pk,
            "decision": mandate.decision,
            "version": mandate.version,
            "changed": sorted(changed),
        },
    )
    return mandate


def granted_team(mandate: Mandate, user: User) -> tuple[bool, Team | None]:
    """Whether `mandate` is granted to `user` today, and the team it is granted through
    (None when it is granted to the worker by name)."""
    team = mandate.teams.filter(pk__in=current_teams(user).values("pk")).order_by("name").first()
    if team is not None:
        return True, team
    return mandate.workers.filter(pk=user.pk).exists(), None


def _validity(mandate: Mandate) -> str:
    start = mandate.start_date.strftime("%d-%m-%Y")
    if mandate.end_date is None:
        return _("valid from %(start)s") % {"start": start}
    return _("valid from %(start)s to %(end)s") % {
        "start": start,
        "end": mandate.end_date.strftime("%d-%m-%Y"),
    }


def _check_limits(
    mandate: Mandate, household: Household, amount_cents: int | None, day: dt.date
) -> None:
    organisation = mandate.organisation
    if mandate.max_amount_cents is not None and amount_cents is None:
        raise ValidationError(
            {
                "amount": _("Give the amount: this mandate allows decisions up to %(limit)s.")
                % {"limit": euros(mandate.max_amount_cents)}
            }
        )
    if (
        mandate.max_amount_cents is not None
        and amount_cents is not None
        and amount_cents > mandate.max_amount_cents
    ):
        raise ValidationError(
            {
                "amount": _(
                    "%(amount)s is more than this mandate allows: at most %(limit)s per "
                    "decision. Nothing was recorded. You may not decide this yourself: ask "
                    "%(organisation)s to decide, or record a decision within the limit."
                )
                % {
                    "amount": euros(amount_cents),
                    "limit": euros(mandate.max_amount_cents),
                    "organisation": organisation,
                }
            }
        )
    if mandate.max_per_household_year_cents is not None and amount_cents:
        earlier = (
            MandateDecision.objects.filter(
                mandate=mandate, household=household, decided_on__year=day.year
            ).aggregate(total=Sum("amount_cents"))["total"]
            or 0
        )
        if earlier + amount_cents > mandate.max_per_household_year_cents:
            raise ValidationError(
                {
                    "amount": _(
                        "This household already had %(earlier)s under this mandate in "
                        "%(year)s; with %(amount)s it would pass the limit of %(limit)s per "
                        "household per year. Nothing was recorded. Ask %(organisation)s to "
                        "decide."
                    )
                    % {
                        "earlier": euros(earlier),
                        "year": day.year,
                        "amount": euros(amount_cents),
                        "limit": euros(mandate.max_per_household_year_cents),
                        "organisation": organisation,
                    }
                }
            )


def decision_record(
    *,
    mandate: Mandate,
    household: Household,
    person: Person,
    what: str,
    amount_cents: int | None,
    reason: str,
    user: User,
    ground: str,
    request: HttpRequest | None = None,
    on: dt.date | None = None,
) -> MandateDecision:
    """Record that `user` decided `what` under `mandate` for `person` of `household`.

    Refused (ValidationError, nothing written) when the mandate is not granted to the
    user or their team, is not valid on the day, or the amount passes a limit; each
    message says the limit and what to do instead. `on` is the day of the decision,
    today unless the demo writes history."""
    day = on or timezone.localdate()
    what, reason = (what or "").strip(), (reason or "").strip()
    errors: dict[str, str] = {}
    if not what:
        errors["what"] = _("Say what you decided, for example “payment arrangement of 12 months”.")
    if not reason:
        errors["reason"] = _("Give the reason for the decision.")
    if amount_cents is not None and amount_cents < 0:
        errors["amount"] = _("An amount cannot be negative.")
    if errors:
        raise ValidationError(errors)
    if not household.current_memberships().filter(person=person).exists():
        raise ValidationError({"person": _("Choose a resident who lives in this household.")})
    with transaction.atomic():
        # One decision at a time per mandate, so two decisions cannot both slip under the
        # household's yearly limit.
        mandate = (
            Mandate.objects.select_for_update().select_related("organisation").get(pk=mandate.pk)
        )
        granted, team = granted_team(mandate, user)
        if not granted:
            raise ValidationError(
                {
                    "mandate": _(
                        "This mandate of %(organisation)s is not granted to you or your team. "
                        "Ask %(organisation)s to decide."
                    )
                    % {"organisation": mandate.organisation}
                }
            )
        if not Mandate.objects.filter(in_force(day), pk=mandate.pk).exists():
            raise ValidationError(
                {
                    "mandate": _(
                        "This mandate is not valid on %(day)s (%(validity)s). Nothing was "
                        "recorded. Ask %(organisation)s to decide."
                    )
                    % {
                        "day": day.strftime("%d-%m-%Y"),
                        "validity": _validity(mandate),
                        "organisation": mandate.organisation,
                    }
                }
            )
        _check_limits(mandate, household, amount_cents, day)
        decision = MandateDecision.objects.create(
            mandate=mandate,
            household=household,
            person=person,
            what=what,
            amount_cents=amount_cents,
            reason=reason,
            decided_on=day,
            decided_by=user,
            team=team,
        )
        audit_record(
            action=AuditAction.CREATE,
            user=user,
            request=request,
            subjects=[person.pk],
            obj=decision,
            ground=ground,
            on_behalf_of=str(mandate.organisation),
            details={
                "mandate": mandate.pk,
                "decision": decision.pk,
                "amount_cents": amount_cents,
                "on": day.isoformat(),
            },
        )
    return decision
