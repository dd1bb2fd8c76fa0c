"""Intake (aanmelding): register that a household needs help, find the file that may exist
already, and let the team leader assign the one lead worker."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from buurtkracht.accounts.models import TeamMembership
from buurtkracht.audit.models import Action as AuditAction
from buurtkracht.audit.models import Ground
from buurtkracht.audit.services import audit_record
from buurtkracht.casework.models import Intake
from buurtkracht.core import validators
from buurtkracht.core.models import Address, Team
from buurtkracht.core.services import address_create
from buurtkracht.households.models import Household, Involvement


@dataclass
class ExistingFile:
    household: Household
    visible: bool
    teams: list[str]


class ExistingFilesFound(ValidationError):
    """There are files at this address already: offer them before making another."""

    def __init__(self, files: list[ExistingFile]) -> None:
        super().__init__(
            _(
                "There is already a file at this address. Open it if you may, or ask its team. "
                "Only if it is really another household: tick the box and save again."
            ),
            code="existing_file",
        )
        self.files = files


def current_teams(user: Any, position: str | None = None) -> QuerySet[Team]:
    today = timezone.localdate()
    memberships = TeamMembership.objects.filter(user=user).filter(
        Q(start_date__isnull=True) | Q(start_date__lte=today),
        Q(end_date__isnull=True) | Q(end_date__gte=today),
    )
    if position:
        memberships = memberships.filter(position=position)
    return Team.objects.filter(pk__in=memberships.values("team_id"))


def existing_files(*, user: Any, address: Address) -> list[ExistingFile]:
    """The households living at `address` now, and whether `user` may open each."""
    households = list(
        Household.objects.filter(address=address, end_date__isnull=True).prefetch_related(
            "address__neighbourhood__teams"
        )
    )
    visible = set(
        Household.objects.visible_to(user)
        .filter(pk__in=[h.pk for h in households])
        .values_list("pk", flat=True)
    )
    teams = [t.name for t in address.neighbourhood.teams.all()] if address.neighbourhood else []
    return [ExistingFile(h, h.pk in visible, teams) for h in households]


def _worked_with(household: Household) -> bool:
    today = timezone.localdate()
    return household.involvements.filter(Q(end_date__isnull=True) | Q(end_date__gte=today)).exists()


@transaction.atomic
def intake_create(
    *,
    source: str,
    description: str,
    user: Any,
    name: str = "",
    postcode: str = "",
    house_number: int | None = None,
    house_letter: str = "",
    addition: str = "",
    street: str = "",
    town: str = "",
    create_anyway: bool = False,
    request: Any = None,
) -> Intake:
    """Register an intake. It lands with the team that serves the address's neighbourhood
    (without an address: the reporter's own team). An existing file at the address is
    offered first; a duplicate made anyway is marked in the log, to be merged later."""
    errors: dict[str, str] = {}
    if source not in Intake.Source.values:
        errors["source"] = _("Choose who reported it.")
    if not (description or "").strip():
        errors["description"] = _("Write in one sentence what is going on.")
    has_address = bool(postcode.strip()) or house_number is not None
    if not name.strip() and not has_address:
        errors["name"] = _("Fill in a name or an address: one of the two is enough to start.")
    if has_address and (not postcode.strip() or house_number is None):
        errors["postcode"] = _("For an address, fill in both the postcode and the house number.")
    if errors:
        raise ValidationError(errors)

    household: Household | None = None
    duplicate = False
    if has_address and house_number is not None:
        compact = validators.normalise_postcode(postcode)
        address = Address.objects.filter(
            postcode=compact,
            house_number=house_number,
            house_letter=house_letter.strip().upper(),
            addition=addition.strip().upper(),
        ).first()
        if address is None:
            if not street.strip() or not town.strip():
                raise ValidationError(
                    {"street": _("This address is new here: fill in the street and the town too.")}
                )
            address = address_create(
                street=street,
                house_number=house_number,
                house_letter=house_letter,
                addition=addition,
                postcode=compact,
                town=town,
            )
        # A household somebody works with is a file to offer; a household that is only
        # registered (nobody involved) simply gets this intake attached.
        households_here = existing_files(user=user, address=address)
        files = [f for f in households_here if _worked_with(f.household)]
        if files and not create_anyway:
            audit_record(
                action=AuditAction.SEARCH,
                user=user,
                request=request,
                subjects=[pid for f in files for pid in f.household.current_member_ids()],
                ground=Ground.ROLE,
                details={"intake": "existing files at address", "found": len(files)},
            )
            raise ExistingFilesFound(files)
        duplicate = bool(files)
        bare = [f.household for f in households_here if not _worked_with(f.household)]
        if bare and not duplicate:
            household = bare[0]
        else:
            household = Household.objects.create(address=address, start_date=None)
        team = address.neighbourhood.teams.order_by("pk").first() if address.neighbourhood else None
    else:
        team = current_teams(user).order_by("pk").first()
    intake = Intake.objects.create(
        source=source,
        name=name.strip(),
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
    return intake


def intakes_for(user: Any) -> QuerySet[Intake]:
    """New intakes of the teams the user works in or leads now."""
    return (
        Intake.objects.filter(team__in=current_teams(user), status=Intake.Status.NEW)
        .select_related("household__address", "team", "created_by")
        .order_by("created_at")
    )


@transaction.atomic
def intake_assign(*, intake: Intake, worker: Any, by: Any, request: Any = None) -> Intake:
    """The team leader gives the household its one lead worker (één regisseur)."""
    team_id = intake.team_id
    if team_id is None or not (
        current_teams(by, TeamMembership.Position.TEAM_LEADER).filter(pk=team_id).exists()
    ):
        raise PermissionDenied("Only the team leader of the intake's team assigns a lead worker.")
    if not current_teams(worker).filter(pk=team_id).exists():
        raise ValidationError({"worker": _("Choose a worker of this team.")})
    if intake.status != Intake.Status.NEW:
        raise ValidationError(_("This intake has been handled already."))
    if intake.household is None:
        raise ValidationError(
            _("Find the address first: a lead worker is assigned to a household.")
        )
    if Involvement.objects.filter(
        household=intake.household, kind=Involvement.Kind.LEAD, end_date__isnull=True
    ).exists():
        raise ValidationError(_("This household has a lead worker already."))
    Involvement.objects.create(
        household=intake.household,
        worker=worker,
        kind=Involvement.Kind.LEAD,
        start_date=timezone.localdate(),
    )
    intake.status = Intake.Status.ASSIGNED
    intake.assigned_to = worker
    intake.assigned_at = timezone.now()
    intake.save(update_fields=["status", "assigned_to", "assigned_at"])
    audit_record(
        action=AuditAction.UPDATE,
        user=by,
        request=request,
        subjects=intake.household.current_member_ids(),
        obj=intake,
        ground=Ground.TEAM_LEADER,
        details={"lead_worker": worker.get_username()},
    )
    return intake
