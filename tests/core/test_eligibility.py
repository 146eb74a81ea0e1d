import pytest

from ctpat.core.eligibility import (
    QUESTIONS,
    RULES,
    evaluate_eligibility,
    missing_identifiers,
    questions_for,
)
from ctpat.core.entity_types import EntityType
from ctpat.core.identifiers import IdentifierKind


def all_yes(entity_type: EntityType) -> dict[str, bool]:
    return {q.key: True for q in questions_for(entity_type)}


@pytest.mark.parametrize("entity_type", list(EntityType))
def test_every_type_has_questions_and_rules_and_all_yes_passes(entity_type: EntityType) -> None:
    assert QUESTIONS[entity_type]
    assert RULES[entity_type]
    assert evaluate_eligibility(entity_type, all_yes(entity_type)).eligible


@pytest.mark.parametrize("entity_type", list(EntityType))
def test_all_no_fails_with_a_reason_per_rule(entity_type: EntityType) -> None:
    result = evaluate_eligibility(entity_type, {})
    assert not result.eligible
    assert len(result.reasons) >= 3  # the type's own rule(s) and the two common ones


def test_importer_without_recent_imports_is_told_why() -> None:
    answers = all_yes(EntityType.IMPORTER) | {"imported_last_12_months": False}
    result = evaluate_eligibility(EntityType.IMPORTER, answers)
    assert result.reasons == ("Importers must have imported into the U.S. in the last 12 months.",)


def test_foreign_manufacturer_outside_mexico_canada_needs_an_invitation() -> None:
    base = {"security_officer": True, "no_unpaid_debt": True}
    assert not evaluate_eligibility(EntityType.FOREIGN_MANUFACTURER, base).eligible
    assert evaluate_eligibility(EntityType.FOREIGN_MANUFACTURER, base | {"invited": True}).eligible
    assert evaluate_eligibility(EntityType.FOREIGN_MANUFACTURER, base | {"incorporated_mx_ca": True}).eligible


def test_mexican_highway_carrier_needs_its_deed() -> None:
    answers = all_yes(EntityType.HIGHWAY_CARRIER) | {"incorporation_deed": False}
    result = evaluate_eligibility(EntityType.HIGHWAY_CARRIER, answers)
    assert result.reasons == ("Mexican highway carriers need their deed of incorporation.",)
    answers["mexican_carrier"] = False
    assert evaluate_eligibility(EntityType.HIGHWAY_CARRIER, answers).eligible


def test_unpaid_debt_blocks_everyone() -> None:
    answers = all_yes(EntityType.IMPORTER) | {"no_unpaid_debt": False}
    assert "unpaid final debt" in evaluate_eligibility(EntityType.IMPORTER, answers).reasons[0]


def test_missing_identifiers_by_type() -> None:
    assert missing_identifiers(EntityType.IMPORTER, set()) == ["Importer of record number is required."]
    assert missing_identifiers(EntityType.HIGHWAY_CARRIER, {IdentifierKind.SCAC}) == [
        "USDOT number is required."
    ]
    assert missing_identifiers(EntityType.EXPORTER, {IdentifierKind.DUNS}) == []
    assert "EIN" in missing_identifiers(EntityType.EXPORTER, set())[0]
