"""``ctpat manage targeting_train --train T.csv --valid V.csv --name N``: train and register a model."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import CommandParser

from ctpat.declarations.management.commands._targeting_command import TargetingCommand
from ctpat.declarations.services import targeting_model_train
from ctpat.targeting import TrainingSettings


class Command(TargetingCommand):
    help = (
        "Train a targeting model on declarations with outcomes (the past in --train, the next period "
        "in --valid), save it under VAR_DIR/targeting and make it the active model."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--train", type=Path, required=True, help="declarations to train on (CSV or Parquet)"
        )
        parser.add_argument("--valid", type=Path, required=True, help="the next period, to validate on")
        parser.add_argument("--name", required=True, help="a name for the model, shown on the model page")
        parser.add_argument("--label", choices=("fraud", "critical"), default="fraud")
        parser.add_argument("--seed", type=int, default=0)
        parser.add_argument("--no-refit", action="store_true", help="do not refit on train + valid")
        parser.add_argument("--inactive", action="store_true", help="register without making it active")

    def handle(self, *args: Any, **options: Any) -> None:
        training = TrainingSettings(
            label=options["label"], seed=options["seed"], refit_with_valid=not options["no_refit"]
        )
        self.stdout.write(f"Training {options['name']} on {options['train']} and {options['valid']}")
        version = self.run_service(
            lambda: targeting_model_train(
                actor=None,
                train=options["train"],
                valid=options["valid"],
                name=options["name"],
                training=training,
                activate=not options["inactive"],
                progress=self.progress,
            )
        )
        metrics = version.validation_metrics
        self.stdout.write(
            f"Registered model {version.pk} ({version.name}){' — active' if version.is_active else ''}: "
            f"validation precision@5% {metrics['precision_at']['5%']:.3f}, ROC AUC {metrics['roc_auc'] or 0:.3f}"
        )
