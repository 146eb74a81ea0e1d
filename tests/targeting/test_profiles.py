"""Risk profiles: no target leakage, and the fast and single paths agree with the reference joins."""

from __future__ import annotations

import numpy as np
import polars as pl

from ctpat.targeting.declarations import declarations_read
from ctpat.targeting.model import TargetingModel
from ctpat.targeting.profiles import feature_matrix, risk_profiles_fit

from .conftest import KCS_TRAIN, KCS_VALID


def test_a_rows_own_outcome_does_not_change_its_own_features() -> None:
    history = declarations_read(KCS_TRAIN).frame
    profiles, before = risk_profiles_fit(history, label="fraud", seed=3)
    flipped = history.with_columns(
        pl.when(pl.int_range(pl.len()) == 10).then(~pl.col("fraud")).otherwise(pl.col("fraud")).alias("fraud")
    )
    _, after = risk_profiles_fit(flipped, label="fraud", seed=3)
    risk_columns = [name for name in profiles.feature_names if name.startswith("risk_")]
    assert before.row(10) == after.row(10)
    # ... while rows sharing its importer in other folds do see it: the profiles are not inert.
    changed = (before.select(risk_columns) != after.select(risk_columns)).sum_horizontal() > 0
    assert changed.any()


def test_fast_feature_matrix_matches_the_reference_joins(tiny_model: TargetingModel) -> None:
    declarations = declarations_read(KCS_VALID).frame
    reference = feature_matrix(tiny_model.features(declarations), tiny_model.feature_names)
    np.testing.assert_allclose(tiny_model.feature_matrix(declarations), reference, rtol=1e-6)


def test_one_declaration_scores_as_in_a_batch(tiny_model: TargetingModel) -> None:
    declarations = declarations_read(KCS_VALID).frame
    batch = tiny_model.score(declarations)
    single = [tiny_model.score_one(row) for row in declarations.iter_rows(named=True)]
    np.testing.assert_allclose(single, batch, rtol=1e-6)


def test_unseen_importer_gets_the_prior(tiny_model: TargetingModel) -> None:
    row = declarations_read(KCS_VALID).frame.row(0, named=True)
    row["importer_id"] = "NEVER-SEEN"
    features = tiny_model.feature_matrix(pl.DataFrame([row]))
    position = tiny_model.feature_names.index("risk_importer_id")
    assert features[0, position] == np.float32(tiny_model.profiles.prior)
    assert features[0, position + 1] == 0.0
