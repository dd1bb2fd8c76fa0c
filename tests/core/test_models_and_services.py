import pytest
from django.core.exceptions import ValidationError

from buurtkracht.core.models import Address, Area
from buurtkracht.core.queries import neighbourhood_for
from buurtkracht.core.services import address_create, area_create, municipality_create
from tests import factories

pytestmark = pytest.mark.django_db


def test_municipality_code_is_checked() -> None:
    municipality = municipality_create(name="Lindenhoven", cbs_code="gm9901")
    assert municipality.cbs_code == "GM9901"
    with pytest.raises(ValidationError) as excinfo:
        municipality_create(name="Elders", cbs_code="GM12")
    assert "cbs_code" in excinfo.value.message_dict


def test_area_codes_must_nest() -> None:
    municipality = municipality_create(name="Lindenhoven", cbs_code="GM9901")
    district = area_create(
        municipality=municipality, kind=Area.Kind.DISTRICT, cbs_code="WK990101", name="Oost"
    )
    neighbourhood = area_create(
        municipality=municipality,
        kind=Area.Kind.NEIGHBOURHOOD,
        cbs_code="BU99010102",
        name="Lindenbuurt",
        parent=district,
    )
    assert neighbourhood.parent == district

    with pytest.raises(ValidationError) as excinfo:
        area_create(
            municipality=municipality,
            kind=Area.Kind.NEIGHBOURHOOD,
            cbs_code="BU99010201",
            name="Verkeerd",
            parent=district,
        )
    assert "BU990101" in excinfo.value.message_dict["cbs_code"][0]

    with pytest.raises(ValidationError) as excinfo:
        area_create(
            municipality=municipality, kind=Area.Kind.DISTRICT, cbs_code="WK123401", name="X"
        )
    assert "WK9901" in excinfo.value.message_dict["cbs_code"][0]

    with pytest.raises(ValidationError) as excinfo:
        area_create(
            municipality=municipality,
            kind=Area.Kind.NEIGHBOURHOOD,
            cbs_code="BU99010103",
            name="Zonder wijk",
        )
    assert "parent" in excinfo.value.message_dict


def test_address_resolves_to_neighbourhood_through_the_range_table() -> None:
    north = factories.PostcodeRangeFactory.create(
        postcode_from="9990AA", postcode_to="9990KZ", number_from=1, number_to=99999
    ).neighbourhood
    south = factories.PostcodeRangeFactory.create(
        postcode_from="9990LA", postcode_to="9990ZZ", number_from=1, number_to=99999
    ).neighbourhood
    # A narrower range carves the even side of one postcode out to another neighbourhood.
    carve_out = factories.PostcodeRangeFactory.create(
        postcode_from="9990LB", postcode_to="9990LB", number_from=100, number_to=200
    ).neighbourhood

    a = address_create(street="Eikenlaan", house_number=3, postcode="9990 ab", town="Testwijk")
    b = address_create(street="Beukenweg", house_number=10, postcode="9990LB", town="Testwijk")
    c = address_create(street="Beukenweg", house_number=150, postcode="9990LB", town="Testwijk")
    assert (a.neighbourhood, b.neighbourhood, c.neighbourhood) == (north, south, carve_out)
    assert a.postcode == "9990AB"
    assert str(a) == "Eikenlaan 3, 9990 AB Testwijk"


def test_address_outside_the_table_has_no_neighbourhood() -> None:
    assert neighbourhood_for(postcode="1000AA", house_number=1) is None
    address = address_create(street="Elders", house_number=1, postcode="1000AA", town="Elders")
    assert address.neighbourhood is None


def test_same_address_twice_is_one_record() -> None:
    first = address_create(
        street="Lindenstraat", house_number=12, house_letter="a", postcode="9990AB", town="T"
    )
    second = address_create(
        street="Lindenstraat", house_number=12, house_letter="A", postcode="9990 AB", town="T"
    )
    assert first.pk == second.pk
    assert first.street_line == "Lindenstraat 12A"
    assert Address.objects.count() == 1


def test_bad_address_reports_every_wrong_field() -> None:
    with pytest.raises(ValidationError) as excinfo:
        address_create(
            street="Lindenstraat", house_number=12, house_letter="AB", postcode="12", town="T"
        )
    assert set(excinfo.value.message_dict) == {"postcode", "house_letter"}
    assert Address.objects.count() == 0
