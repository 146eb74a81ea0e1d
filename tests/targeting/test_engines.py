"""The same scoring tests on every backend, and the backends give identical scores.

The Dask backend runs against one small LocalCluster (two single-threaded worker processes) shared
by the module, reached through its scheduler address as ``--scheduler`` would.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import polars as pl
import pytest

from ctpat.targeting.declarations import (
    DeclarationsRejected,
    InvalidRows,
    declaration_source_open,
    declarations_read,
)
from ctpat.targeting.model import TargetingModel
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


def _score(
    engine: ScoringEngine, model: TargetingModel, path: Path, tmp_path: Path, **options: object
) -> pl.DataFrame:
    output = tmp_path / f"scores-{engine.name}.csv"
    engine.score_file(model, declaration_source_open(path), output, progress=False, batch_rows=37, **options)  # type: ignore[arg-type]
    return pl.read_csv(output, schema_overrides={"declaration_id": pl.String})


@pytest.mark.parametrize("layout", ["kcs.csv", "canonical.csv", "canonical.parquet"])
def test_scores_match_the_python_api_in_input_order(
    engine: ScoringEngine, tiny_model: TargetingModel, tmp_path: Path, layout: str
) -> None:
    path = KCS_VALID if layout == "kcs.csv" else canonical_copy(KCS_VALID, tmp_path / layout, outcomes=False)
    scores = _score(engine, tiny_model, path, tmp_path)
    declarations = declarations_read(KCS_VALID).frame
    assert scores["declaration_id"].to_list() == declarations["declaration_id"].to_list()
    assert scores["score"].to_list() == pytest.approx(tiny_model.score(declarations).tolist(), rel=1e-12)


def test_unfit_rows_are_skipped_or_reject_the_run(
    engine: ScoringEngine, tiny_model: TargetingModel, tmp_path: Path
) -> None:
    lines = KCS_VALID.read_text().splitlines()
    lines[100] = lines[100].replace(",", ",,", 1)  # shifts every column: the date becomes empty
    bad = tmp_path / "bad.csv"
    bad.write_text("\n".join(lines[:-1]) + "\n" + lines[-1])  # and no final line break
    with pytest.raises(DeclarationsRejected) as rejected:
        _score(engine, tiny_model, bad, tmp_path)
    assert [problem.line for problem in rejected.value.problems] == [101]
    scores = _score(engine, tiny_model, bad, tmp_path, on_invalid=InvalidRows.SKIP)
    assert scores.height == 139


def test_local_and_dask_scores_are_identical(
    scheduler: str, tiny_model: TargetingModel, unlabelled_csv: Path, tmp_path: Path
) -> None:
    local = _score(scoring_engine("local"), tiny_model, unlabelled_csv, tmp_path)
    on_dask = _score(scoring_engine("dask", scheduler=scheduler), tiny_model, unlabelled_csv, tmp_path)
    assert local.equals(on_dask)
