"""``ctpat targeting``: train, score, evaluate and select from the command line.

    ctpat targeting train --train TRAIN.csv --valid VALID.csv --model MODEL_DIR
    ctpat targeting score --model MODEL_DIR --input DECLARATIONS.csv --output SCORES.csv [--engine local|dask]
    ctpat targeting evaluate --model MODEL_DIR --test TEST.csv
    ctpat targeting select --model MODEL_DIR --input DECLARATIONS.csv --output SELECTED.csv [--policy P.json]

Errors a user can fix (a missing file or column, an unreadable model, unfit rows) print one line
(plus the unfit rows) on stderr and exit with status 2.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import time
from collections.abc import Sequence
from dataclasses import asdict, replace
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl

from ctpat.targeting.declarations import (
    DeclarationFileError,
    DeclarationsRejected,
    InvalidRows,
    declaration_source_open,
    declarations_read,
)
from ctpat.targeting.metrics import (
    compliance_estimate,
    examination_rates,
    selection_precision,
    targeting_metrics,
)
from ctpat.targeting.model import (
    ModelDirError,
    TrainingSettings,
    file_hash,
    model_load,
    model_save,
    model_train,
)
from ctpat.targeting.policy import (
    PolicyError,
    SelectionPolicy,
    declarations_select,
    importer_tiers_read,
    policy_read,
    synthetic_tiers,
)
from ctpat.targeting.schema import MissingColumnsError
from ctpat.targeting.scoring import ENGINES, scoring_engine
from ctpat.targeting.scoring.engine import DEFAULT_BATCH_ROWS

EXIT_USAGE = 2
_SHOWN_PROBLEMS = 20


class UsageError(Exception):
    """An error the user can fix; reported in one line with exit status 2."""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="ctpat targeting", description="Declaration targeting engine.")
    commands = parser.add_subparsers(dest="command", required=True)

    train = commands.add_parser("train", help="train a model on a past period, validated on the next")
    train.add_argument("--train", required=True, type=Path, help="declarations of the training period")
    train.add_argument("--valid", required=True, type=Path, help="declarations of the following period")
    train.add_argument("--model", required=True, type=Path, help="directory to write the model into")
    train.add_argument("--label", choices=("fraud", "critical"), default="fraud")
    train.add_argument("--seed", type=int, default=0)
    train.add_argument("--no-refit", action="store_true", help="do not refit on train+valid after validating")

    score = commands.add_parser("score", help="score declarations (one row per input declaration, in order)")
    score.add_argument("--model", required=True, type=Path)
    score.add_argument("--input", required=True, type=Path)
    score.add_argument("--output", required=True, type=Path)
    score.add_argument("--engine", choices=ENGINES, default="local")
    score.add_argument("--scheduler", help="dask.distributed scheduler address (default: a LocalCluster)")
    score.add_argument(
        "--batch-rows", type=int, default=DEFAULT_BATCH_ROWS, help="rows per batch (memory stays flat)"
    )

    evaluate = commands.add_parser("evaluate", help="print the model's metrics on a labelled period as JSON")
    evaluate.add_argument("--model", required=True, type=Path)
    evaluate.add_argument("--test", required=True, type=Path)
    evaluate.add_argument("--label", choices=("fraud", "critical"), default=None, help="default: the model's")
    _policy_options(evaluate)

    select = commands.add_parser("select", help="choose declarations to examine, each with its reason")
    select.add_argument("--model", required=True, type=Path)
    select.add_argument("--input", required=True, type=Path)
    select.add_argument("--output", required=True, type=Path)
    _policy_options(select)

    for command in (train, score, evaluate, select):
        command.add_argument(
            "--invalid",
            choices=[mode.value for mode in InvalidRows],
            default=InvalidRows.REJECT.value,
            help="unfit rows: reject the whole input (default) or skip those rows",
        )
        command.add_argument("--quiet", action="store_true", help="no progress on stderr")
    return parser


def _policy_options(command: argparse.ArgumentParser) -> None:
    command.add_argument("--policy", type=Path, help="selection policy JSON (default: the built-in policy)")
    command.add_argument(
        "--tiers", type=Path, help="importer_id,tier,mra CSV (default: SYNTHETIC seeded tiers)"
    )
    command.add_argument("--tier-seed", type=int, default=0, help="seed of the synthetic tier assignment")


def main(argv: Sequence[str]) -> int:
    """Run ``ctpat targeting ARGS``; return the exit status."""
    try:
        args = _parser().parse_args(list(argv))
    except SystemExit as exit_:
        return int(exit_.code or 0)
    try:
        return int(COMMANDS[args.command](args))
    except DeclarationsRejected as error:
        _say(
            f"error: {len(error.problems)} row(s) do not fit the schema; nothing was processed (--invalid skip to process the others)"
        )
        for problem in error.problems[:_SHOWN_PROBLEMS]:
            _say(f"  {problem}")
        if len(error.problems) > _SHOWN_PROBLEMS:
            _say(f"  ... and {len(error.problems) - _SHOWN_PROBLEMS} more")
    except (UsageError, DeclarationFileError, MissingColumnsError, ModelDirError, PolicyError) as error:
        _say(f"error: {error}")
    return EXIT_USAGE


def _say(text: str) -> None:
    print(f"ctpat targeting: {text}", file=sys.stderr)


def _progress(args: argparse.Namespace, text: str) -> None:
    if not args.quiet:
        print(f"[{time.strftime('%H:%M:%S')}] {text}", file=sys.stderr, flush=True)


def _read(path: Path, args: argparse.Namespace) -> pl.DataFrame:
    declarations = declarations_read(path, on_invalid=InvalidRows(args.invalid))
    for problem in declarations.problems[:_SHOWN_PROBLEMS]:
        _say(f"skipped {path} {problem}")
    if len(declarations.problems) > _SHOWN_PROBLEMS:
        _say(f"skipped {len(declarations.problems) - _SHOWN_PROBLEMS} more unfit rows of {path}")
    _progress(
        args, f"read {declarations.frame.height} declarations from {path} ({declarations.layout} layout)"
    )
    return declarations.frame


def _labelled(frame: pl.DataFrame, label: str, path: Path) -> pl.DataFrame:
    if frame.height == 0 or frame[label].null_count() == frame.height:
        raise UsageError(f"{path} carries no {label!r} outcome")
    return frame


def command_train(args: argparse.Namespace) -> int:
    """Train, validate, save."""
    train = _labelled(_read(args.train, args), args.label, args.train)
    valid = _labelled(_read(args.valid, args), args.label, args.valid)
    settings = TrainingSettings(label=args.label, seed=args.seed, refit_with_valid=not args.no_refit)
    _progress(args, "fitting risk profiles and trees (validation on the later period)")
    hashes = {"train": file_hash(args.train), "valid": file_hash(args.valid)}
    model = model_train(train=train, valid=valid, settings=settings, data_hashes=hashes)
    model_save(model, args.model)
    shown = model.metadata.validation_metrics
    _progress(
        args,
        f"saved {args.model}; validation precision at 5%: {shown['precision_at']['5%']:.3f}, "
        f"at 10%: {shown['precision_at']['10%']:.3f}, ROC AUC {shown['roc_auc']:.3f}",
    )
    return 0


def command_score(args: argparse.Namespace) -> int:
    """Score a file with the chosen engine."""
    model = model_load(args.model)
    source = declaration_source_open(args.input)
    engine = scoring_engine(args.engine, scheduler=args.scheduler)
    started = time.perf_counter()
    report = engine.score_file(
        model,
        source,
        args.output,
        on_invalid=InvalidRows(args.invalid),
        batch_rows=args.batch_rows,
        progress=not args.quiet,
    )
    for problem in report.problems[:_SHOWN_PROBLEMS]:
        _say(f"skipped {problem}")
    elapsed = time.perf_counter() - started
    _progress(
        args,
        f"scored {report.scored} declarations in {elapsed:.1f}s with the {engine.name} engine "
        f"({len(report.problems)} skipped) -> {args.output}",
    )
    return 0


def _tiers(args: argparse.Namespace, importers: pl.Series) -> tuple[pl.DataFrame, str]:
    if args.tiers:
        return importer_tiers_read(args.tiers), str(args.tiers)
    note = f"SYNTHETIC: seeded assignment (seed {args.tier_seed}), the data carries no CTPAT flag"
    return synthetic_tiers(importers, seed=args.tier_seed), note


def _selection(
    args: argparse.Namespace, frame: pl.DataFrame, scores: np.ndarray
) -> tuple[pl.DataFrame, SelectionPolicy, str]:
    policy = policy_read(args.policy) if args.policy else SelectionPolicy()
    tiers, tier_source = _tiers(args, frame["importer_id"])
    scored = frame.select("declaration_id", "importer_id").with_columns(pl.Series("score", scores))
    return declarations_select(scored, policy=policy, tiers=tiers), policy, tier_source


def command_evaluate(args: argparse.Namespace) -> int:
    """Metrics on a labelled period, plus what the selection policy does there, as JSON."""
    model = model_load(args.model)
    label = args.label or model.metadata.label
    frame = _labelled(_read(args.test, args), label, args.test)
    scores = model.score(frame)
    outcomes = frame[label].cast(pl.Int8).fill_null(0).to_numpy()
    selection, policy, tier_source = _selection(args, frame, scores)
    without = declarations_select(
        selection.select("declaration_id", "importer_id", "score"),
        policy=replace(policy, tier_reductions={}, mra_reduction=0.0),
        tiers=selection.select("importer_id", "tier", "mra").unique("importer_id"),
    )
    with_adjustment, no_adjustment = (
        selection_precision(selection, outcomes),
        selection_precision(without, outcomes),
    )
    report: dict[str, Any] = {
        "model": str(args.model),
        "test": str(args.test),
        "label": label,
        **targeting_metrics(scores, outcomes),
        "policy": {**asdict(policy), "tier_reductions": dict(policy.tier_reductions)},
        "tiers": tier_source,
        "examination_rates": examination_rates(selection),
        "trusted_trader_cost": {
            "risk_precision_without_adjustment": no_adjustment,
            "risk_precision_with_adjustment": with_adjustment,
            "precision_cost": no_adjustment - with_adjustment,
        },
        "compliance_from_random_share": compliance_estimate(selection, outcomes),
        "actual_compliance_rate": 1.0 - float(outcomes.mean()),
    }
    print(json.dumps(_json_ready(report), indent=2))
    return 0


def command_select(args: argparse.Namespace) -> int:
    """Write every declaration with its score, tier, selection and reason."""
    model = model_load(args.model)
    frame = _read(args.input, args)
    selection, _, tier_source = _selection(args, frame, model.score(frame))
    selection.write_csv(args.output)
    chosen = int(selection["selected"].sum())
    _progress(
        args, f"selected {chosen} of {selection.height} declarations (tiers: {tier_source}) -> {args.output}"
    )
    return 0


def _json_ready(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(key): _json_ready(item) for key, item in value.items()}
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


COMMANDS = {
    "train": command_train,
    "score": command_score,
    "evaluate": command_evaluate,
    "select": command_select,
}
