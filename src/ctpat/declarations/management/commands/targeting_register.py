"""``ctpat manage targeting_register DIR``: register a model folder written by ``ctpat targeting train``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import CommandParser

from ctpat.declarations.management.commands._targeting_command import TargetingCommand
from ctpat.declarations.services import targeting_model_register


class Command(TargetingCommand):
    help = "Check a trained model folder, copy it under VAR_DIR/targeting and make it the active model."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "directory", type=Path, help="the model folder (model.txt, profiles/, metadata.json)"
        )
        parser.add_argument("--name", default="", help="a name for the model (default: the folder's name)")
        parser.add_argument("--inactive", action="store_true", help="register without making it active")

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"Registering the model in {options['directory']}")
        version = self.run_service(
            lambda: targeting_model_register(
                actor=None,
                source=options["directory"],
                name=options["name"],
                activate=not options["inactive"],
                progress=self.progress,
            )
        )
        self.stdout.write(
            f"Registered model {version.pk} ({version.name}){' — active' if version.is_active else ''}."
        )
