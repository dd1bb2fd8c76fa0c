"""The splink 5 side of benchmarks/splink_side_by_side.py: a tuned splink model (DuckDB)
that links the evaluation set's signals to the adults living in the municipality.

splink is a benchmark-only dependency (requirements/bench.lock), never installed by
bin/test or CI, so it is imported lazily and its objects are typed `Any` at this
boundary: mypy checks this module the same with and without splink installed.

The model, as a careful splink user would build it for Dutch partner files:

- **normalise** both sides the same generic way, in DuckDB SQL: names folded (lower
  case, no diacritics or punctuation), surname prefixes (van, de, der, …) and stray
  initials dropped from surnames, the first given name and the initials apart, the date
  of birth as a date, the postcode without its space, the house number, and the house
  number with its letter and addition as one key;
- **blocking** for prediction on postcode + house number, on surname + date of birth and
  on date of birth;
- **comparisons**: first name (exact, Jaro-Winkler ≥ 0.92 and ≥ 0.80, then initials
  equal, one initials a prefix of the other, first initial equal), surname (exact with
  term-frequency adjustment, equal to the birth surname, Jaro-Winkler ≥ 0.92, one
  surname a word of the other's name — business names and double surnames — then
  Jaro-Winkler ≥ 0.80), date of birth (splink's DateOfBirthComparison), postcode
  (exact, one edit off) and house number (number with letter and addition, number only);
- **training**: the prior from a deterministic rule, u by random sampling (seeded), m by
  expectation maximisation on two blocking rules (postcode + house number; date of
  birth), each training the comparisons the other holds fixed;
- **decision** per signal from its best-scoring resident: automatic when the match
  probability is at least `auto_threshold` and no other resident reaches it, review
  list when at least `review_threshold` (every resident above it is proposed).
"""

from __future__ import annotations

import datetime as dt
import importlib
import time
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

# Surname prefixes (tussenvoegsels) and their abbreviations, dropped from surnames.
PREFIX_WORDS = frozenset(
    [
        "van",
        "de",
        "der",
        "den",
        "het",
        "t",
        "ter",
        "ten",
        "te",
        "in",
        "op",
        "aan",
        "bij",
        "uit",
        "vd",
        "v",
        "d",
        "vander",
        "vanden",
        "la",
        "le",
        "du",
        "da",
        "dos",
        "del",
        "des",
        "l",
    ]
)


@dataclass
class Decision:
    """What a matcher made of one signal: status and the people proposed, best first."""

    status: str  # automatic, review or none
    proposed: list[int]


@dataclass
class SplinkRun:
    decisions: list[Decision]
    register_rows: int
    pairs_scored: int
    normalise_seconds: float  # reading the register included
    register_query_seconds: float
    train_seconds: float
    predict_seconds: float
    cpu_seconds: float  # of every thread of the process (DuckDB works on all cores)
    match_weights: dict[str, Any] = field(default_factory=dict)
    # Per signal: (person id, match probability) above the review threshold, best first.
    scored: list[list[tuple[int, float]]] = field(default_factory=list)

    @property
    def seconds(self) -> float:
        return self.normalise_seconds + self.train_seconds + self.predict_seconds


def load_register(on: dt.date) -> list[tuple[Any, ...]]:
    """The adults living in the municipality on `on`, as the matcher's candidates are
    chosen (current household and membership; no date of birth counts as adult)."""
    from django.db.models import Q

    from buurtkracht.core.queries import in_force
    from buurtkracht.households.models import Membership
    from buurtkracht.signals.matching.candidates import ADULT_AGE, years_before

    current = in_force(on, prefix="household__", end_inclusive=False) & in_force(on)
    adult = Q(person__date_of_birth__isnull=True) | Q(
        person__date_of_birth__lte=years_before(on, ADULT_AGE)
    )
    return list(
        Membership.objects.filter(current, adult)
        .order_by()
        .values_list(
            "person_id",
            "person__initials",
            "person__given_names",
            "person__surname_prefix",
            "person__surname",
            "person__birth_surname_prefix",
            "person__birth_surname",
            "person__date_of_birth",
            "household__address__postcode",
            "household__address__house_number",
            "household__address__house_letter",
            "household__address__addition",
        )
    )


_RAW_COLUMNS = (
    "unique_id",
    "initials",
    "given_names",
    "prefix",
    "surname",
    "birth_prefix",
    "birth_surname",
    "dob",
    "postcode",
    "number",
    "suffix",
)

# Normalising in DuckDB, where splink works: fold names (lower case, no diacritics or
# punctuation), drop surname prefixes and stray initials, compact postcodes and house
# number suffixes.
_MACROS = f"""
CREATE OR REPLACE MACRO fold(x) AS trim(regexp_replace(lower(strip_accents(translate(
    replace(replace(replace(coalesce(x, ''), 'ß', 'ss'), 'æ', 'ae'), 'œ', 'oe'),
    'ıøØłŁđĐð', 'ioOlLdDd'))), '[^a-z0-9]+', ' ', 'g'));
CREATE OR REPLACE MACRO name_words(p, s) AS list_filter(
    string_split(fold(p || ' ' || s), ' '),
    lambda w: length(w) > 1 AND NOT list_contains({sorted(PREFIX_WORDS)}, w));
CREATE OR REPLACE MACRO compact(x) AS upper(regexp_replace(coalesce(x, ''), '[^A-Za-z0-9]', '',
    'g'));
"""

_NORMALISED = """
CREATE TABLE {target} AS
SELECT
    unique_id,
    nullif(string_split(fold(given_names), ' ')[1], '') AS first_name,
    coalesce(
        nullif(replace(fold(initials), ' ', ''), ''),
        nullif(array_to_string(
            list_transform(string_split(fold(given_names), ' '), lambda w: w[1]), ''), '')
    ) AS initials,
    nullif(array_to_string(name_words(prefix, surname), ''), '') AS surname,
    nullif(array_to_string(name_words(prefix, surname), ' '), '') AS surname_words,
    nullif(array_to_string(name_words(birth_prefix, birth_surname), ''), '') AS birth_surname,
    dob,
    nullif(compact(postcode), '') AS postcode,
    CAST(number AS VARCHAR) AS house_number,
    CAST(number AS VARCHAR) || '|' || compact(suffix) AS house_key
FROM {source}
"""


def raw_columns(register: list[tuple[Any, ...]], signals: list[Any]) -> tuple[Any, Any]:
    """Both sides as columns of raw text (register: person ids; signals: row index)."""
    people = [
        (pid, ini, given, pre, sur, bpre, bsur, born, pc, num, f"{letter}{add}")
        for (pid, ini, given, pre, sur, bpre, bsur, born, pc, num, letter, add) in register
    ]
    rows = [
        (
            position,
            s.initials,
            s.given_names,
            s.surname_prefix,
            s.surname,
            "",
            "",
            s.date_of_birth,
            s.postcode,
            s.house_number,
            f"{s.house_letter}{s.addition}",
        )
        for position, s in enumerate(signals)
    ]
    pyarrow: Any = importlib.import_module("pyarrow")

    def table(records: list[tuple[Any, ...]]) -> Any:
        columns = list(zip(*records, strict=True)) if records else [()] * len(_RAW_COLUMNS)
        return pyarrow.table(
            {name: list(values) for name, values in zip(_RAW_COLUMNS, columns, strict=True)}
        )

    return table(people), table(rows)


def normalise(connection: Any, register: Any, signals: Any) -> None:
    """Tables `register_n` and `signals_n` in DuckDB: the model's input columns."""
    connection.execute(_MACROS)
    for name, raw in (("register", register), ("signals", signals)):
        connection.register(f"{name}_raw", raw)
        connection.execute(_NORMALISED.format(target=f"{name}_n", source=f"{name}_raw"))
        connection.unregister(f"{name}_raw")


def settings(splink: Any) -> Any:
    """The model: blocking rules and comparisons (see the module docstring)."""
    cl: Any = importlib.import_module("splink.comparison_library")
    cll: Any = importlib.import_module("splink.comparison_level_library")
    block_on = splink.block_on
    first_name = cl.CustomComparison(
        output_column_name="first_name",
        comparison_levels=[
            cll.NullLevel("initials"),
            cll.ExactMatchLevel("first_name"),
            cll.JaroWinklerLevel("first_name", 0.92),
            cll.JaroWinklerLevel("first_name", 0.80),
            cll.ExactMatchLevel("initials"),
            cll.CustomLevel(
                "starts_with(initials_l, initials_r) OR starts_with(initials_r, initials_l)",
                "one initials a prefix of the other",
            ),
            cll.CustomLevel(
                "substr(initials_l, 1, 1) = substr(initials_r, 1, 1)", "first initial equal"
            ),
            cll.ElseLevel(),
        ],
    )
    surname = cl.CustomComparison(
        output_column_name="surname",
        comparison_levels=[
            cll.NullLevel("surname"),
            cll.ExactMatchLevel("surname", term_frequency_adjustments=True),
            cll.CustomLevel(
                "surname_l = birth_surname_r OR birth_surname_l = surname_r",
                "equal to the birth surname",
            ),
            cll.JaroWinklerLevel("surname", 0.92),
            cll.CustomLevel(
                "list_contains(string_split(surname_words_l, ' '), surname_r) "
                "OR list_contains(string_split(surname_words_r, ' '), surname_l)",
                "a word of the other's name",
            ),
            cll.JaroWinklerLevel("surname", 0.80),
            cll.ElseLevel(),
        ],
    )
    house = cl.CustomComparison(
        output_column_name="house_number",
        comparison_levels=[
            cll.NullLevel("house_number"),
            cll.ExactMatchLevel("house_key"),
            cll.ExactMatchLevel("house_number"),
            cll.ElseLevel(),
        ],
    )
    return splink.SettingsCreator(
        link_type="link_only",
        unique_id_column_name="unique_id",
        blocking_rules_to_generate_predictions=[
            block_on("postcode", "house_number"),
            block_on("surname", "dob"),
            block_on("dob"),
        ],
        comparisons=[
            first_name,
            surname,
            cl.DateOfBirthComparison("dob", input_is_string=False),
            cl.DamerauLevenshteinAtThresholds("postcode", [1]),
            house,
        ],
        retain_intermediate_calculation_columns=False,
        retain_matching_columns=False,
    )


def run_splink(
    signals: list[Any],
    *,
    on: dt.date,
    seed: int,
    auto_threshold: float,
    review_threshold: float,
    predict_floor: float,
    u_pairs: float,
) -> SplinkRun:
    """Normalise, train and predict; decide per signal. Timed in three parts.

    Pairs are kept from `predict_floor` (at most the review threshold) so that other
    thresholds can be tried on the same predictions afterwards.
    """
    # Imported before the clock starts: a one-time cost of the process, as Buurtkracht's
    # own modules are imported by django.setup().
    splink: Any = importlib.import_module("splink")
    started = time.perf_counter()
    cpu_started = time.process_time()
    register = load_register(on)
    queried = time.perf_counter()
    db_api = splink.DuckDBAPI()
    normalise(db_api.duckdb_con, *raw_columns(register, signals))
    register_table = db_api.register("register_n", dataset_display_name="register")
    signal_table = db_api.register("signals_n", dataset_display_name="signals")
    linker = splink.Linker([register_table, signal_table], settings(splink), log_level=None)
    normalised = time.perf_counter()

    block_on = splink.block_on
    linker.training.estimate_probability_two_random_records_match(
        [block_on("postcode", "house_number", "surname", "dob")], recall=0.7
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=u_pairs, seed=seed)
    linker.training.estimate_parameters_using_expectation_maximisation(
        block_on("postcode", "house_number")
    )
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("dob"))
    trained = time.perf_counter()

    predictions = linker.inference.predict(
        threshold_match_probability=min(predict_floor, review_threshold), warning_mode="never"
    )
    pairs = predictions.as_record_list()
    scored: dict[int, list[tuple[int, float]]] = defaultdict(list)
    for pair in pairs:
        if pair["source_dataset_l"] == "signals":
            row, person = pair["unique_id_l"], pair["unique_id_r"]
        else:
            person, row = pair["unique_id_l"], pair["unique_id_r"]
        scored[int(row)].append((int(person), float(pair["match_probability"])))
    decisions: list[Decision] = []
    per_signal: list[list[tuple[int, float]]] = []
    for position in range(len(signals)):
        found = sorted(scored.get(position, []), key=lambda p: -p[1])
        per_signal.append(found)
        decisions.append(decide(found, auto_threshold, review_threshold))
    predicted = time.perf_counter()
    cpu = time.process_time() - cpu_started
    return SplinkRun(
        decisions=decisions,
        register_rows=len(register),
        pairs_scored=len(pairs),
        normalise_seconds=normalised - started,
        register_query_seconds=queried - started,
        train_seconds=trained - normalised,
        predict_seconds=predicted - trained,
        cpu_seconds=cpu,
        match_weights=linker.misc.save_model_to_json(),
        scored=per_signal,
    )


def decide(found: list[tuple[int, float]], auto: float, review: float) -> Decision:
    """Automatic, review or none from the residents scored for a signal, best first."""
    above = [person for person, probability in found if probability >= review]
    if not above:
        return Decision("none", [])
    sure = [person for person, probability in found if probability >= auto]
    if len(sure) == 1:
        return Decision("automatic", sure)
    return Decision("review", above)
