"""Appeals: filed by the Company Officer within the window, decided by another program director."""

from __future__ import annotations

from collections.abc import Collection

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ctpat.accounts.models import Membership, User
from ctpat.applications.models import Partner, PartnerEvent
from ctpat.applications.services import partner_transition
from ctpat.compliance import selectors
from ctpat.compliance.models import Appeal
from ctpat.compliance.services.steps import benefit_values, compliance_step, record_url
from ctpat.core.sanctions import (
    APPEAL_OUTCOME_STEPS,
    AppealFacts,
    AppealOutcome,
    Benefit,
    DecisionEvent,
    Subject,
    appeal_filing_facts,
    ground_of,
    restored_benefits_valid,
)
from ctpat.notifications.services import notify

# --- Appeals -----------------------------------------------------------------------------------


@transaction.atomic
def appeal_file(
    *, actor: User, membership: Membership, decision_event: PartnerEvent, statement: str
) -> Appeal:
    """The Company Officer appeals a suspension, removal or denial of benefits within its window
    (90 days, or 30 for false information); the decision is due within 180 days. The program
    directors other than the deciding official are told."""
    partner = Partner.objects.select_for_update().get(pk=decision_event.partner_id)
    decision = DecisionEvent(
        decision_event.pk, decision_event.transition, decision_event.at, decision_event.details
    )
    latest = selectors.latest_event(partner)
    facts = appeal_filing_facts(
        AppealFacts(
            decision=decision,
            latest=DecisionEvent(latest.pk, latest.transition, latest.at) if latest else None,
            already_appealed=Appeal.objects.filter(decision_event=decision_event).exists(),
            filed_at=timezone.now(),
        ),
        selectors.appeal_policy(),
    )
    appeal = Appeal(
        partner=partner, decision_event=decision_event, statement=statement.strip(), filed_by=actor
    )
    ground = ground_of(decision_event.details or {})
    compliance_step(
        actor=actor,
        membership=membership,
        partner=partner,
        record=appeal,
        subject=Subject.APPEAL,
        step="file",
        reason=statement,
        facts=facts,
        details={
            "decision_event_id": decision_event.pk,
            "ground": ground.value,
            "decided_by_id": decision_event.actor_id,
        },
    )
    directors = selectors.directors_other_than(decision_event.actor_id)
    notify(
        users=directors,
        subject=_("Appeal filed: %(name)s") % {"name": partner.legal_name},
        body=statement.strip(),
        url=record_url("appeal", appeal.pk),
    )
    return appeal


@transaction.atomic
def appeal_decide(
    *,
    actor: User,
    membership: Membership,
    appeal: Appeal,
    outcome: AppealOutcome,
    reasons: str,
    restored_benefits: Collection[Benefit] = (),
) -> Appeal:
    """A program director who did not take the decision decides the appeal, with written
    reasons. Granted: the status before the suspension is restored (a ``restore`` event);
    partly granted: the named benefits are restored; denied: nothing changes."""
    decision = appeal.decision_event
    partner = Partner.objects.select_for_update().get(pk=appeal.partner_id)
    latest = selectors.latest_event(partner)
    suspended = selectors.suspended_benefits(decision) if decision.transition == "suspend" else frozenset()
    facts = {
        "decided_by_id": decision.actor_id,
        "restorable": decision.transition in {"suspend", "remove"}
        and latest is not None
        and latest.pk == decision.pk,
        "partial_allowed": decision.transition == "suspend",
        "restored_valid": restored_benefits_valid(restored_benefits, suspended),
    }
    restored = benefit_values(restored_benefits) if outcome is AppealOutcome.PARTLY_GRANTED else []
    compliance_step(
        actor=actor,
        membership=membership,
        partner=partner,
        record=appeal,
        subject=Subject.APPEAL,
        step=APPEAL_OUTCOME_STEPS[outcome],
        reason=reasons,
        facts=facts,
        details={"restored_benefits": restored},
    )
    appeal.outcome, appeal.decision_reasons, appeal.decided_by = outcome, reasons.strip(), actor
    appeal.restored_benefits = restored
    if outcome is AppealOutcome.GRANTED:
        appeal.restore_event = partner_transition(
            actor=actor,
            membership=membership,
            partner=partner,
            name="restore",
            reason=reasons.strip(),
            facts={"appeal_granted": True, "restore_to": decision.from_status},
            details={"appeal_id": appeal.pk, "decision_event_id": decision.pk},
        )
    appeal.save()
    notify(
        users=selectors.partner_officers(partner),
        subject=_("Your appeal was decided: %(outcome)s") % {"outcome": outcome.label},
        body=reasons.strip(),
        url=record_url("appeal", appeal.pk),
    )
    return appeal
