"""The BRP on the composition page (issue 16, items 2 and 3): "Zoek in de BRP" before a
person is created, filling the new-person form with the register's details for the
worker to confirm, and the register's view beside the worker's, with a button to take
the register's value.

Searches are POSTed, never put in the address bar: a BSN or a name in a URL ends up in
server and proxy logs (the BRP API itself takes its questions by POST for that reason).
Every lookup, answered or not, is one audit event (action *searched*) with the ground
of the worker's access to this household, the purpose and legal ground, and the search
terms minimised (households.brp.lookup_details)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from buurtkracht.accounts.types import AuthenticatedRequest
from buurtkracht.audit.decorators import audited, note_look
from buurtkracht.audit.models import Action
from buurtkracht.core.brp import BrpError, BrpPerson
from buurtkracht.households.brp import (
    SOURCE_NAMES,
    BrpQuery,
    answer_for_token,
    answer_token,
    brp_consult,
    brp_lookup,
    brp_source,
    differences,
    local_subjects,
    lookup_details,
    take_for_token,
)
from buurtkracht.households.composition import (
    DuplicatePerson,
    membership_end,
    person_correct_birth_date,
    person_correct_name,
    person_mark_deceased,
    person_matches,
)
from buurtkracht.households.composition_forms import NewMemberForm, brp_search_form
from buurtkracht.households.composition_views import (
    Found,
    _duplicate,
    _found,
    _render,
    _writable,
)
from buurtkracht.households.models import Household


@dataclass
class BrpHit:
    """A person the BRP knows and Buurtkracht does not yet: their details and a token
    to fill the new-person form with them."""

    person: BrpPerson
    token: str
    lives_here: bool


def _lives_here(person: BrpPerson, household: Household) -> bool:
    address = household.address
    return person.address is not None and person.address.door == (
        address.postcode.replace(" ", "").upper(),
        address.house_number,
        address.house_letter.upper(),
        address.addition.upper(),
    )


def _initial(person: BrpPerson, household: Household, token: str) -> dict[str, object]:
    """The new-person form filled with the register's details."""
    initial: dict[str, object] = {
        "initials": person.initials,
        "given_names": person.given_names,
        "surname_prefix": person.surname_prefix,
        "surname": person.surname,
        "date_of_birth": person.date_of_birth,
        "bsn": person.bsn,
        "register": token,
    }
    if _lives_here(person, household) and person.address and person.address.since:
        initial["start_date"] = person.address.since
    return initial


@require_POST
@audited
def composition_brp_search(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    household, ground = _writable(request, pk, "composition-brp")
    form = brp_search_form(household, request.POST)
    source = brp_source()
    if not source:
        form.add_error(None, _("The BRP lookup is switched off here. Type the person in."))
    if not form.is_valid():
        return _render(request, household, ground, brp_form=form, status=400)
    data = form.cleaned_data
    query = BrpQuery(
        bsn=data.get("bsn") or "",
        surname=data.get("surname") or "",
        date_of_birth=data.get("date_of_birth"),
        postcode=data.get("postcode") or "",
    )
    typed_in = {
        "surname": query.surname,
        "date_of_birth": query.date_of_birth,
        "bsn": query.bsn,
    }
    try:
        answer = brp_lookup(query, user=request.user)
    except BrpError as error:
        note_look(
            request,
            action=Action.SEARCH,
            ground=ground,
            obj=household,
            details=lookup_details(query, source=source, found=0, outcome="error"),
        )
        return _render(
            request,
            household,
            ground,
            brp_form=form,
            brp_error=str(error),
            new_form=NewMemberForm(initial=typed_in),
            status=200,
        )
    note_look(
        request,
        action=Action.SEARCH,
        subjects=local_subjects(answer),
        ground=ground,
        obj=household,
        details=lookup_details(query, source=source, found=len(answer), outcome="answered"),
    )
    known: list[Found] = []
    hits: list[BrpHit] = []
    for person in answer:
        here = person_matches(
            bsn=person.bsn,
            surname=person.surname,
            date_of_birth=person.date_of_birth,
            initials=person.initials,
            given_names=person.given_names,
        )
        if here:
            facts = {"bsn": person.bsn, "date_of_birth": person.date_of_birth}
            known += _found(request, household, here[:1], {**facts, "surname": person.surname})
        else:
            token = answer_token(worker=request.user, household=household, person=person)
            hits.append(BrpHit(person, token, _lives_here(person, household)))
    new_form = None
    if len(hits) == 1 and not known:
        new_form = NewMemberForm(initial=_initial(hits[0].person, household, hits[0].token))
    elif not answer:
        new_form = NewMemberForm(initial=typed_in)
    return _render(
        request,
        household,
        ground,
        brp_form=form,
        brp_hits=hits,
        brp_searched=True,
        found=known or None,
        new_form=new_form,
        brp_filled=new_form is not None and bool(hits),
    )


@require_POST
@audited
def composition_brp_use(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Fill the new-person form with one person of the BRP's answer (several were found)."""
    household, ground = _writable(request, pk, "composition-brp-use")
    token = request.POST.get("register", "")
    person = answer_for_token(worker=request.user, household=household, token=token)
    if person is None:
        messages.error(request, _("This search result has expired. Search the BRP again."))
        return redirect("households:composition", pk=household.pk)
    return _render(
        request,
        household,
        ground,
        new_form=NewMemberForm(initial=_initial(person, household, token)),
        brp_filled=True,
    )


@require_POST
@audited
def composition_brp_compare(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The register's view of each current member with a BSN, beside the worker's."""
    household, ground = _writable(request, pk, "composition-brp-compare")
    members = [m for m in household.current_memberships().select_related("person") if m.person.bsn]
    source = brp_source()
    bsns = [m.person.bsn or "" for m in members]
    try:
        answer = brp_consult(bsns, user=request.user) if source else []
    except BrpError as error:
        note_look(
            request,
            action=Action.SEARCH,
            subjects=[m.person_id for m in members],
            ground=ground,
            obj=household,
            details={**_compare_details(source, len(bsns), 0), "outcome": "error"},
        )
        return _render(request, household, ground, compare_error=str(error))
    note_look(
        request,
        action=Action.SEARCH,
        subjects=[m.person_id for m in members],
        ground=ground,
        obj=household,
        details=_compare_details(source, len(bsns), len(answer)),
    )
    by_bsn = {p.bsn: p for p in answer}
    comparison = {
        m.pk: (
            differences(m, by_bsn[m.person.bsn], worker=request.user, household=household)
            if m.person.bsn in by_bsn
            else None
        )
        for m in members
    }
    return _render(request, household, ground, comparison=comparison)


def _compare_details(source: str, asked: int, found: int) -> dict[str, object]:
    details = lookup_details(BrpQuery(), source=source, found=found, outcome="answered")
    details["terms"] = {"kind": "members of the household", "bsn_count": asked}
    details["page"] = "composition-brp-compare"
    return details


@require_POST
@audited
def composition_brp_take(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Take the register's value for one member: the name, the date of birth, a move
    (the member moved out the day before the register has them elsewhere), a death."""
    household, ground = _writable(request, pk, "composition-brp-take")
    taken = take_for_token(
        worker=request.user, household=household, token=request.POST.get("take", "")
    )
    membership = (
        household.current_memberships().select_related("person").filter(pk=taken[0]).first()
        if taken
        else None
    )
    if taken is None or membership is None:
        messages.error(request, _("This comparison has expired. Compare with the BRP again."))
        return redirect("households:composition", pk=household.pk)
    _pk, field, register = taken
    person = membership.person
    source = SOURCE_NAMES.get(brp_source(), "register")
    who: dict[str, Any] = {
        "user": request.user,
        "request": request,
        "ground": ground,
        "source": source,
    }
    try:
        if field == "name":
            person_correct_name(
                person=person,
                surname=register.surname,
                initials=register.initials,
                given_names=register.given_names,
                surname_prefix=register.surname_prefix,
                **who,
            )
            done = _("The name has been taken from the BRP.")
        elif field == "date_of_birth" and register.date_of_birth:
            person_correct_birth_date(person=person, date_of_birth=register.date_of_birth, **who)
            done = _("The date of birth has been taken from the BRP.")
        elif field == "address" and register.address and register.address.since:
            last_day = register.address.since - dt.timedelta(days=1)
            membership_end(membership=membership, end_date=last_day, **who)
            done = _("The move out has been recorded, as the BRP has it.")
        elif field == "death" and register.date_of_death:
            person_mark_deceased(person=person, date_of_death=register.date_of_death, **who)
            done = _("The death has been recorded, as the BRP has it.")
        else:
            messages.error(request, _("This value cannot be taken over here."))
            return redirect("households:composition", pk=household.pk)
    except DuplicatePerson as duplicate:
        # Refused, with the existing person (linked where the worker may read their file).
        found = _duplicate(request, household, ground, duplicate.existing, {})
        return _render(request, household, ground, compare_error=duplicate.messages[0], found=found)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("households:composition", pk=household.pk)
    messages.success(request, done)
    return redirect("households:composition", pk=household.pk)
