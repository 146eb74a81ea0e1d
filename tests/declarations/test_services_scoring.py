"""Scoring a declaration file: one stored declaration per row in file order, members linked by
their importer-of-record number, the tier reduction applied, a random share, and refused files
leaving nothing behind."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from ctpat.declarations.models import Declaration, DeclarationBatch, TargetingModelVersion
from ctpat.declarations.policy import selection_policy
from ctpat.declarations.services import TargetingRefused, declarations_score_file
from ctpat.targeting import declarations_read
from tests.conftest import Personas
from tests.declarations.conftest import ACME_ROWS, BETA_ROWS, KCS_VALID, declaration_file, partner_event

POLICY = selection_policy(budget=0.05, random_share=0.10, seed=3)


def _score(path: Path, **options: object) -> DeclarationBatch:
    return declarations_score_file(actor=None, path=path, policy=POLICY, **options)  # type: ignore[arg-type]


def test_one_declaration_per_row_in_file_order(
    members: Personas, active_model: TargetingModelVersion, scoring_file: Path
) -> None:
    batch = _score(scoring_file)
    stored = list(batch.declarations.order_by("position"))
    expected = declarations_read(KCS_VALID).frame
    assert [d.declaration_id for d in stored] == expected["declaration_id"].to_list()
    assert [d.line for d in stored] == list(range(2, 142))
    assert stored[0].hs_code == expected["hs_code"][0] and stored[0].declared_on == expected["date"][0]
    assert (batch.declarations_count, batch.model_version, batch.source_name) == (
        140,
        active_model,
        "declarations.csv",
    )
    assert batch.policy["seed"] == 3 and batch.policy["tier_reductions"] == {"1": 0.1, "2": 0.3, "3": 0.5}


def test_members_are_linked_by_their_normalised_importer_of_record_number(
    members: Personas, active_model: TargetingModelVersion, scoring_file: Path
) -> None:
    batch = _score(scoring_file)
    by_position = {d.position: d for d in batch.declarations.select_related("partner")}
    assert {by_position[i].partner for i in ACME_ROWS} == {members.acme}
    assert {by_position[i].importer_key for i in ACME_ROWS} == {"123456789AB"}
    assert {by_position[i].partner for i in BETA_ROWS} == {members.beta}
    assert batch.declarations.filter(partner__isnull=True).count() == 140 - 15
    assert batch.member_count == 15


def test_tier_reduction_follows_partner_tier(
    members: Personas, active_model: TargetingModelVersion, scoring_file: Path
) -> None:
    """Acme holds Tier 2 (from its events): its scores drop by 30% of the high-risk threshold.
    Beta has no tier and non-members get no reduction."""
    batch = _score(scoring_file)
    rows = list(batch.declarations.order_by("-score"))
    budget, random_count = 7, 1  # 5% of 140, a tenth of it random
    threshold = rows[budget - random_count - 1].score
    acme = [d for d in rows if d.partner == members.acme]
    assert {d.tier for d in acme} == {"2"}
    for declaration in acme:
        assert declaration.adjusted_score == pytest.approx(declaration.score - 0.30 * threshold)
        assert declaration.adjusted_score < declaration.score
    others = [d for d in rows if d.partner != members.acme]
    assert {d.tier for d in others} == {"non-member"}
    assert all(d.adjusted_score == d.score for d in others)


def test_a_suspended_member_gets_no_reduction(
    members: Personas, active_model: TargetingModelVersion, scoring_file: Path
) -> None:

    partner_event(members.acme, "suspend", 9)
    batch = _score(scoring_file)
    acme = batch.declarations.filter(partner=members.acme)
    assert set(acme.values_list("tier", flat=True)) == {"non-member"}
    assert all(d.adjusted_score == d.score for d in acme)


def test_random_share_is_drawn_and_explained(
    members: Personas, active_model: TargetingModelVersion, scoring_file: Path
) -> None:
    batch = _score(scoring_file)
    assert (batch.selected_count, batch.risk_count, batch.random_count) == (7, 6, 1)
    drawn = batch.declarations.get(selection="random")
    assert drawn.selected and drawn.reason.startswith("random compliance sample")
    assert all("high-risk threshold" in d.reason for d in batch.declarations.filter(selection="risk"))


def test_bad_rows_are_refused_with_line_and_reason_and_nothing_is_written(
    members: Personas, active_model: TargetingModelVersion, tmp_path: Path
) -> None:
    def spoil(frame: pl.DataFrame) -> pl.DataFrame:
        values = frame["customs_value"].cast(pl.String).to_list()
        values[2] = "abc"
        codes = frame["hs_code"].to_list()
        codes[5] = "12"
        return frame.with_columns(pl.Series("customs_value", values), pl.Series("hs_code", codes))

    path = declaration_file(tmp_path / "bad.csv", edit=spoil)
    with pytest.raises(TargetingRefused) as refused:
        _score(path)
    assert refused.value.problems == [
        "line 4: customs_value: 'abc' is not a number",
        "line 7: hs_code: '12' is not an HS code of 6 to 10 digits",
    ]
    assert "nothing was stored" in refused.value.message
    assert not DeclarationBatch.objects.exists() and not Declaration.objects.exists()


def test_missing_columns_are_refused(
    members: Personas, active_model: TargetingModelVersion, tmp_path: Path
) -> None:
    path = tmp_path / "short.csv"
    path.write_text("declaration_id,date\nD1,2024-01-01\n")
    with pytest.raises(TargetingRefused, match="missing column"):
        _score(path)
    assert not Declaration.objects.exists()


def test_repeated_and_already_scored_ids_are_refused(
    members: Personas, active_model: TargetingModelVersion, tmp_path: Path
) -> None:
    _score(declaration_file(tmp_path / "first.csv", rows=slice(0, 20)))

    def repeat(frame: pl.DataFrame) -> pl.DataFrame:
        ids = frame["declaration_id"].to_list()
        ids[30] = ids[25]
        return frame.with_columns(pl.Series("declaration_id", ids))

    with pytest.raises(TargetingRefused) as refused:
        _score(declaration_file(tmp_path / "second.csv", rows=slice(0, 40), edit=repeat))
    problems = refused.value.problems
    assert len(problems) == 21
    assert problems[0].startswith("line 2: declaration_id: '") and problems[0].endswith(
        "was scored already (first.csv)"
    )
    assert any(p.startswith("line 32: declaration_id: ") and "repeats line 27" in p for p in problems)
    assert Declaration.objects.count() == 20


def test_values_too_long_to_store_are_refused(
    members: Personas, active_model: TargetingModelVersion, tmp_path: Path
) -> None:
    def long_office(frame: pl.DataFrame) -> pl.DataFrame:
        offices = frame["office_id"].to_list()
        offices[0] = "X" * 11
        return frame.with_columns(pl.Series("office_id", offices))

    with pytest.raises(TargetingRefused) as refused:
        _score(declaration_file(tmp_path / "long.csv", edit=long_office))
    assert refused.value.problems == ["line 2: office_id: 'XXXXXXXXXXX' is longer than 10 characters"]


def test_no_active_model_refuses(members: Personas, scoring_file: Path) -> None:
    with pytest.raises(TargetingRefused, match="No targeting model is active"):
        _score(scoring_file)


def test_kcs_layout_files_are_scored_too(members: Personas, active_model: TargetingModelVersion) -> None:
    batch = _score(KCS_VALID)
    assert batch.declarations_count == 140
