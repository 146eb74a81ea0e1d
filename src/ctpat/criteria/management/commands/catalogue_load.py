from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ctpat.criteria.catalogue import CatalogueError
from ctpat.criteria.services import CatalogueConflict, catalogue_import


class Command(BaseCommand):
    help = "Load a Minimum Security Criteria catalogue version (default: the bundled latest)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", nargs="?", type=Path, help="a catalogue YAML file")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            version, created = catalogue_import(path=options["path"])
        except (CatalogueError, CatalogueConflict) as exc:
            raise CommandError(str(exc)) from exc
        state = "loaded" if created else "already loaded"
        count = version.criteria.count()
        self.stdout.write(
            f"Catalogue {version.version} ({count} criteria) {state}; current: {version.is_current}"
        )
