"""Risk profiles: what history says about each importer, declarant, seller, HS code and origin.

A *risk profile* is a table, keyed by one or more declaration attributes (an importer, an
HS code with a country of origin, ...), holding the smoothed share of examined declarations that
were found in violation and how many declarations it rests on. Profiles are fitted once on
training history and then joined by key onto new declarations, so scoring is a few hash joins.

On the training rows themselves the profiles are computed *out of fold*: a row's own outcome never
contributes to its own features, otherwise the model would learn to trust rates that, on new
declarations, cannot contain the answer.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import polars as pl

ProfileKey = tuple[str, ...]

DEFAULT_PROFILE_KEYS: tuple[ProfileKey, ...] = (
    ("importer_id",),
    ("declarant_id",),
    ("seller_id",),
    ("hs6",),
    ("hs6", "origin_country"),
    ("hs6", "departure_country"),
    ("hs6", "origin_country", "tax_type"),
)
"""Attributes (alone or combined) that carry a risk profile by default."""

NUMERIC_FEATURES: tuple[str, ...] = (
    "log_value",
    "log_mass",
    "log_unit_price",
    "unit_price_gap",
    "unit_price_z",
    "tax_rate",
    "tax_rate_gap",
    "origin_differs",
)
"""Features computed from the declaration itself and its HS code's usual price and duty."""

_HS_RANGE_COLUMNS = ("hs6_unit_price_median", "hs6_unit_price_spread", "hs6_tax_rate_median")


def profile_name(key: ProfileKey) -> str:
    """The feature-name stem of a profile key, e.g. ``hs6_x_origin_country``."""
    return "_x_".join(key)


@dataclass(slots=True)
class RiskProfiles:
    """Fitted profile tables plus the HS codes' usual price and duty, ready to join onto declarations."""

    prior: float
    smoothing: float
    keys: tuple[ProfileKey, ...]
    tables: dict[str, pl.DataFrame]
    hs_ranges: pl.DataFrame

    @property
    def feature_names(self) -> tuple[str, ...]:
        """The model's input columns, in order."""
        names = [f"{kind}_{profile_name(key)}" for key in self.keys for kind in ("risk", "seen")]
        return (*names, *NUMERIC_FEATURES)

    def save(self, directory: Path) -> None:
        """Write every table as Parquet under ``directory``."""
        directory.mkdir(parents=True, exist_ok=True)
        for name, table in self.tables.items():
            table.write_parquet(directory / f"{name}.parquet")
        self.hs_ranges.write_parquet(directory / "hs_ranges.parquet")

    @classmethod
    def load(
        cls, directory: Path, *, prior: float, smoothing: float, keys: Sequence[ProfileKey]
    ) -> RiskProfiles:
        """Read the tables written by :meth:`save`."""
        keys = tuple(tuple(key) for key in keys)
        tables = {
            profile_name(key): pl.read_parquet(directory / f"{profile_name(key)}.parquet") for key in keys
        }
        hs_ranges = pl.read_parquet(directory / "hs_ranges.parquet")
        return cls(prior=prior, smoothing=smoothing, keys=keys, tables=tables, hs_ranges=hs_ranges)


def declarations_keyed(frame: pl.LazyFrame) -> pl.LazyFrame:
    """Add the derived key columns (HS chapter, heading and subheading) and the numeric basics."""
    hs = pl.col("hs_code")
    value, mass = pl.col("customs_value"), pl.col("net_mass")
    return frame.with_columns(
        hs.str.slice(0, 6).alias("hs6"),
        hs.str.slice(0, 4).alias("hs4"),
        hs.str.slice(0, 2).alias("hs2"),
        value.log1p().alias("log_value"),
        mass.log1p().alias("log_mass"),
        (value.log1p() - mass.log1p()).alias("log_unit_price"),
        (pl.col("origin_country") != pl.col("departure_country")).cast(pl.Float64).alias("origin_differs"),
    )


def risk_profiles_fit(
    history: pl.DataFrame,
    *,
    label: str,
    keys: Sequence[ProfileKey] = DEFAULT_PROFILE_KEYS,
    smoothing: float = 10.0,
    folds: int = 5,
    seed: int = 0,
) -> tuple[RiskProfiles, pl.DataFrame]:
    """Fit risk profiles on examined history; return them and the history's out-of-fold features.

    ``history`` holds canonical declarations with the outcome column ``label``. The returned frame
    has one row per history row, in order, with the columns of ``RiskProfiles.feature_names``.
    """
    keyed = declarations_keyed(history.lazy()).with_columns(
        pl.col(label).cast(pl.Float64).alias("__outcome"),
        pl.Series("__fold", np.random.default_rng(seed).integers(0, folds, history.height)),
    )
    prior = float(history.select(pl.col(label).cast(pl.Float64).mean()).item() or 0.0)
    keys = tuple(tuple(key) for key in keys)
    tables = {profile_name(key): _profile_table(keyed, key, prior=prior, smoothing=smoothing) for key in keys}
    hs_ranges = _hs_ranges(keyed)
    profiles = RiskProfiles(prior=prior, smoothing=smoothing, keys=keys, tables=tables, hs_ranges=hs_ranges)
    out_of_fold = keyed.with_columns(
        expr for key in keys for expr in _out_of_fold(key, smoothing=smoothing, folds=folds)
    )
    out_of_fold = _with_hs_ranges(out_of_fold, hs_ranges)
    return profiles, out_of_fold.select(profiles.feature_names).collect()


def _profile_table(keyed: pl.LazyFrame, key: ProfileKey, *, prior: float, smoothing: float) -> pl.DataFrame:
    name = profile_name(key)
    stats = keyed.group_by(key).agg(pl.col("__outcome").sum().alias("hits"), pl.len().alias("seen"))
    return stats.select(
        *key,
        ((pl.col("hits") + prior * smoothing) / (pl.col("seen") + smoothing))
        .cast(pl.Float32)
        .alias(f"risk_{name}"),
        pl.col("seen").cast(pl.Float32).alias(f"seen_{name}"),
    ).collect()


def _out_of_fold(key: ProfileKey, *, smoothing: float, folds: int) -> list[pl.Expr]:
    # Totals over the key minus the row's own fold: the profile as the other folds see it.
    # The prior, too, comes from the other folds only, so not even the base rate sees the row.
    name = profile_name(key)
    hits = pl.col("__outcome").sum().over(key) - pl.col("__outcome").sum().over([*key, "__fold"])
    seen = pl.len().over(key) - pl.len().over([*key, "__fold"])
    outer = pl.col("__outcome").sum() - pl.col("__outcome").sum().over("__fold")
    fold_prior = outer / (pl.len() - pl.len().over("__fold"))
    return [
        ((hits + fold_prior * smoothing) / (seen + smoothing)).cast(pl.Float32).alias(f"risk_{name}"),
        (seen * folds / (folds - 1)).cast(pl.Float32).alias(f"seen_{name}"),
    ]


def _hs_ranges(keyed: pl.LazyFrame) -> pl.DataFrame:
    # The usual unit price of an HS code: median and a robust spread (IQR / 1.349) of log value per kg.
    price = pl.col("log_unit_price")
    spread = (price.quantile(0.75) - price.quantile(0.25)) / 1.349
    return (
        keyed.group_by("hs6")
        .agg(
            price.median().alias("hs6_unit_price_median"),
            pl.max_horizontal(spread, pl.lit(0.1)).alias("hs6_unit_price_spread"),
            pl.col("tax_rate").median().alias("hs6_tax_rate_median"),
        )
        .collect()
    )


def _with_hs_ranges(keyed: pl.LazyFrame, hs_ranges: pl.DataFrame) -> pl.LazyFrame:
    gap = pl.col("log_unit_price") - pl.col("hs6_unit_price_median")
    return keyed.join(hs_ranges.lazy(), on="hs6", how="left", maintain_order="left").with_columns(
        gap.alias("unit_price_gap"),
        (gap / pl.col("hs6_unit_price_spread")).alias("unit_price_z"),
        (pl.col("tax_rate") - pl.col("hs6_tax_rate_median")).alias("tax_rate_gap"),
    )


def risk_features(declarations: pl.LazyFrame, profiles: RiskProfiles) -> pl.LazyFrame:
    """Join the fitted profiles onto (new) declarations; unseen keys get the prior and a count of 0."""
    keyed = declarations_keyed(declarations)
    for key in profiles.keys:
        keyed = keyed.join(
            profiles.tables[profile_name(key)].lazy(),
            on=list(key),
            how="left",
            maintain_order="left",
            nulls_equal=True,
        )
    keyed = _with_hs_ranges(keyed, profiles.hs_ranges)
    fills = [pl.col(f"risk_{profile_name(key)}").fill_null(profiles.prior) for key in profiles.keys]
    fills += [pl.col(f"seen_{profile_name(key)}").fill_null(0.0) for key in profiles.keys]
    return keyed.with_columns(fills)


def feature_matrix(frame: pl.DataFrame, names: Sequence[str]) -> np.ndarray:
    """The model's input: a C-contiguous float32 matrix with the columns ``names`` (nulls as NaN)."""
    matrix = frame.select(pl.col(name).cast(pl.Float32) for name in names).to_numpy(order="c")
    return np.ascontiguousarray(matrix, dtype=np.float32)
