"""The automatic risk score: every kind of contribution, the bands, the country table and the
five-step assessment. Property tests: the total is the sum of its contributions, and more
unmet criteria, riskier countries, derogatory results or incidents never lower the score."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ctpat.core.completeness import AnswerFacts
from ctpat.core.entity_types import EntityType
from ctpat.core.risk import (
    ENTITY_TYPE_POINTS,
    AssessmentStep,
    ContributionSource,
    CountryThreat,
    FacilityLocation,
    OriginShare,
    RiskInputs,
    RiskLevel,
    RiskPolicy,
    ThreatLevel,
    ThreatTableError,
    assessment_missing,
    is_risk_assessed,
    risk_level,
    risk_score,
    threat_table,
)

POLICY = RiskPolicy()
ASSESSED = date(2025, 1, 15)
THREATS = {
    code: CountryThreat(code, level, "Test table", ASSESSED)
    for code, level in {"US": ThreatLevel.LOW, "MX": ThreatLevel.MEDIUM, "PK": ThreatLevel.HIGH}.items()
}
STATUSES = ["", "implemented", "partly", "not_implemented", "not_applicable"]
# From least to most risky: more unmet never scores lower.
WORSENING = ["implemented", "partly", "not_implemented"]


def answer(code: str, status: str, *, must: bool = True, reason: str = "") -> AnswerFacts:
    return AnswerFacts(criterion=code, category=int(code.split(".")[0]), is_must=must, status=status,
                       narrative="Done." if status in {"implemented", "partly"} else "",
                       not_applicable_reason=reason)  # fmt: skip


def score_of(**inputs: object) -> Decimal:
    defaults: dict[str, object] = {"entity_type": EntityType.IMPORTER, "threats": THREATS}
    return risk_score(RiskInputs(**(defaults | inputs)), POLICY).total  # type: ignore[arg-type]


def points_of(**inputs: object) -> list[tuple[ContributionSource, str, Decimal]]:
    defaults: dict[str, object] = {"entity_type": EntityType.IMPORTER, "threats": THREATS}
    score = risk_score(RiskInputs(**(defaults | inputs)), POLICY)  # type: ignore[arg-type]
    return [(c.source, c.detail, c.points) for c in score.contributions]


# --- Security profile answers ----------------------------------------------------------------


def test_unmet_must_weighs_more_than_should_and_not_implemented_more_than_partly() -> None:
    def one(status: str, must: bool) -> Decimal:
        return score_of(answers=[answer("3.4", status, must=must)]) - score_of()

    assert one("not_implemented", True) == Decimal(10)
    assert one("partly", True) == Decimal(5)
    assert one("not_implemented", False) == Decimal(3)
    assert one("partly", False) == Decimal(1)
    assert one("not_implemented", True) > one("partly", True) > one("implemented", True) == 0
    for status in ("not_implemented", "partly", ""):
        assert one(status, True) > one(status, False)


def test_unanswered_counts_as_not_implemented() -> None:
    assert score_of(answers=[answer("2.3", "")]) == score_of(answers=[answer("2.3", "not_implemented")])
    assert score_of(answers=[answer("2.3", "", must=False)]) == score_of(
        answers=[answer("2.3", "not_implemented", must=False)]
    )


def test_not_applicable_with_a_reason_adds_nothing_without_one_counts_as_unanswered() -> None:
    assert score_of(answers=[answer("5.1", "not_applicable", reason="We own no trucks.")]) == score_of()
    assert score_of(answers=[answer("5.1", "not_applicable", reason="  ")]) == score_of(
        answers=[answer("5.1", "")]
    )
    rows = points_of(answers=[answer("5.1", "not_applicable")])
    assert (
        ContributionSource.SECURITY_PROFILE,
        "5.1 (Must): not applicable, no reason given",
        Decimal(10),
    ) in rows


def test_an_answer_contribution_names_the_criterion_its_flag_and_the_answer() -> None:
    rows = points_of(answers=[answer("6.2", "partly"), answer("9.3", "not_implemented", must=False)])
    assert (ContributionSource.SECURITY_PROFILE, "6.2 (Must): partly implemented", Decimal(5)) in rows
    assert (ContributionSource.SECURITY_PROFILE, "9.3 (Should): not implemented", Decimal(3)) in rows
    # Met criteria are not listed: only what adds points is.
    assert not [r for r in points_of(answers=[answer("1.1", "implemented")]) if "1.1" in r[1]]


answers_strategy = st.lists(
    st.tuples(st.sampled_from(STATUSES), st.booleans(), st.booleans()), min_size=0, max_size=12
)


def _answers(rows: list[tuple[str, bool, bool]]) -> list[AnswerFacts]:
    return [
        answer(f"{n + 1}.1", status, must=must, reason="Reason." if with_reason else "")
        for n, (status, must, with_reason) in enumerate(rows)
    ]


@given(answers_strategy, st.data())
def test_worsening_any_answer_never_lowers_the_score(
    rows: list[tuple[str, bool, bool]], data: st.DataObject
) -> None:
    if not rows:
        return
    position = data.draw(st.integers(0, len(rows) - 1))
    status, must, reason = rows[position]
    if status not in WORSENING:
        return
    worse = data.draw(st.sampled_from(WORSENING[WORSENING.index(status) :]))
    changed = [*rows[:position], (worse, must, reason), *rows[position + 1 :]]
    assert score_of(answers=_answers(changed)) >= score_of(answers=_answers(rows))


@given(answers_strategy, st.integers(1, 5))
def test_more_unmet_musts_never_lower_the_score(rows: list[tuple[str, bool, bool]], extra: int) -> None:
    more = _answers(rows) + [answer(f"{20 + n}.1", "not_implemented") for n in range(extra)]
    assert score_of(answers=more) >= score_of(answers=_answers(rows)) + 10 * extra


@given(answers_strategy, st.sampled_from(list(EntityType)), st.integers(0, 4), st.integers(0, 3))
def test_the_total_is_exactly_the_sum_of_the_contributions(
    rows: list[tuple[str, bool, bool]], entity_type: EntityType, derogatory: int, incidents: int
) -> None:
    inputs = RiskInputs(
        entity_type=entity_type,
        answers=_answers(rows),
        origins=[OriginShare("PK", Decimal("33.33")), OriginShare("MX", Decimal("66.67"))],
        facilities=[FacilityLocation("Yard", "MX")],
        derogatory_checks=[f"Check {n}" for n in range(derogatory)],
        incident_count=incidents,
        threats=THREATS,
    )
    score = risk_score(inputs, POLICY)
    assert score.total == sum((c.points for c in score.contributions), Decimal(0))
    assert score.level == risk_level(score.total, POLICY)
    assert sum((subtotal for _s, subtotal, _r in score.by_source()), Decimal(0)) == score.total


# --- Countries, facilities, entity type, vetting, incidents ---------------------------------


def test_countries_of_origin_are_weighted_by_their_share() -> None:
    rows = points_of(
        origins=[
            OriginShare("PK", Decimal(50)),
            OriginShare("MX", Decimal(25)),
            OriginShare("US", Decimal(25)),
        ]
    )
    origins = [
        (detail, points) for source, detail, points in rows if source is ContributionSource.COUNTRY_OF_ORIGIN
    ]
    assert origins == [
        ("PK: High threat (Test table, 2025-01-15) × 50% of imports", Decimal("10.0")),
        ("MX: Medium threat (Test table, 2025-01-15) × 25% of imports", Decimal("2.0")),
        ("US: Low threat (Test table, 2025-01-15) × 25% of imports", Decimal("0.0")),
    ]


def test_a_country_missing_from_the_table_counts_as_medium_and_says_so() -> None:
    rows = points_of(origins=[OriginShare("ZZ", Decimal(100))], facilities=[FacilityLocation("Depot", "ZZ")])
    assert (
        ContributionSource.COUNTRY_OF_ORIGIN,
        "ZZ: Medium threat (not in the country table) × 100% of imports",
        Decimal("8.0"),
    ) in rows
    assert (
        ContributionSource.FACILITY,
        "Depot in ZZ: Medium threat (not in the country table)",
        Decimal(3),
    ) in rows


def test_each_facility_adds_the_points_of_its_country() -> None:
    facilities = [
        FacilityLocation("Karachi plant", "PK"),
        FacilityLocation("Laredo yard", "MX"),
        FacilityLocation("Newark", "US"),
    ]
    rows = [(d, p) for s, d, p in points_of(facilities=facilities) if s is ContributionSource.FACILITY]
    assert [p for _d, p in rows] == [Decimal(8), Decimal(3), Decimal(0)]
    assert rows[0][0] == "Karachi plant in PK: High threat (Test table, 2025-01-15)"


@given(
    st.sampled_from(["US", "MX", "PK"]),
    st.decimals(min_value=Decimal("0.01"), max_value=Decimal(100), places=2),
)
def test_a_riskier_country_never_scores_lower_for_the_same_share(country: str, share: Decimal) -> None:
    order = ["US", "MX", "PK"]
    for riskier in order[order.index(country) :]:
        assert score_of(origins=[OriginShare(riskier, share)]) >= score_of(
            origins=[OriginShare(country, share)]
        )


@pytest.mark.parametrize("entity_type", list(EntityType))
def test_every_entity_type_has_its_policy_points(entity_type: EntityType) -> None:
    rows = points_of(entity_type=entity_type)
    assert rows == [
        (
            ContributionSource.ENTITY_TYPE,
            f"{entity_type.label}: inherent exposure of the business model",
            ENTITY_TYPE_POINTS[entity_type],
        )
    ]


def test_each_derogatory_vetting_result_adds_its_points() -> None:
    rows = points_of(derogatory_checks=["Open-source checks", "Law-enforcement checks"])
    assert [(d, p) for s, d, p in rows if s is ContributionSource.VETTING] == [
        ("Open-source checks: derogatory information", Decimal(25)),
        ("Law-enforcement checks: derogatory information", Decimal(25)),
    ]


@given(st.integers(0, 20), st.integers(0, 6))
def test_incidents_and_derogatory_results_never_lower_the_score(incidents: int, derogatory: int) -> None:
    base = score_of(incident_count=incidents, derogatory_checks=["x"] * derogatory)
    assert score_of(incident_count=incidents + 1, derogatory_checks=["x"] * derogatory) == base + 15
    assert score_of(incident_count=incidents, derogatory_checks=["x"] * (derogatory + 1)) == base + 25


def test_no_incidents_no_incident_line() -> None:
    assert not [r for r in points_of(incident_count=0) if r[0] is ContributionSource.INCIDENTS]
    assert (ContributionSource.INCIDENTS, "2 recorded incident(s)", Decimal(30)) in points_of(
        incident_count=2
    )


# --- Bands and policy ------------------------------------------------------------------------


def test_bands_follow_the_policy_thresholds() -> None:
    assert risk_level(Decimal("24.9"), POLICY) is RiskLevel.LOW
    assert risk_level(Decimal(25), POLICY) is RiskLevel.MEDIUM
    assert risk_level(Decimal("49.9"), POLICY) is RiskLevel.MEDIUM
    assert risk_level(Decimal(50), POLICY) is RiskLevel.HIGH
    strict = RiskPolicy(medium_from=Decimal(5), high_from=Decimal(6))
    assert risk_level(Decimal(5), strict) is RiskLevel.MEDIUM


def test_a_clean_importer_is_low_risk_and_derogatory_vetting_makes_it_medium() -> None:
    assert risk_score(RiskInputs(EntityType.IMPORTER, threats=THREATS), POLICY).level is RiskLevel.LOW
    flagged = RiskInputs(EntityType.IMPORTER, derogatory_checks=["Law-enforcement checks"], threats=THREATS)
    assert risk_score(flagged, POLICY).level is RiskLevel.MEDIUM


# --- The country table -----------------------------------------------------------------------


def test_the_country_table_is_checked_row_by_row() -> None:
    good = {"country": "MX", "level": "Medium", "source": "Agency", "assessed": "2025-01-15"}
    assert threat_table([good])["MX"] == CountryThreat("MX", ThreatLevel.MEDIUM, "Agency", ASSESSED)
    assert threat_table([good | {"assessed": ASSESSED}])["MX"].assessed == ASSESSED
    for bad, message in [
        (good | {"country": "mex"}, "not an ISO 3166-1 alpha-2"),
        (good | {"level": "Severe"}, "High, Medium or Low"),
        (good | {"source": " "}, "who assessed"),
        (good | {"assessed": "15/01/2025"}, "YYYY-MM-DD"),
        (good | {"assessed": None}, "YYYY-MM-DD"),
    ]:
        with pytest.raises(ThreatTableError, match=message):
            threat_table([bad])
    with pytest.raises(ThreatTableError, match="listed twice"):
        threat_table([good, good])


# --- The written assessment ------------------------------------------------------------------


def test_the_five_steps_and_when_the_risk_is_assessed() -> None:
    assert [s.label[:2] for s in AssessmentStep] == ["1.", "2.", "3.", "4.", "5."]
    texts = {step.value: "Written." for step in AssessmentStep}
    assert assessment_missing(texts) == []
    assert is_risk_assessed(score_recorded=True, texts=texts)
    assert not is_risk_assessed(score_recorded=False, texts=texts)
    partial = texts | {AssessmentStep.ACTION_PLAN.value: "   "}
    assert assessment_missing(partial) == [AssessmentStep.ACTION_PLAN]
    assert not is_risk_assessed(score_recorded=True, texts=partial)
    assert assessment_missing({}) == list(AssessmentStep)
