"""``ctpat screen search`` and ``ctpat screen pairs``: the fixed command-line contract."""

from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

import pytest

from ctpat.cli import main as ctpat_main
from ctpat.screening import DEFAULT_ALERT_THRESHOLD

from .conftest import FIXTURES

HEADER = ["query_id", "rank", "score", "list", "entity_id", "matched_name", "explanation"]
LIST_ARGS = [
    "--list", f"ofac-csv:{FIXTURES / 'ofac_cons'}",
    "--list", f"csl-csv:{FIXTURES / 'consolidated.csv'}",
    "--list", f"un-xml:{FIXTURES / 'un_consolidated.xml'}",
    "--list", f"bis-dpl:{FIXTURES / 'dpl.txt'}",
]  # fmt: skip


def _write(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(rows)
    return path


def _read(path: Path) -> list[list[str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.reader(handle))


@pytest.fixture
def queries(tmp_path: Path) -> Path:
    return _write(
        tmp_path / "queries.csv",
        [
            ["id", "name", "type", "country", "dob"],
            ["q1", "Ismail Haniya", "person", "PS", "1962"],
            ["q2", "Gasprom Neft", "organization", "Russia", ""],
            ["q3", "Maria Schmidt", "person", "DE", ""],
        ],
    )


def test_search_writes_hits_with_the_exact_header(queries: Path, tmp_path: Path) -> None:
    output = tmp_path / "hits.csv"
    assert ctpat_main(["screen", "search", *LIST_ARGS, "--input", str(queries), "--output", str(output)]) == 0
    rows = _read(output)
    assert rows[0] == HEADER
    by_query: dict[str, list[list[str]]] = {}
    for row in rows[1:]:
        by_query.setdefault(row[0], []).append(row)
    assert by_query["q1"][0][3:5] == ["OFAC-CONS", "9639"]
    assert by_query["q2"][0][3:5] == ["OFAC-CONS", "17143"]
    assert "q3" not in by_query  # a non-listed name: no alert at the default threshold
    for hits in by_query.values():
        assert [int(h[1]) for h in hits] == list(range(1, len(hits) + 1))
        assert all(float(h[2]) >= DEFAULT_ALERT_THRESHOLD for h in hits)


def test_threshold_zero_gives_top_n_for_every_query(queries: Path, tmp_path: Path) -> None:
    output = tmp_path / "hits.csv"
    args = ["screen", "search", *LIST_ARGS, "--input", str(queries), "--output", str(output)]
    assert ctpat_main([*args, "--threshold", "0", "--top", "3"]) == 0
    rows = _read(output)[1:]
    assert [r[0] for r in rows] == ["q1"] * 3 + ["q2"] * 3 + ["q3"] * 3
    assert [r[1] for r in rows] == ["1", "2", "3"] * 3
    scores = [float(r[2]) for r in rows if r[0] == "q3"]
    assert scores == sorted(scores, reverse=True)


def test_pairs_repeats_the_input_columns_and_adds_a_score(tmp_path: Path) -> None:
    pairs = _write(
        tmp_path / "pairs.csv",
        [
            ["name1", "name2", "kind", "note"],
            ["HANIYA, Ismail", "Ismail Haniyah", "person", "same"],
            ["Alpha Trading LLC", "Omega Trading LLC", "organization", "different"],
            ["Gazprom", "Газпром", "", "script"],
        ],
    )
    output = tmp_path / "scores.csv"
    assert ctpat_main(["screen", "pairs", "--input", str(pairs), "--output", str(output)]) == 0
    rows = _read(output)
    assert rows[0] == ["name1", "name2", "kind", "note", "score"]
    assert rows[1][:4] == ["HANIYA, Ismail", "Ismail Haniyah", "person", "same"]
    scores = [float(row[4]) for row in rows[1:]]
    assert scores[0] >= DEFAULT_ALERT_THRESHOLD > scores[1]
    assert scores[2] == 1.0


def test_missing_column_is_a_clear_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = _write(tmp_path / "queries.csv", [["id", "full_name"], ["1", "X"]])
    code = ctpat_main(
        ["screen", "search", *LIST_ARGS, "--input", str(bad), "--output", str(tmp_path / "o.csv")]
    )
    err = capsys.readouterr().err
    assert code == 2
    assert str(bad) in err
    assert "missing column(s) name" in err
    assert "Traceback" not in err
    pairs = _write(tmp_path / "pairs.csv", [["name1", "other"], ["a", "b"]])
    assert ctpat_main(["screen", "pairs", "--input", str(pairs), "--output", str(tmp_path / "s.csv")]) == 2
    assert "missing column(s) name2" in capsys.readouterr().err


def test_unreadable_input_and_malformed_list_are_clear_errors(
    queries: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "nowhere.csv"
    code = ctpat_main(
        ["screen", "search", *LIST_ARGS, "--input", str(missing), "--output", str(tmp_path / "o.csv")]
    )
    assert code == 2
    assert f"{missing}: cannot read the file" in capsys.readouterr().err
    broken = tmp_path / "dpl.txt"
    broken.write_text("Name\tCity\nX\tY\n", encoding="utf-8")
    output = tmp_path / "o.csv"
    code = ctpat_main(
        ["screen", "search", "--list", f"bis-dpl:{broken}", "--input", str(queries), "--output", str(output)]
    )
    err = capsys.readouterr().err
    assert code == 2
    assert f"{broken}, line 1: not a Denied Persons List" in err
    assert not output.exists()  # no partial result
    assert (
        ctpat_main(
            ["screen", "search", "--list", "xml:foo", "--input", str(queries), "--output", str(output)]
        )
        == 2
    )


def test_snapshot_command_and_search_from_snapshot(queries: Path, tmp_path: Path) -> None:
    snapshot = tmp_path / "lists.json.gz"
    assert ctpat_main(["screen", "snapshot", *LIST_ARGS, "--output", str(snapshot)]) == 0
    from_lists, from_snapshot = tmp_path / "a.csv", tmp_path / "b.csv"
    ctpat_main(["screen", "search", *LIST_ARGS, "--input", str(queries), "--output", str(from_lists)])
    ctpat_main(
        [
            "screen",
            "search",
            "--snapshot",
            str(snapshot),
            "--input",
            str(queries),
            "--output",
            str(from_snapshot),
        ]
    )
    assert _read(from_lists) == _read(from_snapshot)


def test_console_script(queries: Path, tmp_path: Path) -> None:
    script = Path(sys.executable).with_name("ctpat")
    output = tmp_path / "hits.csv"
    done = subprocess.run(
        [str(script), "screen", "search", *LIST_ARGS, "--input", str(queries), "--output", str(output)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert _read(output)[0] == HEADER
    failed = subprocess.run(
        [str(script), "screen", "pairs", "--input", str(tmp_path / "none.csv"), "--output", str(output)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert failed.returncode == 2
    assert "Traceback" not in failed.stderr


def test_search_on_two_processes_writes_what_one_process_writes(tmp_path: Path) -> None:
    names = ["Ismail Haniya", "Gasprom Neft", "Maria Schmidt", "VTB Bank PJSC", "Zahar Mahmoud"]
    rows = [["id", "name"]] + [[f"q{n}", names[n % len(names)]] for n in range(2_000)]
    queries = _write(tmp_path / "many.csv", rows)
    outputs = []
    for workers in ("1", "2"):
        output = tmp_path / f"hits-{workers}.csv"
        code = ctpat_main(
            ["screen", "search", *LIST_ARGS, "--input", str(queries), "--output", str(output),
             "--workers", workers]
        )  # fmt: skip
        assert code == 0
        outputs.append(_read(output))
    assert outputs[0] == outputs[1]
    assert {row[0] for row in outputs[1][1:]} >= {"q0", "q1999"}


@pytest.mark.slow
def test_dask_engine_on_a_local_cluster_of_processes_writes_what_the_local_engine_writes(
    queries: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ctpat.screening import backends

    started: list[bool] = []
    original = backends.DaskBackend.start

    def spy(self: backends.DaskBackend) -> None:
        started.append(self.processes)
        original(self)

    monkeypatch.setattr(backends.DaskBackend, "start", spy)
    outputs = []
    for engine in ("local", "dask"):
        output = tmp_path / f"hits-{engine}.csv"
        code = ctpat_main(
            ["screen", "search", *LIST_ARGS, "--input", str(queries), "--output", str(output),
             "--engine", engine, "--workers", "2"]
        )  # fmt: skip
        assert code == 0
        outputs.append(_read(output))
    assert outputs[0] == outputs[1]
    assert started and all(started)  # worker processes, not threads in this process
