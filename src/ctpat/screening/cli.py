"""``ctpat screen``: screen names against restricted-party lists from the command line.

::

    ctpat screen search --list ofac-csv:sdn/ --list un-xml:un.xml --input queries.csv --output hits.csv
    ctpat screen pairs --input pairs.csv --output scores.csv
    ctpat screen snapshot --list ofac-csv:sdn/ --output lists.snapshot.json.gz

Input errors (a missing column, an unreadable or malformed file) end with exit code 2 and a
message naming the file, without a traceback.
"""

from __future__ import annotations

import argparse
import csv
import os
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from .backends import screen_queries
from .index import DEFAULT_ALERT_THRESHOLD, DEFAULT_LIMIT, ScreeningIndex, ScreeningQuery, build_index
from .model import ListFileError, PartyType
from .name_matching import score_pair
from .readers import LIST_FORMATS, read_list
from .snapshot import load_snapshot, save_snapshot

HITS_HEADER = ("query_id", "rank", "score", "list", "entity_id", "matched_name", "explanation")
PROGRESS_MIN_ROWS = 200


class InputError(Exception):
    """A problem with the user's input: reported in one line, exit code 2."""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="ctpat screen", description="Screen names against restricted-party lists."
    )
    commands = parser.add_subparsers(dest="command", required=True)
    search = commands.add_parser("search", help="screen the names of a CSV file against lists")
    search.add_argument(
        "--list",
        dest="lists",
        action="append",
        default=[],
        metavar="FORMAT:PATH",
        help=f"a list to screen against; FORMAT is one of {', '.join(LIST_FORMATS)} (repeatable)",
    )
    search.add_argument(
        "--snapshot", type=Path, help="screen against a saved index snapshot instead of --list files"
    )
    search.add_argument(
        "--input", required=True, type=Path, help="CSV with id,name[,type,country,dob,identifiers]"
    )
    search.add_argument("--output", required=True, type=Path, help="CSV of hits to write")
    search.add_argument(
        "--top", type=int, default=DEFAULT_LIMIT, help="at most this many hits per query (default 10)"
    )
    search.add_argument(
        "--threshold",
        type=float,
        default=None,
        help=f"lowest score reported (default: the alert threshold {DEFAULT_ALERT_THRESHOLD}; 0: top N)",
    )
    search.add_argument("--engine", choices=("local", "dask"), default="local")
    search.add_argument("--scheduler", help="address of a dask.distributed scheduler (with --engine dask)")
    search.add_argument(
        "--workers",
        type=int,
        default=0,
        help="processes of the local engine, or worker processes of the local Dask cluster that --engine "
        "dask starts without --scheduler (default 0: one per CPU core; the local engine uses them for "
        "large inputs only)",
    )
    pairs = commands.add_parser("pairs", help="score name pairs")
    pairs.add_argument("--input", required=True, type=Path, help="CSV with name1,name2[,kind]")
    pairs.add_argument("--output", required=True, type=Path, help="CSV to write: the input columns and score")
    snapshot = commands.add_parser("snapshot", help="build an index from lists and save it")
    snapshot.add_argument("--list", dest="lists", action="append", required=True, metavar="FORMAT:PATH")
    snapshot.add_argument("--output", required=True, type=Path)
    return parser  # fmt: skip


@contextmanager
def _reading(path: Path) -> Iterator[csv.DictReader[str]]:
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            yield csv.DictReader(handle)
    except (OSError, UnicodeDecodeError) as error:
        raise InputError(
            f"{path}: cannot read the file ({getattr(error, 'strerror', None) or error})"
        ) from error
    except csv.Error as error:
        raise InputError(f"{path}: not a readable CSV file ({error})") from error


def _require(path: Path, reader: csv.DictReader[str], columns: Sequence[str]) -> list[str]:
    header = list(reader.fieldnames or [])
    missing = [column for column in columns if column not in header]
    if missing:
        raise InputError(
            f"{path}: missing column(s) {', '.join(missing)} (found: {', '.join(header) or 'none'})"
        )
    return header


def _lists(specs: Sequence[str]) -> ScreeningIndex:
    lists = []
    for spec in specs:
        list_format, sep, path = spec.partition(":")
        if not sep or list_format not in LIST_FORMATS or not path:
            raise InputError(
                f"--list {spec!r}: expected FORMAT:PATH with FORMAT one of {', '.join(LIST_FORMATS)}"
            )
        lists.append(read_list(list_format, path))
    # Every list is read before the index is built: a malformed file leaves no partial index.
    return build_index(lists)


def _queries(path: Path) -> list[ScreeningQuery]:
    queries = []
    with _reading(path) as reader:
        _require(path, reader, ("id", "name"))
        for row in reader:
            kind = (row.get("type") or "").strip().lower()
            if kind and kind not in {t.value for t in PartyType}:
                raise InputError(f"{path}, line {reader.line_num}: unknown type {kind!r}")
            identifiers = tuple(i.strip() for i in (row.get("identifiers") or "").split(";") if i.strip())
            queries.append(ScreeningQuery(
                query_id=row["id"] or "", name=row["name"] or "", party_type=kind or None,
                country=row.get("country") or None, dob=row.get("dob") or None, identifiers=identifiers,
            ))  # fmt: skip
    return queries


def _progress_bar(total: int, description: str):  # type: ignore[no-untyped-def]
    from tqdm import tqdm

    tqdm.monitor_interval = 0  # no monitor thread in a process that forks the local engine's workers
    return tqdm(
        total=total, desc=description, unit="name", file=sys.stderr, disable=total < PROGRESS_MIN_ROWS
    )


def _cores() -> int:
    """CPU cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on every platform
        return os.cpu_count() or 1


def _search(args: argparse.Namespace) -> int:
    if not args.lists and not args.snapshot:
        raise InputError("give at least one --list FORMAT:PATH or a --snapshot")
    queries = _queries(args.input)
    index = load_snapshot(args.snapshot) if args.snapshot else _lists(args.lists)
    with _progress_bar(len(queries), "screening") as bar:
        results = screen_queries(
            index, queries, engine=args.engine, scheduler=args.scheduler, limit=args.top,
            threshold=args.threshold, progress=bar.update, workers=args.workers or _cores(),
        )  # fmt: skip
    with _writing(args.output) as writer:
        writer.writerow(HITS_HEADER)
        for query, hits in zip(queries, results, strict=True):
            for hit in hits:
                writer.writerow((query.query_id, hit.rank, f"{hit.score:.4f}", hit.list_code, hit.entity_id,
                                 hit.matched_name, hit.explanation))  # fmt: skip
    alerts = sum(1 for hits in results if hits)
    print(
        f"{len(queries)} names screened, {alerts} with hits; snapshot {index.snapshot_hash[:12]}",
        file=sys.stderr,
    )
    return 0


@contextmanager
def _writing(path: Path) -> Iterator[csv.Writer]:  # type: ignore[name-defined]
    try:
        with path.open("w", newline="", encoding="utf-8") as handle:
            yield csv.writer(handle)
    except OSError as error:
        raise InputError(f"{path}: cannot write the file ({error.strerror or error})") from error


def _pairs(args: argparse.Namespace) -> int:
    with _reading(args.input) as reader:
        header = _require(args.input, reader, ("name1", "name2"))
        rows = list(reader)
    with _writing(args.output) as writer, _progress_bar(len(rows), "scoring") as bar:
        writer.writerow([*header, "score"])
        for row in rows:
            kind = (row.get("kind") or "").strip().lower() or None
            if kind and kind not in {t.value for t in PartyType}:
                kind = None
            score = score_pair(row["name1"] or "", row["name2"] or "", kind=kind)
            writer.writerow([*(row.get(column) or "" for column in header), f"{score:.4f}"])
            bar.update(1)
    return 0


def _snapshot(args: argparse.Namespace) -> int:
    index = _lists(args.lists)
    save_snapshot(index, args.output)
    print(f"{len(index)} entities, snapshot {index.snapshot_hash} written to {args.output}", file=sys.stderr)
    return 0


def main(argv: Sequence[str]) -> int:
    """Run ``ctpat screen`` with the given arguments; returns the exit code."""
    parser = _parser()
    try:
        args = parser.parse_args(list(argv))
    except SystemExit as exit_:
        return int(exit_.code or 0)
    commands = {"search": _search, "pairs": _pairs, "snapshot": _snapshot}
    try:
        return commands[args.command](args)
    except (InputError, ListFileError) as error:
        print(f"ctpat screen: error: {error}", file=sys.stderr)
        return 2
