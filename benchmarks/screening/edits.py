"""The 1-2-edit goal and the non-listed alert rates over several samples at once.

python -m benchmarks.screening.edits --data /work/shared/data/screening [--seeds 1 2 3] [--entities 700]

Each seed grows the lists with its own made-up entities, samples its own listed entities and makes its
own variants (one typo, two typos, swapped letters) and non-listed names, so that a change to the
engine is judged on more than one sample. Accuracy only; speed is measured by ``benchmarks.screening``.
The last table shows what finding more variants of short names would cost in alerts on non-listed
names.
"""

from __future__ import annotations

import argparse
import random
import sys
from collections.abc import Sequence
from pathlib import Path

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from ctpat.screening import DEFAULT_ALERT_THRESHOLD, ScreeningIndex, build_index
from ctpat.screening.name_matching import prepare_name

from .__main__ import (
    Outcome,
    Query,
    _listed_queries,
    _non_listed,
    _party_groups,
    _rates,
    _run_engine,
    benchmark_lists,
)
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
    near_short: dict[tuple[str, int], list[int]] = {}  # (who, edits): n, within that many edits
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
        _count_near_short(index, listed, outcomes[: len(listed)], others, args.threshold, near_short)
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
    _, among, count = totals["1-2-edit variants"]
    _print_near_short(near_short, len(args.seeds), found=among, variants=count)
    return 0


SHORT_LETTERS = 5  # the "up to 5 letters" bucket
NEAR_EDITS = (1, 2)


def _core(name: str) -> str:
    """A name's distinctive words, written together (legal forms, generic words, initials left out)."""
    return "".join(prepare_name(name).distinctive_words)


def _count_near_short(
    index: ScreeningIndex,
    listed: list[Query],
    outcomes: list[Outcome],
    others: list[Query],
    threshold: float,
    counts: dict[tuple[str, int], list[int]],
) -> None:
    """What it would take to find the variants of short names: how many of those the engine misses
    are within 1 or 2 edits of their listed name's distinctive words, and how many non-listed names
    are as near to some short listed name. A rule that decides on those edits alone must alert on
    both alike."""
    short = sorted({core for row in index.names if 0 < len(core := _core(row.text)) <= SHORT_LETTERS})
    for query, outcome in zip(listed, outcomes, strict=True):
        if not _short(query.source):
            continue
        found = any(group == query.party and score >= threshold for group, score in outcome.hits)
        edits = Levenshtein.distance(_core(query.name), _core(query.source))
        for allowed in NEAR_EDITS:
            tally = counts.setdefault(("missed", allowed), [0, 0])
            tally[0] += not found
            tally[1] += not found and edits <= allowed
    for query in others:
        core = _core(query.name)
        equal = core in short
        for allowed in NEAR_EDITS:
            near = (
                bool(core)
                and not equal
                and process.extractOne(core, short, scorer=Levenshtein.distance, score_cutoff=allowed)
                is not None
            )
            tally = counts.setdefault((query.perturbation, allowed), [0, 0])
            tally[0] += 1
            tally[1] += near


def _print_near_short(
    counts: dict[tuple[str, int], list[int]], seeds: int, *, found: float, variants: float
) -> None:
    if not counts:
        return
    print("\nWhat finding more variants of short names would cost: a rule that alerts on every name whose")
    print("distinctive words are 1 or 2 edits (not 0) from a short listed name's (up to 5 letters), as the")
    print("missed variants of such names are")
    print(
        f"{'edits':<8}{'missed short-name variants it finds':>38}{'1-2-edit among alerts then':>28}"
        f"{'non-listed persons':>20}{'companies':>11}"
    )
    for allowed in NEAR_EDITS:
        n, near = counts[("missed", allowed)]
        persons = counts.get(("non_listed_person", allowed), [0, 0])
        companies = counts.get(("non_listed_organization", allowed), [0, 0])
        print(
            f"{'<= ' + str(allowed):<8}{f'{near} of {n}':>38}{(found + near) / variants:>28.4f}"
            f"{persons[1] / max(persons[0], 1):>20.2%}{companies[1] / max(companies[0], 1):>11.2%}"
        )
    print(f"(over {seeds} seeds; the alerts are on top of what the engine raises now, before any other rule)")


LETTER_BUCKETS = ("up to 5 letters", "6 letters or more")


def _letters_bucket(name: str) -> str:
    return LETTER_BUCKETS[0] if _short(name) else LETTER_BUCKETS[1]


def _short(name: str) -> bool:
    """A short listed name: its distinctive words have :data:`SHORT_LETTERS` letters or fewer."""
    return prepare_name(name).distinctive_letters <= SHORT_LETTERS


LENGTH_BUCKETS = ("up to 7", "8-14", "15-24", "25+")


def _length_bucket(name: str) -> str:
    length = len(name)
    return "up to 7" if length < 8 else "8-14" if length < 15 else "15-24" if length < 25 else "25+"


if __name__ == "__main__":
    raise SystemExit(main())
