"""The compliance services: each step checked by the table, written with its event row, and the
people concerned told; partner status changes through the lifecycle with their event rows."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db.models import F
from django.utils import timezone

from ctpat.accounts.models import User
from ctpat.applications.models import Partner, PartnerEvent
from ctpat.applications.selectors import partner_tier
from ctpat.compliance import selectors, services
from ctpat.compliance.models import (
    Appeal,
    ComplianceCase,
    ComplianceEvent,
    CorrectiveActionPlan,
    SanctionRecommendation,
    WarningLetter,
)
from ctpat.core.lifecycle import PartnerStatus, TransitionError
from ctpat.core.sanctions import (
    AppealOutcome,
    Benefit,
    SanctionGround,
    SanctionKind,
    SanctionRefused,
    Subject,
)
from ctpat.notifications.models import Notification
from tests.compliance.conftest import (
    GROUNDS,
    backdate,
    issue_letter,
    membership_of,
    recommend,
    submit_plan,
    suspension_of,
    transition,
)
from tests.conftest import Personas


def events(subject: Subject, record_id: int) -> list[tuple[str, str, str]]:
    rows = ComplianceEvent.objects.filter(subject=subject, subject_id=record_id).order_by("id")
    return [(row.step, row.from_state, row.to_state) for row in rows]


def told(user: User) -> list[str]:
    return list(Notification.objects.filter(user=user).order_by("id").values_list("subject", flat=True))


def decide(appeal: Appeal, user: User, outcome: AppealOutcome, restored: tuple[Benefit, ...] = ()) -> Appeal:
    return services.appeal_decide(
        actor=user,
        membership=membership_of(user),
        appeal=appeal,
        outcome=outcome,
        reasons="Reasons in writing.",
        restored_benefits=restored,
    )


# --- Cases and letters ------------------------------------------------------------------------


def test_a_case_is_opened_with_its_grounds_and_an_event_row(personas: Personas, case: ComplianceCase) -> None:
    assert (case.state, case.grounds, case.opened_by) == ("open", GROUNDS, personas.sam)
    [event] = ComplianceEvent.objects.filter(subject=Subject.CASE, subject_id=case.pk)
    assert (event.step, event.actor, event.actor_role, event.reason) == (
        "open",
        personas.sam,
        "specialist",
        GROUNDS,
    )
    assert event.at <= timezone.now()


def test_the_incidents_app_can_open_a_case_for_an_incident(personas: Personas, certified: Partner) -> None:
    case = services.case_open(
        actor=personas.sue,
        membership=membership_of(personas.sue),
        partner=certified,
        grounds="Seizure.",
        incident_id=42,
    )
    assert case.incident_id == 42
    assert ComplianceEvent.objects.get(subject=Subject.CASE, subject_id=case.pk).details == {
        "incident_id": 42
    }


@pytest.mark.parametrize("name", ["alice", "rita", "adam"])
def test_only_agency_deciders_open_cases(name: str, personas: Personas, certified: Partner) -> None:
    user = getattr(personas, name)
    with pytest.raises(SanctionRefused):
        services.case_open(actor=user, membership=membership_of(user), partner=certified, grounds=GROUNDS)
    assert not ComplianceCase.objects.exists()


def test_no_case_on_an_applicant_and_none_without_grounds(personas: Personas) -> None:
    with pytest.raises(SanctionRefused) as refused:
        services.case_open(
            actor=personas.sam, membership=membership_of(personas.sam), partner=personas.acme, grounds=" "
        )
    assert len(refused.value.reasons) == 2
    assert not ComplianceCase.objects.exists()


def test_a_warning_letter_is_sent_to_the_officers(personas: Personas, letter: WarningLetter) -> None:
    assert letter.state == "issued"
    assert events(Subject.LETTER, letter.pk) == [("issue", "", "issued")]
    assert told(personas.alice) == [f"Warning letter {letter.number} from CTPAT"]
    assert told(personas.erin) == []
    view = selectors.letter_view(letter)
    assert view.due == view.issued_at + timedelta(days=30)


def test_a_letter_needs_deficiencies_actions_and_a_sensible_deadline(
    personas: Personas, case: ComplianceCase
) -> None:
    with pytest.raises(SanctionRefused) as refused:
        services.warning_letter_issue(
            actor=personas.sam,
            membership=membership_of(personas.sam),
            case=case,
            deficiencies="",
            required_actions=" ",
            response_days=0,
        )
    assert len(refused.value.reasons) == 3
    assert not WarningLetter.objects.exists()


def test_closing_a_case_resolves_its_open_letters(personas: Personas, letter: WarningLetter) -> None:
    services.case_close(
        actor=personas.sue,
        membership=membership_of(personas.sue),
        case=letter.case,
        reason="Resolved on site.",
    )
    letter.refresh_from_db()
    assert letter.state == "resolved"
    with pytest.raises(SanctionRefused, match="open case"):
        issue_letter(letter.case, personas.sam)


# --- Corrective action plans -------------------------------------------------------------------


def test_the_partner_submits_a_plan_and_the_specialist_returns_then_accepts_it(
    personas: Personas, letter: WarningLetter
) -> None:
    plan = submit_plan(letter, personas.bob)  # an employee may submit
    assert plan.objectives.count() == 2
    assert told(personas.sam)[-1].startswith("Corrective action plan submitted")
    services.corrective_plan_return(
        actor=personas.sam, membership=membership_of(personas.sam), plan=plan, reason="Add dates per site."
    )
    with pytest.raises(SanctionRefused, match="reasons are required"):
        services.corrective_plan_return(
            actor=personas.sam, membership=membership_of(personas.sam), plan=plan, reason=""
        )
    again = submit_plan(letter, personas.carol, days=(5, 15, 30))
    assert again.pk == plan.pk
    assert again.objectives.count() == 3
    services.corrective_plan_accept(actor=personas.sam, membership=membership_of(personas.sam), plan=plan)
    letter.refresh_from_db()
    assert letter.state == "resolved"
    assert [step for step, _f, _t in events(Subject.PLAN, plan.pk)] == [
        "submit",
        "return",
        "submit",
        "accept",
    ]
    accepted = ComplianceEvent.objects.get(subject=Subject.PLAN, subject_id=plan.pk, step="accept")
    assert {o["id"] for o in accepted.details["objectives"]} == set(
        plan.objectives.values_list("pk", flat=True)
    )


@pytest.mark.parametrize("name", ["dave", "erin", "sam"])
def test_only_the_companys_editors_submit_its_plan(
    name: str, personas: Personas, letter: WarningLetter
) -> None:
    with pytest.raises(SanctionRefused):
        submit_plan(letter, getattr(personas, name))
    assert not CorrectiveActionPlan.objects.exists()


def test_a_plan_needs_dated_objectives_and_one_plan_at_a_time(
    personas: Personas, letter: WarningLetter
) -> None:
    with pytest.raises(SanctionRefused, match="objective"):
        submit_plan(letter, personas.alice, days=())
    with pytest.raises(SanctionRefused, match="objective"):
        submit_plan(letter, personas.alice, days=(-1,))
    submit_plan(letter, personas.alice)
    with pytest.raises(SanctionRefused, match="already has a plan"):
        submit_plan(letter, personas.alice)


def test_progress_is_reported_on_an_accepted_plan(personas: Personas, plan: CorrectiveActionPlan) -> None:
    objective = plan.objectives.first()
    assert objective is not None
    alice = membership_of(personas.alice)
    with pytest.raises(SanctionRefused, match="accepted plan"):
        services.objective_progress(
            actor=personas.alice, membership=alice, objective=objective, note="Started."
        )
    services.corrective_plan_accept(actor=personas.sam, membership=membership_of(personas.sam), plan=plan)
    services.objective_progress(
        actor=personas.alice, membership=alice, objective=objective, note="Half done."
    )
    services.objective_progress(
        actor=personas.alice, membership=alice, objective=objective, note="Done.", completed=True
    )
    objective.refresh_from_db()
    assert objective.state == "done"
    assert events(Subject.OBJECTIVE, objective.pk) == [
        ("progress", "open", "open"),
        ("complete", "open", "done"),
    ]


# --- Sanctions ---------------------------------------------------------------------------------


def test_the_director_suspends_on_a_recommendation_naming_the_benefits(
    personas: Personas, letter: WarningLetter
) -> None:
    named = (Benefit.FAST_LANES, Benefit.RISK_SCORE_REDUCTION)
    recommendation = recommend(letter.case, personas.sam, benefits=named)
    assert told(personas.pat)[-1].startswith("Suspension recommended")
    services.sanction_decide(
        actor=personas.pat,
        membership=membership_of(personas.pat),
        recommendation=recommendation,
        take=True,
        reason="Deadline missed.",
    )
    partner = letter.case.partner
    partner.refresh_from_db()
    assert partner.status == PartnerStatus.SUSPENDED
    event = suspension_of(partner)
    assert (event.actor, event.reason) == (personas.pat, "Deadline missed.")
    assert event.details["benefits"] == ["risk_score_reduction", "fast_lanes"]
    assert event.details["ground"] == "non_compliance"
    recommendation.refresh_from_db()
    assert (recommendation.state, recommendation.partner_event) == ("taken", event)
    assert partner_tier(partner).tier is None  # a suspension ends the tier (core.tiers)
    view = selectors.partner_benefits(partner)
    assert view.suspended == set(named)
    assert view.in_force == frozenset()  # Tier 1 has only these two


@pytest.mark.parametrize("name", ["sam", "sue"])
def test_a_specialist_or_supervisor_cannot_take_a_sanction(
    name: str, personas: Personas, recommendation: SanctionRecommendation
) -> None:
    user = getattr(personas, name)
    with pytest.raises(SanctionRefused, match="cannot be done by"):
        services.sanction_decide(
            actor=user,
            membership=membership_of(user),
            recommendation=recommendation,
            take=True,
            reason="Yes.",
        )
    assert recommendation.case.partner.status == PartnerStatus.CERTIFIED
    with pytest.raises(TransitionError):
        transition(recommendation.case.partner, user, "suspend", reason="Direct.")


def test_a_director_may_decline_and_a_removal_needs_a_recommendation_unless_false_information(
    personas: Personas, recommendation: SanctionRecommendation
) -> None:
    pat = membership_of(personas.pat)
    services.sanction_decide(
        actor=personas.pat,
        membership=pat,
        recommendation=recommendation,
        take=False,
        reason="Give more time.",
    )
    recommendation.refresh_from_db()
    assert recommendation.state == "declined"
    partner = recommendation.case.partner
    event = services.partner_remove_for_false_information(
        actor=personas.pat, membership=pat, partner=partner, reasons="Forged seal logs."
    )
    assert (event.transition, event.details["ground"]) == ("remove", "false_information")
    with pytest.raises(SanctionRefused):
        services.partner_remove_for_false_information(
            actor=personas.sam, membership=membership_of(personas.sam), partner=partner, reasons="x"
        )


def test_recommendations_follow_the_status_and_one_at_a_time(
    personas: Personas, recommendation: SanctionRecommendation
) -> None:
    with pytest.raises(SanctionRefused, match="already waiting"):
        recommend(recommendation.case, personas.sam, kind=SanctionKind.REMOVE)
    with pytest.raises(SanctionRefused, match="cannot be done by"):
        recommend(recommendation.case, personas.pat)
    assert SanctionRecommendation.objects.count() == 1


def test_reinstatement_needs_an_accepted_plan_and_consent(personas: Personas, suspended: Partner) -> None:
    pat = membership_of(personas.pat)
    with pytest.raises(SanctionRefused) as refused:
        services.partner_reinstate(actor=personas.pat, membership=pat, partner=suspended)
    assert len(refused.value.reasons) == 2
    letter = issue_letter(ComplianceCase.objects.get(), personas.sam)
    plan = submit_plan(letter, personas.alice)
    services.corrective_plan_accept(actor=personas.sam, membership=membership_of(personas.sam), plan=plan)
    with pytest.raises(SanctionRefused, match="consent"):
        services.partner_reinstate(actor=personas.pat, membership=pat, partner=suspended)
    with pytest.raises(SanctionRefused):
        services.visit_consent_record(
            actor=personas.bob,
            membership=membership_of(personas.bob),
            partner=suspended,
            statement="We agree.",
        )
    services.visit_consent_record(
        actor=personas.alice,
        membership=membership_of(personas.alice),
        partner=suspended,
        statement="We agree.",
    )
    event = services.partner_reinstate(
        actor=personas.pat, membership=pat, partner=suspended, reason="Plan on track."
    )
    assert (event.transition, event.to_status) == ("reinstate", "certified")
    assert partner_tier(suspended).tier == 1


def test_withdrawal_in_writing_tells_the_specialist(personas: Personas, certified: Partner) -> None:
    Partner.objects.filter(pk=certified.pk).update(assigned_specialist=personas.sam)
    certified.refresh_from_db()
    statement = "We no longer import into the United States and leave CTPAT."
    with pytest.raises(ValidationError):
        services.partner_withdraw(
            actor=personas.bob, membership=membership_of(personas.bob), partner=certified, statement=statement
        )
    event = services.partner_withdraw(
        actor=personas.alice, membership=membership_of(personas.alice), partner=certified, statement=statement
    )
    assert (event.transition, event.reason, event.actor) == ("withdraw", statement, personas.alice)
    assert told(personas.sam)[-1] == "Withdrawal from CTPAT: Acme Imports LLC"


def test_withdrawal_without_a_statement_is_refused(personas: Personas, certified: Partner) -> None:
    with pytest.raises(TransitionError, match="reason"):
        services.partner_withdraw(
            actor=personas.alice, membership=membership_of(personas.alice), partner=certified, statement=" "
        )


# --- Appeals -----------------------------------------------------------------------------------


def test_the_officer_files_an_appeal_and_the_other_directors_are_told(
    personas: Personas, paula: User, appeal: Appeal
) -> None:
    assert appeal.state == "filed"
    filed = ComplianceEvent.objects.get(subject=Subject.APPEAL, subject_id=appeal.pk)
    assert filed.details["decided_by_id"] == personas.pat.pk
    assert told(paula)[-1] == "Appeal filed: Acme Imports LLC"
    assert not any(s.startswith("Appeal filed") for s in told(personas.pat))
    with pytest.raises(SanctionRefused, match="already been appealed"):
        services.appeal_file(
            actor=personas.alice,
            membership=membership_of(personas.alice),
            decision_event=appeal.decision_event,
            statement="Again.",
        )


@pytest.mark.parametrize("name", ["bob", "carol", "erin", "sam"])
def test_only_the_companys_officer_appeals(name: str, personas: Personas, suspended: Partner) -> None:
    user = getattr(personas, name)
    with pytest.raises(SanctionRefused):
        services.appeal_file(
            actor=user,
            membership=membership_of(user),
            decision_event=suspension_of(suspended),
            statement="Unfair.",
        )


@pytest.mark.parametrize(("ground", "days", "allowed"), [("non_compliance", 89, True), ("non_compliance", 91, False), ("false_information", 29, True), ("false_information", 31, False)])  # fmt: skip
def test_the_filing_window_depends_on_the_ground(
    ground: str, days: int, allowed: bool, personas: Personas, suspended: Partner
) -> None:
    event = suspension_of(suspended)
    PartnerEvent.objects.filter(partner=suspended).update(at=F("at") - timedelta(days=days))
    PartnerEvent.objects.filter(pk=event.pk).update(details={**event.details, "ground": ground})
    event.refresh_from_db()
    file = lambda: services.appeal_file(  # noqa: E731
        actor=personas.alice,
        membership=membership_of(personas.alice),
        decision_event=event,
        statement="Unfair.",
    )
    if allowed:
        assert file().state == "filed"
    else:
        with pytest.raises(SanctionRefused, match="time to appeal"):
            file()


def test_the_deciding_director_cannot_decide_the_appeal(personas: Personas, appeal: Appeal) -> None:
    with pytest.raises(SanctionRefused, match="separation of duties"):
        decide(appeal, personas.pat, AppealOutcome.DENIED)
    with pytest.raises(SanctionRefused, match="cannot be done by a supervisor"):
        decide(appeal, personas.sue, AppealOutcome.DENIED)
    appeal.refresh_from_db()
    assert appeal.state == "filed"


def test_a_granted_appeal_restores_the_status_and_tier_before_the_suspension(
    personas: Personas, paula: User, appeal: Appeal
) -> None:
    decide(appeal, paula, AppealOutcome.GRANTED)
    partner = appeal.partner
    partner.refresh_from_db()
    assert partner.status == PartnerStatus.CERTIFIED
    assert partner_tier(partner).tier == 1
    restore = PartnerEvent.objects.get(partner=partner, transition="restore")
    assert (restore.from_status, restore.to_status, restore.actor) == ("suspended", "certified", paula)
    appeal.refresh_from_db()
    assert (appeal.state, appeal.outcome, appeal.restore_event) == ("granted", "granted", restore)
    assert told(personas.alice)[-1].startswith("Your appeal was decided")


def test_a_partly_granted_appeal_records_the_restored_benefits(
    personas: Personas, paula: User, appeal: Appeal
) -> None:
    with pytest.raises(SanctionRefused, match="some, not all"):
        decide(appeal, paula, AppealOutcome.PARTLY_GRANTED)
    decide(appeal, paula, AppealOutcome.PARTLY_GRANTED, (Benefit.FAST_LANES,))
    appeal.refresh_from_db()
    assert (appeal.state, appeal.restored_benefits) == ("partly_granted", ["fast_lanes"])
    partner = appeal.partner
    partner.refresh_from_db()
    assert partner.status == PartnerStatus.SUSPENDED
    assert selectors.partner_benefits(partner).in_force == {Benefit.FAST_LANES}


def test_a_denied_appeal_changes_nothing_and_needs_reasons(
    personas: Personas, paula: User, appeal: Appeal
) -> None:
    with pytest.raises(SanctionRefused, match="Written reasons"):
        services.appeal_decide(
            actor=paula,
            membership=membership_of(paula),
            appeal=appeal,
            outcome=AppealOutcome.DENIED,
            reasons="",
        )
    decide(appeal, paula, AppealOutcome.DENIED)
    appeal.refresh_from_db()
    assert appeal.state == "denied"
    assert appeal.partner.status == PartnerStatus.SUSPENDED


def test_a_granted_appeal_against_a_removal_restores_the_status(
    personas: Personas, paula: User, certified: Partner
) -> None:
    event = services.partner_remove_for_false_information(
        actor=personas.pat,
        membership=membership_of(personas.pat),
        partner=certified,
        reasons="Forged records.",
    )
    appeal = services.appeal_file(
        actor=personas.alice,
        membership=membership_of(personas.alice),
        decision_event=event,
        statement="Not forged.",
    )
    # Benefits cannot be handed back one by one after a removal: it is all or nothing.
    with pytest.raises(SanctionRefused, match="against a suspension"):
        decide(appeal, paula, AppealOutcome.PARTLY_GRANTED, (Benefit.FAST_LANES,))
    assert decide(appeal, paula, AppealOutcome.GRANTED).state == "granted"
    certified.refresh_from_db()
    assert certified.status == "certified"
    assert certified.events.order_by("-at", "-id").first().transition == "restore"


def test_a_rejection_is_a_denial_of_benefits_that_may_be_appealed(personas: Personas) -> None:
    acme = personas.acme
    transition(
        acme,
        personas.alice,
        "submit",
        facts={"eligible": True, "profile_complete": True, "agreement_signed": True},
    )
    rejection = transition(acme, personas.sue, "reject", reason="Derogatory vetting result.")
    window = selectors.appeal_window(acme)
    assert window is not None
    assert window.event == rejection
    assert window.ground is SanctionGround.NON_COMPLIANCE
    assert window.clock.due == rejection.at + timedelta(days=90)


def test_letters_backdated_past_their_deadline_are_overdue(personas: Personas, letter: WarningLetter) -> None:
    backdate(Subject.LETTER, letter.pk, 31)
    assert selectors.letter_view(letter).is_overdue()
    assert [view.letter for view in selectors.agency_worklist().overdue_letters] == [letter]
