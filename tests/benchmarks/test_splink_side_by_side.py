"""The splink side-by-side benchmark counts what it says it counts.

The benchmark itself (benchmarks/splink_side_by_side.py) needs splink, a benchmark-only
dependency; these tests need none of it: the decision rule and the figures are plain
Python, and the normalisation in DuckDB is checked only where DuckDB is installed."""

from __future__ import annotations

import datetime as dt
import importlib
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

BENCHMARKS = Path(__file__).resolve().parents[2] / "benchmarks"


@pytest.fixture(scope="module")
def bench():
    sys.path.insert(0, str(BENCHMARKS))
    try:
        yield importlib.import_module("splink_side_by_side")
    finally:
        sys.path.remove(str(BENCHMARKS))


@dataclass
class Row:
    expected_person_id: int | None
    variation: str = "exact"


def test_decide_automatic_only_when_one_resident_is_sure(bench):
    decide = bench.decide
    assert decide([(7, 0.9999), (8, 0.6)], 0.999, 0.5) == bench.Decision("automatic", [7])
    # Two residents above the automatic threshold: the officer chooses.
    assert decide([(7, 0.9999), (8, 0.9995)], 0.999, 0.5) == bench.Decision("review", [7, 8])
    assert decide([(7, 0.7), (8, 0.4)], 0.999, 0.5) == bench.Decision("review", [7])
    assert decide([(7, 0.4)], 0.999, 0.5) == bench.Decision("none", [])
    assert decide([], 0.999, 0.5) == bench.Decision("none", [])


def test_quality_counts_review_claims_and_alternatives(bench):
    Decision = bench.Decision
    rows = [Row(1), Row(2), Row(3), Row(4), Row(None, "new_tenant")]
    decisions = [
        Decision("automatic", [1]),  # right
        Decision("automatic", [9]),  # wrong person
        Decision("review", [8, 3]),  # right person among the alternatives
        Decision("none", []),  # missed
        Decision("review", [5]),  # a signal about nobody on the review list
    ]
    q = bench.quality(decisions, rows)
    assert q["precision_automatic"] == 0.5
    assert q["recall_automatic"] == 0.25
    assert q["f1_automatic"] == pytest.approx(2 * 0.5 * 0.25 / 0.75)
    assert q["precision_with_review"] == 0.5  # 2 found of 4 claims
    assert q["recall_with_review"] == 0.5
    assert q["review_share"] == 0.4
    assert q["wrong_automatic"] == 1
    assert (q["negatives_automatic"], q["negatives_review"]) == (0, 1)
    assert q["recall_with_review_per_variation"] == {"exact": 0.5}


def test_splink_input_is_normalised_in_duckdb(bench):
    duckdb = pytest.importorskip("duckdb")
    pytest.importorskip("pyarrow")
    model = importlib.import_module("splink_model")
    born = dt.date(1970, 5, 1)
    register = [
        (10, "J.H.", "Jan Hendrik", "de", "Vries", "", "", born, "1234AB", 12, "A", ""),
        (11, "", "Ayşe", "", "Çelik-van Dam", "", "Yılmaz", None, "1234AB", 12, "", "2"),
    ]

    @dataclass
    class Signal:
        initials: str = ""
        given_names: str = ""
        surname_prefix: str = ""
        surname: str = "Vries, de"
        date_of_birth: dt.date | None = None
        postcode: str = "1234 ab"
        house_number: int = 12
        house_letter: str = ""
        addition: str = "-a"

    connection = duckdb.connect()
    model.normalise(connection, *model.raw_columns(register, [Signal()]))
    people = connection.sql(
        "SELECT unique_id, first_name, initials, surname, surname_words, birth_surname, "
        "postcode, house_number, house_key FROM register_n ORDER BY unique_id"
    ).fetchall()
    assert people == [
        (10, "jan", "jh", "vries", "vries", None, "1234AB", "12", "12|A"),
        (11, "ayse", "a", "celikdam", "celik dam", "yilmaz", "1234AB", "12", "12|2"),
    ]
    signal = connection.sql(
        "SELECT first_name, initials, surname, postcode, house_key FROM signals_n"
    ).fetchall()
    assert signal == [(None, None, "vries", "1234AB", "12|A")]
