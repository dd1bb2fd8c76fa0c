"""factory_boy factories for every model. Synthetic data only: names are invented."""

from __future__ import annotations

import datetime as dt
from functools import cache

import factory
from django.contrib.auth.hashers import make_password
from factory.django import DjangoModelFactory

from buurtkracht.accounts.models import Role, RoleGrant, TeamMembership, User
from buurtkracht.core.models import Address, Area, Municipality, Organisation, PostcodeRange, Team
from buurtkracht.households.models import Household, Membership, Person

PASSWORD = "test-wachtwoord-123"


@cache
def password_hash() -> str:
    """Argon2 is slow on purpose; hash the shared test password once per run."""
    return make_password(PASSWORD)


class MunicipalityFactory(DjangoModelFactory[Municipality]):
    class Meta:
        model = Municipality
        django_get_or_create = ("cbs_code",)

    name = "Testwijk aan Zee"
    cbs_code = "GM9990"


class DistrictFactory(DjangoModelFactory[Area]):
    class Meta:
        model = Area

    municipality = factory.SubFactory(MunicipalityFactory)
    kind = Area.Kind.DISTRICT
    cbs_code = factory.Sequence(lambda n: f"WK9990{n % 100:02d}")
    name = factory.Sequence(lambda n: f"Wijk {n}")
    inhabitants = 4000


class NeighbourhoodFactory(DjangoModelFactory[Area]):
    class Meta:
        model = Area

    parent = factory.SubFactory(DistrictFactory)
    municipality = factory.SelfAttribute("parent.municipality")
    kind = Area.Kind.NEIGHBOURHOOD
    cbs_code = factory.Sequence(lambda n: f"BU{{}}{n % 100:02d}")
    name = factory.Sequence(lambda n: f"Buurt {n}")
    inhabitants = 1500

    @classmethod
    def _create(cls, model_class: type[Area], *args: object, **kwargs: object) -> Area:
        parent = kwargs["parent"]
        code = str(kwargs["cbs_code"])
        if "{}" in code:
            kwargs["cbs_code"] = code.format(parent.cbs_code[2:])  # type: ignore[attr-defined]
        return super()._create(model_class, *args, **kwargs)


class PostcodeRangeFactory(DjangoModelFactory[PostcodeRange]):
    class Meta:
        model = PostcodeRange

    neighbourhood = factory.SubFactory(NeighbourhoodFactory)
    postcode_from = "9990AA"
    postcode_to = "9990ZZ"
    number_from = 1
    number_to = 99999


class AddressFactory(DjangoModelFactory[Address]):
    class Meta:
        model = Address

    street = "Lindenstraat"
    house_number = factory.Sequence(lambda n: n + 1)
    postcode = "9990AB"
    town = "Testwijk aan Zee"
    neighbourhood = factory.SubFactory(NeighbourhoodFactory)


class PersonFactory(DjangoModelFactory[Person]):
    class Meta:
        model = Person

    given_names = factory.Iterator(["Fatma", "Jan Hendrik", "Zoë", "Noël", "Priya", "Kees"])
    initials = factory.LazyAttribute(
        lambda o: "".join(f"{part[0]}." for part in o.given_names.split())
    )
    surname = factory.Iterator(["Yılmaz", "Berg", "Kerstiëns", "El Amrani", "Jansen-de Vries"])
    surname_prefix = factory.Iterator(["", "van den", "", "", ""])
    date_of_birth = dt.date(1970, 5, 17)

    class Params:
        married = factory.Trait(birth_surname="Bakker", birth_surname_prefix="")
        child = factory.Trait(date_of_birth=dt.date(2015, 3, 1))


class HouseholdFactory(DjangoModelFactory[Household]):
    class Meta:
        model = Household

    address = factory.SubFactory(AddressFactory)
    start_date = dt.date(2018, 1, 1)


class MembershipFactory(DjangoModelFactory[Membership]):
    class Meta:
        model = Membership

    household = factory.SubFactory(HouseholdFactory)
    person = factory.SubFactory(PersonFactory)
    role = Membership.Role.HEAD


class OrganisationFactory(DjangoModelFactory[Organisation]):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Organisatie {n}")
    kind = Organisation.Kind.MUNICIPALITY
    municipality = factory.SubFactory(MunicipalityFactory)

    class Params:
        housing_corporation = factory.Trait(kind=Organisation.Kind.HOUSING_CORPORATION)
        energy_supplier = factory.Trait(kind=Organisation.Kind.ENERGY_SUPPLIER)


class TeamFactory(DjangoModelFactory[Team]):
    class Meta:
        model = Team
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Team {n}")
    organisation = factory.SubFactory(OrganisationFactory)

    @factory.post_generation
    def neighbourhoods(
        obj: Team, create: bool, extracted: list[Area] | None, **kwargs: object
    ) -> None:
        if create and extracted:
            obj.neighbourhoods.set(extracted)


class UserFactory(DjangoModelFactory[User]):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"gebruiker{n}")
    first_name = factory.Iterator(["Anouk", "Mehmet", "Sanne", "Ricardo"])
    last_name = factory.Iterator(["de Wit", "Demir", "Visser", "Martina"])
    password = factory.LazyFunction(password_hash)

    @factory.post_generation
    def roles(obj: User, create: bool, extracted: list[str] | None, **kwargs: object) -> None:
        if create and extracted:
            from buurtkracht.accounts.services import role_grant

            for role in extracted:
                role_grant(user=obj, role=role)


class RoleGrantFactory(DjangoModelFactory[RoleGrant]):
    class Meta:
        model = RoleGrant

    user = factory.SubFactory(UserFactory)
    role = Role.WORKER


class TeamMembershipFactory(DjangoModelFactory[TeamMembership]):
    class Meta:
        model = TeamMembership

    user = factory.SubFactory(UserFactory)
    team = factory.SubFactory(TeamFactory)
    position = TeamMembership.Position.WORKER
