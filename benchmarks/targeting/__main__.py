"""Measure the targeting engine on the public KCS dataset, beside a plain pandas + LightGBM pipeline.

    .venv/bin/python -m benchmarks.targeting --data /work/shared/data/customs [--rows 1000000]

Quality: trained on the train file, figures on the valid file (the tuning period: optimistic).
Speed: end-to-end ``score`` from CSV on files of ``--rows`` and twice that (resampled from the
shared data into benchmarks/out/targeting/, git-ignored), each run in its own process so peak RSS
is that run's; the model step alone; one declaration through the Python API (p50/p99).
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
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
    model_dir = model_save(model, OUT / "model")
    return model_dir, {"training_seconds": seconds, **model.metadata.validation_metrics}


def _single_latency(model_dir: Path, data: Path) -> dict[str, float]:
    model = model_load(model_dir)
    rows = list(declarations_read(data / "df_syn_valid_eng.csv").frame.head(2000).iter_rows(named=True))
    model.score_one(rows[0])  # builds the lookups once
    timings = []
    for row in rows:
        started = time.perf_counter()
        model.score_one(row)
        timings.append((time.perf_counter() - started) * 1000)
    return {"p50_ms": float(np.percentile(timings, 50)), "p99_ms": float(np.percentile(timings, 99))}


def _model_step(model_dir: Path, source: Path) -> dict[str, float]:
    model = model_load(model_dir)
    frame = declarations_read(source).frame
    features = model.feature_matrix(frame)
    model.predict(features[:1000])  # compiles the trees if the optional compiler is installed
    started = time.perf_counter()
    model.predict(features, threads=2)
    ours = time.perf_counter() - started
    started = time.perf_counter()
    model.booster.predict(features)
    plain = time.perf_counter() - started
    return {
        "rows": frame.height,
        "engine_per_s": frame.height / ours,
        "lightgbm_predict_per_s": frame.height / plain,
    }


def main() -> None:
    args = _arguments()
    if args.measure:
        _measure(*args.measure)
        return
    OUT.mkdir(parents=True, exist_ok=True)
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
    print("\n== Speed: end-to-end score from CSV (2 cores) ==")
    print(f"  {'rows':>9}  {'engine decl/s':>14} {'peak RSS':>9}   {'baseline decl/s':>15} {'peak RSS':>9}")
    for rows in sizes:
        ours = _run_measure("engine", model_dir, files[rows], OUT / f"scores-{rows}.csv")
        line = f"  {rows:>9}  {rows / ours['seconds']:>14,.0f} {ours['peak_rss_mib']:>7.0f}MB"
        if not args.skip_baseline and rows == sizes[0]:
            plain = _run_measure("baseline", model_dir, files[rows], OUT / f"baseline-{rows}.csv")
            line += f"   {rows / plain['seconds']:>15,.0f} {plain['peak_rss_mib']:>7.0f}MB"
            same = pl.read_csv(OUT / f"scores-{rows}.csv")["score"].to_numpy()
            other = pl.read_csv(OUT / f"baseline-{rows}.csv")["score"].to_numpy()
            line += f"   (max |engine - baseline| = {np.abs(same - other).max():.1e})"
        print(line, flush=True)

    step = _model_step(model_dir, files[sizes[0]])
    print("\n== Model step alone (feature matrix ready, 2 threads) ==")
    print(f"  engine predict     {step['engine_per_s']:>12,.0f} decl/s")
    print(f"  LightGBM predict   {step['lightgbm_predict_per_s']:>12,.0f} decl/s")
    latency = _single_latency(model_dir, args.data)
    print("\n== One declaration through the Python API (TargetingModel.score_one) ==")
    print(f"  p50 {latency['p50_ms']:.3f} ms   p99 {latency['p99_ms']:.3f} ms")


if __name__ == "__main__":
    main()
