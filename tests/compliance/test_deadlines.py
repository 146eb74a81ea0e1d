"""The clock sources ``warning_letter``, ``corrective_action`` and ``appeal``: what they list
equals a recomputation from the event rows, and who is reminded."""

from __future__ import annotations

from datetime import timedelta

from ctpat.accounts.models import User
from ctpat.applications.models import PartnerEvent
from ctpat.compliance import services
from ctpat.compliance.models import Appeal, ComplianceEvent, CorrectiveActionPlan, WarningLetter
from ctpat.compliance.selectors import appeal_policy
from ctpat.core.sanctions import (
    DecisionEvent,
    SanctionEvent,
    Subject,
    appeal_decision_clocks,
    appeal_filing_clock,
    letter_clocks,
    objective_clocks,
)
from ctpat.deadlines.registry import open_deadlines, registered_sources
from tests.compliance.conftest import backdate, membership_of
from tests.conftest import Personas


def _events() -> list[SanctionEvent]:
    return [
        SanctionEvent(e.subject, e.subject_id, e.step, e.at, e.details) for e in ComplianceEvent.objects.all()
    ]


def _listed(source: str) -> list[tuple[str, object]]:
    return [(d.key, d.due) for d in registered_sources()[source](partner_ids=None)]


def test_the_sources_are_registered() -> None:
    assert {"warning_letter", "corrective_action", "appeal"} <= set(registered_sources())


def test_letter_deadlines_equal_a_recomputation(personas: Personas, letter: WarningLetter) -> None:
    backdate(Subject.LETTER, letter.pk, 45)
    recomputed = [(f"warning_letter:{c.subject_id}", c.due) for c in letter_clocks(_events())]
    assert _listed("warning_letter") == recomputed
    [deadline] = [
        d for d in open_deadlines(partner_ids=[letter.case.partner_id]) if d.source == "warning_letter"
    ]
    assert deadline.recipients == (personas.alice,)
    assert deadline.due < deadline.started + timedelta(days=31)


def test_objective_deadlines_equal_a_recomputation(personas: Personas, plan: CorrectiveActionPlan) -> None:
    assert _listed("corrective_action") == []  # not accepted yet
    services.corrective_plan_accept(actor=personas.sam, membership=membership_of(personas.sam), plan=plan)
    recomputed = [(f"objective:{c.subject_id}", c.due) for c in objective_clocks(_events())]
    assert len(recomputed) == 2
    assert _listed("corrective_action") == recomputed
    assert _listed("warning_letter") == []  # the accepted plan resolved the letter
    assert open_deadlines(partner_ids=[personas.beta.pk]) == [] or all(
        d.partner_id == personas.beta.pk for d in open_deadlines(partner_ids=[personas.beta.pk])
    )


def test_appeal_deadlines_equal_a_recomputation(personas: Personas, paula: User, appeal: Appeal) -> None:
    decisions = [
        DecisionEvent(e.pk, e.transition, e.at, e.details)
        for e in PartnerEvent.objects.filter(partner=appeal.partner)
    ]
    assert appeal_filing_clock(decisions, {appeal.decision_event_id}, appeal_policy()) is None
    recomputed = [
        (f"appeal_decision:{c.subject_id}", c.due) for c in appeal_decision_clocks(_events(), appeal_policy())
    ]
    assert _listed("appeal") == recomputed
    [deadline] = [d for d in open_deadlines() if d.source == "appeal"]
    assert deadline.recipients == (paula,)  # not Pat, who took the decision


def test_the_filing_window_is_listed_until_an_appeal_is_filed(personas: Personas, suspended: object) -> None:
    decision = PartnerEvent.objects.get(transition="suspend")
    [(key, due)] = _listed("appeal")
    assert key == f"appeal_filing:{decision.pk}"
    assert due == decision.at + timedelta(days=90)
