"""One declaration at a time: the same features as :func:`risk_features`, from in-memory lookups.

The portal scores a declaration as it is filed; a hash-join pipeline is built for millions of rows
and costs milliseconds to plan for one. This reference-sized path does the same arithmetic in plain
Python and is tested to agree with the batch path to float32 precision.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import numpy as np
import polars as pl

from ctpat.targeting.profiles import NUMERIC_FEATURES, RiskProfiles, profile_name

_FLOATS = ("customs_value", "net_mass", "tax_rate")


def _text(value: Any) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def _number(value: Any) -> float | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    return float(value)


def _attributes(declaration: Mapping[str, Any]) -> dict[str, Any]:
    attributes: dict[str, Any] = {name: _text(value) for name, value in declaration.items()}
    for name in _FLOATS:
        attributes[name] = _number(declaration.get(name))
    hs_code = attributes.get("hs_code") or ""
    attributes.update(hs6=hs_code[:6], hs4=hs_code[:4], hs2=hs_code[:2])
    return attributes


def _numeric(attributes: Mapping[str, Any], ranges: Mapping[str, float | None]) -> dict[str, float]:
    value, mass, tax_rate = attributes["customs_value"], attributes["net_mass"], attributes["tax_rate"]
    log_value, log_mass = math.log1p(value), math.log1p(mass)
    log_unit_price = log_value - log_mass
    median = ranges.get("hs6_unit_price_median")
    spread = ranges.get("hs6_unit_price_spread")
    tax_median = ranges.get("hs6_tax_rate_median")
    gap = log_unit_price - median if median is not None else math.nan
    origin, departure = attributes.get("origin_country"), attributes.get("departure_country")
    return {
        "log_value": log_value,
        "log_mass": log_mass,
        "log_unit_price": log_unit_price,
        "unit_price_gap": gap,
        "unit_price_z": gap / spread if spread else math.nan,
        "tax_rate": tax_rate if tax_rate is not None else math.nan,
        "tax_rate_gap": tax_rate - tax_median
        if tax_rate is not None and tax_median is not None
        else math.nan,
        "origin_differs": float(origin != departure)
        if origin is not None and departure is not None
        else math.nan,
    }


class DeclarationLookups:
    """The profile tables and HS ranges of a model as dictionaries, built once per model."""

    def __init__(self, profiles: RiskProfiles) -> None:
        self.profiles = profiles
        self.tables = {name: _table_lookup(table) for name, table in profiles.tables.items()}
        self.hs_ranges: dict[str, dict[str, float | None]] = {
            row.pop("hs6"): row for row in profiles.hs_ranges.iter_rows(named=True)
        }

    def features(self, declaration: Mapping[str, Any]) -> np.ndarray:
        """A 1-row float32 feature matrix for one declaration (canonical column names as keys)."""
        attributes = _attributes(declaration)
        profiles = self.profiles
        features: list[float] = []
        for key in profiles.keys:
            found = self.tables[profile_name(key)].get(tuple(attributes.get(column) for column in key))
            features.extend(found if found is not None else (profiles.prior, 0.0))
        numeric = _numeric(attributes, self.hs_ranges.get(attributes["hs6"], {}))
        features.extend(numeric[name] for name in NUMERIC_FEATURES)
        return np.asarray([features], dtype=np.float32)


def _table_lookup(table: pl.DataFrame) -> dict[tuple[Any, ...], tuple[float, float]]:
    # Tables are laid out as key columns, then the risk rate, then the count.
    keys = table.select(table.columns[:-2]).rows()
    values = table.select(table.columns[-2:]).rows()
    return dict(zip(keys, values, strict=True))
