"""Reading declarations: layouts, formats, unfit rows reported with line and reason."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from ctpat.targeting.declarations import (
    DeclarationFileError,
    DeclarationsRejected,
    InvalidRows,
    csv_record_blocks,
    declaration_source_open,
    declarations_read,
)
from ctpat.targeting.schema import Layout, MissingColumnsError, layout_recognise

from .conftest import KCS_TRAIN, canonical_copy


def test_kcs_layout_is_recognised_from_the_header() -> None:
    declarations = declarations_read(KCS_TRAIN)
    assert declarations.layout is Layout.KCS
    assert declarations.frame.height == 360
    assert declarations.frame["hs_code"].str.len_chars().min() == 6  # zero padding kept
    assert declarations.frame.schema["customs_value"] == pl.Float64
    assert declarations.frame["inspected"].all()  # every KCS row was examined


def test_kcs_critical_fraud_two_means_critical() -> None:
    raw = pl.read_csv(KCS_TRAIN, infer_schema=False)
    frame = declarations_read(KCS_TRAIN).frame
    assert frame["critical"].sum() == (raw["Critical Fraud"] == "2").sum()
    assert frame["fraud"].sum() == (raw["Fraud"] == "1").sum()


@pytest.mark.parametrize("suffix", [".csv", ".parquet"])
def test_canonical_csv_and_parquet_read_the_same(tmp_path: Path, suffix: str) -> None:
    path = canonical_copy(KCS_TRAIN, tmp_path / f"canonical{suffix}")
    canonical = declarations_read(path)
    assert canonical.layout is Layout.CANONICAL
    assert canonical.frame.drop("line").equals(declarations_read(KCS_TRAIN).frame.drop("line"))


def test_header_without_the_columns_of_either_layout_is_refused() -> None:
    with pytest.raises(MissingColumnsError, match="customs_value"):
        layout_recognise(["declaration_id", "date", "importer_id"])


def _with_bad_rows(tmp_path: Path) -> Path:
    lines = KCS_TRAIN.read_text().splitlines()
    header = lines[0].split(",")
    row = lines[3].split(",")
    row[header.index("Item Price")] = "lots"
    lines[3] = ",".join(row)  # file line 4
    row = lines[7].split(",")
    row[header.index("Date")] = "2020-02-31"
    row[header.index("Importer ID")] = ""
    lines[7] = ",".join(row)  # file line 8
    path = tmp_path / "bad.csv"
    path.write_text("\n".join(lines) + "\n")
    return path


def test_unfit_rows_are_reported_with_line_and_reason_and_nothing_is_processed(tmp_path: Path) -> None:
    with pytest.raises(DeclarationsRejected) as rejected:
        declarations_read(_with_bad_rows(tmp_path))
    problems = {problem.line: problem.reason for problem in rejected.value.problems}
    assert set(problems) == {4, 8}
    assert "customs_value: 'lots' is not a number" in problems[4]
    assert "date: '2020-02-31' is not a date" in problems[8]
    assert "importer_id: missing" in problems[8]


def test_skip_processes_the_rows_that_fit(tmp_path: Path) -> None:
    declarations = declarations_read(_with_bad_rows(tmp_path), on_invalid=InvalidRows.SKIP)
    assert declarations.frame.height == 358
    assert [problem.line for problem in declarations.problems] == [4, 8]
    assert 4 not in declarations.frame["line"].to_list()


def test_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(DeclarationFileError, match="no such file"):
        declaration_source_open(tmp_path / "absent.csv")


@pytest.mark.parametrize("block_bytes", [1, 50, 1000, 1 << 20])
def test_csv_blocks_end_on_records_even_inside_quotes(tmp_path: Path, block_bytes: int) -> None:
    body = 'a,"b\nstill b, ""quoted"" b",c\n' * 20 + "x,y,z\n" * 20 + 'last,"no\nfinal break",z'
    path = tmp_path / "quoted.csv"
    path.write_text("one,two,three\n" + body)
    blocks = list(csv_record_blocks(path, block_bytes=block_bytes))
    assert b"".join(blocks).decode() == body
    parsed = [pl.read_csv(block, has_header=False, infer_schema=False) for block in blocks]
    assert sum(frame.height for frame in parsed) == 41
    assert all(frame.width == 3 for frame in parsed)
