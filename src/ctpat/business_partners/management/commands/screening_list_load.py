"""``ctpat manage screening_list_load --format ofac-csv --code OFAC-SDN [--date 2024-05-01] PATH``"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ctpat.business_partners.forms import LIST_CODE
from ctpat.business_partners.restricted_lists import list_read
from ctpat.business_partners.services import restricted_list_load
from ctpat.screening import LIST_FORMATS, ListFileError


class Command(BaseCommand):
    help = "Load a new version of a restricted-party list and rescreen every business partner."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--format", required=True, choices=list(LIST_FORMATS), dest="list_format")
        parser.add_argument("--code", required=True, help="List code, e.g. OFAC-SDN, CSL, UN-SC, BIS-DPL.")
        parser.add_argument(
            "--date", default=None, help="The list's date (YYYY-MM-DD), if the file does not say."
        )
        parser.add_argument("path", help="The list file (for ofac-csv: the folder or its sdn.csv).")

    def handle(
        self, *args: Any, list_format: str, code: str, date: str | None, path: str, **options: Any
    ) -> None:
        code = code.strip().upper()
        if not LIST_CODE.match(code):
            raise CommandError(f"--code {code!r}: use capital letters, digits and hyphens, e.g. OFAC-SDN")
        source = Path(path)
        try:
            party_list = list_read(list_format, source, code=code, list_date=date)
        except ListFileError as error:
            raise CommandError(f"Nothing loaded: {error}") from error
        self.stdout.write(f"Read {len(party_list.entities)} entries of {code} ({party_list.list_date}).")
        version = restricted_list_load(
            actor=None, party_list=party_list, source_names=[source.name], progress=self._progress
        )
        counts = version.change_summary["counts"]
        self.stdout.write(
            self.style.SUCCESS(
                f"Loaded {code} of {version.list_date}: {counts['added']} added, {counts['removed']} removed, "
                f"{counts['renamed']} with changed names."
            )
        )

    def _progress(self, done: int, total: int) -> None:
        if done == total or done % 100 == 0:
            self.stdout.write(f"Rescreened {done}/{total} business partners")
