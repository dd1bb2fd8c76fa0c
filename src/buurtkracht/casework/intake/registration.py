"""Registering an intake: the address and household, existing files offered first."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from buurtkracht.accounts.queries import current_teams
from buurtkracht.audit.models import Action as AuditAction
from buurtkracht.audit.models import Ground
from buurtkracht.audit.services import audit_record
from buurtkracht.casework.intake.existing import (
    ExistingFile,
    ExistingFilesFound,
    _files_of_persons,
    _worked_with,
    existing_files,
)
from buurtkracht.casework.models import Intake
from buurtkracht.core import validators
from buurtkracht.core.models import Address, Team
from buurtkracht.core.queries import address_at, not_ended
from buurtkracht.core.services import address_create
from buurtkracht.households.models import Household, Involvement
from buurtkracht.notifications.kinds import Kind
from buurtkracht.notifications.recipients import intake_handlers
from buurtkracht.notifications.services import notify

if TYPE_CHECKING:
    from django.http import HttpRequest

    from buurtkracht.accounts.models import User


@dataclass
class AddressFacts:
    postcode: str
    house_number: int
    house_letter: str = ""
    addition: str = ""
    street: str = ""
    town: str = ""

    def find(self) -> Address | None:
        """The current address; refuses a door whose address was withdrawn (BAG)."""
        return address_at(
            postcode=validators.normalise_postcode(self.postcode),
            house_number=self.house_number,
            house_letter=self.house_letter.strip().upper(),
            addition=self.addition.strip().upper(),
        )


def _offer_or_continue(
    *,
    user: User,
    request: HttpRequest | None,
    address: Address | None,
    also: list[ExistingFile],
    anyway: bool,
) -> bool:
    """Offer the existing files — at the address, or of the person — before a new one is
    made: raises ExistingFilesFound (the search logged) unless the user said it is really
    another household. Returns whether the new intake duplicates a file. Runs outside the
    write transaction, so the log of the search survives the refusal."""
    files = (
        [f for f in existing_files(user=user, address=address) if _worked_with(f.household)]
        if address
        else []
    )
    files += [f for f in also if f.household.pk not in {g.household.pk for g in files}]
    if files and not anyway:
        _log_offer(user=user, request=request, files=files)
        raise ExistingFilesFound(files)
    return bool(files)


def _household_at(facts: AddressFacts, address: Address | None, duplicate: bool) -> Household:
    """The household an intake at this address belongs to: a household that is only
    registered (nobody works with it) gets it; otherwise a new one (a duplicate, if the
    user said so, is marked in the log and can be merged later)."""
    if address is None:
        if not facts.street.strip() or not facts.town.strip():
            raise ValidationError(
                {"street": _("This address is new here: fill in the street and the town too.")}
            )
        address = address_create(
            street=facts.street,
            house_number=facts.house_number,
            house_letter=facts.house_letter,
            addition=facts.addition,
            postcode=validators.normalise_postcode(facts.postcode),
            town=facts.town,
        )
    if not duplicate:
        worked_with = Involvement.objects.filter(not_ended()).values("household_id")
        bare = Household.objects.filter(address=address, end_date__isnull=True).exclude(
            pk__in=worked_with
        )
        if (household := bare.order_by("pk").first()) is not None:
            return household
    return Household.objects.create(address=address, start_date=None)


def _serving_team(household: Household) -> Team | None:
    neighbourhood = household.address.neighbourhood
    return neighbourhood.teams.order_by("pk").first() if neighbourhood else None


def _log_offer(*, user: User, request: HttpRequest | None, files: list[ExistingFile]) -> None:
    audit_record(
        action=AuditAction.SEARCH,
        user=user,
        request=request,
        subjects=[pid for f in files for pid in f.household.current_member_ids()],
        ground=Ground.ROLE,
        details={"intake": "existing files", "found": len(files)},
    )


def intake_create(
    *,
    description: str,
    source: str = "",
    user: User,
    name: str = "",
    date_of_birth: Any = None,
    postcode: str = "",
    house_number: int | None = None,
    house_letter: str = "",
    addition: str = "",
    street: str = "",
    town: str = "",
    create_anyway: bool = False,
    request: HttpRequest | None = None,
) -> Intake:
    """Register an intake. It lands with the team that serves the address's neighbourhood
    (without an address: the reporter's own team). An existing file — at the address, or
    of a person with this name and date of birth — is offered first; a duplicate made
    anyway is marked in the log, to be merged later.

    Any worker may record what they noticed themselves: without a source the intake is
    the worker's own contact (`Source.STREET`)."""
    errors: dict[str, str] = {}
    source = source or Intake.Source.STREET
    if source not in Intake.Source.values:
        errors["source"] = _("Choose who reported it.")
    if not (description or "").strip():
        errors["description"] = _("Write in one sentence what is going on.")
    has_address = bool(postcode.strip()) or house_number is not None
    if not name.strip() and not has_address:
        errors["name"] = _("Fill in a name or an address: one of the two is enough to start.")
    if has_address and (not postcode.strip() or house_number is None):
        errors["postcode"] = _("For an address, fill in both the postcode and the house number.")
    if date_of_birth and date_of_birth > timezone.localdate():
        errors["date_of_birth"] = _("The date of birth lies in the future. Check the year.")
    elif date_of_birth and (message := validators.date_of_birth_error(date_of_birth)):
        errors["date_of_birth"] = message
    if errors:
        raise ValidationError(errors)

    by_person = (
        _files_of_persons(user=user, name=name, date_of_birth=date_of_birth)
        if name.strip() and date_of_birth
        else []
    )
    facts = (
        AddressFacts(postcode, house_number, house_letter, addition, street, town)
        if has_address and house_number is not None
        else None
    )
    address = facts.find() if facts else None
    duplicate = _offer_or_continue(
        user=user, request=request, address=address, also=by_person, anyway=create_anyway
    )
    with transaction.atomic():
        household = _household_at(facts, address, duplicate) if facts else None
        team = _serving_team(household) if household else current_teams(user).order_by("pk").first()
        intake = Intake.objects.create(
            source=source,
            name=name.strip(),
            date_of_birth=date_of_birth,
            description=description.strip(),
            household=household,
            team=team,
            created_by=user,
        )
        audit_record(
            action=AuditAction.CREATE,
            user=user,
            request=request,
            obj=intake,
            ground=Ground.ROLE,
            details={"duplicate_of_existing_file": duplicate, "team": str(team or "")},
        )
        intake_notify(intake, actor=user)
    return intake


def intake_notify(intake: Intake, *, actor: User | None) -> None:
    """Who handles the team's new intakes is told (not who registered it)."""
    notify(
        recipients=intake_handlers(intake.team_id),
        kind=Kind.INTAKE_NEW,
        link=reverse("casework:intakes"),
        key=f"intake:{intake.pk}",
        text=gettext_lazy("A new intake for %(team)s.")
        if intake.team
        else gettext_lazy("A new intake."),
        params={"team": str(intake.team)} if intake.team else None,
        actor=actor,
    )


def intake_set_address(
    *,
    intake: Intake,
    user: User,
    postcode: str,
    house_number: int,
    house_letter: str = "",
    addition: str = "",
    street: str = "",
    town: str = "",
    create_anyway: bool = False,
    request: HttpRequest | None = None,
) -> Intake:
    """Link the address, once known, to an intake that started with a name only. The intake
    moves to the team that serves the address, which then assigns the lead worker."""
    if intake.household_id is not None:
        raise ValidationError(_("This intake has an address already."))
    if intake.status != Intake.Status.NEW:
        raise ValidationError(_("This intake has been handled already."))
    facts = AddressFacts(postcode, house_number, house_letter, addition, street, town)
    address = facts.find()
    duplicate = _offer_or_continue(
        user=user, request=request, address=address, also=[], anyway=create_anyway
    )
    with transaction.atomic():
        household = _household_at(facts, address, duplicate)
        moved_from = intake.team
        intake.household = household
        intake.team = _serving_team(household) or intake.team
        intake.save(update_fields=["household", "team"])
        audit_record(
            action=AuditAction.UPDATE,
            user=user,
            request=request,
            subjects=household.current_member_ids(),
            obj=intake,
            ground=Ground.TEAM,
            details={
                "intake": "address linked",
                "duplicate_of_existing_file": duplicate,
                "team": str(intake.team or ""),
                "moved_from": str(moved_from or "") if moved_from != intake.team else "",
            },
        )
    return intake
