"""The management commands: progress on stdout, refusals with every line and reason."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from ctpat.declarations.management.commands import targeting_train
from ctpat.declarations.models import Declaration, DeclarationBatch, TargetingModelVersion
from tests.conftest import Personas
from tests.declarations.conftest import KCS_TRAIN, KCS_VALID, TINY, declaration_file


def _run(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_train_registers_an_active_model(db: None, monkeypatch: pytest.MonkeyPatch) -> None:
    # The command's defaults train the full-size model; the test keeps it tiny.
    monkeypatch.setattr(targeting_train, "TrainingSettings", lambda **options: TINY)
    out, _ = _run("targeting_train", "--train", str(KCS_TRAIN), "--valid", str(KCS_VALID), "--name", "Q1")
    assert "read 360 training and 140 validation declarations" in out
    assert "Registered model" in out and "active" in out and "precision@5%" in out
    assert TargetingModelVersion.objects.get().name == "Q1"


def test_register_score_and_outcomes(members: Personas, model_dir: Path, tmp_path: Path) -> None:
    out, _ = _run("targeting_register", str(model_dir), "--name", "Tiny")
    assert "Registered model" in out
    path = declaration_file(tmp_path / "declarations.csv")
    out, _ = _run(
        "targeting_score_file",
        "--input",
        str(path),
        "--budget",
        "0.1",
        "--random-share",
        "0.2",
        "--seed",
        "5",
    )
    assert "read 140 declarations" in out and "Stored 140 declarations" in out
    batch = DeclarationBatch.objects.get()
    assert (batch.selected_count, batch.random_count, batch.policy["seed"]) == (14, 3, 5)
    first = Declaration.objects.order_by("position").first()
    assert first is not None
    outcomes = tmp_path / "outcomes.csv"
    outcomes.write_text(f"declaration_id,inspected,fraud,critical\n{first.declaration_id},1,1,0\n")
    out, _ = _run("targeting_outcomes", str(outcomes))
    assert "Recorded 1 outcomes." in out


def test_a_bad_file_prints_each_line_and_fails(members: Personas, model_dir: Path, tmp_path: Path) -> None:
    _run("targeting_register", str(model_dir))
    path = tmp_path / "bad.csv"
    text = declaration_file(tmp_path / "good.csv").read_text().splitlines()
    text[3] = text[3].replace(text[3].split(",")[1], "2024-13-45", 1)
    path.write_text("\n".join(text) + "\n")
    err = StringIO()
    with pytest.raises(CommandError, match="nothing was stored"):
        call_command("targeting_score_file", "--input", str(path), stdout=StringIO(), stderr=err)
    assert "line 4: date: '2024-13-45' is not a date (YYYY-MM-DD)" in err.getvalue()
    assert not Declaration.objects.exists()


def test_a_policy_out_of_range_is_refused(members: Personas, model_dir: Path, tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="budget"):
        _run("targeting_score_file", "--input", str(tmp_path / "x.csv"), "--budget", "0")
