"""The validation's pure rules: the inspection checklists and seal checks as data, MRA
partners, sites, which decisions a set of findings allows, the report's readiness and the
validation's stages."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ctpat.core.validation_rules import (
    CHECKLISTS,
    CONTAINER_7,
    CORRECTIVE_ACTION_MAX_DAYS,
    DEFICIENCIES,
    LEGACY_17,
    MRA_PARTNERS,
    REQUIRED_SEAL_CLASS,
    RESPONSE_DAYS,
    TRACTOR_7,
    TRAILER_10,
    VVTT_STEPS,
    DecisionInput,
    FindingFacts,
    FindingKind,
    Outcome,
    SealCheck,
    SealClass,
    SiteFacts,
    SiteMode,
    Stage,
    StageError,
    VisitFacts,
    WorksheetInput,
    allowed_outcomes,
    decision_errors,
    finding_tally,
    mra_partner_for_country,
    outcome_refusal,
    proposal_refusal,
    report_gaps,
    seal_class_acceptable,
    seal_concerns,
    site_errors,
    site_mode,
    stage_after,
    stage_after_return,
    visit_date_error,
    worksheet_errors,
)

TODAY = date(2026, 3, 2)
kinds = st.lists(st.sampled_from(list(FindingKind)), max_size=12)

# --- Checklists and seals ----------------------------------------------------------------------


def test_the_checklists_have_their_points() -> None:
    assert [len(c.points) for c in (CONTAINER_7, TRACTOR_7, TRAILER_10, LEGACY_17)] == [7, 7, 10, 17]
    assert set(CHECKLISTS) == {"container_7", "tractor_7", "trailer_10", "legacy_17"}
    for checklist in CHECKLISTS.values():
        assert len(set(checklist.point_codes)) == len(checklist.points), checklist.code
        assert all(p.label for p in checklist.points)
    assert "fan housing" in CONTAINER_7.note


def test_the_legacy_17_points_cover_tractor_and_trailer() -> None:
    codes = set(LEGACY_17.point_codes)
    assert {"engine", "air_tanks", "drive_shafts", "fifth_wheel", "refrigeration_unit", "exhaust"} <= codes


def test_vvtt_has_four_steps_in_order() -> None:
    assert [s.code for s in VVTT_STEPS] == ["view", "verify", "tug", "twist"]


def test_only_a_high_security_seal_is_acceptable() -> None:
    assert REQUIRED_SEAL_CLASS is SealClass.HIGH_SECURITY
    assert [c.value for c in SealClass] == ["I", "S", "H"]
    assert [seal_class_acceptable(c) for c in ("I", "S", "H", "")] == [False, False, True, False]


def test_seal_concerns_name_each_failure() -> None:
    assert seal_concerns(SealCheck(dict.fromkeys(("view", "verify", "tug", "twist"), True), "H", True)) == []
    concerns = seal_concerns(SealCheck({"view": True}, "S", False))
    assert len(concerns) == 5  # three VVTT steps, the class, the log
    assert any("class S" in c for c in concerns)


# --- Mutual recognition ------------------------------------------------------------------------


def test_mra_partners_are_data_with_their_years() -> None:
    assert len(MRA_PARTNERS) == 18
    assert (MRA_PARTNERS["NZ"].year, MRA_PARTNERS["EU"].year, MRA_PARTNERS["CO"].year) == (2007, 2012, 2023)
    assert MRA_PARTNERS["MX"].program == "NEEC/OEA"
    assert mra_partner_for_country("DE") == MRA_PARTNERS["EU"]
    assert mra_partner_for_country("US") is None
    assert mra_partner_for_country("cn") is None


# --- Sites -------------------------------------------------------------------------------------


def test_site_rules() -> None:
    assert site_errors(SiteFacts("US")) == {}
    assert set(site_errors(SiteFacts("USA"))) == {"country"}
    assert set(site_errors(SiteFacts("US", latitude=91, longitude=0))) == {"latitude"}
    assert set(site_errors(SiteFacts("US", latitude=10))) == {"latitude"}
    assert set(site_errors(SiteFacts("US", no_go=True))) == {"no_go_reason"}
    assert site_errors(SiteFacts("MX", no_go=True, no_go_reason="Cartel activity on the access road.")) == {}
    assert set(site_errors(SiteFacts("US", mra_partner="EU", mra_reference="A1"))) == {"mra_partner"}
    assert (
        "does not cover"
        in site_errors(SiteFacts("CN", mra_partner="EU", mra_reference="A1"))["mra_partner"][0]
    )
    assert set(site_errors(SiteFacts("DE", mra_partner="EU"))) == {"mra_reference"}
    assert set(site_errors(SiteFacts("DE", mra_partner="XX"))) == {"mra_partner"}
    assert set(site_errors(SiteFacts("DE", mra_reference="A1"))) == {"mra_reference"}
    assert site_errors(SiteFacts("FR", mra_partner="EU", mra_reference="AEO-FR-1")) == {}


def test_site_mode() -> None:
    assert site_mode(SiteFacts("US")) is SiteMode.VISIT
    assert site_mode(SiteFacts("MX", no_go=True, no_go_reason="x")) is SiteMode.NO_GO
    assert site_mode(SiteFacts("MX", mra_partner="MX", mra_reference="1")) is SiteMode.MRA


# --- Decisions ---------------------------------------------------------------------------------


@given(kinds)
def test_a_major_deficiency_rules_out_validation(findings: list[FindingKind]) -> None:
    allowed = set(allowed_outcomes(findings))
    if FindingKind.MAJOR in findings:
        assert allowed == {Outcome.CORRECTIVE_ACTION, Outcome.SUSPENSION_RECOMMENDED}
    else:
        assert Outcome.SUSPENSION_RECOMMENDED not in allowed


@given(kinds)
def test_tier_three_needs_best_practice_and_no_deficiency(findings: list[FindingKind]) -> None:
    expected = bool(findings) and FindingKind.BEST_PRACTICE in findings and not set(findings) & DEFICIENCIES
    assert (Outcome.TIER_3 in allowed_outcomes(findings)) == expected


@given(kinds)
def test_otherwise_tier_two_and_corrective_action_only_with_a_deficiency(findings: list[FindingKind]) -> None:
    allowed = allowed_outcomes(findings)
    assert (Outcome.TIER_2 in allowed) == (bool(findings) and FindingKind.MAJOR not in findings)
    assert (Outcome.CORRECTIVE_ACTION in allowed) == bool(set(findings) & DEFICIENCIES)
    for outcome in Outcome:
        assert (outcome in allowed) == (outcome_refusal(outcome, findings) is None)


def test_no_findings_allow_nothing() -> None:
    assert allowed_outcomes([]) == []
    assert outcome_refusal(Outcome.TIER_2, []) == "Record the validation's findings first."


def test_examples() -> None:
    assert allowed_outcomes([FindingKind.COMPLIANT]) == [Outcome.TIER_2]
    assert allowed_outcomes([FindingKind.COMPLIANT, FindingKind.BEST_PRACTICE]) == [
        Outcome.TIER_2,
        Outcome.TIER_3,
    ]
    assert allowed_outcomes([FindingKind.MINOR, FindingKind.BEST_PRACTICE]) == [
        Outcome.TIER_2,
        Outcome.CORRECTIVE_ACTION,
    ]
    assert Outcome.TIER_3.tier == 3 and Outcome.TIER_2.tier == 2 and Outcome.CORRECTIVE_ACTION.tier is None


def test_corrective_action_needs_a_future_deadline_and_items() -> None:
    findings = [FindingKind.MAJOR]
    base = DecisionInput(Outcome.CORRECTIVE_ACTION)
    assert set(decision_errors(base, findings=findings, today=TODAY)) == {"deadline", "corrective_items"}
    today = DecisionInput(Outcome.CORRECTIVE_ACTION, deadline=TODAY, corrective_items="Seal log")
    assert "after today" in decision_errors(today, findings=findings, today=TODAY)["deadline"][0]
    late = TODAY + timedelta(days=CORRECTIVE_ACTION_MAX_DAYS + 1)
    too_far = DecisionInput(Outcome.CORRECTIVE_ACTION, deadline=late, corrective_items="Seal log")
    assert "at most" in decision_errors(too_far, findings=findings, today=TODAY)["deadline"][0]
    good = DecisionInput(
        Outcome.CORRECTIVE_ACTION, deadline=TODAY + timedelta(days=30), corrective_items="Seal log"
    )
    assert decision_errors(good, findings=findings, today=TODAY) == {}


def test_a_suspension_recommendation_needs_a_rationale() -> None:
    bare = DecisionInput(Outcome.SUSPENSION_RECOMMENDED)
    assert set(decision_errors(bare, findings=[FindingKind.MAJOR], today=TODAY)) == {"rationale"}


def test_proposal_waits_for_the_response_or_the_window() -> None:
    assert proposal_refusal(responded=True, report_sent_on=None, today=TODAY) is None
    assert "Send the report" in (proposal_refusal(responded=False, report_sent_on=None, today=TODAY) or "")
    assert proposal_refusal(responded=False, report_sent_on=TODAY, today=TODAY) is not None
    later = TODAY + timedelta(days=RESPONSE_DAYS)
    assert proposal_refusal(responded=False, report_sent_on=TODAY, today=later) is None


# --- The worksheet and the report --------------------------------------------------------------


def test_worksheet_errors_per_field() -> None:
    worksheet = WorksheetInput(
        inspections={
            "container_7": {
                "floor": {"result": "issue", "note": " "},
                "left_side": {"result": "ok", "note": "x" * 2001},
            },
            "bus_9": {},
        },
        vvtt={"view": True, "sniff": True},
        seal_class_seen="X",
    )
    assert set(worksheet_errors(worksheet)) == {
        "container_7__floor__note",
        "container_7__left_side__note",
        "bus_9",
        "vvtt",
        "seal_class_seen",
    }
    assert worksheet_errors(WorksheetInput(inspections={}, vvtt={}, seal_class_seen="H")) == {}


def test_visit_date_cannot_be_in_the_future() -> None:
    assert visit_date_error(TODAY, today=TODAY) is None
    assert visit_date_error(None, today=TODAY) is None
    assert visit_date_error(TODAY + timedelta(days=1), today=TODAY) is not None


def test_report_gaps() -> None:
    visits = [VisitFacts("Dock", SiteMode.VISIT, False), VisitFacts("Plant", SiteMode.MRA, False)]
    findings = [FindingFacts("6.2", "major_deficiency", ""), FindingFacts("3.4", "", "draft", site="Dock")]
    gaps = report_gaps(visits=visits, findings=findings)
    assert gaps == [
        "Dock: record the date of the visit.",
        "Criterion 6.2: describe the deficiency.",
        "Criterion 3.4 at Dock: choose a finding or clear the draft.",
    ]
    assert report_gaps(visits=[], findings=[]) == ["Record at least one finding."]
    assert (
        report_gaps(
            visits=[VisitFacts("Dock", SiteMode.VISIT, True)], findings=[FindingFacts("1.1", "compliant", "")]
        )
        == []
    )


def test_finding_tally_counts_every_kind() -> None:
    tally = finding_tally(["compliant", "compliant", "", "best_practice"])
    assert tally[FindingKind.COMPLIANT] == 2 and tally[FindingKind.BEST_PRACTICE] == 1
    assert list(tally) == list(FindingKind)


# --- Stages ------------------------------------------------------------------------------------


def test_stages_move_forward_only() -> None:
    assert stage_after("record_fieldwork", Stage.PLANNED) is Stage.FIELDWORK
    assert stage_after("send_report", Stage.PLANNED) is Stage.REPORT_SENT
    assert stage_after("respond", Stage.REPORT_SENT) is Stage.RESPONDED
    assert stage_after("propose", Stage.REPORT_SENT) is Stage.PROPOSED
    assert stage_after("approve", Stage.PROPOSED) is Stage.DECIDED
    for step, stage in [
        ("respond", Stage.RESPONDED),
        ("approve", Stage.RESPONDED),
        ("send_report", Stage.DECIDED),
    ]:
        with pytest.raises(StageError):
            stage_after(step, stage)


def test_a_returned_proposal_goes_back_one_stage() -> None:
    assert stage_after_return(Stage.PROPOSED, partner_responded=True) is Stage.RESPONDED
    assert stage_after_return(Stage.PROPOSED, partner_responded=False) is Stage.REPORT_SENT
    with pytest.raises(StageError):
        stage_after_return(Stage.DECIDED, partner_responded=True)
