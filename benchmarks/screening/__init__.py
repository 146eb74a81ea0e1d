"""Benchmark of the screening engine: recall per perturbation, alert rate, F1, speed, beside a baseline.

Run ``python -m benchmarks.screening --data /path/to/shared/data/screening [--quick]``.
"""
