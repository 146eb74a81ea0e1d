"""``ctpat manage export_openapi``: write the API's OpenAPI spec, or check the committed one.

The committed ``docs/openapi.json`` is what API clients and the tests read; ``--check`` (run in
CI) fails when an endpoint changed without regenerating it.
"""

from __future__ import annotations

import difflib
import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

DIFF_LINES = 40


def openapi_spec_text() -> str:
    """The live spec as committed: keys sorted, indent 2, one trailing newline."""
    from ctpat.api.routes import api

    # The round trip through JSON makes every key a string (Ninja uses int status codes), so
    # sorting is well defined.
    spec: Any = json.loads(json.dumps(api.get_openapi_schema(), default=str))
    return json.dumps(spec, sort_keys=True, indent=2, ensure_ascii=False) + "\n"


class Command(BaseCommand):
    help = (
        "Write the OpenAPI spec (--output FILE), or fail when FILE differs from the live API (--check FILE)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        target = parser.add_mutually_exclusive_group(required=True)
        target.add_argument("--output", type=Path, help="write the spec to this file")
        target.add_argument("--check", type=Path, help="compare this committed file with the live spec")

    def handle(
        self, *args: Any, output: Path | None = None, check: Path | None = None, **options: Any
    ) -> None:
        live = openapi_spec_text()
        if output is not None:
            output.parent.mkdir(parents=True, exist_ok=True)
            output.write_text(live, encoding="utf-8")
            self.stdout.write(f"Wrote the OpenAPI spec to {output}.")
            return
        assert check is not None
        self._check(check, live)

    def _check(self, path: Path, live: str) -> None:
        regenerate = f"run `ctpat manage export_openapi --output {path}` and commit the result"
        if not path.exists():
            raise CommandError(f"{path} does not exist; {regenerate}.")
        committed = path.read_text(encoding="utf-8")
        if committed == live:
            self.stdout.write(f"{path} matches the live API.")
            return
        diff = list(
            difflib.unified_diff(
                committed.splitlines(), live.splitlines(), str(path), "live API", lineterm=""
            )
        )
        shown = "\n".join(diff[:DIFF_LINES]) + ("\n..." if len(diff) > DIFF_LINES else "")
        raise CommandError(f"{path} differs from the live API spec; {regenerate}.\n{shown}")
