"""Same seed, same town; another seed, another town. Each run starts from an empty
database (a savepoint rolled back after the run), so ids differ between runs on
PostgreSQL and the comparison proves the output does not lean on them."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import transaction
from django.utils import translation

from buurtkracht.accounts.models import TeamMembership, User
from buurtkracht.core.models import Area, Municipality, Organisation, PostcodeRange
from buurtkracht.demo.generator import MunicipalityExistsError, generate_municipality
from buurtkracht.demo.register import NEW_HOMES
from buurtkracht.households.models import Membership

pytestmark = pytest.mark.django_db


def snapshot() -> dict[str, list[tuple[Any, ...]]]:
    """Everything the generator decides, without ids or timestamps, in creation order."""
    return {
        "areas": list(
            Area.objects.order_by("cbs_code").values_list(
                "cbs_code", "name", "kind", "parent__cbs_code", "inhabitants"
            )
        ),
        "postcode_ranges": list(
            PostcodeRange.objects.order_by("postcode_from").values_list(
                "postcode_from",
                "postcode_to",
                "number_from",
                "number_to",
                "neighbourhood__cbs_code",
            )
        ),
        "people": list(
            Membership.objects.order_by("pk").values_list(
                "household__address__street",
                "household__address__house_number",
                "household__address__house_letter",
                "household__address__addition",
                "household__address__postcode",
                "household__address__neighbourhood__cbs_code",
                "household__start_date",
                "role",
                "start_date",
                "person__initials",
                "person__given_names",
                "person__surname_prefix",
                "person__surname",
                "person__birth_surname_prefix",
                "person__birth_surname",
                "person__date_of_birth",
                "person__bsn",
                "person__phone",
                "person__email",
            )
        ),
        "organisations": list(Organisation.objects.order_by("name").values_list("name", "kind")),
        "users": list(
            User.objects.order_by("username").values_list(
                "username",
                "first_name",
                "last_name",
                "email",
                "organisation__name",
                "job_title",
                "is_staff",
                "person__given_names",
                "person__date_of_birth",
            )
        ),
        "roles": sorted(User.objects.values_list("username", "role_grants__role")),
        "teams": sorted(
            TeamMembership.objects.values_list(
                "user__username", "team__name", "position", "start_date"
            )
        ),
    }


def generate_and_forget(**kwargs: Any) -> dict[str, list[tuple[Any, ...]]]:
    """Generate on an empty database, take the snapshot, roll everything back."""
    assert not Municipality.objects.exists()
    with transaction.atomic():
        report = generate_municipality(progress=False, **kwargs)
        result = snapshot()
        # One address per generated household, and the register's new-build homes.
        assert len({row[:5] for row in result["people"]}) == report.households + NEW_HOMES
        transaction.set_rollback(True)
    return result


def test_same_seed_gives_the_same_town_whatever_the_batch_size() -> None:
    first = generate_and_forget(seed=7, households=400, batch_size=400)
    second = generate_and_forget(seed=7, households=400, batch_size=33)
    assert len(first["people"]) > 800
    for key in first:
        assert first[key] == second[key], key


def test_another_seed_gives_another_town() -> None:
    first = generate_and_forget(seed=7, households=300)
    other = generate_and_forget(seed=8, households=300)
    assert first["areas"][0][:2] == other["areas"][0][:2]  # the map's names are fixed
    names = lambda rows: [(row[10], row[12], row[15]) for row in rows]  # noqa: E731
    assert names(first["people"]) != names(other["people"])
    streets = lambda rows: {row[0] for row in rows}  # noqa: E731
    assert streets(first["people"]) != streets(other["people"])
    assert first["users"] != other["users"]


def test_refuses_to_generate_over_an_existing_municipality() -> None:
    generate_municipality(seed=1, households=20, progress=False)
    people = Membership.objects.count()
    with pytest.raises(MunicipalityExistsError, match="Lindenhoven") as excinfo:
        generate_municipality(seed=2, households=20, progress=False)
    assert isinstance(excinfo.value, ValueError)
    assert Municipality.objects.count() == 1
    assert Membership.objects.count() == people


def test_refuses_any_municipality_not_only_its_own() -> None:
    Municipality.objects.create(name="Elders", cbs_code="GM9902")
    with pytest.raises(MunicipalityExistsError, match="Elders"):
        generate_municipality(households=10, progress=False)


@pytest.mark.parametrize("arguments", [{"households": 0}, {"batch_size": 0}])
def test_rejects_sizes_below_one(arguments: dict[str, Any]) -> None:
    with translation.override("en"), pytest.raises(ValueError, match="at least 1"):
        generate_municipality(progress=False, **arguments)
    assert not Municipality.objects.exists()


def test_a_tiny_town_still_has_every_account() -> None:
    report = generate_municipality(seed=3, households=3, progress=False)
    assert report.households == 3
    assert User.objects.get(username="bewoner").person is not None
    assert len(report.accounts) == 15
