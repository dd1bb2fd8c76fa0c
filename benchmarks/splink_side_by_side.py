"""Benchmark: Buurtkracht's signal matching side by side with splink 5 (DuckDB).

Generates the synthetic municipality and the evaluation set exactly as
signal_matching_quality.py does (benchlib.evaluation_set), then links the same signals
with Buurtkracht's matcher (signals.matching: candidate loading + matching) and with a
tuned splink 5 model (benchmarks/splink_model.py: reading the register + normalise +
train + predict), in one process on the same machine, and prints for both:

- precision, recall and F1 of the automatic matches;
- precision, recall and F1 of automatic + review list: a signal counts as found when the
  right person is linked automatically or proposed on the review list (first or among the
  alternatives); every signal on the review list or linked automatically counts as a
  claim, so negatives put on the review list lower the precision;
- the share of signals on the review list;
- wall time end to end and the time ratio splink / Buurtkracht.

`--repeat N` (default 3) runs the whole comparison N times, each in a fresh process
(no warm caches carried over), alternating which matcher goes first, on the same
database; the municipality is generated once. Times are the median of the runs; the
quality figures are the first run's (the runs agree unless splink's training moved).
Also printed: a sweep of splink's thresholds on the first run's predictions, so that
the comparison does not hinge on the two thresholds chosen here.

splink is a benchmark-only dependency. Install it into the development environment
once, then run from the repository root:

    .venv/bin/pip install -r requirements/bench.lock
    PYTHONPATH=src .venv/bin/python benchmarks/splink_side_by_side.py \\
        --households 50000 --signals 7500

Results go to stdout as Markdown and to benchmarks/results/ as JSON.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.util
import json
import logging
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from typing import Any

from benchlib import ROOT, evaluation_set, match_with_buurtkracht, setup_django
from splink_model import Decision, decide, run_splink

SWEEP_AUTO = (0.9, 0.99, 0.999, 0.9999, 0.99999)
SWEEP_REVIEW = (0.05, 0.2, 0.5, 0.8)


def _ratio(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def _f1(precision: float | None, recall: float | None) -> float | None:
    if not precision or not recall:
        return None
    return 2 * precision * recall / (precision + recall)


def quality(decisions: list[Decision], rows: list[Any]) -> dict[str, Any]:
    """Precision, recall and F1 of automatic and of automatic + review; shares; per
    variation the recall of automatic + review."""
    positives = sum(1 for row in rows if row.expected_person_id is not None)
    automatic = automatic_right = review = review_found = 0
    per_variation: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    negatives: Counter[str] = Counter()
    for decision, row in zip(decisions, rows, strict=True):
        expected = row.expected_person_id
        right = decision.status == "automatic" and decision.proposed[0] == expected
        found = decision.status == "review" and expected in decision.proposed
        automatic += decision.status == "automatic"
        automatic_right += right
        review += decision.status == "review"
        review_found += found
        if expected is not None:
            per_variation[row.variation][0] += 1
            per_variation[row.variation][1] += right or found
        else:
            negatives[decision.status] += 1
    precision = _ratio(automatic_right, automatic)
    recall = _ratio(automatic_right, positives)
    precision_all = _ratio(automatic_right + review_found, automatic + review)
    recall_all = _ratio(automatic_right + review_found, positives)
    return {
        "precision_automatic": precision,
        "recall_automatic": recall,
        "f1_automatic": _f1(precision, recall),
        "precision_with_review": precision_all,
        "recall_with_review": recall_all,
        "f1_with_review": _f1(precision_all, recall_all),
        "automatic_share": automatic / len(rows),
        "review_share": review / len(rows),
        "wrong_automatic": automatic - automatic_right,
        "negatives_automatic": negatives["automatic"],
        "negatives_review": negatives["review"],
        "recall_with_review_per_variation": {
            name: found / count for name, (count, found) in sorted(per_variation.items())
        },
    }


def buurtkracht_decisions(results: list[Any]) -> list[Decision]:
    return [
        Decision(
            str(r.status),
            [r.person_id, *(pid for pid, _ in r.alternatives)] if r.person_id else [],
        )
        for r in results
    ]


def one_run(args: argparse.Namespace) -> dict[str, Any]:
    """Both matchers on the same evaluation set, in this process."""
    from django.utils import timezone

    data = evaluation_set(
        households=args.households,
        signals=args.signals,
        seed=args.seed,
        negative_share=args.negative_share,
    )
    rows = data.rows
    load_before = os.getloadavg()[0]
    out: dict[str, Any] = {
        "households": data.households,
        "persons": data.persons,
        "signals": len(rows),
        "positives": sum(1 for row in rows if row.expected_person_id is not None),
        "generation_seconds": data.generation_seconds,
        "splink_first": args.splink_first,
    }

    def buurtkracht() -> None:
        matched = match_with_buurtkracht(rows, args.batch_size)
        out["buurtkracht"] = {
            "seconds": matched.loading_seconds + matched.scoring_seconds,
            "loading_seconds": matched.loading_seconds,
            "matching_seconds": matched.scoring_seconds,
            "queries": matched.queries,
            "cpu_seconds": matched.cpu_seconds,
            **quality(buurtkracht_decisions(matched.results), rows),
        }

    def splink() -> None:
        run = run_splink(
            rows,
            on=timezone.localdate(),
            seed=args.seed,
            auto_threshold=args.auto_threshold,
            review_threshold=args.review_threshold,
            predict_floor=min(SWEEP_REVIEW),
            u_pairs=args.u_pairs,
        )
        out["splink"] = {
            "seconds": run.seconds,
            "normalise_seconds": run.normalise_seconds,
            "register_query_seconds": run.register_query_seconds,
            "train_seconds": run.train_seconds,
            "cpu_seconds": run.cpu_seconds,
            "predict_seconds": run.predict_seconds,
            "register_rows": run.register_rows,
            "pairs_scored": run.pairs_scored,
            **quality(run.decisions, rows),
        }
        out["splink_model"] = run.match_weights
        out["splink_sweep"] = [
            {
                "auto": auto,
                "review": review,
                **quality([decide(found, auto, review) for found in run.scored], rows),
            }
            for auto in SWEEP_AUTO
            for review in SWEEP_REVIEW
        ]

    for step in (splink, buurtkracht) if args.splink_first else (buurtkracht, splink):
        step()
    out["load_1min_before"] = load_before
    out["load_1min_after"] = os.getloadavg()[0]
    return out


def _percent(value: float | None, digits: int = 2) -> str:
    return "–" if value is None else f"{100 * value:.{digits}f}%"


def markdown(runs: list[dict[str, Any]]) -> str:
    first = runs[0]
    bk, sp = first["buurtkracht"], first["splink"]
    bk_time = statistics.median(r["buurtkracht"]["seconds"] for r in runs)
    sp_time = statistics.median(r["splink"]["seconds"] for r in runs)

    def med(side: str, key: str) -> float:
        return float(statistics.median(r[side][key] for r in runs))

    lines = [
        f"{first['households']:,} households, {first['persons']:,} persons; "
        f"{first['signals']:,} signals ({first['positives']:,} about a resident). "
        f"{len(runs)} run(s); times are medians.",
        "",
        "| measure | Buurtkracht | splink 5 |",
        "|---|---:|---:|",
    ]
    for label, key in [
        ("precision, automatic", "precision_automatic"),
        ("recall, automatic", "recall_automatic"),
        ("F1, automatic", "f1_automatic"),
        ("precision, automatic + review", "precision_with_review"),
        ("recall, automatic + review", "recall_with_review"),
        ("F1, automatic + review", "f1_with_review"),
        ("automatic", "automatic_share"),
        ("review list", "review_share"),
    ]:
        lines.append(f"| {label} | {_percent(bk[key])} | {_percent(sp[key])} |")
    lines += [
        f"| wrong automatic matches | {bk['wrong_automatic']} | {sp['wrong_automatic']} |",
        f"| signals about nobody: automatic / review | {bk['negatives_automatic']} / "
        f"{bk['negatives_review']} | {sp['negatives_automatic']} / {sp['negatives_review']} |",
        f"| wall time end to end | {bk_time:.2f} s | {sp_time:.2f} s |",
        f"| of which | loading {med('buurtkracht', 'loading_seconds'):.2f} s, "
        f"matching {med('buurtkracht', 'matching_seconds'):.2f} s "
        f"| normalise {med('splink', 'normalise_seconds'):.2f} s "
        f"(reading the register {med('splink', 'register_query_seconds'):.2f} s), "
        f"train {med('splink', 'train_seconds'):.2f} s, "
        f"predict {med('splink', 'predict_seconds'):.2f} s |",
        f"| CPU time (all threads; SQLite in-process) | {med('buurtkracht', 'cpu_seconds'):.2f} s "
        f"| {med('splink', 'cpu_seconds'):.2f} s |",
        f"| time ratio splink / Buurtkracht, wall | | {sp_time / bk_time:.1f}× |",
        f"| time ratio splink / Buurtkracht, CPU | | "
        f"{med('splink', 'cpu_seconds') / med('buurtkracht', 'cpu_seconds'):.1f}× |",
        "",
        "Times per run (Buurtkracht / splink): "
        + "; ".join(
            f"{r['buurtkracht']['seconds']:.2f} s / {r['splink']['seconds']:.2f} s"
            f"{' (splink first)' if r['splink_first'] else ''}"
            for r in runs
        )
        + ". Load average (1 min) before and after each run: "
        + "; ".join(f"{r['load_1min_before']:.1f}–{r['load_1min_after']:.1f}" for r in runs)
        + ".",
        "",
        "| variation | recall auto + review, Buurtkracht | splink 5 |",
        "|---|---:|---:|",
    ]
    for name, value in bk["recall_with_review_per_variation"].items():
        other = sp["recall_with_review_per_variation"].get(name)
        lines.append(f"| {name} | {_percent(value, 1)} | {_percent(other, 1)} |")
    best = max(first["splink_sweep"], key=lambda s: s["f1_with_review"] or 0)
    lines += [
        "",
        "splink thresholds tried afterwards on the same predictions "
        "(match probability; F1 automatic + review, review share, precision automatic):",
        "",
        "| auto ≥ \\ review ≥ | " + " | ".join(str(r) for r in SWEEP_REVIEW) + " |",
        "|---|" + "---:|" * len(SWEEP_REVIEW),
    ]
    for auto in SWEEP_AUTO:
        cells = [
            f"{_percent(s['f1_with_review'])}, {_percent(s['review_share'], 1)}, "
            f"{_percent(s['precision_automatic'])}"
            for s in first["splink_sweep"]
            if s["auto"] == auto
        ]
        lines.append(f"| {auto} | " + " | ".join(cells) + " |")
    lines.append(
        f"\nBest splink F1 (automatic + review) in hindsight: "
        f"{_percent(best['f1_with_review'])} at auto ≥ {best['auto']}, "
        f"review ≥ {best['review']}; Buurtkracht: {_percent(bk['f1_with_review'])}."
    )
    return "\n".join(lines)


def child_command(args: argparse.Namespace, data_dir: str, splink_first: bool) -> list[str]:
    command = [sys.executable, __file__, "--child", "--data-dir", data_dir]
    for name in (
        "households",
        "signals",
        "seed",
        "negative_share",
        "batch_size",
        "auto_threshold",
        "review_threshold",
        "u_pairs",
    ):
        command += [f"--{name.replace('_', '-')}", str(getattr(args, name))]
    return [*command, "--splink-first"] if splink_first else command


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--households", type=int, default=50_000)
    parser.add_argument("--signals", type=int, default=7_500)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--negative-share", type=float, default=0.1)
    parser.add_argument("--batch-size", type=int, default=5_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--auto-threshold", type=float, default=0.999)
    parser.add_argument("--review-threshold", type=float, default=0.5)
    parser.add_argument(
        "--u-pairs",
        type=float,
        default=1e6,
        help="splink's u sample (its default; 1e7 gave the same figures, twice the training)",
    )
    parser.add_argument(
        "--data-dir", help="Keep the SQLite database here and reuse it (default: temporary)."
    )
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--splink-first", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.child:
        # splink reports every training step on its logger; the tables are the output.
        logging.getLogger("splink").setLevel(logging.WARNING)
        logging.getLogger("sqlglot").setLevel(logging.WARNING)
        setup_django(args.data_dir)
        print(json.dumps(one_run(args)))
        return

    if importlib.util.find_spec("splink") is None:
        sys.exit(
            "splink is not installed (a benchmark-only dependency). Install it with: "
            ".venv/bin/pip install -r requirements/bench.lock"
        )
    runs: list[dict[str, Any]] = []
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="buurtkracht-splink-") as scratch:
        data_dir = args.data_dir or scratch
        for number in range(args.repeat):
            print(f"Run {number + 1} of {args.repeat}…", file=sys.stderr)
            done = subprocess.run(
                child_command(args, data_dir, splink_first=number % 2 == 1),
                check=True,
                stdout=subprocess.PIPE,
                text=True,
                env={**os.environ, "PYTHONPATH": str(ROOT / "src")},
            )
            runs.append(json.loads(done.stdout.strip().splitlines()[-1]))
    print(markdown(runs))
    out_dir = ROOT / "benchmarks" / "results"
    out_dir.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    path = out_dir / f"splink_side_by_side-{args.households}-{args.signals}-{stamp}.json"
    summary = {
        "arguments": {k: v for k, v in vars(args).items() if k not in {"child", "splink_first"}},
        "total_seconds": round(time.perf_counter() - started, 1),
        "buurtkracht_seconds_median": statistics.median(r["buurtkracht"]["seconds"] for r in runs),
        "splink_seconds_median": statistics.median(r["splink"]["seconds"] for r in runs),
        "runs": runs,
    }
    path.write_text(json.dumps(summary, indent=2, ensure_ascii=False) + "\n")
    print(f"\nSaved to {path.relative_to(ROOT)}", file=sys.stderr)


if __name__ == "__main__":
    main()
