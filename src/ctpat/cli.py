"""The one ``ctpat`` console command.

Each command group lives with the code it drives and is imported only when used, so that the
engines' commands (``screen``, ``targeting``) start without Django::

    ctpat manage migrate                   # any Django management command
    ctpat criteria export --format json    # the Minimum Security Criteria catalogue
    ctpat screen search --list ofac-csv:PATH --input Q.csv --output HITS.csv
    ctpat targeting score --model DIR --input D.csv --output S.csv
"""

from __future__ import annotations

import importlib
import os
import sys
from collections.abc import Sequence

# command group -> (module with ``main(argv) -> int``, one-line help)
GROUPS: dict[str, tuple[str, str]] = {
    "manage": ("ctpat.cli_manage", "run a Django management command (migrate, runserver, demo_data, ...)"),
    "criteria": ("ctpat.criteria.cli", "export the Minimum Security Criteria catalogue"),
    "scheduler": ("ctpat.deadlines.cli", "send due deadline reminders (idempotent; --every N to repeat)"),
    "screen": ("ctpat.screening.cli", "screen names against restricted-party lists"),
    "targeting": ("ctpat.targeting.cli", "train, score and evaluate the declaration targeting model"),
}


def usage() -> str:
    lines = ["usage: ctpat COMMAND [ARGS...]", "", "commands:"]
    lines += [f"  {name:<10} {text}" for name, (_, text) in GROUPS.items()]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] in {"-h", "--help", "help"}:
        print(usage())
        return 0
    group = GROUPS.get(args[0])
    if group is None:
        print(f"ctpat: unknown command {args[0]!r}\n\n{usage()}", file=sys.stderr)
        return 2
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ctpat.settings")
    module = importlib.import_module(group[0])
    result: int = module.main(args[1:])
    return result


if __name__ == "__main__":
    raise SystemExit(main())
