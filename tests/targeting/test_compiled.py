"""Compiled trees: the same scores as LightGBM's predict, cached by model hash, and a fallback."""

from __future__ import annotations

import hashlib
import shutil
import sys
from pathlib import Path

import numpy as np
import polars as pl
import pytest

from ctpat.targeting.compiled import CACHE_SUFFIX, COMPILER_SETTING, trees_compiled
from ctpat.targeting.declarations import declarations_read
from ctpat.targeting.model import (
    TargetingModel,
    TrainingSettings,
    model_load,
    model_save,
    model_train,
)

from .conftest import KCS_TRAIN, KCS_VALID

pytest.importorskip("lleaves")

# Both evaluate the same float64 comparisons; only the last bits of the sum and sigmoid may differ.
SAME = {"rtol": 0.0, "atol": 1e-12}


def _copy_without_cache(model_dir: Path, target: Path) -> Path:
    return Path(shutil.copytree(model_dir, target, ignore=shutil.ignore_patterns(f"*{CACHE_SUFFIX}")))


@pytest.fixture(scope="module")
def larger_model_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Deeper trees than the tiny model's, so that many thresholds and missing-value branches are used."""
    train, valid = declarations_read(KCS_TRAIN).frame, declarations_read(KCS_VALID).frame
    settings = TrainingSettings(trees=40, leaves=31, min_rows_per_leaf=2)
    model = model_train(train=train, valid=valid, settings=settings)
    return model_save(model, tmp_path_factory.mktemp("larger") / "model")


@pytest.mark.parametrize("which", ["tiny", "larger"])
def test_compiled_trees_score_as_lightgbm(
    which: str, model_dir: Path, larger_model_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    directory = model_dir if which == "tiny" else larger_model_dir
    row = pl.int_range(pl.len())
    declarations = declarations_read(KCS_VALID).frame.with_columns(  # some missing features too
        pl.when(row % 3 == 0).then(None).otherwise(pl.col("tax_rate")).alias("tax_rate"),
        pl.when(row % 5 == 0).then(pl.lit("999999")).otherwise(pl.col("hs_code")).alias("hs_code"),
    )
    compiled = model_load(directory)
    features = compiled.feature_matrix(declarations)
    assert np.isnan(features).any()  # missing values take their default branches too
    scores = compiled.score(declarations)
    assert compiled._compiled_trees(rows=1) is not None  # the saved cache was used
    np.testing.assert_allclose(scores, compiled.booster.predict(features), **SAME)
    np.testing.assert_allclose(compiled.predict(features), scores, **SAME)
    single = [compiled.score_one(row) for row in declarations.iter_rows(named=True)]
    np.testing.assert_allclose(single, scores, rtol=1e-6)  # as test_profiles asks of LightGBM's
    monkeypatch.setenv(COMPILER_SETTING, "off")
    plain = model_load(directory)
    assert plain._compiled_trees(rows=1) is None
    np.testing.assert_allclose(plain.score(declarations), scores, **SAME)


def test_model_save_caches_the_compiled_trees_under_the_model_hash(model_dir: Path) -> None:
    digest = hashlib.sha256((model_dir / "model.txt").read_bytes()).hexdigest()[:16]
    cached = list(model_dir.glob(f"*{CACHE_SUFFIX}"))
    assert len(cached) == 1
    assert cached[0].name.startswith(f"model.{digest}.")
    assert not list(model_dir.glob(".*.tmp"))  # written under a temporary name, then renamed


def test_a_changed_model_never_loads_a_stale_cache(
    tiny_model: TargetingModel, model_dir: Path, tmp_path: Path
) -> None:
    other = model_train(
        train=declarations_read(KCS_TRAIN).frame,
        valid=declarations_read(KCS_VALID).frame,
        settings=TrainingSettings(trees=3, leaves=4, min_rows_per_leaf=5),
    )
    directory = _copy_without_cache(model_dir, tmp_path / "model")
    stale = next(model_dir.glob(f"*{CACHE_SUFFIX}"))
    other.booster.save_model(str(directory / "model.txt"))  # a new model.txt beside the old cache
    shutil.copy(stale, directory / stale.name)
    trees = trees_compiled(directory / "model.txt")
    assert trees is not None and trees.cache is not None
    assert trees.cache.name != stale.name
    features = tiny_model.feature_matrix(declarations_read(KCS_VALID).frame)
    np.testing.assert_allclose(trees.predict(features), other.booster.predict(features), **SAME)


def test_a_model_without_cache_compiles_only_for_a_large_call(model_dir: Path, tmp_path: Path) -> None:
    directory = _copy_without_cache(model_dir, tmp_path / "model")
    model = model_load(directory)
    declarations = declarations_read(KCS_VALID).frame
    model.score(declarations)  # 140 rows: LightGBM's predict, nothing compiled
    assert not list(directory.glob(f"*{CACHE_SUFFIX}"))
    large = np.repeat(model.feature_matrix(declarations), 800, axis=0)  # 112,000 rows
    scores = model.predict(large)
    assert len(list(directory.glob(f"*{CACHE_SUFFIX}"))) == 1
    np.testing.assert_allclose(scores, model.booster.predict(large), **SAME)


def test_without_the_compiler_lightgbm_scores(
    model_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "lleaves", None)  # import lleaves raises ImportError
    model = model_load(model_dir)
    declarations = declarations_read(KCS_VALID).frame
    scores = model.score(declarations)
    assert model._compiled_trees(rows=10**6) is None
    np.testing.assert_array_equal(scores, model.booster.predict(model.feature_matrix(declarations)))


def test_a_failing_compiler_warns_and_lightgbm_scores(
    model_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import lleaves

    def broken(self: object, *args: object, **kwargs: object) -> None:
        raise RuntimeError("no native target")

    monkeypatch.setattr(lleaves.Model, "compile", broken)
    directory = _copy_without_cache(model_dir, tmp_path / "model")
    model = model_load(directory)
    features = np.repeat(model.feature_matrix(declarations_read(KCS_VALID).frame), 800, axis=0)
    with pytest.warns(RuntimeWarning, match="cannot compile"):
        scores = model.predict(features)
    np.testing.assert_array_equal(scores, model.booster.predict(features))
