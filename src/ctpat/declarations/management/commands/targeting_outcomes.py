"""``ctpat manage targeting_outcomes F.csv``: record examination outcomes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser

from ctpat.declarations.management.commands._targeting_command import TargetingCommand
from ctpat.declarations.services import declaration_outcomes_record


class Command(TargetingCommand):
    help = (
        "Record examination outcomes from a CSV with the header declaration_id,inspected,fraud,critical. "
        "A line that does not fit, or names a declaration not scored, refuses the whole file."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"no such file: {path}")
        self.stdout.write(f"Recording outcomes from {path}")
        recorded = self.run_service(
            lambda: declaration_outcomes_record(
                actor=None, content=path.read_bytes(), source_name=path.name, progress=self.progress
            )
        )
        self.stdout.write(f"Recorded {recorded.rows} outcomes.")
