"""Registering models (one active at a time, metadata kept) and recording examination outcomes."""

from __future__ import annotations

from pathlib import Path

import pytest

from ctpat.declarations.models import Declaration, OutcomeImport, TargetingModelVersion
from ctpat.declarations.policy import selection_policy
from ctpat.declarations.services import (
    TargetingRefused,
    declaration_outcomes_record,
    declarations_score_file,
    targeting_model_activate,
    targeting_model_register,
    targeting_model_train,
)
from tests.conftest import Personas
from tests.declarations.conftest import KCS_TRAIN, KCS_VALID, TINY


def test_registering_a_model_folder_keeps_its_metadata(db: None, model_dir: Path, settings: object) -> None:
    version = targeting_model_register(actor=None, source=model_dir, name="Tiny model")
    assert version.is_active and version.path.is_dir() and version.path != model_dir
    assert str(version.path).startswith(str(settings.VAR_DIR))  # type: ignore[attr-defined]
    assert version.training_rows == {"train": 360, "valid": 140}
    assert version.data_hashes == {"train": "sha256:t", "valid": "sha256:v"}
    assert set(version.validation_metrics["precision_at"]) == {"1%", "2%", "5%", "10%"}
    assert 0 <= version.validation_metrics["roc_auc"] <= 1
    assert {"lightgbm", "polars", "python"} <= set(version.library_versions)
    assert version.top_features and {"feature", "gain"} == set(version.top_features[0])
    assert version.period_start is None  # a folder does not say which dates it was trained on


def test_training_in_the_portal_records_files_and_dates(db: None) -> None:
    version = targeting_model_train(
        actor=None, train=KCS_TRAIN, valid=KCS_VALID, name="Trained here", training=TINY
    )
    assert version.training_files == {"train": "kcs_train.csv", "valid": "kcs_valid.csv"}
    assert version.data_hashes["train"].startswith("sha256:") and len(version.data_hashes["train"]) == 71
    assert (str(version.period_start), str(version.period_end)) == ("2020-01-01", "2021-03-31")
    assert version.training_settings["trees"] == 8


def test_one_model_is_active_at_a_time(db: None, model_dir: Path) -> None:
    first = targeting_model_register(actor=None, source=model_dir, name="First")
    second = targeting_model_register(actor=None, source=model_dir, name="Second")
    assert list(TargetingModelVersion.objects.filter(is_active=True)) == [second]
    targeting_model_activate(actor=None, version=first)
    assert list(TargetingModelVersion.objects.filter(is_active=True)) == [first]
    first.refresh_from_db()
    assert first.activated_at is not None and first.activated_at > second.registered_at


def test_an_unreadable_model_folder_is_refused(db: None, tmp_path: Path) -> None:
    with pytest.raises(TargetingRefused, match="no model directory"):
        targeting_model_register(actor=None, source=tmp_path / "missing", name="x")
    assert not TargetingModelVersion.objects.exists()


@pytest.fixture
def scored(members: Personas, active_model: TargetingModelVersion, scoring_file: Path) -> list[str]:
    policy = selection_policy(seed=3)
    batch = declarations_score_file(actor=None, path=scoring_file, policy=policy)
    return list(batch.declarations.order_by("position").values_list("declaration_id", flat=True))


def test_outcomes_are_recorded(scored: list[str], personas: Personas) -> None:
    content = (
        f"declaration_id,inspected,fraud,critical\n{scored[0]},1,1,1\n{scored[1]},1,0,0\n{scored[2]},0,,\n"
    )
    recorded = declaration_outcomes_record(
        actor=personas.pat, content=content.encode(), source_name="out.csv"
    )
    assert (recorded.rows, recorded.recorded_by, recorded.source_name) == (3, personas.pat, "out.csv")
    rows = {d.declaration_id: d for d in Declaration.objects.filter(declaration_id__in=scored[:3])}
    assert (rows[scored[0]].inspected, rows[scored[0]].fraud, rows[scored[0]].critical) == (True, True, True)
    assert (rows[scored[1]].inspected, rows[scored[1]].fraud, rows[scored[1]].critical) == (
        True,
        False,
        False,
    )
    assert (rows[scored[2]].inspected, rows[scored[2]].fraud) == (False, None)
    assert rows[scored[0]].outcome_recorded_at is not None


@pytest.mark.parametrize(
    ("lines", "problem"),
    [
        ("{0},1,2,0", "line 2: fraud: '2' is not 0 or 1"),
        ("{0},0,1,0", "line 2: a violation is reported for a declaration that was not inspected"),
        ("{0},1,,0", "line 2: fraud: missing for an inspected declaration"),
        ("{0},1,0,1", "line 2: critical: a critical violation must also be a violation (fraud = 1)"),
        ("{0},1,0,0\n{0},1,1,0", "line 3: declaration_id: '{0}' repeats line 2"),
        ("{0},1,0,0\nNOPE,1,0,0", "line 3: declaration_id: 'NOPE' is not a scored declaration"),
        (",1,0,0", "line 2: declaration_id: missing"),
    ],
)
def test_bad_outcome_files_are_refused_whole(scored: list[str], lines: str, problem: str) -> None:
    content = "declaration_id,inspected,fraud,critical\n" + lines.format(scored[0]) + "\n"
    with pytest.raises(TargetingRefused) as refused:
        declaration_outcomes_record(actor=None, content=content.encode(), source_name="bad.csv")
    assert refused.value.problems == [problem.format(scored[0])]
    assert not OutcomeImport.objects.exists()
    assert not Declaration.objects.filter(inspected__isnull=False).exists()


def test_outcome_file_without_its_columns_is_refused(scored: list[str]) -> None:
    with pytest.raises(TargetingRefused) as refused:
        declaration_outcomes_record(actor=None, content=b"id,fraud\nD1,1\n", source_name="bad.csv")
    assert refused.value.problems == ["line 1: missing column(s): declaration_id, inspected, critical"]
