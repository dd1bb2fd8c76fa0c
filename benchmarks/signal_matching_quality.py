"""Benchmark: how well and how fast signals are matched to residents.

Generates the synthetic municipality (N households) into a fresh SQLite database in a
temporary directory (or into DATABASE_URL when that is set: give it an empty database),
draws an evaluation set of signals with known truth (buurtkracht.demo.signal_eval),
matches them with buurtkracht.signals.matching and reports:

- precision of automatic matches (share of automatic matches that are the right person);
- recall: share of true matches found automatically or put on the review list with the
  right person proposed or among the alternatives (and, stricter, proposed first);
- the share of signals that land on the review list;
- all of that per variation (how the partner wrote the name or address) and for the
  negative rows (signals about nobody in the register);
- matching time per 1,000 signals, candidate loading (the queries) included.

Run from the repository root:

    PYTHONPATH=src .venv/bin/python benchmarks/signal_matching_quality.py
    PYTHONPATH=src .venv/bin/python benchmarks/signal_matching_quality.py \\
        --households 20000 --signals 5000

`--data-dir DIR` keeps the SQLite database in DIR and reuses it on the next run (the
municipality is only generated when the database is empty), which saves the generation
time when trying thresholds. Results go to stdout as Markdown and to
benchmarks/results/ as JSON.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import tempfile
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass, field
from typing import Any

from benchlib import ROOT, evaluation_set, match_with_buurtkracht, setup_django


@dataclass
class Tally:
    rows: int = 0
    automatic: int = 0
    automatic_right: int = 0
    review: int = 0
    review_found: int = 0  # the right person proposed or among the alternatives
    review_first: int = 0  # the right person proposed first
    none: int = 0

    def add(self, result: Any, expected: int | None) -> None:
        self.rows += 1
        if result.status == "automatic":
            self.automatic += 1
            self.automatic_right += int(expected is not None and result.person_id == expected)
        elif result.status == "review":
            self.review += 1
            proposed = [result.person_id, *(pid for pid, _ in result.alternatives)]
            self.review_found += int(expected is not None and expected in proposed)
            self.review_first += int(expected is not None and result.person_id == expected)
        else:
            self.none += 1

    @property
    def precision(self) -> float | None:
        return self.automatic_right / self.automatic if self.automatic else None

    @property
    def recall(self) -> float:
        return (self.automatic_right + self.review_found) / self.rows if self.rows else 0.0

    @property
    def recall_first(self) -> float:
        return (self.automatic_right + self.review_first) / self.rows if self.rows else 0.0


@dataclass
class Report:
    households: int
    persons: int
    signals: int
    positives: int
    negatives: int
    precision: float | None
    recall: float
    recall_first: float
    automatic_share: float
    review_share: float
    none_share: float
    generation_seconds: float
    evaluation_set_seconds: float
    loading_seconds: float
    scoring_seconds: float
    ms_per_1000_signals: float
    queries: int
    per_variation: dict[str, dict[str, Any]] = field(default_factory=dict)
    negatives_by_kind: dict[str, dict[str, int]] = field(default_factory=dict)
    wrong_automatic: list[dict[str, Any]] = field(default_factory=list)


def _percent(value: float | None) -> str:
    return "–" if value is None else f"{100 * value:.1f}%"


def run(args: argparse.Namespace) -> Report:
    data = evaluation_set(
        households=args.households,
        signals=args.signals,
        seed=args.seed,
        negative_share=args.negative_share,
    )
    rows = data.rows
    matched = match_with_buurtkracht(rows, args.batch_size)
    results, loading, scoring = matched.results, matched.loading_seconds, matched.scoring_seconds

    overall = Tally()
    positives = Tally()
    per_variation: dict[str, Tally] = defaultdict(Tally)
    negatives: dict[str, Counter[str]] = defaultdict(Counter)
    wrong: list[dict[str, Any]] = []
    for row, result in zip(rows, results, strict=True):
        overall.add(result, row.expected_person_id)
        if row.expected_person_id is None:
            negatives[row.variation][str(result.status)] += 1
            routed = result.address_id == row.expected_address_id
            negatives[row.variation]["routed_to_address"] += int(
                routed and row.expected_address_id is not None
            )
        else:
            positives.add(result, row.expected_person_id)
            per_variation[row.variation].add(result, row.expected_person_id)
        if result.status == "automatic" and result.person_id != row.expected_person_id:
            wrong.append(
                {
                    "signal": {k: str(v) for k, v in asdict(row).items()},
                    "matched": result.person_id,
                    "confidence": result.confidence,
                    "reasons": list(result.reasons),
                }
            )

    total = len(rows)
    return Report(
        households=data.households,
        persons=data.persons,
        signals=total,
        positives=positives.rows,
        negatives=total - positives.rows,
        precision=overall.precision,
        recall=positives.recall,
        recall_first=positives.recall_first,
        automatic_share=overall.automatic / total,
        review_share=overall.review / total,
        none_share=overall.none / total,
        generation_seconds=round(data.generation_seconds, 1),
        evaluation_set_seconds=round(data.evaluation_set_seconds, 2),
        loading_seconds=round(loading, 3),
        scoring_seconds=round(scoring, 3),
        ms_per_1000_signals=round(1000 * (loading + scoring) / total * 1000, 1),
        queries=matched.queries,
        per_variation={
            name: {
                "rows": t.rows,
                "automatic": t.automatic,
                "precision": t.precision,
                "review": t.review,
                "none": t.none,
                "recall": t.recall,
                "recall_first": t.recall_first,
            }
            for name, t in sorted(per_variation.items())
        },
        negatives_by_kind={name: dict(c) for name, c in sorted(negatives.items())},
        wrong_automatic=wrong,
    )


def markdown(report: Report) -> str:
    lines = [
        f"{report.households:,} households, {report.persons:,} persons; "
        f"{report.signals:,} signals ({report.positives:,} about a resident, "
        f"{report.negatives:,} about nobody in the register).",
        "",
        "| measure | value |",
        "|---|---:|",
        f"| precision of automatic matches | {_percent(report.precision)} |",
        f"| recall (automatic + review list) | {_percent(report.recall)} |",
        f"| recall, right person proposed first | {_percent(report.recall_first)} |",
        f"| automatic | {_percent(report.automatic_share)} |",
        f"| review list | {_percent(report.review_share)} |",
        f"| no person | {_percent(report.none_share)} |",
        f"| matching time per 1,000 signals (loading included) | "
        f"{report.ms_per_1000_signals:.0f} ms |",
        f"| of which loading candidates / scoring | {report.loading_seconds:.2f} s / "
        f"{report.scoring_seconds:.2f} s |",
        f"| queries | {report.queries} |",
    ]
    moved = report.per_variation.get("moved")
    if moved:
        lines += [
            f"| mover signals (written at an address the person left) | {moved['rows']:,} |",
            f"| movers found (automatic + review) | {_percent(moved['recall'])} |",
            f"| movers linked automatically / their precision | "
            f"{_percent(moved['automatic'] / moved['rows'])} / {_percent(moved['precision'])} |",
        ]
    lines += [
        "",
        "| variation | rows | automatic | precision | review | none | recall |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for name, v in report.per_variation.items():
        lines.append(
            f"| {name} | {v['rows']:,} | {v['automatic']:,} | {_percent(v['precision'])} "
            f"| {v['review']:,} | {v['none']:,} | {_percent(v['recall'])} |"
        )
    lines += [
        "",
        "| negative kind | rows | automatic (wrong) | review | none | routed to the address |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for name, c in report.negatives_by_kind.items():
        rows = c.get("automatic", 0) + c.get("review", 0) + c.get("none", 0)
        lines.append(
            f"| {name} | {rows:,} | {c.get('automatic', 0):,} | {c.get('review', 0):,} "
            f"| {c.get('none', 0):,} | {c.get('routed_to_address', 0):,} |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--households", type=int, default=20_000)
    parser.add_argument("--signals", type=int, default=5_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--negative-share", type=float, default=0.1)
    parser.add_argument("--batch-size", type=int, default=5_000)
    parser.add_argument(
        "--data-dir", help="Keep the SQLite database here and reuse it (default: temporary)."
    )
    parser.add_argument(
        "--show-wrong", type=int, default=0, help="Print this many wrong automatic matches."
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="buurtkracht-signals-") as scratch:
        setup_django(args.data_dir or scratch)
        report = run(args)
    print(markdown(report))
    for wrong in report.wrong_automatic[: args.show_wrong]:
        print(json.dumps(wrong, ensure_ascii=False), file=sys.stderr)
    out_dir = ROOT / "benchmarks" / "results"
    out_dir.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    path = out_dir / f"signal_matching_quality-{args.households}-{args.signals}-{stamp}.json"
    path.write_text(json.dumps(asdict(report), indent=2, ensure_ascii=False) + "\n")
    print(f"\nSaved to {path.relative_to(ROOT)}", file=sys.stderr)


if __name__ == "__main__":
    main()
