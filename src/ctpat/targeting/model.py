"""The targeting model: risk profiles plus a compact LightGBM ranking, saved with its metadata.

Training is time-ordered: profiles and trees are fitted on the past (``train``) and judged on
the next period (``valid``); those validation figures are what the metadata reports. By default
the model is then refitted on both periods with the same settings, so that the profiles used on
new declarations include the most recent history.
"""

from __future__ import annotations

import hashlib
import json
import platform
import threading
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from importlib import metadata as package_metadata
from pathlib import Path
from typing import Any

import lightgbm as lgb
import numpy as np
import polars as pl

from ctpat.targeting.compiled import CompiledTrees, compiler_enabled, trees_compiled
from ctpat.targeting.metrics import targeting_metrics
from ctpat.targeting.profile_index import ProfileIndex
from ctpat.targeting.profiles import (
    DEFAULT_PROFILE_KEYS,
    ProfileKey,
    RiskProfiles,
    feature_matrix,
    risk_features,
    risk_profiles_fit,
)
from ctpat.targeting.schema import COLUMNS
from ctpat.targeting.single import DeclarationLookups

MODEL_FORMAT = 1
_BOOSTER_FILE = "model.txt"
_METADATA_FILE = "metadata.json"
_PROFILES_DIR = "profiles"
_COMPILE_MIN_ROWS = 100_000  # compiling takes seconds: worth it from about this many rows on
# Models are shared across threads (the portal, the local engine): lazy set-up happens once.
_PREPARING = threading.RLock()


class ModelDirError(Exception):
    """A model directory is missing, incomplete or unreadable."""


@dataclass(frozen=True, slots=True, kw_only=True)
class TrainingSettings:
    """How a model is trained. The defaults are the settings chosen on the public dataset's
    validation period (see docs/targeting.md); a compact model keeps scoring fast."""

    label: str = "fraud"
    profile_keys: tuple[ProfileKey, ...] = DEFAULT_PROFILE_KEYS
    smoothing: float = 10.0
    folds: int = 5
    seed: int = 0
    trees: int = 40
    learning_rate: float = 0.15
    leaves: int = 63
    min_rows_per_leaf: int = 20
    feature_fraction: float = 0.8
    bagging_fraction: float = 0.8
    refit_with_valid: bool = True
    threads: int = 2

    def lightgbm_params(self) -> dict[str, Any]:
        """LightGBM parameters; deterministic so that the same seed gives the same trees."""
        return {
            "objective": "binary",
            "learning_rate": self.learning_rate,
            "num_leaves": self.leaves,
            "min_data_in_leaf": self.min_rows_per_leaf,
            "feature_fraction": self.feature_fraction,
            "bagging_fraction": self.bagging_fraction,
            "bagging_freq": 1,
            "seed": self.seed,
            "deterministic": True,
            "force_row_wise": True,
            "num_threads": self.threads,
            "verbose": -1,
        }


@dataclass(slots=True)
class ModelMetadata:
    """What a saved model was made from and how it did on the validation period."""

    label: str
    features: list[str]
    settings: dict[str, Any]
    library_versions: dict[str, str]
    data_hashes: dict[str, str]
    validation_metrics: dict[str, Any]
    rows: dict[str, int]
    prior: float
    created_at: str = field(default_factory=lambda: datetime.now(UTC).isoformat(timespec="seconds"))
    format: int = MODEL_FORMAT


@dataclass(slots=True)
class TargetingModel:
    """A fitted targeting model: profiles to build features, trees to rank, metadata to explain."""

    booster: lgb.Booster
    profiles: RiskProfiles
    metadata: ModelMetadata
    directory: Path | None = None
    _lookups: DeclarationLookups | None = None
    _index: ProfileIndex | None = None
    _compiled: CompiledTrees | bool | None = None  # see _compiled_trees

    @property
    def feature_names(self) -> tuple[str, ...]:
        return self.profiles.feature_names

    @property
    def input_columns(self) -> tuple[str, ...]:
        """Canonical columns scoring reads: the required ones and those the features use."""
        used = {column for key in self.profiles.keys for column in key} - {"hs6", "hs4", "hs2"}
        used |= {"tax_rate", "departure_country"}
        required = [column.name for column in COLUMNS if column.required]
        return (*required, *sorted(used - set(required)))

    def features(self, declarations: pl.DataFrame) -> pl.DataFrame:
        """The model's features for typed canonical declarations, one row per declaration."""
        return risk_features(declarations.lazy(), self.profiles).collect()

    def predict(self, features: np.ndarray, *, threads: int = 2) -> np.ndarray:
        """Scores (probability of a violation) for a feature matrix from :meth:`feature_matrix`.

        A model loaded from a directory uses its trees compiled to native code (see
        :mod:`ctpat.targeting.compiled`): loaded from the directory's cache, or compiled and cached
        there the first time a call brings at least 100,000 rows. The scores are LightGBM's to float64
        rounding. Otherwise, or with ``CTPAT_TARGETING_COMPILER=off``, LightGBM's ``predict`` runs.
        """
        compiled = self._compiled_trees(rows=features.shape[0])
        if compiled is not None:
            return compiled.predict(features, threads=threads)
        return np.asarray(self.booster.predict(features, num_threads=threads))

    def _compiled_trees(self, *, rows: int) -> CompiledTrees | None:
        """The compiled trees, or None for LightGBM's predict. ``_compiled`` is None until looked
        for, False while only a cache was looked for (a call of ``_COMPILE_MIN_ROWS`` rows compiles),
        True once compiling failed or the compiler is missing (not tried again)."""
        if self.directory is None or not compiler_enabled():
            return None
        large = rows >= _COMPILE_MIN_ROWS
        if self._compiled is None or (self._compiled is False and large):
            with _PREPARING:
                if self._compiled is None or (self._compiled is False and large):
                    trees = trees_compiled(self.directory / _BOOSTER_FILE, compile_missing=large)
                    self._compiled = trees if trees is not None else large
        return self._compiled if isinstance(self._compiled, CompiledTrees) else None

    def score(self, declarations: pl.DataFrame, *, threads: int = 2) -> np.ndarray:
        """Scores for typed canonical declarations (see :func:`declarations_read`), in row order."""
        if declarations.height == 0:
            return np.zeros(0)
        compiled = self._compiled_trees(rows=declarations.height)
        if compiled is not None:
            # The compiled trees read float64 rows: build them in one pass, no further copy.
            return compiled.predict(
                self._profile_index().feature_matrix(declarations, dtype=np.float64), threads=threads
            )
        return np.asarray(self.booster.predict(self.feature_matrix(declarations), num_threads=threads))

    def feature_matrix(self, declarations: pl.DataFrame) -> np.ndarray:
        """The model's float32 input for typed canonical declarations (fast, join-free path)."""
        return self._profile_index().feature_matrix(declarations)

    def _profile_index(self) -> ProfileIndex:
        if self._index is None:
            with _PREPARING:
                if self._index is None:
                    self._index = ProfileIndex(self.profiles)
        return self._index

    def score_one(self, declaration: Mapping[str, Any]) -> float:
        """Score one declaration given as a mapping of canonical column names to values.

        This path uses in-memory dictionaries instead of joins, so a single declaration is scored
        in well under a millisecond of feature work; it agrees with :meth:`score`.
        """
        if self._lookups is None:
            self._lookups = DeclarationLookups(self.profiles)
        row = self._lookups.features(declaration)
        compiled = self._compiled_trees(rows=1)  # cached compiled trees if any; one row never compiles
        if compiled is not None:
            return float(compiled.predict(row, threads=1)[0])
        return float(self.booster.predict(row, num_threads=1)[0])


def model_train(
    *,
    train: pl.DataFrame,
    valid: pl.DataFrame,
    settings: TrainingSettings | None = None,
    data_hashes: Mapping[str, str] | None = None,
) -> TargetingModel:
    """Train on ``train`` (the past), validate on ``valid`` (the next period), and by default refit
    on both. Inputs are typed canonical declarations carrying the outcome ``settings.label``."""
    settings = settings or TrainingSettings()
    for name, frame in (("train", train), ("valid", valid)):
        if frame.height == 0 or frame[settings.label].null_count() == frame.height:
            raise ValueError(f"the {name} declarations carry no {settings.label!r} outcome")
    booster, profiles = _fit(train, settings=settings)
    valid_features = feature_matrix(risk_features(valid.lazy(), profiles).collect(), profiles.feature_names)
    valid_scores = np.asarray(booster.predict(valid_features, num_threads=settings.threads))
    validation = targeting_metrics(valid_scores, _outcomes(valid, settings.label))
    if settings.refit_with_valid:
        booster, profiles = _fit(pl.concat([train, valid], how="vertical_relaxed"), settings=settings)
    settings_record = asdict(settings)
    settings_record["profile_keys"] = [list(key) for key in settings.profile_keys]
    metadata = ModelMetadata(
        label=settings.label,
        features=list(profiles.feature_names),
        settings=settings_record,
        library_versions=_library_versions(),
        data_hashes=dict(data_hashes or {}),
        validation_metrics=validation,
        rows={"train": train.height, "valid": valid.height},
        prior=profiles.prior,
    )
    return TargetingModel(booster=booster, profiles=profiles, metadata=metadata)


def _outcomes(frame: pl.DataFrame, label: str) -> np.ndarray:
    return frame[label].cast(pl.Int8).fill_null(0).to_numpy()


def _fit(history: pl.DataFrame, *, settings: TrainingSettings) -> tuple[lgb.Booster, RiskProfiles]:
    history = history.filter(pl.col(settings.label).is_not_null())
    profiles, features = risk_profiles_fit(
        history,
        label=settings.label,
        keys=settings.profile_keys,
        smoothing=settings.smoothing,
        folds=settings.folds,
        seed=settings.seed,
    )
    dataset = lgb.Dataset(
        feature_matrix(features, profiles.feature_names),
        label=_outcomes(history, settings.label),
        feature_name=list(profiles.feature_names),
        free_raw_data=True,
    )
    booster = lgb.train(settings.lightgbm_params(), dataset, num_boost_round=settings.trees)
    return booster, profiles


def _library_versions() -> dict[str, str]:
    versions = {"python": platform.python_version()}
    for package in ("ctpat", "lightgbm", "polars", "numpy", "pyarrow"):
        try:
            versions[package] = package_metadata.version(package)
        except package_metadata.PackageNotFoundError:
            versions[package] = "unknown"
    return versions


def file_hash(path: str | Path) -> str:
    """SHA-256 of a file's bytes, read in blocks (the data hash recorded in the metadata)."""
    digest = hashlib.sha256()
    with Path(path).open("rb") as stream:
        while block := stream.read(1 << 20):
            digest.update(block)
    return f"sha256:{digest.hexdigest()}"


def model_save(model: TargetingModel, directory: str | Path) -> Path:
    """Write the trees, the profile tables and ``metadata.json`` into ``directory``."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    model.booster.save_model(str(directory / _BOOSTER_FILE))
    model.profiles.save(directory / _PROFILES_DIR)
    (directory / _METADATA_FILE).write_text(json.dumps(asdict(model.metadata), indent=2, default=str) + "\n")
    # Compile the trees now (cached in the directory), so that scoring never waits for it.
    trees_compiled(directory / _BOOSTER_FILE)
    return directory


def model_load(directory: str | Path) -> TargetingModel:
    """Read a model written by :func:`model_save`; raise :class:`ModelDirError` when it cannot."""
    directory = Path(directory)
    if not directory.is_dir():
        raise ModelDirError(f"no model directory at {directory}")
    try:
        record = json.loads((directory / _METADATA_FILE).read_text())
        metadata = ModelMetadata(**record)
        if metadata.format != MODEL_FORMAT:
            raise ModelDirError(f"{directory}: model format {metadata.format}, expected {MODEL_FORMAT}")
        booster = lgb.Booster(model_file=str(directory / _BOOSTER_FILE))
        profiles = RiskProfiles.load(
            directory / _PROFILES_DIR,
            prior=metadata.prior,
            smoothing=float(metadata.settings["smoothing"]),
            keys=[tuple(key) for key in metadata.settings["profile_keys"]],
        )
    except ModelDirError:
        raise
    except (
        OSError,
        ValueError,
        TypeError,
        KeyError,
        lgb.basic.LightGBMError,
        pl.exceptions.PolarsError,
    ) as error:
        raise ModelDirError(f"cannot read the model in {directory}: {error}") from error
    if list(profiles.feature_names) != metadata.features:
        raise ModelDirError(f"{directory}: the profiles do not match the model's features")
    return TargetingModel(booster=booster, profiles=profiles, metadata=metadata, directory=directory)


def model_summary(model: TargetingModel, *, top: int = 15) -> dict[str, Any]:
    """Metadata plus the features that weigh most (by total gain), for a model page."""
    gains = model.booster.feature_importance(importance_type="gain")
    ranked: Sequence[tuple[str, float]] = sorted(
        zip(model.feature_names, (float(g) for g in gains), strict=True), key=lambda item: -item[1]
    )
    summary = asdict(model.metadata)
    summary["top_features"] = [{"feature": name, "gain": gain} for name, gain in ranked[:top]]
    return summary
