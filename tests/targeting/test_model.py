"""Training: reproducible with a seed, saved with its metadata, clear errors on a bad directory."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from ctpat.targeting.declarations import declarations_read
from ctpat.targeting.model import ModelDirError, TargetingModel, model_load, model_summary, model_train

from .conftest import KCS_TRAIN, KCS_VALID, TINY


def test_training_is_reproducible_with_a_seed(tiny_model: TargetingModel) -> None:
    train, valid = declarations_read(KCS_TRAIN).frame, declarations_read(KCS_VALID).frame
    again = model_train(train=train, valid=valid, settings=TINY)
    assert again.booster.model_to_string() == tiny_model.booster.model_to_string()
    assert again.metadata.validation_metrics == tiny_model.metadata.validation_metrics


def test_saved_model_carries_its_metadata(model_dir: Path, tiny_model: TargetingModel) -> None:
    record = json.loads((model_dir / "metadata.json").read_text())
    assert record["features"] == list(tiny_model.feature_names)
    assert {"lightgbm", "polars", "numpy", "python"} <= set(record["library_versions"])
    assert set(record["validation_metrics"]["precision_at"]) == {"1%", "2%", "5%", "10%"}
    assert record["settings"]["seed"] == 0
    loaded = model_load(model_dir)
    valid = declarations_read(KCS_VALID).frame
    np.testing.assert_array_equal(loaded.score(valid), tiny_model.score(valid))
    assert model_summary(loaded)["top_features"]


def test_unreadable_model_directory_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ModelDirError, match="no model directory"):
        model_load(tmp_path / "absent")
    (tmp_path / "broken").mkdir()
    (tmp_path / "broken" / "metadata.json").write_text("{not json")
    with pytest.raises(ModelDirError, match="cannot read"):
        model_load(tmp_path / "broken")
