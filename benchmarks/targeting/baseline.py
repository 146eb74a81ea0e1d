"""The plain pipeline the engine is compared with: pandas reads the CSV and builds the same features
by merging the same profile tables, and LightGBM's own ``predict`` scores them with the same trees."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from ctpat.targeting.model import TargetingModel
from ctpat.targeting.profiles import NUMERIC_FEATURES, profile_name
from ctpat.targeting.schema import KCS_TO_CANONICAL


def baseline_score(model: TargetingModel, source: Path, output: Path) -> int:
    """Score a KCS-layout CSV the plain way; return the number of rows scored."""
    frame = pd.read_csv(source, dtype=str, keep_default_na=False, na_values=[""])
    frame = frame.rename(columns=KCS_TO_CANONICAL)
    scores = model.booster.predict(baseline_features(model, frame))
    pd.DataFrame({"declaration_id": frame["declaration_id"], "score": scores}).to_csv(output, index=False)
    return len(frame)


def baseline_features(model: TargetingModel, frame: pd.DataFrame) -> np.ndarray:
    """The model's float32 input for canonical declarations (text columns) by pandas merges."""
    frame = frame.copy()
    for column in ("customs_value", "net_mass", "tax_rate"):
        frame[column] = frame[column].astype(float)
    frame["hs6"] = frame["hs_code"].str.slice(0, 6)
    profiles = model.profiles
    for key in profiles.keys:
        table = profiles.tables[profile_name(key)].to_pandas()
        for column in key:
            table[column] = table[column].astype(frame[column].dtype)
        frame = frame.merge(table, on=list(key), how="left")
        frame[f"risk_{profile_name(key)}"] = frame[f"risk_{profile_name(key)}"].fillna(profiles.prior)
        frame[f"seen_{profile_name(key)}"] = frame[f"seen_{profile_name(key)}"].fillna(0.0)
    frame = frame.merge(profiles.hs_ranges.to_pandas(), on="hs6", how="left")
    frame["log_value"] = np.log1p(frame["customs_value"])
    frame["log_mass"] = np.log1p(frame["net_mass"])
    frame["log_unit_price"] = frame["log_value"] - frame["log_mass"]
    frame["unit_price_gap"] = frame["log_unit_price"] - frame["hs6_unit_price_median"]
    frame["unit_price_z"] = frame["unit_price_gap"] / frame["hs6_unit_price_spread"]
    frame["tax_rate_gap"] = frame["tax_rate"] - frame["hs6_tax_rate_median"]
    frame["origin_differs"] = (frame["origin_country"] != frame["departure_country"]).astype(float)
    assert list(model.feature_names[-len(NUMERIC_FEATURES) :]) == list(NUMERIC_FEATURES)
    return np.asarray(frame[list(model.feature_names)].to_numpy(dtype=np.float32))
