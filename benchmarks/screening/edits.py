"""The 1-2-edit goal and the non-listed alert rates over several samples at once.

python -m benchmarks.screening.edits --data /work/shared/data/screening [--seeds 1 2 3] [--entities 700]

Each seed grows the lists with its own made-up entities, samples its own listed entities and makes its
own variants (one typo, two typos, swapped letters) and non-listed names, so that a change to the
engine is judged on more than one sample. Accuracy only; speed is measured by ``benchmarks.screening``.
"""

from __future__ import annotations

import argparse
import random
import sys
from collections.abc import Sequence
from pathlib import Path

from ctpat.screening import DEFAULT_ALERT_THRESHOLD, build_index
from ctpat.screening.name_matching import prepare_name

from .__main__ import Query, _listed_queries, _non_listed, _party_groups, _rates, _run_engine, benchmark_lists
from .perturbations import EDIT_CLASSES


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.screening.edits")
    parser.add_argument("--data", type=Path, required=True, help="folder with the screening list samples")
    parser.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3])
    parser.add_argument("--entities", type=int, default=700, help="listed entities sampled per seed")
    parser.add_argument("--non-listed", type=int, default=1500, help="non-listed persons and companies each")
    parser.add_argument("--threshold", type=float, default=DEFAULT_ALERT_THRESHOLD)
    args = parser.parse_args(argv)
    sys.stdout.reconfigure(line_buffering=True)  # type: ignore[union-attr]
    totals: dict[str, list[float]] = {}
    by_length: dict[tuple[str, str], list[int]] = {}
    by_letters: dict[str, list[int]] = {}  # n, ranked first, among alerts
    for seed in args.seeds:
        rng = random.Random(seed)
        index = build_index(benchmark_lists(args.data, entities=9000, seed=seed))
        groups = _party_groups(index.entities)
        listed = [
            q
            for q in _listed_queries(index.entities, groups, args.entities, rng)
            if q.perturbation in EDIT_CLASSES
        ]
        others = _non_listed(index, args.non_listed, rng)
        outcomes = _run_engine(index, groups, listed + others, args.threshold)
        rates = _rates(
            [Query(q.name, "1-2-edit variants", q.party, q.kind) for q in listed],
            outcomes[: len(listed)],
            args.threshold,
        )
        rates |= _rates(listed, outcomes[: len(listed)], args.threshold)
        rates |= _rates(others, outcomes[len(listed) :], args.threshold)
        for query, outcome in zip(listed, outcomes[: len(listed)], strict=True):
            bucket = by_length.setdefault((query.perturbation, _length_bucket(query.source)), [0, 0])
            bucket[0] += 1
            bucket[1] += any(g == query.party and score >= args.threshold for g, score in outcome.hits)
            alerts = [g for g, score in outcome.hits if score >= args.threshold]
            kind = by_letters.setdefault(_letters_bucket(query.source), [0, 0, 0])
            kind[0] += 1
            kind[1] += alerts[:1] == [query.party]
            kind[2] += query.party in alerts
        print(f"seed {seed}: " + ", ".join(f"{k} {v[0]:.3f}/{v[1]:.3f}" for k, v in rates.items()))
        for name, (first, among, count) in rates.items():
            total = totals.setdefault(name, [0.0, 0.0, 0.0])
            total[0] += first * count
            total[1] += among * count
            total[2] += count
    print(f"\nAll seeds {args.seeds}, threshold {args.threshold}        n    first   among alerts")
    for name, (first, among, count) in totals.items():
        if name.startswith("non_listed"):
            print(f"{name + ' (alert rate)':<36}{int(count):>6}   {first / count:.4f}")
        else:
            print(f"{name:<36}{int(count):>6}   {first / count:.4f}   {among / count:.4f}")
    print("\nAmong alerts by the length of the listed name (characters)")
    print(f"{'class':<16}" + "".join(f"{bucket:>16}" for bucket in LENGTH_BUCKETS))
    for perturbation in EDIT_CLASSES:
        cells = [by_length.get((perturbation, bucket), [0, 0]) for bucket in LENGTH_BUCKETS]
        print(
            f"{perturbation:<16}"
            + "".join(f"{found / n:>9.3f} ({n:>4})" if n else f"{'-':>16}" for n, found in cells)
        )
    print("\n1-2-edit variants by the letters of the listed name's distinctive words (legal forms,")
    print("generic words and initials left out)      n    first   among alerts")
    for bucket in LETTER_BUCKETS:
        n, first, among = by_letters.get(bucket, [0, 0, 0])
        if n:
            print(f"{bucket:<36}{n:>6}   {first / n:.4f}   {among / n:.4f}")
    return 0


LETTER_BUCKETS = ("up to 5 letters", "6 letters or more")


def _letters_bucket(name: str) -> str:
    return LETTER_BUCKETS[0] if prepare_name(name).distinctive_letters <= 5 else LETTER_BUCKETS[1]


LENGTH_BUCKETS = ("up to 7", "8-14", "15-24", "25+")


def _length_bucket(name: str) -> str:
    length = len(name)
    return "up to 7" if length < 8 else "8-14" if length < 15 else "15-24" if length < 25 else "25+"


if __name__ == "__main__":
    raise SystemExit(main())
