"""Labels tell the truth: a field the form demands is never labelled "optional", and a field
the form lets stay empty always is (issue 13). Walks every form of the project."""

from __future__ import annotations

import importlib
import pkgutil
import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django import forms
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

import buurtkracht
from buurtkracht.accounts.models import User
from buurtkracht.casework.models import Step
from buurtkracht.casework.services import goal_add, plan_get_or_create
from buurtkracht.core.models import Team
from buurtkracht.households.models import Person
from buurtkracht.mandates.models import Mandate
from buurtkracht.outcomes.models import InstrumentVersion
from buurtkracht.signals.columns import CANONICAL_FIELDS, REQUIRED_FIELDS
from buurtkracht.signals.forms import CorrectionForm
from buurtkracht.signals.parsing import clean_row
from tests.circles.helpers import start as circle_start
from tests.conftest import Personas

pytestmark = pytest.mark.django_db

# Modules that hold no form a user fills in, or cannot be imported outside their setting.
_SKIP_MODULES = (".migrations", ".conf", ".management", ".wsgi", ".demo")
# Forms built from model objects this test does not make; their pages' tests render them.
_NOT_BUILT = {"BudgetForm", "AssessmentForm", "voting.forms.ProposalForm"}


def _project_forms() -> list[type[forms.BaseForm]]:
    for info in pkgutil.walk_packages(buurtkracht.__path__, "buurtkracht."):
        if not any(part in info.name for part in _SKIP_MODULES):
            importlib.import_module(info.name)

    def subclasses(cls: type) -> Iterator[type]:
        for sub in cls.__subclasses__():
            yield sub
            yield from subclasses(sub)

    found = {c for c in subclasses(forms.BaseForm) if c.__module__.startswith("buurtkracht.")}
    return sorted(found, key=lambda c: (c.__module__, c.__name__))


def _kwargs(personas: Personas) -> dict[str, Callable[[], dict[str, Any]]]:
    return {
        "ReauthForm": lambda: {"user": personas.worker},
        "ActivationForm": lambda: {"user": personas.worker},
        "MergeForm": lambda: {"candidates": [1, 2]},
        "ConsentForm": lambda: {"members": Person.objects.all()},
        "SelfAssessmentForm": lambda: {
            "version": InstrumentVersion.objects.get(instrument__code="own_score", active=True)
        },
        "HouseholdStoryForm": lambda: {"household": personas.household},
        "VolunteerRequestForm": lambda: {"household": personas.household},
        "TeamStoryForm": lambda: {"teams": []},
        "AdvanceForm": lambda: {"statuses": []},
        "ReferralForm": lambda: {"actions": [(1, "Actie")], "people": [], "with_resource": False},
        "ActionForm": lambda: {"owner_ties": [(1, "Haar broer")]},
        "AppointmentForm": lambda: {"workers": [(personas.worker.pk, "Wijkwerker")]},
        "CoWorkerForm": lambda: {"candidates": User.objects.filter(pk=personas.colleague.pk)},
        "LeadHandoverForm": lambda: {"candidates": User.objects.filter(pk=personas.colleague.pk)},
        "OutsideProfessionalForm": lambda: {"members": Person.objects.all()},
        "SharingForm": lambda: {"members": Person.objects.all()},
        "CircleActionForm": lambda: {"circle": circle_start(personas)},
        "MomentForm": lambda: {"circle": circle_start(personas)},
        "MandateDecisionForm": lambda: {"mandates": Mandate.objects.all(), "members": []},
        # Dilemma log: two teams, so that the team choice is walked too.
        "DilemmaForm": lambda: {"teams": list(Team.objects.all()[:2])},
        "MeetingForm": lambda: {"teams": list(Team.objects.all()[:2])},
        "AgendaForm": lambda: {"dilemmas": []},
        "ScheduleForm": lambda: {"meetings": []},
    }


def _labelled_optional(field: forms.BoundField) -> bool:
    with translation.override("en"):
        html = render_to_string("components/field.html", {"field": field})
    return "(optional)" in html


def test_every_label_says_optional_exactly_when_the_field_may_stay_empty(
    personas: Personas,
) -> None:
    kwargs = _kwargs(personas)
    checked = 0
    for cls in _project_forms():
        if cls.__name__ in _NOT_BUILT or f"{cls.__module__[12:]}.{cls.__name__}" in _NOT_BUILT:
            continue
        form = cls(data={}, **kwargs.get(cls.__name__, dict)())
        form.is_valid()  # what the form itself refuses when nothing is filled in
        elsewhere = set(getattr(form, "required_elsewhere", ()))
        where = f"{cls.__module__}.{cls.__name__}"
        assert elsewhere <= set(form.fields), f"{where} names unknown required fields"
        for field in form:
            if field.is_hidden or field.widget_type == "checkbox":
                continue
            optional = _labelled_optional(field)
            demanded = field.name in form.errors or field.name in elsewhere
            assert optional != demanded, (
                f"{where}.{field.name} is labelled "
                f"{'optional' if optional else 'as needed'} but the form "
                f"{'demands it' if demanded else 'lets it stay empty'}"
            )
            checked += 1
    assert checked > 150  # the walk really reached the project's forms


def test_the_fields_a_corrected_signal_row_needs_are_not_labelled_optional() -> None:
    """The partner's correction form: the row is checked like a row of a file."""
    today = timezone.localdate()
    complete = {
        "partner_reference": "W-1",
        "signal_date": today.strftime("%d-%m-%Y"),
        "surname": "Yilmaz",
        "postcode": "1234 AB",
        "house_number": "12",
    }
    form = CorrectionForm({f"row1-{k}": "" for k in CANONICAL_FIELDS}, prefix="row1")
    for name in CANONICAL_FIELDS:
        _signal, errors = clean_row({**complete, name: ""}, today=today)
        refused = any(error.field == name for error in errors)
        assert refused == (name in REQUIRED_FIELDS)
        assert _labelled_optional(form[name]) != refused, name


def test_who_does_an_action_is_not_labelled_optional(client: Client, personas: Personas) -> None:
    personas.make_worker_lead()
    plan = plan_get_or_create(household=personas.household, user=personas.worker)
    goal = goal_add(plan=plan, text="Rust in huis", domains=["finances"], user=personas.worker)
    client.force_login(personas.worker)
    response = client.get(reverse("casework:plan", args=[personas.household.pk]))
    html = response.content.decode()
    label = re.search(rf'<label[^>]*for="id_goal{goal.pk}_owner">(.*?)</label>', html, re.S)
    assert label is not None
    assert "Wie doet het" in label.group(1)
    assert "niet verplicht" not in label.group(1)
    # And the form keeps its word: without anyone to do it, the action is refused.
    response = client.post(
        reverse("casework:plan", args=[personas.household.pk]),
        {
            "what": "action",
            "goal": goal.pk,
            "version": plan.version,
            "description": "Post sorteren",
            "owner": "",
            "step": Step.NETWORK,
        },
    )
    assert response.status_code == 400
    assert goal.actions.count() == 0
