"""The same scoring tests on every backend, and the backends give identical scores.

The Dask backend runs against one small LocalCluster (two single-threaded worker processes) shared
by the module, reached through its scheduler address as ``--scheduler`` would.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np
import polars as pl
import pytest

from ctpat.targeting.declarations import (
    DeclarationsRejected,
    InvalidRows,
    declaration_source_open,
    declarations_read,
)
from ctpat.targeting.model import TargetingModel, model_load
from ctpat.targeting.scoring import ScoringEngine, scoring_engine

from .conftest import KCS_VALID, canonical_copy


@pytest.fixture(scope="module")
def scheduler() -> Iterator[str]:
    from dask.distributed import LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0") as cluster:
        yield cluster.scheduler_address


@pytest.fixture(params=["local", "dask"])
def engine(request: pytest.FixtureRequest) -> ScoringEngine:
    if request.param == "dask":
        return scoring_engine("dask", scheduler=request.getfixturevalue("scheduler"))
    return scoring_engine("local")


@pytest.fixture(params=["in-memory", "loaded"])
def model(request: pytest.FixtureRequest, tiny_model: TargetingModel, model_dir: Path) -> TargetingModel:
    """The trained model as such (LightGBM's predict) and loaded from its directory (compiled trees)."""
    return tiny_model if request.param == "in-memory" else model_load(model_dir)


def _score(
    engine: ScoringEngine, model: TargetingModel, path: Path, tmp_path: Path, **options: object
) -> pl.DataFrame:
    output = tmp_path / f"scores-{engine.name}.csv"
    engine.score_file(model, declaration_source_open(path), output, progress=False, batch_rows=37, **options)  # type: ignore[arg-type]
    return pl.read_csv(output, schema_overrides={"declaration_id": pl.String})


@pytest.mark.parametrize("layout", ["kcs.csv", "canonical.csv", "canonical.parquet"])
def test_scores_match_the_python_api_in_input_order(
    engine: ScoringEngine, model: TargetingModel, tiny_model: TargetingModel, tmp_path: Path, layout: str
) -> None:
    path = KCS_VALID if layout == "kcs.csv" else canonical_copy(KCS_VALID, tmp_path / layout, outcomes=False)
    scores = _score(engine, model, path, tmp_path)
    declarations = declarations_read(KCS_VALID).frame
    assert scores["declaration_id"].to_list() == declarations["declaration_id"].to_list()
    assert scores["score"].to_list() == pytest.approx(tiny_model.score(declarations).tolist(), rel=1e-12)


def test_unfit_rows_are_skipped_or_reject_the_run(
    engine: ScoringEngine, model: TargetingModel, tmp_path: Path
) -> None:
    lines = KCS_VALID.read_text().splitlines()
    lines[100] = lines[100].replace(",", ",,", 1)  # shifts every column: the date becomes empty
    lines[3] = lines[3].replace(",", ",,", 1)  # line 4, in the first of several blocks
    bad = tmp_path / "bad.csv"
    bad.write_text("\n".join(lines[:-1]) + "\n" + lines[-1])  # and no final line break
    with pytest.raises(DeclarationsRejected) as rejected:
        _score(engine, model, bad, tmp_path)
    assert [problem.line for problem in rejected.value.problems] == [4, 101]
    scores = _score(engine, model, bad, tmp_path, on_invalid=InvalidRows.SKIP)
    assert scores.height == 138
    unfit = {lines[3].split(",")[0], lines[100].split(",")[0]}
    assert not unfit & set(scores["declaration_id"].to_list())


def test_a_quoted_line_break_stays_in_its_record(
    engine: ScoringEngine, model: TargetingModel, tmp_path: Path
) -> None:
    frame = pl.read_csv(KCS_VALID, infer_schema=False)
    sellers = frame["Seller ID"].to_list()
    for row in range(0, frame.height, 9):  # many, so that some fall where a block would be cut
        sellers[row] = f'{sellers[row] or "S"}\nsecond line, with a comma and a quote "'
    path = tmp_path / "quoted.csv"
    frame.with_columns(pl.Series("Seller ID", sellers)).write_csv(path)
    assert path.read_text().count("\n") > frame.height + 15
    scores = _score(engine, model, path, tmp_path)
    declarations = declarations_read(path).frame
    assert declarations.height == frame.height
    assert scores["declaration_id"].to_list() == declarations["declaration_id"].to_list()
    assert scores["score"].to_list() == pytest.approx(model.score(declarations).tolist(), rel=1e-12)


def test_local_and_dask_scores_are_identical(
    scheduler: str, tiny_model: TargetingModel, unlabelled_csv: Path, tmp_path: Path
) -> None:
    local = _score(scoring_engine("local"), tiny_model, unlabelled_csv, tmp_path)
    on_dask = _score(scoring_engine("dask", scheduler=scheduler), tiny_model, unlabelled_csv, tmp_path)
    assert local.equals(on_dask)


def test_the_command_scores_as_lightgbm_on_the_reference_features(
    model_dir: Path, unlabelled_csv: Path, tmp_path: Path
) -> None:
    """End to end (CLI, local engine, blocks, compiled trees) against the plain way: the join-based
    reference features and LightGBM's own predict. Results must not move by more than 1e-6."""
    from ctpat.targeting.cli import main
    from ctpat.targeting.profiles import feature_matrix

    output = tmp_path / "scores.csv"
    argv = ["score", "--model", str(model_dir), "--input", str(unlabelled_csv), "--output", str(output)]
    assert main([*argv, "--quiet", "--batch-rows", "30"]) == 0
    scores = pl.read_csv(output, schema_overrides={"declaration_id": pl.String})
    model = model_load(model_dir)
    declarations = declarations_read(unlabelled_csv).frame
    reference = feature_matrix(model.features(declarations), model.feature_names)
    expected = model.booster.predict(reference)
    assert scores["declaration_id"].to_list() == declarations["declaration_id"].to_list()
    assert np.abs(scores["score"].to_numpy() - expected).max() <= 1e-6
