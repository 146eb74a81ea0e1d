"""The model's trees compiled to native code by ``lleaves`` (LLVM), cached beside the model.

LightGBM's own ``predict`` walks every tree node by node through generic structures; lleaves
generates straight-line code per tree with the thresholds as constants. It makes the same float64
comparisons, so the scores are LightGBM's (measured at most 2.2e-16 apart on a million rows; the
tests check both paths agree) at several times the speed.

Compiling takes seconds, so the object code is cached in the model directory, in a file whose name
carries the SHA-256 of ``model.txt`` and a digest of everything else the code depends on (compiler
versions, CPU model and features): a changed model, an upgraded compiler or another machine never
loads a stale file. The file is written under a temporary name and renamed, so a concurrent reader
never sees half of one. ``CTPAT_TARGETING_COMPILER=off`` turns compilation off; when the compiler
is missing or fails, scoring falls back to LightGBM's ``predict`` (with a warning on failure).
"""

from __future__ import annotations

import hashlib
import os
import platform
import uuid
import warnings
from importlib import metadata
from pathlib import Path
from typing import Any

import numpy as np

COMPILER_SETTING = "CTPAT_TARGETING_COMPILER"
"""Environment variable: ``off`` scores with LightGBM's ``predict`` only."""
CACHE_SUFFIX = ".lleaves.so"


def compiler_enabled() -> bool:
    """Whether compiled trees may be used (``CTPAT_TARGETING_COMPILER`` is not ``off``)."""
    return os.environ.get(COMPILER_SETTING, "auto").strip().lower() != "off"


class CompiledTrees:
    """A compiled forest: ``predict`` gives the probabilities LightGBM's ``predict`` gives."""

    def __init__(self, compiled: Any, cache: Path | None) -> None:
        self._compiled = compiled
        self.cache = cache
        """The cached object file, or None when it could not be written."""

    def predict(self, features: np.ndarray, *, threads: int = 2) -> np.ndarray:
        """Scores for a feature matrix; float64 C-ordered input is used without a copy."""
        if features.shape[0] == 0:
            return np.zeros(0)
        features = np.ascontiguousarray(features, dtype=np.float64)
        return np.asarray(self._compiled.predict(features, n_jobs=max(1, threads)))


def cache_path(model_file: Path) -> Path:
    """Where the compiled code of ``model_file`` is cached: beside it, named by what it depends on."""
    import llvmlite
    import llvmlite.binding as llvm

    try:
        features = llvm.get_host_cpu_features().flatten()
    except RuntimeError:  # LLVM cannot always tell the CPU's features
        features = ""
    environment = "|".join(
        (
            metadata.version("lleaves"),
            llvmlite.__version__,
            platform.machine(),
            llvm.get_host_cpu_name(),
            features,
        )
    )
    model_digest = hashlib.sha256(model_file.read_bytes()).hexdigest()[:16]
    environment_digest = hashlib.sha256(environment.encode()).hexdigest()[:8]
    return model_file.parent / f"{model_file.stem}.{model_digest}.{environment_digest}{CACHE_SUFFIX}"


def trees_compiled(model_file: Path, *, compile_missing: bool = True) -> CompiledTrees | None:
    """The compiled trees of a LightGBM model file: loaded from the cache, else compiled (and cached)
    when ``compile_missing``. None when compilation is off, the compiler is not installed, it
    fails, or the cache is missing and ``compile_missing`` is false."""
    if not compiler_enabled():
        return None
    try:
        import lleaves
    except ImportError:
        return None
    try:
        cache = cache_path(model_file)
        if cache.is_file():
            compiled = lleaves.Model(model_file=str(model_file))
            compiled.compile(cache=str(cache))
            return CompiledTrees(compiled, cache)
        if not compile_missing:
            return None
        return _compile(lleaves.Model(model_file=str(model_file)), cache)
    except Exception as error:  # any compiler failure: LightGBM's predict gives the same scores
        warnings.warn(
            f"cannot compile the trees of {model_file} ({error}); scoring with LightGBM's predict",
            RuntimeWarning,
            stacklevel=2,
        )
        return None


def _compile(compiled: Any, cache: Path) -> CompiledTrees:
    if not os.access(cache.parent, os.W_OK):  # a read-only model directory: compile, do not cache
        compiled.compile()
        return CompiledTrees(compiled, None)
    temporary = cache.with_name(f".{cache.name}.{uuid.uuid4().hex}.tmp")
    try:
        compiled.compile(cache=str(temporary))
        if not temporary.is_file():
            return CompiledTrees(compiled, None)
        temporary.replace(cache)
    finally:
        temporary.unlink(missing_ok=True)
    return CompiledTrees(compiled, cache)
