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
from buurtkracht.accounts.queries import current_teams
from buurtkracht.audit.models import Action as AuditAction
from buurtkracht.audit.models import Ground
from buurtkracht.audit.services import audit_record
from buurtkracht.casework.models import Intake
from buurtkracht.core import validators
from buurtkracht.core.models import Address, Team
from buurtkracht.core.names import name_tokens
from buurtkracht.core.services import address_create
from buurtkracht.households.models import Household, Involvement, Person


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


def _files_of_persons(*, user: Any, name: str, date_of_birth: Any) -> list[ExistingFile]:
    """Files of households where someone born on `date_of_birth` lives whose surname (or
    birth surname) is one of the words of `name`. A date of birth is shared by a few dozen
    people in a large town, so the date narrows first and the name decides."""
    words = name_tokens(name)
    persons = [
        p
        for p in Person.objects.filter(date_of_birth=date_of_birth)
        if name_tokens(p.surname) <= words
        or (p.birth_surname and name_tokens(p.birth_surname) <= words)
    ]
    if not persons:
        return []
    today = timezone.localdate()
    households = (
        Household.objects.filter(
            end_date__isnull=True,
            memberships__person__in=persons,
        )
        .filter(Q(memberships__end_date__isnull=True) | Q(memberships__end_date__gte=today))
        .select_related("address__neighbourhood")
        .distinct()
    )
    found: list[ExistingFile] = []
    for household in households:
        found.extend(
            f
            for f in existing_files(user=user, address=household.address)
            if f.household.pk == household.pk
        )
    return found


@dataclass
class AddressFacts:
    postcode: str
    house_number: int
    house_letter: str = ""
    addition: str = ""
    street: str = ""
    town: str = ""

    def find(self) -> Address | None:
        return Address.objects.filter(
            postcode=validators.normalise_postcode(self.postcode),
            house_number=self.house_number,
            house_letter=self.house_letter.strip().upper(),
            addition=self.addition.strip().upper(),
        ).first()


def _offer_or_continue(
    *, user: Any, request: Any, address: Address | None, also: list[ExistingFile], anyway: bool
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
        worked_with = Involvement.objects.filter(
            Q(end_date__isnull=True) | Q(end_date__gte=timezone.localdate())
        ).values("household_id")
        bare = Household.objects.filter(address=address, end_date__isnull=True).exclude(
            pk__in=worked_with
        )
        if (household := bare.order_by("pk").first()) is not None:
            return household
    return Household.objects.create(address=address, start_date=None)


def _serving_team(household: Household) -> Team | None:
    neighbourhood = household.address.neighbourhood
    return neighbourhood.teams.order_by("pk").first() if neighbourhood else None


def _log_offer(*, user: Any, request: Any, files: list[ExistingFile]) -> None:
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
    user: Any,
    name: str = "",
    date_of_birth: Any = None,
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
    return intake


def intake_set_address(
    *,
    intake: Intake,
    user: Any,
    postcode: str,
    house_number: int,
    house_letter: str = "",
    addition: str = "",
    street: str = "",
    town: str = "",
    create_anyway: bool = False,
    request: Any = None,
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


def assigning_teams(user: Any) -> QuerySet[Team]:
    """Teams in which `user` may assign lead workers: the teams they lead, and the teams
    they are a member of that let every member assign (a setting per team)."""
    led = current_teams(user, TeamMembership.Position.TEAM_LEADER)
    return Team.objects.filter(
        Q(pk__in=led.values("pk"))
        | Q(pk__in=current_teams(user).values("pk"), members_may_assign=True)
    )


def intakes_for(user: Any) -> QuerySet[Intake]:
    """New intakes of the teams the user works in or leads now."""
    return (
        Intake.objects.filter(team__in=current_teams(user), status=Intake.Status.NEW)
        .select_related("household__address", "team", "created_by")
        .order_by("created_at")
    )


def current_leads(household_ids: list[int]) -> dict[int, Involvement]:
    """The lead worker (regisseur) of each of these households that has one now: the one
    an intake for the household goes to instead of a second lead."""
    return {
        involvement.household_id: involvement
        for involvement in Involvement.objects.filter(
            household_id__in=household_ids, kind=Involvement.Kind.LEAD, end_date__isnull=True
        )
        .select_related("worker")
        .order_by("start_date", "pk")
    }


def _handling_ground(*, intake: Intake, by: Any) -> str:
    """Whether `by` may handle this intake (assign, hand to the lead worker, close): the
    team leader of the intake's team, or a member where the team lets members assign.
    Returns the ground for the log; anyone else is refused."""
    team_id = intake.team_id
    if team_id is None or not assigning_teams(by).filter(pk=team_id).exists():
        raise PermissionDenied("This user may not handle intakes in the intake's team.")
    leads = current_teams(by, TeamMembership.Position.TEAM_LEADER).filter(pk=team_id).exists()
    return Ground.TEAM_LEADER if leads else Ground.TEAM


def _require_new(intake: Intake) -> None:
    if intake.status != Intake.Status.NEW:
        raise ValidationError(_("This intake has been handled already."))


@transaction.atomic
def intake_assign(*, intake: Intake, worker: Any, by: Any, request: Any = None) -> Intake:
    """The team leader — or any member, where the team's setting allows it — gives the
    household its one lead worker (één regisseur)."""
    ground = _handling_ground(intake=intake, by=by)
    if not current_teams(worker).filter(pk=intake.team_id or 0).exists():
        raise ValidationError({"worker": _("Choose a worker of this team.")})
    _require_new(intake)
    household = intake.household
    if household is None:
        raise ValidationError(
            _("Find the address first: a lead worker is assigned to a household.")
        )
    if household.pk in current_leads([household.pk]):
        raise ValidationError(
            _(
                "This household has a lead worker already. "
                "Hand the intake to the lead worker, or close it with a reason."
            )
        )
    Involvement.objects.create(
        household=household,
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
        subjects=household.current_member_ids(),
        obj=intake,
        ground=ground,
        details={"lead_worker": worker.get_username()},
    )
    return intake


def _hand_to_lead(
    *,
    intake: Intake,
    lead: Involvement,
    by: Any,
    ground: str,
    request: Any,
    details: dict[str, Any],
) -> Intake:
    now = timezone.now()
    intake.status = Intake.Status.JOINED
    intake.assigned_to = lead.worker
    intake.assigned_at = now
    intake.closed_at = now
    intake.closed_by = by
    intake.save(update_fields=["status", "assigned_to", "assigned_at", "closed_at", "closed_by"])
    household = intake.household
    audit_record(
        action=AuditAction.UPDATE,
        user=by,
        request=request,
        subjects=household.current_member_ids() if household else [],
        obj=intake,
        ground=ground,
        details={"intake": "handed to the lead worker", "lead_worker": lead.worker.get_username()}
        | details,
    )
    return intake


@transaction.atomic
def intake_hand_to_lead(*, intake: Intake, by: Any, request: Any = None) -> Intake:
    """Bij de regisseur leggen: the household has its lead worker already, so the intake
    is not assigned again but closed as joined to the existing file, and lands with that
    lead worker (on their start page and the file). One household, one lead worker."""
    ground = _handling_ground(intake=intake, by=by)
    _require_new(intake)
    if intake.household_id is None:
        raise ValidationError(
            _("Find the address first: only then is it clear which file the intake joins.")
        )
    lead = current_leads([intake.household_id]).get(intake.household_id)
    if lead is None:
        raise ValidationError(_("This household has no lead worker yet. Assign one instead."))
    return _hand_to_lead(
        intake=intake, lead=lead, by=by, ground=ground, request=request, details={}
    )


@transaction.atomic
def intake_close(*, intake: Intake, by: Any, reason: str, request: Any = None) -> Intake:
    """Close an intake that needs no lead worker (help no longer wanted, reported twice,
    handled elsewhere), with the reason, so the team can find later why."""
    ground = _handling_ground(intake=intake, by=by)
    _require_new(intake)
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Write in one sentence why the intake is closed.")})
    intake.status = Intake.Status.CLOSED
    intake.closed_at = timezone.now()
    intake.closed_by = by
    intake.closed_reason = reason.strip()
    intake.save(update_fields=["status", "closed_at", "closed_by", "closed_reason"])
    audit_record(
        action=AuditAction.UPDATE,
        user=by,
        request=request,
        subjects=intake.household.current_member_ids() if intake.household else [],
        obj=intake,
        ground=ground,
        details={"intake": "closed", "reason": intake.closed_reason},
    )
    return intake


def intakes_move_to(
    *, duplicate: Household, keep: Household, by: Any, reason: str, request: Any = None
) -> list[Intake]:
    """A merge's part for intakes (called inside `household_merge`, which checked that
    `by` leads both households' teams). The duplicate's intakes move to the file that
    stays, each logged with the merge's reason; an open one lands with the team serving
    that file, and where the file has a lead worker it is handed to them at once, so no
    intake stays behind that can be neither assigned nor closed."""
    intakes = list(Intake.objects.filter(household=duplicate).select_related("team"))
    if not intakes:
        return []
    team = _serving_team(keep)
    lead = current_leads([keep.pk]).get(keep.pk)
    subjects = keep.current_member_ids()
    merge = {"merged": duplicate.pk, "kept": keep.pk, "merge_reason": reason.strip()}
    moved = []
    for intake in intakes:
        intake.household = keep
        fields = ["household"]
        if intake.status == Intake.Status.NEW and team is not None and intake.team_id != team.pk:
            intake.team = team
            fields.append("team")
        intake.save(update_fields=fields)
        audit_record(
            action=AuditAction.UPDATE,
            user=by,
            request=request,
            subjects=subjects,
            obj=intake,
            ground=Ground.TEAM_LEADER,
            details={"intake": "moved by merge", "team": str(intake.team or "")} | merge,
        )
        if intake.status == Intake.Status.NEW and lead is not None:
            _hand_to_lead(
                intake=intake,
                lead=lead,
                by=by,
                ground=Ground.TEAM_LEADER,
                request=request,
                details=merge,
            )
        moved.append(intake)
    return moved
