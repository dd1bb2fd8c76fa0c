"""Every kind of data the product holds about a resident is in their copy (AVG art. 15),
or named with the reason it is not: the test walks Django's models for every relation to
`Person`, `Household` or `Membership` (the resident, directly or through their household),
and fails when a model is in neither list of `privacy/export.py`."""

from __future__ import annotations

import pytest
from django.apps import apps

from buurtkracht.households.models import Household, Membership, Person
from buurtkracht.privacy import export

RESIDENT_MODELS = (Person, Household, Membership)


def models_about_a_resident() -> set[str]:
    found = {model._meta.label for model in RESIDENT_MODELS}
    for model in apps.get_models():
        for field in model._meta.get_fields():
            # Forward relations only (ForeignKey, OneToOne, ManyToMany) declared on `model`.
            if (
                field.is_relation
                and not field.auto_created
                and field.related_model in RESIDENT_MODELS
            ):
                found.add(model._meta.label)
    return found


def test_every_model_about_a_resident_is_exported_or_left_out_with_a_reason() -> None:
    missing = models_about_a_resident() - set(export.EXPORTED) - set(export.NOT_EXPORTED)
    assert not missing, (
        f"{sorted(missing)} refer to a resident but are not in the resident's copy: add "
        "each to a section in privacy/export.py (EXPORTED, and the domain's person_data) "
        "or to NOT_EXPORTED with the reason."
    )


def test_the_lists_name_only_models_that_exist_and_give_reasons() -> None:
    about = models_about_a_resident()
    assert set(export.EXPORTED) <= about
    assert set(export.NOT_EXPORTED) <= about
    assert not set(export.EXPORTED) & set(export.NOT_EXPORTED)
    assert all(len(str(reason)) > 40 for reason in export.NOT_EXPORTED.values())


@pytest.mark.django_db
def test_every_exported_section_is_made_by_a_step(personas: object) -> None:
    from tests.conftest import Personas

    assert isinstance(personas, Personas)
    person = personas.household.members.get()
    keys = {
        section.key
        for _key, function in export.PARTS
        for section in function(person, [personas.household])
    }
    assert set(export.EXPORTED.values()) <= keys
