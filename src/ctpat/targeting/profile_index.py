"""Risk profiles laid out for scoring millions of declarations: codes and sorted arrays, no joins.

Each attribute a profile uses (importer, HS code, ...) gets a vocabulary of the values seen in
training: code 0 means "no value", 1 "never seen", 2.. the known values. A profile over several
attributes is then a single integer per declaration, looked up by binary search in the profile's
sorted codes. :func:`ctpat.targeting.profiles.risk_features` is the readable join-based reference
that the tests compare this with.
"""

from __future__ import annotations

import numpy as np
import polars as pl

from ctpat.targeting.profiles import NUMERIC_FEATURES, RiskProfiles, profile_name

_MISSING, _UNSEEN = 0, 1
_DENSE_LIMIT = 1 << 22  # combinations up to which a profile is a plain array (16 MiB a column)


class ProfileIndex:
    """The fitted profiles of a model, indexed for batch lookup (built once when a model loads)."""

    def __init__(self, profiles: RiskProfiles) -> None:
        self.profiles = profiles
        self.attributes = sorted({column for key in profiles.keys for column in key} | {"hs6"})
        self.vocabularies = {column: self._vocabulary(column) for column in self.attributes}
        self.sizes = {column: len(vocabulary) + 2 for column, vocabulary in self.vocabularies.items()}
        self.lookups = {profile_name(key): self._lookup(key) for key in profiles.keys}
        hs_codes = self._codes(profiles.hs_ranges.select("hs6"))["hs6"]
        self.hs_ranges: dict[str, np.ndarray] = {}
        for name in ("hs6_unit_price_median", "hs6_unit_price_spread", "hs6_tax_rate_median"):
            by_code = np.full(self.sizes["hs6"], np.nan)
            by_code[hs_codes] = profiles.hs_ranges[name].cast(pl.Float64).fill_null(np.nan).to_numpy()
            self.hs_ranges[name] = by_code

    def _vocabulary(self, column: str) -> dict[str, int]:
        values: set[str] = set()
        for key in self.profiles.keys:
            if column in key:
                values.update(self.profiles.tables[profile_name(key)][column].cast(pl.String).drop_nulls())
        if column == "hs6":
            values.update(self.profiles.hs_ranges["hs6"].drop_nulls())
        return {value: code for code, value in enumerate(sorted(values), start=2)}

    def _codes(self, frame: pl.DataFrame) -> dict[str, np.ndarray]:
        present = [column for column in self.attributes if column in frame.columns]
        coded = frame.select(
            pl.when(pl.col(c).is_null())
            .then(pl.lit(_MISSING, dtype=pl.Int64))
            .otherwise(
                pl.col(c)
                .cast(pl.String)
                .replace_strict(self.vocabularies[c], default=_UNSEEN, return_dtype=pl.Int64)
            )
            .alias(c)
            for c in present
        )
        return {column: coded[column].to_numpy() for column in present}

    def _combined(self, key: tuple[str, ...], codes: dict[str, np.ndarray]) -> np.ndarray:
        combined = codes[key[0]].astype(np.int64)
        for column in key[1:]:
            combined = combined * self.sizes[column] + codes[column]
        return combined

    def _lookup(self, key: tuple[str, ...]) -> tuple[np.ndarray | None, np.ndarray, np.ndarray]:
        """(sorted codes, risk, seen); when every combination fits in a small array the codes are
        dropped and risk and seen are indexed directly by the combined code (a plain gather)."""
        table = self.profiles.tables[profile_name(key)]
        combined = self._combined(key, self._codes(table.select(key)))
        name = profile_name(key)
        risk = table[f"risk_{name}"].to_numpy()
        seen = table[f"seen_{name}"].to_numpy()
        combinations = int(np.prod([self.sizes[column] for column in key]))
        if combinations <= _DENSE_LIMIT:
            dense_risk = np.full(combinations, self.profiles.prior, dtype=np.float32)
            dense_seen = np.zeros(combinations, dtype=np.float32)
            dense_risk[combined], dense_seen[combined] = risk, seen
            return None, dense_risk, dense_seen
        order = np.argsort(combined, kind="stable")
        return combined[order], risk[order], seen[order]

    def feature_matrix(self, declarations: pl.DataFrame) -> np.ndarray:
        """The model's C-contiguous float32 input for typed canonical declarations."""
        keyed = declarations.select(
            pl.col("hs_code").str.slice(0, 6).alias("hs6"),
            pl.col("hs_code").str.slice(0, 4).alias("hs4"),
            pl.col("hs_code").str.slice(0, 2).alias("hs2"),
            *(pl.col(c) for c in self.attributes if c not in ("hs6", "hs4", "hs2")),
        )
        codes = self._codes(keyed)
        names = self.profiles.feature_names
        matrix = np.empty((declarations.height, len(names)), dtype=np.float32, order="F")
        column = 0
        for key in self.profiles.keys:
            sorted_codes, risk, seen = self.lookups[profile_name(key)]
            wanted = self._combined(key, codes)
            if sorted_codes is None:
                matrix[:, column], matrix[:, column + 1] = risk[wanted], seen[wanted]
            else:
                at = np.minimum(np.searchsorted(sorted_codes, wanted), len(sorted_codes) - 1)
                found = sorted_codes[at] == wanted
                matrix[:, column] = np.where(found, risk[at], self.profiles.prior)
                matrix[:, column + 1] = np.where(found, seen[at], 0.0)
            column += 2
        numeric = self._numeric(declarations, codes["hs6"])
        for offset, name in enumerate(NUMERIC_FEATURES):
            matrix[:, column + offset] = numeric[name]
        # Columns are filled in column order, then laid out by row as the trees read them.
        return np.ascontiguousarray(matrix)

    def _numeric(self, declarations: pl.DataFrame, hs6_codes: np.ndarray) -> dict[str, np.ndarray]:
        value = declarations["customs_value"].to_numpy()
        mass = declarations["net_mass"].to_numpy()
        tax_rate = declarations["tax_rate"].cast(pl.Float64).fill_null(np.nan).to_numpy()
        origin, departure = declarations["origin_country"], declarations["departure_country"]
        differs = (origin != departure).cast(pl.Float64).fill_null(np.nan).to_numpy()
        log_value, log_mass = np.log1p(value), np.log1p(mass)
        log_unit_price = log_value - log_mass
        gap = log_unit_price - self.hs_ranges["hs6_unit_price_median"][hs6_codes]
        return {
            "log_value": log_value,
            "log_mass": log_mass,
            "log_unit_price": log_unit_price,
            "unit_price_gap": gap,
            "unit_price_z": gap / self.hs_ranges["hs6_unit_price_spread"][hs6_codes],
            "tax_rate": tax_rate,
            "tax_rate_gap": tax_rate - self.hs_ranges["hs6_tax_rate_median"][hs6_codes],
            "origin_differs": differs,
        }
