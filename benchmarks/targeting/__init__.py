"""Targeting benchmark: quality on the public dataset's validation period, and scoring speed.

Run ``.venv/bin/python -m benchmarks.targeting --data /work/shared/data/customs``.
"""
