"""The composition page of a household file: who lives here, who lived here, and the
worker's changes to it (issue 16, item 3). The guard checks the ground and notes the look;
only those who may change the file (`visibility.can_write`) may change who is in it.

Searching the register before adding someone: a person found who is in no household the
worker may read is shown only as "already in the register" — no name, address or
household — and is offered for adding through a signed, short-lived token, never by id,
so that nobody can add (and so read) a person they did not find with two facts."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from buurtkracht.accounts.types import AuthenticatedRequest
from buurtkracht.audit.decorators import audited, note_look
from buurtkracht.audit.models import Action
from buurtkracht.core.forms import VersionedForm, errors_to_form
from buurtkracht.core.queries import not_ended
from buurtkracht.core.validators import normalise_bsn
from buurtkracht.core.versioning import ChangedMeanwhile
from buurtkracht.households.brp import brp_source, register_source
from buurtkracht.households.composition import (
    DuplicatePerson,
    member_add_new,
    membership_add,
    membership_end,
    membership_set_role,
    person_correct_name,
    person_for_token,
    person_mark_deceased,
    person_matches,
    person_token,
)
from buurtkracht.households.composition_forms import (
    AddFoundForm,
    BirthForm,
    DeathForm,
    MoveOutForm,
    NameForm,
    NewMemberForm,
    PersonSearchForm,
    RoleForm,
    brp_search_form,
)
from buurtkracht.households.guard import household_for_request
from buurtkracht.households.models import Household, Membership, Person
from buurtkracht.households.register_households import (
    household_in_register,
    register_differences,
)
from buurtkracht.households.services import _clean_text as _clean
from buurtkracht.households.visibility import can_write


@dataclass
class Found:
    """A person the register search found. `person` and `household` only when the worker
    may read a file the person is (or was) in; otherwise just that they exist."""

    token: str
    form: AddFoundForm
    person: Person | None = None
    household: Household | None = None
    member_here: bool = False
    addable: bool = True


def _two_facts(person: Person, data: dict[str, Any]) -> bool:
    """Whether the worker named this person with two facts the register holds: BSN and
    date of birth, or — for someone without a BSN in the register — surname and date of
    birth. Only then may a person in a file the worker cannot read be added."""
    born = person.date_of_birth is not None and data.get("date_of_birth") == person.date_of_birth
    if person.bsn:
        with contextlib.suppress(ValidationError):
            return born and normalise_bsn(data.get("bsn") or "") == person.bsn
        return False
    surname = _clean(data.get("surname") or "")
    return born and surname.casefold() == person.surname.casefold()


def _writable(request: AuthenticatedRequest, pk: int, page: str) -> tuple[Household, str]:
    household, ground = household_for_request(
        request, pk, action=Action.UPDATE, details={"page": page}
    )
    if not can_write(ground):
        raise Http404
    return household, ground


def _found(
    request: AuthenticatedRequest,
    household: Household,
    persons: list[Person],
    data: dict[str, Any],
) -> list[Found]:
    readable = Household.objects.visible_to(request.user)
    found = []
    for index, person in enumerate(persons):
        token = person_token(worker=request.user, household=household, person=person)
        seen_in = readable.filter(memberships__person=person).select_related("address").first()
        found.append(
            Found(
                token=token,
                form=AddFoundForm(initial={"token": token}, auto_id=f"id_found{index}_%s"),
                person=person if seen_in else None,
                household=seen_in,
                member_here=household.memberships.filter(not_ended(), person=person).exists(),
                addable=bool(seen_in) or _two_facts(person, data),
            )
        )
    return found


def _search(
    request: AuthenticatedRequest, household: Household, ground: str, data: dict[str, Any]
) -> list[Found]:
    persons = person_matches(
        bsn=data.get("bsn") or "",
        surname=data.get("surname") or "",
        date_of_birth=data.get("date_of_birth"),
    )
    note_look(
        request,
        action=Action.SEARCH,
        subjects=[p.pk for p in persons],
        ground=ground,
        obj=household,
        details={
            "page": "composition-search",
            # The BSN itself stays out of the log; the persons found are its subjects.
            "terms": {
                "bsn": bool(data.get("bsn")),
                "surname": data.get("surname") or "",
                "date_of_birth": d.isoformat() if (d := data.get("date_of_birth")) else "",
            },
            "found": len(persons),
        },
    )
    return _found(request, household, persons, data)


def _duplicate(
    request: AuthenticatedRequest,
    household: Household,
    ground: str,
    existing: Person,
    data: dict[str, Any],
) -> list[Found]:
    """The existing person a refused duplicate names: a look at the register, logged."""
    note_look(
        request,
        action=Action.SEARCH,
        subjects=[existing.pk],
        ground=ground,
        obj=household,
        details={"page": "composition-duplicate", "found": 1},
    )
    return _found(request, household, [existing], data)


def _render(
    request: AuthenticatedRequest,
    household: Household,
    ground: str,
    *,
    search_form: PersonSearchForm | None = None,
    found: list[Found] | None = None,
    new_form: NewMemberForm | None = None,
    birth_form: BirthForm | None = None,
    add_form: AddFoundForm | None = None,
    status: int = 200,
    comparison: dict[int, list[Any] | None] | None = None,
    **extra: Any,
) -> HttpResponse:
    """The composition page. `comparison` (membership pk → the register's differences,
    None where the register has no answer) shows the register's view beside the
    worker's; `extra` carries the BRP search (households.brp_views)."""
    memberships = household.memberships.select_related("person").order_by(
        "end_date", "role", "person__surname"
    )
    today = timezone.localdate()
    current = [m for m in memberships if m.end_date is None or m.end_date >= today]
    for membership in current:
        membership.compared = comparison is not None and membership.pk in comparison  # type: ignore[attr-defined]
        membership.register_diffs = (comparison or {}).get(membership.pk)  # type: ignore[attr-defined]
    former = [m for m in memberships if m.end_date is not None and m.end_date < today]
    differences = register_differences(household)
    if differences:
        # The register's residents at this address who are in no household here are
        # shown by name: a look of its own, on the household's ground.
        note_look(
            request,
            subjects=[d.person.pk for d in differences],
            ground=ground,
            obj=household,
            details={"page": "composition", "register_differences": len(differences)},
        )
    return render(
        request,
        "households/composition.html",
        {
            "household": household,
            "current": current,
            "former": sorted(former, key=lambda m: m.end_date or today, reverse=True),
            "writable": can_write(ground),
            "search_form": search_form or PersonSearchForm(),
            "found": found,
            "new_form": new_form,
            "birth_form": birth_form or BirthForm(),
            "add_form": add_form,
            "today": today,
            "differences": differences,
            "register_known": differences or household_in_register(household),
            "comparison": comparison,
            "brp_source": brp_source(),
            "brp_form": extra.pop("brp_form", None) or brp_search_form(household),
            **extra,
        },
        status=status,
    )


@require_GET
@audited
def composition(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    household, ground = household_for_request(request, pk, details={"page": "composition"})
    if not can_write(ground) or "search" not in request.GET:
        return _render(request, household, ground)
    form = PersonSearchForm(request.GET)
    if not form.is_valid():
        return _render(request, household, ground, search_form=form, status=400)
    found = _search(request, household, ground, form.cleaned_data)
    new_form = None
    if not found:
        data = form.cleaned_data
        new_form = NewMemberForm(
            initial={
                "surname": data.get("surname") or "",
                "date_of_birth": data.get("date_of_birth"),
                "bsn": data.get("bsn") or "",
            }
        )
    # The same terms, ready to ask the BRP (POST: never a BSN in the address bar).
    brp_form = brp_search_form(household)
    brp_form.initial = {
        "bsn": form.cleaned_data.get("bsn") or "",
        "surname": form.cleaned_data.get("surname") or "",
        "date_of_birth": form.cleaned_data.get("date_of_birth"),
    }
    return _render(
        request,
        household,
        ground,
        search_form=form,
        found=found,
        new_form=new_form,
        brp_form=brp_form,
    )


@require_POST
@audited
def composition_add_found(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    household, ground = _writable(request, pk, "composition-add")
    form = AddFoundForm(request.POST)
    if form.is_valid():
        person = person_for_token(
            worker=request.user, household=household, token=form.cleaned_data["token"]
        )
        if person is None:
            form.add_error(None, _("This search result has expired. Search the register again."))
        else:
            try:
                membership_add(
                    household=household,
                    person=person,
                    role=form.cleaned_data["role"],
                    start_date=form.cleaned_data["start_date"],
                    user=request.user,
                    request=request,
                    ground=ground,
                )
            except ValidationError as error:
                errors_to_form(form, error)
            else:
                messages.success(request, _("The person has been added to the household."))
                return redirect("households:composition", pk=household.pk)
    return _render(request, household, ground, add_form=form, status=400)


@require_POST
@audited
def composition_add_new(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    household, ground = _writable(request, pk, "composition-new")
    form = NewMemberForm(request.POST)
    found: list[Found] | None = None
    if form.is_valid():
        data = form.cleaned_data
        try:
            member_add_new(
                household=household,
                role=data["role"],
                start_date=data["start_date"],
                surname=data["surname"],
                initials=data.get("initials") or "",
                given_names=data.get("given_names") or "",
                surname_prefix=data.get("surname_prefix") or "",
                date_of_birth=data.get("date_of_birth"),
                bsn=data.get("bsn") or "",
                user=request.user,
                request=request,
                ground=ground,
                source=register_source(worker=request.user, household=household, data=data),
            )
        except DuplicatePerson as duplicate:
            form.add_error(None, duplicate.messages[0])
            found = _duplicate(request, household, ground, duplicate.existing, data)
        except ValidationError as error:
            errors_to_form(form, error)
        else:
            messages.success(request, _("The person has been added to the household."))
            return redirect("households:composition", pk=household.pk)
    return _render(request, household, ground, new_form=form, found=found, status=400)


@require_POST
@audited
def composition_birth(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    household, ground = _writable(request, pk, "composition-birth")
    form = BirthForm(request.POST)
    found: list[Found] | None = None
    if form.is_valid():
        data = form.cleaned_data
        try:
            member_add_new(
                household=household,
                role=Membership.Role.CHILD,
                start_date=data["date_of_birth"],
                surname=data["surname"],
                given_names=data.get("given_names") or "",
                surname_prefix=data.get("surname_prefix") or "",
                date_of_birth=data["date_of_birth"],
                user=request.user,
                request=request,
                ground=ground,
                change="birth",
            )
        except DuplicatePerson as duplicate:
            form.add_error(None, duplicate.messages[0])
            found = _duplicate(request, household, ground, duplicate.existing, data)
        except ValidationError as error:
            errors_to_form(form, error)
        else:
            messages.success(request, _("The birth has been recorded."))
            return redirect("households:composition", pk=household.pk)
    return _render(request, household, ground, birth_form=form, found=found, status=400)


_MEMBER_FORMS: dict[str, type[Any]] = {
    "move_out": MoveOutForm,
    "role": RoleForm,
    "name": NameForm,
    "death": DeathForm,
}


def _apply(
    request: AuthenticatedRequest, action: str, membership: Membership, ground: str, data: Any
) -> str:
    """Carry out one change of the member page; the message to show when it is done."""
    person = membership.person
    who: dict[str, Any] = {"user": request.user, "request": request, "ground": ground}
    if action == "move_out":
        membership_end(membership=membership, end_date=data["end_date"], **who)
        return _("The move out has been recorded.")
    if action == "role":
        membership_set_role(membership=membership, role=data["role"], **who)
        return _("The role has been changed.")
    if action == "name":
        person_correct_name(
            person=person,
            surname=data["surname"],
            initials=data.get("initials") or "",
            given_names=data.get("given_names") or "",
            surname_prefix=data.get("surname_prefix") or "",
            expected_version=data.get("version"),
            **who,
        )
        return _("The name has been corrected.")
    person_mark_deceased(person=person, date_of_death=data["date_of_death"], **who)
    return _("The death has been recorded.")


@require_http_methods(["GET", "POST"])
@audited
def composition_member(request: AuthenticatedRequest, pk: int, membership_pk: int) -> HttpResponse:
    household, ground = _writable(request, pk, "composition-member")
    membership = (
        household.memberships.filter(not_ended(), pk=membership_pk).select_related("person").first()
    )
    if membership is None:
        raise Http404
    person = membership.person
    forms: dict[str, Any] = {
        "move_out": MoveOutForm(),
        "role": RoleForm(initial={"role": membership.role}),
        "name": NameForm.for_record(None, person),
        "death": DeathForm(),
    }
    status = 200
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action not in _MEMBER_FORMS:
            raise Http404
        form_class = _MEMBER_FORMS[action]
        if issubclass(form_class, VersionedForm):
            form = form_class.for_record(request.POST, person)
        else:
            form = form_class(request.POST)
        forms[action] = form
        if form.is_valid():
            try:
                message = _apply(request, action, membership, ground, form.cleaned_data)
            except ChangedMeanwhile:
                form.changed_meanwhile(Person.objects.get(pk=person.pk))
            except ValidationError as error:
                errors_to_form(form, error)
            else:
                messages.success(request, message)
                return redirect("households:composition", pk=household.pk)
        status = 400
    return render(
        request,
        "households/composition_member.html",
        {"household": household, "membership": membership, "person": person, **forms},
        status=status,
    )
