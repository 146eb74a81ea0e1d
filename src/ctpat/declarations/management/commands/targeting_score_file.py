"""``ctpat manage targeting_score_file --input F.csv``: score, select and store a declaration file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser

from ctpat.declarations.management.commands._targeting_command import TargetingCommand
from ctpat.declarations.policy import selection_policy
from ctpat.declarations.services import declarations_score_file
from ctpat.targeting import PolicyError


class Command(TargetingCommand):
    help = (
        "Score a declaration file with the active model, select the declarations to examine (member "
        "importers get their tier's reduction) and store every declaration. A file with an unfit row "
        "is refused whole, with each line and reason."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--input", type=Path, required=True, help="declarations (CSV or Parquet)")
        parser.add_argument("--budget", type=float, default=0.05, help="share examined (default 0.05)")
        parser.add_argument("--random-share", type=float, default=0.10, help="random share of the budget")
        parser.add_argument(
            "--seed", type=int, default=None, help="seed of the random share (default: fresh)"
        )
        parser.add_argument("--note", default="", help="a note stored with the file")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            policy = selection_policy(
                budget=options["budget"], random_share=options["random_share"], seed=options["seed"]
            )
        except PolicyError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Scoring {options['input']}")
        batch = self.run_service(
            lambda: declarations_score_file(
                actor=None, path=options["input"], policy=policy, note=options["note"], progress=self.progress
            )
        )
        self.stdout.write(
            f"Stored {batch.declarations_count} declarations (batch {batch.pk}); "
            f"{batch.selected_count} selected for examination."
        )
