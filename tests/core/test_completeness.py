from decimal import Decimal

from ctpat.core.completeness import AnswerFacts, ApplicationFacts, application_gaps, category_progress
from ctpat.core.entity_types import EntityType
from ctpat.core.identifiers import IdentifierKind


def facts(**overrides: object) -> ApplicationFacts:
    base: dict[str, object] = {
        "entity_type": EntityType.IMPORTER,
        "eligible": True,
        "has_address": True,
        "identifiers": frozenset({IdentifierKind.IMPORTER_OF_RECORD}),
        "contact_types": ["company_officer"],
        "transport_modes": ["sea"],
        "origin_shares": [Decimal("60"), Decimal("40")],
        "facility_count": 1,
        "answers": [AnswerFacts("1.1", 1, True, "implemented", "We do.")],
    }
    base.update(overrides)
    return ApplicationFacts(**base)  # type: ignore[arg-type]


def test_a_complete_application_has_no_gaps() -> None:
    assert application_gaps(facts()) == []


def test_each_missing_part_is_named() -> None:
    gaps = application_gaps(
        facts(
            eligible=False,
            has_address=False,
            identifiers=frozenset(),
            contact_types=[],
            transport_modes=[],
            origin_shares=[Decimal("70"), Decimal("40")],
            facility_count=0,
        )
    )
    sections = [g.section for g in gaps]
    assert sections == [
        "eligibility",
        "company",
        "contacts",
        "identifiers",
        "business",
        "business",
        "business",
    ]
    assert "110" in gaps[5].message


def test_must_unanswered_should_unanswered_and_na_without_reason() -> None:
    answers = [
        AnswerFacts("2.3", 2, True, ""),
        AnswerFacts("2.4", 2, False, ""),
        AnswerFacts("3.4", 3, True, "not_applicable", "", ""),
        AnswerFacts("3.5", 3, True, "not_applicable", "", "We have no partners abroad."),
        AnswerFacts("4.1", 4, True, "implemented", ""),
    ]
    gaps = application_gaps(facts(answers=answers))
    assert [(g.criterion, g.message) for g in gaps] == [
        ("2.3", "This Must criterion has no answer."),
        ("3.4", "Say why this criterion does not apply."),
        ("4.1", "Describe how the company meets this criterion."),
    ]


def test_origin_countries_only_asked_of_importing_types() -> None:
    assert (
        application_gaps(
            facts(
                entity_type=EntityType.TERMINAL_OPERATOR,
                identifiers=frozenset({IdentifierKind.FMC}),
                origin_shares=[],
            )
        )
        == []
    )
    assert application_gaps(facts(origin_shares=[]))[0].section == "business"


def test_progress_per_category() -> None:
    progress = category_progress(
        [
            AnswerFacts("1.1", 1, True, "implemented", "x"),
            AnswerFacts("1.2", 1, True, ""),
            AnswerFacts("2.1", 2, False, "not_implemented"),
        ]
    )
    assert [(p.category, p.answered, p.total, p.percent) for p in progress] == [(1, 1, 2, 50), (2, 1, 1, 100)]
