"""``ctpat criteria``: the Minimum Security Criteria catalogue on the command line.

    ctpat criteria export --format json|csv [--entity-type CODE] [--version V]

prints the whole catalogue (or the criteria of one entity type) to stdout, for auditors'
spreadsheets and for other systems. No Django needed.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from collections.abc import Sequence

from ctpat.core.entity_types import EntityType
from ctpat.criteria.catalogue import (
    CatalogueError,
    CriterionRecord,
    available_versions,
    bundled_catalogue_path,
    catalogue_as_records,
    load_catalogue,
)

PROG = "ctpat criteria"
# A spreadsheet cell cannot hold a list: entity types are joined with this separator in CSV.
CSV_LIST_SEPARATOR = ";"


def main(argv: Sequence[str]) -> int:
    args = build_parser().parse_args(list(argv))
    return criteria_export(output_format=args.format, entity_type=args.entity_type, version=args.version)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog=PROG, description="The Minimum Security Criteria catalogue.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    export = commands.add_parser("export", help="print the catalogue to stdout")
    export.add_argument(
        "--format", choices=["json", "csv"], default="json", help="output format (default: json)"
    )
    export.add_argument("--entity-type", metavar="CODE", help="only the criteria for this entity type")
    export.add_argument("--version", metavar="V", help="catalogue version (default: the latest)")
    return parser


def criteria_export(*, output_format: str, entity_type: str | None, version: str | None) -> int:
    """Print the catalogue; 2 for an unknown entity type or version, 1 for a broken data file."""
    if entity_type is not None and entity_type not in {member.value for member in EntityType}:
        return _usage_error(f"unknown entity type {entity_type!r}; known: {', '.join(EntityType)}")
    if version is not None and version not in available_versions():
        return _usage_error(
            f"unknown catalogue version {version!r}; available: {', '.join(available_versions())}"
        )
    try:
        catalogue = load_catalogue(bundled_catalogue_path(version))
    except CatalogueError as exc:
        print(f"{PROG}: {exc}", file=sys.stderr)
        return 1
    records = catalogue_as_records(
        catalogue, entity_type=None if entity_type is None else EntityType(entity_type)
    )
    if output_format == "csv":
        _write_csv(records)
    else:
        print(json.dumps(records, indent=2, ensure_ascii=False))
    return 0


def _write_csv(records: list[CriterionRecord]) -> None:
    writer = csv.DictWriter(sys.stdout, fieldnames=list(CriterionRecord.__annotations__), lineterminator="\n")
    writer.writeheader()
    for record in records:
        writer.writerow({**record, "entity_types": CSV_LIST_SEPARATOR.join(record["entity_types"])})


def _usage_error(message: str) -> int:
    print(f"{PROG} export: error: {message}", file=sys.stderr)
    return 2
