"""``ctpat targeting`` through the project's console entry point, as outsiders call it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import polars as pl
import pytest

from ctpat.cli import main

from .conftest import KCS_TRAIN, KCS_VALID


@pytest.fixture(scope="module")
def cli_model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    model = tmp_path_factory.mktemp("cli") / "model"
    status = main(
        [
            "targeting",
            "train",
            "--train",
            str(KCS_TRAIN),
            "--valid",
            str(KCS_VALID),
            "--model",
            str(model),
            "--quiet",
        ]
    )
    assert status == 0
    return model


def test_train_writes_a_model_directory(cli_model: Path) -> None:
    assert {"model.txt", "metadata.json", "profiles"} <= {path.name for path in cli_model.iterdir()}


def test_score_writes_one_row_per_declaration_in_input_order(
    cli_model: Path, unlabelled_csv: Path, tmp_path: Path
) -> None:
    output = tmp_path / "scores.csv"
    assert (
        main(
            [
                "targeting",
                "score",
                "--model",
                str(cli_model),
                "--input",
                str(unlabelled_csv),
                "--output",
                str(output),
                "--quiet",
            ]
        )
        == 0
    )
    assert output.read_text().splitlines()[0] == "declaration_id,score"
    scores = pl.read_csv(output, schema_overrides={"declaration_id": pl.String})
    expected = pl.read_csv(unlabelled_csv, infer_schema=False)["Declaration ID"]
    assert scores["declaration_id"].to_list() == expected.to_list()
    assert scores["score"].is_between(0, 1).all()


def test_evaluate_prints_the_metrics_as_json(cli_model: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert (
        main(["targeting", "evaluate", "--model", str(cli_model), "--test", str(KCS_VALID), "--quiet"]) == 0
    )
    report = json.loads(capsys.readouterr().out)
    assert set(report["precision_at"]) == {"1%", "2%", "5%", "10%"}
    assert set(report["recall_at"]) == {"1%", "2%", "5%", "10%"}
    assert 0 <= report["roc_auc"] <= 1
    assert "SYNTHETIC" in report["tiers"]
    assert "non-member" in report["examination_rates"]
    assert {"precision_cost", "risk_precision_with_adjustment"} <= set(report["trusted_trader_cost"])
    assert "compliance_rate" in report["compliance_from_random_share"]


def test_select_writes_reasons(cli_model: Path, tmp_path: Path) -> None:
    output = tmp_path / "selected.csv"
    policy = tmp_path / "policy.json"
    policy.write_text(json.dumps({"budget": 0.1, "random_share": 0.2, "tier_reductions": {"1": 0.2}}))
    tiers = tmp_path / "tiers.csv"
    tiers.write_text("importer_id,tier,mra\nX,1,1\n")
    args = [
        "targeting",
        "select",
        "--model",
        str(cli_model),
        "--input",
        str(KCS_VALID),
        "--output",
        str(output),
    ]
    assert main([*args, "--policy", str(policy), "--tiers", str(tiers), "--quiet"]) == 0
    selected = pl.read_csv(output).filter(pl.col("selected"))
    assert selected.height == 14
    assert selected["reason"].null_count() == 0


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (
            ["score", "--model", "{model}", "--input", "{tmp}/absent.csv", "--output", "{tmp}/o.csv"],
            "no such file",
        ),
        (
            ["score", "--model", "{tmp}/no-model", "--input", "{valid}", "--output", "{tmp}/o.csv"],
            "no model directory",
        ),
        (
            ["score", "--model", "{model}", "--input", "{tmp}/short.csv", "--output", "{tmp}/o.csv"],
            "missing column",
        ),
        (["evaluate", "--model", "{model}", "--test", "{tmp}/unlabelled.csv"], "carries no 'fraud' outcome"),
        (
            [
                "select",
                "--model",
                "{model}",
                "--input",
                "{valid}",
                "--output",
                "{tmp}/o.csv",
                "--policy",
                "{tmp}/greedy.json",
            ],
            "legal cap",
        ),
    ],
)
def test_clear_errors_exit_2_without_traceback(
    cli_model: Path,
    unlabelled_csv: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    arguments: list[str],
    message: str,
) -> None:
    pl.read_csv(KCS_VALID, infer_schema=False).drop("Item Price").write_csv(tmp_path / "short.csv")
    (tmp_path / "greedy.json").write_text(json.dumps({"tier_reductions": {"1": 0.3}}))
    values = {"model": str(cli_model), "tmp": str(tmp_path), "valid": str(KCS_VALID)}
    assert main(["targeting", *(part.format(**values) for part in arguments), "--quiet"]) == 2
    error = capsys.readouterr().err
    assert message in error
    assert "Traceback" not in error
    assert not (tmp_path / "o.csv").exists()


def test_unfit_rows_reject_everything_unless_skipped(
    cli_model: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lines = KCS_VALID.read_text().splitlines()
    lines[5] = lines[5].replace(lines[5].split(",")[1], "yesterday", 1)  # the Date of file line 6
    bad = tmp_path / "bad.csv"
    bad.write_text("\n".join(lines) + "\n")
    output = tmp_path / "scores.csv"
    arguments = [
        "targeting",
        "score",
        "--model",
        str(cli_model),
        "--input",
        str(bad),
        "--output",
        str(output),
        "--quiet",
    ]
    assert main(arguments) == 2
    assert "line 6: date: 'yesterday' is not a date" in capsys.readouterr().err
    assert not output.exists()
    assert main([*arguments, "--invalid", "skip"]) == 0
    assert len(output.read_text().splitlines()) == 1 + 139


def test_console_command_in_a_subprocess(cli_model: Path, unlabelled_csv: Path, tmp_path: Path) -> None:
    ctpat = Path(sys.executable).parent / "ctpat"
    output = tmp_path / "scores.csv"
    done = subprocess.run(
        [
            str(ctpat),
            "targeting",
            "score",
            "--model",
            str(cli_model),
            "--input",
            str(unlabelled_csv),
            "--output",
            str(output),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "scored 140 declarations" in done.stderr  # progress goes to stderr
    missing = subprocess.run(
        [
            str(ctpat),
            "targeting",
            "score",
            "--model",
            str(tmp_path / "none"),
            "--input",
            str(unlabelled_csv),
            "--output",
            str(output),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert missing.returncode == 2
    assert "Traceback" not in missing.stderr
