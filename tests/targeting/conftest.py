"""Shared fixtures: the KCS excerpts, their canonical copies, and one tiny trained model.

The model is deliberately small (8 trees of 7 leaves) so the whole folder runs in seconds.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from ctpat.targeting.declarations import LINE, declarations_read
from ctpat.targeting.model import TargetingModel, TrainingSettings, model_save, model_train

FIXTURES = Path(__file__).parent / "fixtures"
KCS_TRAIN = FIXTURES / "kcs_train.csv"
KCS_VALID = FIXTURES / "kcs_valid.csv"
TINY = TrainingSettings(trees=8, leaves=7, min_rows_per_leaf=5)


def canonical_copy(source: Path, target: Path, *, outcomes: bool = True) -> Path:
    """Write ``source`` (any layout) as a canonical CSV or Parquet file (by ``target``'s suffix)."""
    frame = declarations_read(source).frame.drop(LINE)
    if not outcomes:
        frame = frame.drop("inspected", "fraud", "critical")
    if target.suffix == ".parquet":
        frame.write_parquet(target)
    else:
        frame.with_columns(pl.col(pl.Boolean).cast(pl.Int8)).write_csv(target)
    return target


@pytest.fixture(scope="session")
def tiny_model() -> TargetingModel:
    train = declarations_read(KCS_TRAIN).frame
    valid = declarations_read(KCS_VALID).frame
    return model_train(train=train, valid=valid, settings=TINY)


@pytest.fixture(scope="session")
def model_dir(tiny_model: TargetingModel, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return model_save(tiny_model, tmp_path_factory.mktemp("model") / "model")


@pytest.fixture
def unlabelled_csv(tmp_path: Path) -> Path:
    """The validation excerpt in the KCS layout with the outcome columns removed."""
    target = tmp_path / "unlabelled.csv"
    pl.read_csv(KCS_VALID, infer_schema=False).drop("Fraud", "Critical Fraud").write_csv(target)
    return target
