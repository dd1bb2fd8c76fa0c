"""Residents from a register extract (issue 16, item 2, bulk): the extract's shape and its
errors, the import's idempotence, and each change a later extract brings — a move, a
birth, a death, a name change, a departure — with the household file's history kept and
the worker's composition not undone."""

from __future__ import annotations

import datetime as dt
import io
import json
from collections.abc import Sequence
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from buurtkracht.audit.models import AuditEvent
from buurtkracht.core.models import Address
from buurtkracht.households.brp_extract import register_extract_read
from buurtkracht.households.composition import membership_add, membership_end
from buurtkracht.households.models import Household, Involvement, Membership, Person, RegisterEntry
from buurtkracht.households.register_households import register_differences
from buurtkracht.households.register_import import RegisterImport, register_import
from tests import factories
from tests.conftest import Personas

pytestmark = pytest.mark.django_db

BAG_A = "9990200000000001"
BAG_B = "9990200000000002"
BAG_C = "9990200000000003"


def bsn(n: int) -> str:
    """A BSN that passes the eleven test."""
    for last in range(10):
        digits = f"{n:08d}{last}"
        total = sum(int(d) * w for d, w in zip(digits[:8], range(9, 1, -1), strict=True))
        if (total - int(digits[8])) % 11 == 0:
            return digits
    return bsn(n + 1)


HEAD, PARTNER, KID, KID2, SINGLE, BABY = (bsn(10_000_000 + i) for i in range(6))


def person(
    number: str,
    given: str,
    surname: str,
    born: str,
    bag_id: str | None = BAG_A,
    since: str = "2015-03-01",
    **extra: Any,
) -> dict[str, Any]:
    record: dict[str, Any] = {
        "burgerservicenummer": number,
        "geslachtsaanduiding": {"code": "V"},  # not kept (data minimisation)
        "naam": {"voornamen": given, "geslachtsnaam": surname},
        "geboorte": {"datum": {"datum": born}},
    }
    if bag_id:
        record["verblijfplaats"] = {
            "nummeraanduidingIdentificatie": bag_id,
            "datumAanvangAdreshouding": {"datum": since},
        }
    record.update(extra)
    return record


def family() -> list[dict[str, Any]]:
    return [
        person(KID, "Sem", "Berg", "2012-04-02", ouders=[{"burgerservicenummer": HEAD}]),
        person(
            HEAD,
            "Jan Hendrik",
            "Berg",
            "1980-05-01",
            partners=[{"burgerservicenummer": PARTNER, "naam": {"geslachtsnaam": "Yılmaz"}}],
            kinderen=[{"burgerservicenummer": KID}, {"burgerservicenummer": KID2}],
        ),
        person(
            PARTNER,
            "Fatma",
            "Yılmaz",
            "1982-07-09",
            partners=[{"burgerservicenummer": HEAD, "naam": {"geslachtsnaam": "Berg"}}],
            kinderen=[{"burgerservicenummer": KID}],
        ),
        person(
            KID2,
            "Noor",
            "Berg",
            "2014-01-20",
            ouders=[{"burgerservicenummer": HEAD}, {"burgerservicenummer": PARTNER}],
        ),
        person(SINGLE, "Kees", "Jansen", "1950-02-03", bag_id=BAG_B, since="1990-01-01"),
    ]


def lines(records: Sequence[dict[str, Any] | str]) -> io.BytesIO:
    text = "\n".join(r if isinstance(r, str) else json.dumps(r) for r in records)
    return io.BytesIO(text.encode())


@pytest.fixture
def addresses() -> dict[str, Address]:
    factories.MunicipalityFactory.create()
    area = factories.NeighbourhoodFactory.create()
    return {
        bag_id: factories.AddressFactory.create(bag_id=bag_id, neighbourhood=area)
        for bag_id in (BAG_A, BAG_B, BAG_C)
    }


def imported(records: Sequence[dict[str, Any] | str], **kwargs: Any) -> RegisterImport:
    return register_import(lines(records), source="test.jsonl", **kwargs)


def member(bsn_: str) -> Membership:
    return Membership.objects.get(person__bsn=bsn_, end_date__isnull=True)


def snapshot() -> tuple[list[Any], ...]:
    return (
        list(Person.objects.order_by("pk").values()),
        list(Household.objects.order_by("pk").values()),
        list(Membership.objects.order_by("pk").values()),
        list(RegisterEntry.objects.order_by("pk").values()),
    )


def test_first_import_proposes_households_by_address_and_relations(
    addresses: dict[str, Address],
) -> None:
    outcome = imported(family())
    assert (outcome.new, outcome.households_new, outcome.set_aside) == (5, 2, 0)
    roles = {m.person.bsn: m.role for m in Membership.objects.select_related("person")}
    assert roles == {
        HEAD: "head",
        PARTNER: "partner",
        KID: "child",
        KID2: "child",
        SINGLE: "head",
    }
    at_a = Household.objects.get(address=addresses[BAG_A])
    assert at_a.neighbourhood_id == addresses[BAG_A].neighbourhood_id
    assert member(KID).household == at_a and member(KID).from_register
    assert member(KID).start_date == dt.date(2015, 3, 1)
    entry = RegisterEntry.objects.get(person__bsn=SINGLE)
    assert (entry.address, entry.living_since) == (addresses[BAG_B], dt.date(1990, 1, 1))
    new_event = AuditEvent.objects.get(details__change="new")
    assert len(new_event.subject_ids) == 5
    assert AuditEvent.objects.filter(details__import="BRP extract", details__new=5).exists()


def test_the_same_extract_twice_changes_nothing(addresses: dict[str, Address]) -> None:
    imported(family())
    before = snapshot()
    again = imported(family())
    assert again.unchanged == 5 and again.new == again.moved == again.households_new == 0
    # The same persons written differently (keys in another order) change nothing either.
    reordered = [dict(reversed(list(r.items()))) for r in family()]
    third = imported(reordered)
    assert third.unchanged == 5 and third.counts()["new"] == 0
    after = snapshot()
    assert before[:3] == after[:3]
    assert [{k: v for k, v in e.items() if k != "line_print"} for e in before[3]] == [
        {k: v for k, v in e.items() if k != "line_print"} for e in after[3]
    ]


def test_a_move_ends_the_membership_and_starts_one_at_the_new_address(
    addresses: dict[str, Address],
) -> None:
    imported(family())
    old = member(KID)
    records = family()
    records[0]["verblijfplaats"] = {
        "nummeraanduidingIdentificatie": BAG_B,
        "datumAanvangAdreshouding": {"datum": "2024-06-01"},
    }
    outcome = imported(records)
    assert outcome.moved == 1 and outcome.unchanged == 4
    old.refresh_from_db()
    assert old.end_date == dt.date(2024, 5, 31)
    new = member(KID)
    assert new.household.address == addresses[BAG_B]
    assert (new.start_date, new.role) == (dt.date(2024, 6, 1), "housemate")
    assert AuditEvent.objects.filter(details__change="moved", subject_ids=[new.person_id]).exists()


def test_a_whole_household_moving_leaves_its_file_with_its_history(
    addresses: dict[str, Address],
) -> None:
    imported(family())
    household = Household.objects.get(address=addresses[BAG_A])
    worker = factories.UserFactory.create()
    Involvement.objects.create(
        household=household, worker=worker, kind="lead", start_date=dt.date(2020, 1, 1)
    )
    records = family()
    for record in records[:4]:
        record["verblijfplaats"] = {
            "nummeraanduidingIdentificatie": BAG_C,
            "datumAanvangAdreshouding": {"datum": "2025-02-01"},
        }
    outcome = imported(records)
    assert (outcome.moved, outcome.households_ended, outcome.households_new) == (4, 1, 1)
    household.refresh_from_db()
    assert household.end_date == dt.date(2025, 2, 1)
    past = household.memberships.order_by("person__bsn")
    assert past.count() == 4 and {m.end_date for m in past} == {dt.date(2025, 1, 31)}
    assert household.involvements.filter(worker=worker).exists()
    moved_to = Household.objects.get(address=addresses[BAG_C])
    assert {m.person.bsn: m.role for m in moved_to.memberships.all()}[HEAD] == "head"


def test_a_birth_joins_the_parents_household_as_a_child(addresses: dict[str, Address]) -> None:
    imported(family())
    born = timezone.localdate() - dt.timedelta(days=20)
    baby = person(
        BABY,
        "Lina",
        "Berg",
        born.isoformat(),
        since=born.isoformat(),
        ouders=[{"burgerservicenummer": HEAD}, {"burgerservicenummer": PARTNER}],
    )
    outcome = imported([*family(), baby])
    assert (outcome.new, outcome.born, outcome.households_new) == (1, 1, 0)
    membership = member(BABY)
    assert membership.household == member(HEAD).household
    assert (membership.role, membership.start_date) == ("child", born)
    assert AuditEvent.objects.filter(details__change="born").exists()


def test_a_death_is_recorded_and_ends_the_membership(addresses: dict[str, Address]) -> None:
    imported(family())
    membership = member(SINGLE)
    records = family()
    records[4]["overlijden"] = {"datum": {"datum": "2025-03-03"}}
    outcome = imported(records)
    assert outcome.died == 1
    assert Person.objects.get(bsn=SINGLE).date_of_death == dt.date(2025, 3, 3)
    membership.refresh_from_db()
    assert membership.end_date == dt.date(2025, 3, 3)
    membership.household.refresh_from_db()
    assert membership.household.end_date == dt.date(2025, 3, 4)
    assert imported(records).died == 0  # the same death twice is one death


def test_a_name_change_follows_the_register_but_keeps_a_workers_correction(
    addresses: dict[str, Address],
) -> None:
    imported(family())
    records = family()
    records[2]["naam"]["aanduidingNaamgebruik"] = {"code": "V"}
    outcome = imported(records)
    assert outcome.renamed == 1
    partner = Person.objects.get(bsn=PARTNER)
    assert (partner.surname, partner.birth_surname) == ("Berg-Yılmaz", "Yılmaz")
    event = AuditEvent.objects.get(details__change="name")
    assert event.subject_ids == [partner.pk]
    # A worker writes the head's name as the family says it; a move in the register
    # does not undo that, only a new name in the register would.
    Person.objects.filter(bsn=HEAD).update(given_names="Jan-Henk")
    records[1]["verblijfplaats"]["datumAanvangAdreshouding"] = {"datum": "2016-01-01"}
    imported(records)
    assert Person.objects.get(bsn=HEAD).given_names == "Jan-Henk"


def test_a_departure_ends_the_membership_the_day_before(addresses: dict[str, Address]) -> None:
    imported(family())
    membership = member(SINGLE)
    records = family()
    records[4]["verblijfplaats"] = {
        "verblijfBuitenland": {"land": {"omschrijving": "België"}},
        "datumAanvangAdresBuitenland": {"datum": "2025-05-01"},
    }
    outcome = imported(records)
    assert outcome.departed == 1
    membership.refresh_from_db()
    assert membership.end_date == dt.date(2025, 4, 30)
    entry = RegisterEntry.objects.get(person__bsn=SINGLE)
    assert (entry.address, entry.departed_on) == (None, dt.date(2025, 5, 1))
    # To another municipality: gemeenteVanInschrijving is not ours (GM9990).
    records[3]["verblijfplaats"] = {
        "gemeenteVanInschrijving": {"code": "0363", "omschrijving": "Amsterdam"},
        "datumInschrijvingInGemeente": {"datum": "2025-06-01"},
    }
    assert imported(records).departed == 1
    assert Membership.objects.get(person__bsn=KID2).end_date == dt.date(2025, 5, 31)


def test_the_workers_composition_is_not_undone_and_differences_are_shown(
    addresses: dict[str, Address],
) -> None:
    imported(family())
    at_a = member(KID).household
    at_c = Household.objects.create(address=addresses[BAG_C], start_date=dt.date(2024, 1, 1))
    # The worker knows better: Sem lives with his grandmother at C.
    membership_end(membership=member(KID), end_date=dt.date(2024, 2, 29))
    kid = Person.objects.get(bsn=KID)
    membership_add(household=at_c, person=kid, role="child", start_date=dt.date(2024, 3, 1))
    assert imported(family()).counts()["moved"] == 0
    assert member(KID).household == at_c
    assert [(d.person.bsn, d.says) for d in register_differences(at_c)] == [
        (KID, "lives_elsewhere")
    ]
    # The register then moves him to B: the worker's membership stays, the difference shows.
    records = family()
    records[0]["verblijfplaats"]["nummeraanduidingIdentificatie"] = BAG_B
    outcome = imported(records)
    assert (outcome.moved, outcome.kept_by_worker) == (1, 1)
    assert member(KID).household == at_c
    assert register_differences(at_a) == []
    b_household = member(SINGLE).household
    assert [(d.person.bsn, d.says) for d in register_differences(b_household)] == [
        (KID, "lives_here")
    ]


def test_an_empty_file_made_at_an_intake_gets_its_members(addresses: dict[str, Address]) -> None:
    intake = Household.objects.create(address=addresses[BAG_B], start_date=dt.date(2026, 1, 5))
    imported(family())
    assert member(SINGLE).household == intake


def test_bad_lines_are_set_aside_with_their_number_and_good_ones_kept(
    addresses: dict[str, Address],
) -> None:
    records: list[dict[str, Any] | str] = [
        *family(),
        "{not json",
        person("123456789", "Piet", "Fout", "1970-01-01"),
        person(bsn(10_000_100), "Piet", "", "1970-01-01"),
        person(bsn(10_000_101), "Piet", "Puk", "01-01-1970"),
        person(bsn(10_000_102), "Piet", "Puk", "1970-01-01", bag_id="9990200000009999"),
        person(SINGLE, "Kees", "Jansen", "1950-02-03", bag_id=BAG_B),
        person(bsn(10_000_103), "Piet", "Puk", "1970-01-01", naam_extra=1) | {"naam": "Puk"},
    ]
    with translation.override("en"):
        outcome = imported(records)
    assert outcome.new == 5
    by_line = {e.line: e.message for e in outcome.errors}
    assert sorted(by_line) == [6, 7, 8, 9, 10, 11, 12]
    assert "not valid JSON" in by_line[6]
    assert "burgerservicenummer" in by_line[7] and "eleven" in by_line[7]
    assert "naam.geslachtsnaam" in by_line[8]
    assert "YYYY-MM-DD" in by_line[9]
    assert "import_bag_addresses" in by_line[10]
    assert "line 5" in by_line[11]
    assert "naam must be an object" in by_line[12]
    assert not Person.objects.filter(surname__in=["Fout", "Puk"]).exists()


def test_only_the_fields_the_product_uses_are_kept() -> None:
    record = person(HEAD, "Jan", "Berg", "1980-05-01", nationaliteiten=[{"code": "0001"}])
    read = register_extract_read([json.dumps(record).encode()])
    (kept,) = read.persons
    assert not hasattr(kept, "__dict__")  # slots: nothing else rides along
    assert {"geslachtsaanduiding", "nationaliteiten"}.isdisjoint(kept.__slots__)


def test_the_command_prints_a_summary(addresses: dict[str, Address], tmp_path: Any) -> None:
    path = tmp_path / "brp.jsonl"
    path.write_bytes(lines([*family(), "{"]).getvalue())
    out = io.StringIO()
    with translation.override("en"):
        call_command("import_brp_extract", str(path), "--no-progress", stdout=out)
    text = out.getvalue()
    assert "6 lines: 5 new residents (0 born)" in text
    assert "1 set aside" in text and "Line 6" in text


def test_the_composition_page_shows_where_the_register_differs(
    client: Client, personas: Personas, addresses: dict[str, Address]
) -> None:
    household = personas.household
    Involvement.objects.create(
        household=household,
        worker=personas.worker,
        kind=Involvement.Kind.LEAD,
        start_date=dt.date(2026, 1, 1),
    )
    resident = household.current_memberships().first().person  # type: ignore[union-attr]
    Person.objects.filter(pk=resident.pk).update(bsn=SINGLE)
    # The register places the resident at B; the worker's household holds them: kept.
    outcome = imported([person(SINGLE, "Kees", "Jansen", "1950-02-03", bag_id=BAG_B)])
    assert outcome.households_new == 0 and member(SINGLE).household == household
    client.force_login(personas.worker)
    page = client.get(reverse("households:composition", args=[household.pk])).content.decode()
    assert "Waar de BRP afwijkt" in page
    assert "woont volgens de BRP op een ander adres" in page
    look = AuditEvent.objects.filter(details__register_differences=1).get()
    assert look.subject_ids == [resident.pk]


def test_progress_is_reported_up_to_the_total(addresses: dict[str, Address]) -> None:
    calls: list[tuple[int, int]] = []
    imported(family(), progress=lambda done, total: calls.append((done, total)))
    assert calls and calls[-1] == (10, 10)
    assert all(done <= total for done, total in calls)
    assert [done for done, _total in calls] == sorted(done for done, _total in calls)
