"""Importing the municipality's addresses from a CSV of BAG nummeraanduidingen
(docs/register.md): idempotent, incremental, nothing that refers to an address is lost."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from buurtkracht.audit.models import AuditEvent
from buurtkracht.core.bag import AddressFileError, address_file_read
from buurtkracht.core.models import Address, Area
from buurtkracht.core.services import address_create
from buurtkracht.households.bag_import import AddressImport, addresses_import
from tests import factories

pytestmark = pytest.mark.django_db

HEADER = (
    "nummeraanduiding_id;postcode;huisnummer;huisletter;huisnummertoevoeging;"
    "openbare_ruimte;woonplaats;buurtcode;status"
)
ISSUED = "Naamgeving uitgegeven"
WITHDRAWN = "Naamgeving ingetrokken"
DAY = dt.date(2026, 3, 1)


def bag_id(n: int) -> str:
    return f"9990200000{n:06d}"


def line(n: int, postcode: str, number: int, street: str = "Lindenstraat", **kw: str) -> str:
    return ";".join(
        [
            bag_id(n),
            postcode,
            str(number),
            kw.get("letter", ""),
            kw.get("addition", ""),
            street,
            kw.get("town", "Lindenhoven"),
            kw.get("code", ""),
            kw.get("status", ISSUED),
        ]
    )


def run(*lines: str, on: dt.date = DAY, head: str = HEADER) -> AddressImport:
    rows, errors = address_file_read("\n".join([head, *lines]).encode())
    return addresses_import(rows, errors=errors, on=on, source="test.csv")


def counts(outcome: AddressImport) -> tuple[int, int, int, int, int]:
    return (
        outcome.new,
        outcome.changed,
        outcome.withdrawn,
        outcome.unchanged,
        outcome.set_aside,
    )


@pytest.fixture
def north() -> Area:
    return factories.PostcodeRangeFactory.create(
        postcode_from="9990AA", postcode_to="9990KZ"
    ).neighbourhood


def test_the_same_file_twice_changes_nothing(north: Area) -> None:
    lines = [line(1, "9990AB", 1), line(2, "9990AB", 3, letter="a"), line(3, "9990 ab", 5)]
    assert counts(run(*lines)) == (3, 0, 0, 0, 0)
    assert counts(run(*lines)) == (0, 0, 0, 3, 0)
    assert Address.objects.count() == 3
    address = Address.objects.get(bag_id=bag_id(2))
    assert (address.postcode, address.house_letter, address.neighbourhood) == ("9990AB", "A", north)


def test_a_changed_address_keeps_its_row_and_its_households(north: Area) -> None:
    run(line(1, "9990AB", 1), line(2, "9990AB", 3))
    address = Address.objects.get(bag_id=bag_id(1))
    household = factories.HouseholdFactory.create(address=address)
    other = factories.PostcodeRangeFactory.create(
        postcode_from="9990LA", postcode_to="9990ZZ"
    ).neighbourhood

    # The street is renamed and the postcode moves into another neighbourhood.
    outcome = run(line(1, "9990LB", 1, street="Eikenlaan"), line(2, "9990AB", 3))

    assert counts(outcome) == (0, 1, 0, 1, 0)
    address.refresh_from_db()
    household.refresh_from_db()
    assert (address.street, address.postcode) == ("Eikenlaan", "9990LB")
    assert address.neighbourhood == other
    assert household.address_id == address.pk
    assert household.neighbourhood == other


def test_a_withdrawn_address_is_marked_never_deleted(north: Area) -> None:
    run(line(1, "9990AB", 1), line(2, "9990AB", 3))
    address = Address.objects.get(bag_id=bag_id(1))
    household = factories.HouseholdFactory.create(address=address)

    outcome = run(line(1, "9990AB", 1, status=WITHDRAWN), line(2, "9990AB", 3))
    assert counts(outcome) == (0, 0, 1, 1, 0)
    # Again: still withdrawn on the first day, nothing counted as changed.
    later = DAY + dt.timedelta(days=9)
    assert counts(run(line(1, "9990AB", 1, status=WITHDRAWN), on=later)) == (0, 0, 0, 1, 0)

    address.refresh_from_db()
    household.refresh_from_db()
    assert address.withdrawn_on == DAY
    assert household.address_id == address.pk  # the file keeps its address


def test_a_withdrawn_address_is_not_offered_for_a_new_registration(north: Area) -> None:
    run(line(1, "9990AB", 1, status=ISSUED))
    run(line(1, "9990AB", 1, status=WITHDRAWN))
    with pytest.raises(ValidationError) as excinfo:
        address_create(street="Lindenstraat", house_number=1, postcode="9990AB", town="L")
    assert "01-03-2026" in excinfo.value.message_dict["postcode"][0]
    # Its successor at the same door is a new address; the withdrawn one stays.
    assert counts(run(line(7, "9990AB", 1))) == (1, 0, 0, 0, 0)
    current = address_create(street="Lindenstraat", house_number=1, postcode="9990AB", town="L")
    assert current.bag_id == bag_id(7)
    assert Address.objects.filter(postcode="9990AB", house_number=1).count() == 2


def test_withdrawn_and_never_known_is_not_created(north: Area) -> None:
    outcome = run(line(1, "9990AB", 1, status=WITHDRAWN))
    assert (outcome.withdrawn_unknown, Address.objects.count()) == (1, 0)


def test_an_address_typed_in_before_gets_its_identification(north: Area) -> None:
    typed = address_create(
        street="Lindenstr.", house_number=12, house_letter="b", postcode="9990AB", town="L"
    )
    outcome = run(line(1, "9990AB", 12, letter="B", addition=""))
    assert counts(outcome) == (0, 1, 0, 0, 0)
    typed.refresh_from_db()
    assert (typed.bag_id, typed.street) == (bag_id(1), "Lindenstraat")


def test_placed_by_buurtcode_over_the_postcode_table(north: Area) -> None:
    elsewhere = factories.NeighbourhoodFactory.create()
    outcome = run(
        line(1, "9990AB", 1, code=elsewhere.cbs_code.lower()),
        line(2, "9990AB", 3),
        line(3, "1000AA", 1),
    )
    assert counts(outcome) == (3, 0, 0, 0, 0)
    assert Address.objects.get(bag_id=bag_id(1)).neighbourhood == elsewhere
    assert Address.objects.get(bag_id=bag_id(2)).neighbourhood == north
    assert Address.objects.get(bag_id=bag_id(3)).neighbourhood is None
    assert outcome.unplaced == 1


def test_bad_rows_are_reported_and_the_good_ones_kept(north: Area) -> None:
    outcome = run(
        line(1, "9990AB", 1),
        "123;9990AB;2;;;Lindenstraat;Lindenhoven;;",
        line(3, "0990AB", 0),
        line(4, "9990AB", 4, letter="AB", status="Vervallen"),
        line(1, "9990AB", 5),
        line(6, "9990AB", 1),
        line(7, "9990AB", 7, code="BU99999999"),
        line(8, "9990AB", 8, street=""),
        line(9, "9990AB", 9),
    )
    assert (outcome.new, outcome.rows, outcome.set_aside) == (2, 9, 7)
    assert set(Address.objects.values_list("bag_id", flat=True)) == {bag_id(1), bag_id(9)}
    by_line: dict[int, list[str]] = {}
    for error in outcome.errors:
        by_line.setdefault(error.line, []).append(error.message)
    assert sorted(by_line) == [3, 4, 5, 6, 7, 8, 9]
    assert "16 cijfers" in by_line[3][0]
    assert len(by_line[4]) == 2  # postcode and house number, both named
    assert len(by_line[5]) == 2  # letter and status
    assert "regel 2" in by_line[6][0]
    assert "regel 2" in by_line[7][0]
    assert "BU99999999" in by_line[8][0]
    assert "openbare_ruimte" in by_line[9][0]
    assert str(outcome.errors[0]).startswith("Regel 3:")


def test_reading_comma_separated_with_a_bom_and_columns_in_any_order(north: Area) -> None:
    data = (
        "\ufeffPostcode,Huisnummer,Openbare_ruimte,Woonplaats,Nummeraanduiding_id\n"
        f"9990AB,1,Lindenstraat,Lindenhoven,{bag_id(1)}\n"
    ).encode()
    rows, errors = address_file_read(data)
    assert errors == []
    assert (rows[0].bag_id, rows[0].street, rows[0].withdrawn) == (bag_id(1), "Lindenstraat", False)


def test_a_missing_column_is_named() -> None:
    with pytest.raises(AddressFileError, match="woonplaats"):
        address_file_read(b"nummeraanduiding_id;postcode;huisnummer;openbare_ruimte\n")


def test_one_audit_entry_with_the_counts_and_no_residents(north: Area) -> None:
    before = AuditEvent.objects.count()
    run(line(1, "9990AB", 1), line(2, "9990AB", 3))
    assert AuditEvent.objects.count() == before + 1
    event = AuditEvent.objects.order_by("-sequence").first()
    assert event is not None
    assert event.details["new"] == 2
    assert event.details["import"] == "BAG addresses"
    assert event.subject_ids == []


def test_the_command_prints_a_summary(north: Area, tmp_path: Path) -> None:
    path = tmp_path / "bag.csv"
    path.write_text("\n".join([HEADER, line(1, "9990AB", 1), line(2, "9990AB", 0)]))
    out = io.StringIO()
    call_command("import_bag_addresses", str(path), "--no-progress", stdout=out)
    assert "2 rows: 1 new, 0 changed, 0 withdrawn, 0 unchanged, 1 set aside." in out.getvalue()
    assert "Regel 3:" in out.getvalue()
    with pytest.raises(CommandError):
        call_command("import_bag_addresses", str(tmp_path / "none.csv"), "--no-progress")


def test_a_door_withdrawn_and_reissued_in_one_file(north: Area) -> None:
    run(line(1, "9990AB", 1))
    outcome = run(line(2, "9990AB", 1), line(1, "9990AB", 1, status=WITHDRAWN))
    assert counts(outcome) == (1, 0, 1, 0, 0)
    assert Address.objects.get(postcode="9990AB", withdrawn_on__isnull=True).bag_id == bag_id(2)


def test_a_typed_in_address_is_the_current_one_at_its_door(north: Area) -> None:
    typed = address_create(street="Lindenstraat", house_number=1, postcode="9990AB", town="L")
    outcome = run(line(1, "9990AB", 1, status=WITHDRAWN), line(2, "9990AB", 1))
    assert (outcome.withdrawn_unknown, outcome.changed, outcome.new) == (1, 1, 0)
    typed.refresh_from_db()
    assert (typed.bag_id, typed.withdrawn_on) == (bag_id(2), None)


def test_a_door_taken_by_another_address_is_reported(north: Area) -> None:
    run(line(1, "9990AB", 1), line(2, "9990AB", 3))
    # An extract of changes only: 1 moves to the door of 2, which is not in the file.
    outcome = run(line(1, "9990AB", 3))
    assert counts(outcome) == (0, 0, 0, 0, 1)
    assert outcome.errors[0].line == 2
    assert bag_id(2) in outcome.errors[0].message
    assert Address.objects.get(bag_id=bag_id(1)).house_number == 1
