"""Measure the targeting engine on the public KCS dataset, beside a plain pandas + LightGBM pipeline.

    .venv/bin/python -m benchmarks.targeting --data /work/shared/data/customs [--rows 1000000] [--repeat 3]

Quality: trained on the train file, figures on the valid file (the tuning period: optimistic).
Speed: end-to-end ``score`` from CSV on files of ``--rows`` and twice that (resampled from the
shared data into benchmarks/out/targeting/, git-ignored), each run in its own process so peak RSS
is that run's; the model step alone; one declaration through the Python API (p50/p99). Every speed
figure is printed beside the plain baseline (pandas reads and merges, LightGBM's own ``predict``
scores the same trees), as the best and the median of ``--repeat`` runs, with the machine's load
average (1 minute) before and after: on a shared machine, read them together.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl

from ctpat.targeting.declarations import declarations_read
from ctpat.targeting.model import TrainingSettings, model_load, model_save, model_train

OUT = Path(__file__).resolve().parents[1] / "out" / "targeting"


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.targeting")
    parser.add_argument(
        "--data", type=Path, required=True, help="folder with df_syn_train_eng.csv, df_syn_valid_eng.csv"
    )
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3, help="runs of each speed measurement")
    parser.add_argument("--skip-baseline", action="store_true")
    parser.add_argument(
        "--measure", nargs=4, metavar=("WHICH", "MODEL", "INPUT", "OUTPUT"), help=argparse.SUPPRESS
    )
    return parser.parse_args()


def _measure(which: str, model_dir: str, source: str, output: str) -> None:
    """Run one scoring pipeline in this (fresh) process and print its time and peak RSS as JSON."""
    started = time.perf_counter()
    if which == "engine":
        from ctpat.targeting.cli import main

        status = main(["score", "--model", model_dir, "--input", source, "--output", output, "--quiet"])
        assert status == 0
    else:
        from benchmarks.targeting.baseline import baseline_score

        baseline_score(model_load(model_dir), Path(source), Path(output))
    seconds = time.perf_counter() - started
    # VmHWM, not ru_maxrss: the latter keeps the parent's size from before exec.
    status = Path("/proc/self/status").read_text() if Path("/proc/self/status").exists() else ""
    high_water = [line.split()[1] for line in status.splitlines() if line.startswith("VmHWM:")]
    peak_kib = float(high_water[0]) if high_water else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    peak_mib = peak_kib / 1024
    print(json.dumps({"seconds": seconds, "peak_rss_mib": peak_mib}))


def _run_measure(which: str, model_dir: Path, source: Path, output: Path) -> dict[str, float]:
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "benchmarks.targeting",
            "--data",
            ".",
            "--measure",
            which,
            str(model_dir),
            str(source),
            str(output),
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def _load() -> float:
    return os.getloadavg()[0]


class Series:
    """Repeated measurements of one figure: rates (per second) and peak RSS, with the load around them."""

    def __init__(self) -> None:
        self.rates: list[float] = []
        self.peaks: list[float] = []
        self.loads: list[float] = [_load()]

    def add(self, rate: float, peak_mib: float = 0.0) -> None:
        self.rates.append(rate)
        self.peaks.append(peak_mib)
        self.loads.append(_load())

    @property
    def best(self) -> float:
        return max(self.rates)

    @property
    def median(self) -> float:
        return statistics.median(self.rates)

    def rates_text(self) -> str:
        return f"{self.best:>10,.0f} {self.median:>10,.0f}"

    def peak_text(self) -> str:
        return f"{max(self.peaks):>6.0f}MB"

    def load_text(self) -> str:
        return f"{min(self.loads):.1f}-{max(self.loads):.1f}"


def _resampled(data: Path, rows: int) -> Path:
    target = OUT / f"declarations-{rows}.csv"
    if not target.exists():
        history = pl.read_csv(data / "df_syn_train_eng.csv", infer_schema=False)
        sample = history.sample(rows, with_replacement=True, seed=rows).drop("Fraud", "Critical Fraud")
        sample.with_columns(pl.int_range(pl.len()).cast(pl.String).alias("Declaration ID")).write_csv(target)
    return target


def _quality(data: Path) -> tuple[Path, dict[str, Any]]:
    train = declarations_read(data / "df_syn_train_eng.csv").frame
    valid = declarations_read(data / "df_syn_valid_eng.csv").frame
    started = time.perf_counter()
    model = model_train(train=train, valid=valid, settings=TrainingSettings())
    seconds = time.perf_counter() - started
    model_dir = model_save(model, OUT / "model")  # also compiles the trees, cached in the directory
    return model_dir, {"training_seconds": seconds, **model.metadata.validation_metrics}


def _percentiles(timings: list[float]) -> tuple[float, float]:
    return float(np.percentile(timings, 50)), float(np.percentile(timings, 99))


def _single_latency(model_dir: Path, data: Path, *, baseline: bool) -> dict[str, tuple[float, float]]:
    """p50 and p99 in ms of one declaration: the engine's score_one, and the plain way (pandas
    merges for one row, LightGBM's predict) on fewer rows, as it is slow."""
    from benchmarks.targeting.baseline import baseline_features

    model = model_load(model_dir)
    frame = declarations_read(data / "df_syn_valid_eng.csv").frame.head(2000)
    rows = list(frame.iter_rows(named=True))
    model.score_one(rows[0])  # builds the lookups once
    timings = []
    for row in rows:
        started = time.perf_counter()
        model.score_one(row)
        timings.append((time.perf_counter() - started) * 1000)
    result = {"engine": _percentiles(timings)}
    if baseline:
        text = frame.head(300).select(pl.all().exclude("line").cast(pl.String)).to_pandas()
        timings = []
        for index in range(len(text)):
            started = time.perf_counter()
            model.booster.predict(baseline_features(model, text.iloc[[index]]), num_threads=1)
            timings.append((time.perf_counter() - started) * 1000)
        result["baseline"] = _percentiles(timings)
    return result


def _timed(step: Callable[[], object]) -> float:
    started = time.perf_counter()
    step()
    return time.perf_counter() - started


def _model_step(model_dir: Path, source: Path, repeat: int) -> tuple[int, Series, Series]:
    """The trees alone on a ready feature matrix, 2 threads: the engine's compiled trees on the
    float64 matrix it builds for them, and LightGBM's predict on the float32 matrix."""
    model = model_load(model_dir)
    frame = declarations_read(source).frame
    trees = model._compiled_trees(rows=frame.height)
    features = model.feature_matrix(frame)
    wide = model._profile_index().feature_matrix(frame, dtype=np.float64)
    engine, plain = Series(), Series()
    for _ in range(repeat):
        if trees is not None:
            engine.add(frame.height / _timed(lambda: trees.predict(wide, threads=2)))
        else:
            engine.add(frame.height / _timed(lambda: model.predict(features, threads=2)))
        plain.add(frame.height / _timed(lambda: model.booster.predict(features, num_threads=2)))
    assert np.allclose(model.predict(features), model.booster.predict(features), rtol=0, atol=1e-12)
    return frame.height, engine, plain


def main() -> None:
    args = _arguments()
    if args.measure:
        _measure(*args.measure)
        return
    OUT.mkdir(parents=True, exist_ok=True)
    print(f"{os.cpu_count()} cores; load average (1 min) {_load():.1f} at the start", flush=True)
    print(
        f"training on {args.data}/df_syn_train_eng.csv, validating on df_syn_valid_eng.csv ...",
        file=sys.stderr,
    )
    model_dir, quality = _quality(args.data)
    print("\n== Quality on the VALID file (the tuning period; label Fraud) ==")
    for share in ("1%", "2%", "5%", "10%"):
        print(
            f"  precision@{share:<4} {quality['precision_at'][share]:.3f}   recall@{share:<4} {quality['recall_at'][share]:.3f}"
        )
    print(
        f"  ROC AUC        {quality['roc_auc']:.3f}   (base rate {quality['violation_rate']:.3f}; training {quality['training_seconds']:.1f}s)"
    )

    sizes = [args.rows, 2 * args.rows]
    files = {rows: _resampled(args.data, rows) for rows in sizes}
    print(f"\n== Speed: end-to-end score from CSV, declarations/s (best, median of {args.repeat}) ==")
    print(
        f"  {'rows':>9}  {'engine best':>11} {'median':>10} {'peak RSS':>8}  {'load':>9}"
        f"   {'baseline best':>13} {'median':>10} {'peak RSS':>8}  {'load':>9}"
    )
    for rows in sizes:
        ours = Series()
        for _ in range(args.repeat):
            run = _run_measure("engine", model_dir, files[rows], OUT / f"scores-{rows}.csv")
            ours.add(rows / run["seconds"], run["peak_rss_mib"])
        line = f"  {rows:>9}  {ours.rates_text()} {ours.peak_text()}  {ours.load_text():>9}"
        if not args.skip_baseline:
            plain = Series()
            for _ in range(args.repeat):
                run = _run_measure("baseline", model_dir, files[rows], OUT / f"baseline-{rows}.csv")
                plain.add(rows / run["seconds"], run["peak_rss_mib"])
            line += f"   {plain.rates_text():>24} {plain.peak_text()}  {plain.load_text():>9}"
            same = pl.read_csv(OUT / f"scores-{rows}.csv")["score"].to_numpy()
            other = pl.read_csv(OUT / f"baseline-{rows}.csv")["score"].to_numpy()
            line += f"   (max |engine - baseline| = {np.abs(same - other).max():.1e})"
        print(line, flush=True)

    rows, engine, plain = _model_step(model_dir, files[sizes[0]], args.repeat)
    print(f"\n== Model step alone, feature matrix ready, 2 threads, {rows:,} rows (best, median) ==")
    print(f"  engine (compiled trees) {engine.rates_text()} decl/s   load {engine.load_text()}")
    print(f"  LightGBM predict        {plain.rates_text()} decl/s   load {plain.load_text()}")
    latency = _single_latency(model_dir, args.data, baseline=not args.skip_baseline)
    print("\n== One declaration through the Python API (TargetingModel.score_one), ms ==")
    print(f"  engine     p50 {latency['engine'][0]:.3f}   p99 {latency['engine'][1]:.3f}")
    if "baseline" in latency:
        print(
            f"  baseline   p50 {latency['baseline'][0]:.3f}   p99 {latency['baseline'][1]:.3f}  (pandas merges)"
        )
    print(f"\nload average (1 min) {_load():.1f} at the end")


if __name__ == "__main__":
    main()
