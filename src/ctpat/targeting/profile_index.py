"""Risk profiles laid out for scoring millions of declarations: codes and sorted arrays, no joins.

Each attribute a profile uses (importer, HS code, ...) gets a vocabulary of the values seen in
training: code 0 means "no value", 1 "never seen", 2.. the known values. A profile over several
attributes is then a single integer per declaration, looked up by binary search in the profile's
sorted codes. :func:`ctpat.targeting.profiles.risk_features` is the readable join-based reference
that the tests compare this with.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import polars as pl

from ctpat.targeting.profiles import NUMERIC_FEATURES, RiskProfiles, profile_name

_MISSING, _UNSEEN = 0, 1
_DENSE_LIMIT = 1 << 22  # combinations up to which a profile is a plain array (16 MiB a column)


@dataclass(frozen=True, slots=True)
class _Lookup:
    """One profile laid out for lookup. Dense (``sorted_codes`` None): risk and seen are indexed by
    the combined code of the key, or, with ``prefixes``, by (number of the key's prefix among those
    the table holds, last attribute). Sorted: ``sorted_codes`` is searched for the combined code."""

    key: tuple[str, ...]
    prefixes: np.ndarray | None
    sorted_codes: np.ndarray | None
    risk: np.ndarray
    seen: np.ndarray


class ProfileIndex:
    """The fitted profiles of a model, indexed for batch lookup (built once when a model loads)."""

    def __init__(self, profiles: RiskProfiles) -> None:
        self.profiles = profiles
        self.attributes = sorted({column for key in profiles.keys for column in key} | {"hs6"})
        self.vocabularies = {column: self._vocabulary(column) for column in self.attributes}
        self.sizes = {column: len(vocabulary) + 2 for column, vocabulary in self.vocabularies.items()}
        # An enumeration's physical code is the value's position in the sorted vocabulary, so
        # casting to it is the vocabulary lookup (code - 2), done in Polars without a Python mapping.
        self.enums = {column: pl.Enum(list(vocabulary)) for column, vocabulary in self.vocabularies.items()}
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
                .cast(self.enums[c], strict=False)  # an unseen value becomes null
                .to_physical()
                .cast(pl.Int64)
                .add(2)
                .fill_null(_UNSEEN)
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

    def _lookup(self, key: tuple[str, ...]) -> _Lookup:
        table = self.profiles.tables[profile_name(key)]
        codes = self._codes(table.select(key))
        name = profile_name(key)
        risk = table[f"risk_{name}"].to_numpy()
        seen = table[f"seen_{name}"].to_numpy()
        if int(np.prod([self.sizes[column] for column in key])) <= _DENSE_LIMIT:
            return self._dense(key, self._combined(key, codes), risk, seen, prefixes=None)
        *prefix, last = key
        if prefix and int(np.prod([self.sizes[column] for column in prefix])) <= _DENSE_LIMIT:
            # Number the prefixes the table holds (0: none of them), then go dense over (prefix, last).
            present, prefix_ids = np.unique(self._combined(tuple(prefix), codes), return_inverse=True)
            if (len(present) + 1) * self.sizes[last] <= _DENSE_LIMIT:
                prefixes = np.zeros(int(np.prod([self.sizes[column] for column in prefix])), dtype=np.int64)
                prefixes[present] = np.arange(1, len(present) + 1)
                combined = (prefix_ids.reshape(-1) + 1) * self.sizes[last] + codes[last]
                return self._dense(key, combined, risk, seen, prefixes=prefixes)
        combined = self._combined(key, codes)
        order = np.argsort(combined, kind="stable")
        return _Lookup(key, prefixes=None, sorted_codes=combined[order], risk=risk[order], seen=seen[order])

    def _dense(
        self,
        key: tuple[str, ...],
        combined: np.ndarray,
        risk: np.ndarray,
        seen: np.ndarray,
        *,
        prefixes: np.ndarray | None,
    ) -> _Lookup:
        size = (
            int(np.prod([self.sizes[column] for column in key]))
            if prefixes is None
            else (int(prefixes.max(initial=0)) + 1) * self.sizes[key[-1]]
        )
        dense_risk = np.full(size, self.profiles.prior, dtype=np.float32)
        dense_seen = np.zeros(size, dtype=np.float32)
        dense_risk[combined], dense_seen[combined] = risk, seen
        return _Lookup(key, prefixes=prefixes, sorted_codes=None, risk=dense_risk, seen=dense_seen)

    def _wanted(self, lookup: _Lookup, codes: dict[str, np.ndarray]) -> np.ndarray:
        """Each declaration's position in ``lookup``: a dense index, or a code to search for."""
        if lookup.prefixes is None:
            return self._combined(lookup.key, codes)
        *prefix, last = lookup.key
        prefix_ids = np.take(lookup.prefixes, self._combined(tuple(prefix), codes), mode="clip")
        return prefix_ids * self.sizes[last] + codes[last]

    def feature_matrix(
        self, declarations: pl.DataFrame, *, dtype: type[np.floating[Any]] = np.float32
    ) -> np.ndarray:
        """The model's C-contiguous input for typed canonical declarations.

        Features are float32 (what the model was trained on); ``dtype=np.float64`` gives the same
        values widened, laid out in the same single copy (the compiled trees read float64).
        """
        derived = {"hs6": 6, "hs4": 4, "hs2": 2}  # only those a profile uses are cut
        keyed = declarations.select(
            pl.col(c) if c not in derived else pl.col("hs_code").str.slice(0, derived[c]).alias(c)
            for c in self.attributes
        )
        codes = self._codes(keyed)
        names = self.profiles.feature_names
        matrix = np.empty((declarations.height, len(names)), dtype=np.float32, order="F")
        column = 0
        for key in self.profiles.keys:
            lookup = self.lookups[profile_name(key)]
            sorted_codes, risk, seen = lookup.sorted_codes, lookup.risk, lookup.seen
            wanted = self._wanted(lookup, codes)
            if sorted_codes is None:
                np.take(risk, wanted, out=matrix[:, column], mode="clip")  # codes < sizes by construction
                np.take(seen, wanted, out=matrix[:, column + 1], mode="clip")
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
        return np.ascontiguousarray(matrix, dtype=dtype)

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
