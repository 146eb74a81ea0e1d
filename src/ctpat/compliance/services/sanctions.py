"""Sanctions: recommendations and the program director's decisions, removal for false
information, consent to unannounced visits, reinstatement and withdrawal.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from ctpat.accounts.models import Membership, User
from ctpat.accounts.roles import Role
from ctpat.applications.models import Partner, PartnerEvent
from ctpat.applications.services import partner_transition
from ctpat.compliance import selectors
from ctpat.compliance.models import (
    ComplianceCase,
    SanctionRecommendation,
    VisitConsent,
)
from ctpat.compliance.services.steps import (
    ALLOWED_BY_KIND,
    benefit_values,
    compliance_step,
    official_for,
    record_url,
    specialists_for,
)
from ctpat.core.sanctions import (
    Benefit,
    CaseState,
    SanctionGround,
    SanctionKind,
    SanctionRefused,
    Subject,
    reinstatement_refusals,
    sanction_refusals,
)
from ctpat.notifications.services import notify

# --- Sanctions ---------------------------------------------------------------------------------


@transaction.atomic
def sanction_recommend(
    *,
    actor: User,
    membership: Membership,
    case: ComplianceCase,
    kind: SanctionKind,
    ground: SanctionGround,
    reasons: str,
    benefits: Collection[Benefit] = (),
) -> SanctionRecommendation:
    """A specialist (or supervisor) recommends a suspension of all or named benefits, or a
    removal, with reasons; the program directors are told."""
    partner = Partner.objects.select_for_update().get(pk=case.partner_id)
    named = benefit_values(benefits) if kind is SanctionKind.SUSPEND else [b.value for b in Benefit]
    recommendation = SanctionRecommendation(
        case=case, kind=kind, ground=ground, benefits=named, reasons=reasons.strip(), recommended_by=actor
    )
    facts = {
        "case_open": case.state == CaseState.OPEN,
        "status_allows": partner.status in ALLOWED_BY_KIND[kind],
        "benefits_named": bool(named),
        "none_pending": selectors.pending_recommendation(case) is None,
    }
    compliance_step(
        actor=actor,
        membership=membership,
        partner=partner,
        record=recommendation,
        subject=Subject.RECOMMENDATION,
        step="recommend",
        reason=reasons,
        facts=facts,
        details={"kind": kind.value, "ground": ground.value, "benefits": named},
    )
    notify(
        users=selectors.people_with_role(Role.PROGRAM_DIRECTOR),
        subject=_("%(kind)s recommended: %(name)s") % {"kind": kind.label, "name": partner.legal_name},
        body=reasons.strip(),
        url=record_url("case", case.pk),
    )
    return recommendation


def _sanction_take(
    *,
    actor: User,
    membership: Membership,
    partner: Partner,
    kind: SanctionKind,
    ground: SanctionGround,
    benefits: Collection[Benefit],
    reasons: str,
    recommendation: SanctionRecommendation | None,
) -> PartnerEvent:
    """Take a suspension or removal: the program director's lifecycle transition, whose details
    name the suspended benefits and the ground (which decides the appeal window)."""
    refusals = sanction_refusals(
        kind=kind,
        ground=ground,
        benefits=benefits,
        reasons=reasons,
        recommended=recommendation is not None,
        official=official_for(membership),
    )
    if refusals:
        raise SanctionRefused(refusals)
    details: dict[str, Any] = {"ground": ground.value, "benefits": benefit_values(benefits)}
    if recommendation is not None:
        details |= {"recommendation_id": recommendation.pk, "case_id": recommendation.case_id}
    event = partner_transition(
        actor=actor,
        membership=membership,
        partner=partner,
        name=kind.value,
        reason=reasons.strip(),
        details=details,
    )
    notify(
        users=selectors.partner_officers(partner),
        subject=_("CTPAT decision: %(kind)s") % {"kind": kind.label},
        body=reasons.strip(),
        url=record_url("mine"),
    )
    return event


@transaction.atomic
def sanction_decide(
    *, actor: User, membership: Membership, recommendation: SanctionRecommendation, take: bool, reason: str
) -> SanctionRecommendation:
    """The program director takes the recommended sanction, or declines it, with reasons."""
    case = recommendation.case
    facts = {"recommended_by_id": recommendation.recommended_by_id}
    compliance_step(
        actor=actor,
        membership=membership,
        partner=case.partner,
        record=recommendation,
        subject=Subject.RECOMMENDATION,
        step="take" if take else "decline",
        reason=reason,
        facts=facts,
    )
    if take:
        recommendation.partner_event = _sanction_take(
            actor=actor,
            membership=membership,
            partner=case.partner,
            kind=SanctionKind(recommendation.kind),
            ground=SanctionGround(recommendation.ground),
            benefits=[Benefit(b) for b in recommendation.benefits],
            reasons=reason,
            recommendation=recommendation,
        )
        recommendation.save(update_fields=["partner_event"])
    if recommendation.recommended_by:
        notify(
            users=[recommendation.recommended_by],
            subject=_("Your recommendation was %(state)s")
            % {"state": recommendation.get_state_display().lower()},
            body=reason.strip(),
            url=record_url("case", case.pk),
        )
    return recommendation


@transaction.atomic
def partner_remove_for_false_information(
    *, actor: User, membership: Membership, partner: Partner, reasons: str
) -> PartnerEvent:
    """An egregious case (knowingly false information) goes straight to removal: the program
    director decides without a recommendation; the appeal window is 30 days."""
    return _sanction_take(
        actor=actor,
        membership=membership,
        partner=partner,
        kind=SanctionKind.REMOVE,
        ground=SanctionGround.FALSE_INFORMATION,
        benefits=list(Benefit),
        reasons=reasons,
        recommendation=None,
    )


# --- Consent, reinstatement, withdrawal ---------------------------------------------------------


@transaction.atomic
def visit_consent_record(
    *, actor: User, membership: Membership, partner: Partner, statement: str
) -> VisitConsent:
    """The Company Officer consents, in writing, to unannounced visits (reinstatement needs it)."""
    consent = VisitConsent(partner=partner, statement=statement.strip(), given_by=actor)
    compliance_step(
        actor=actor,
        membership=membership,
        partner=partner,
        record=consent,
        subject=Subject.CONSENT,
        step="give",
        reason=statement,
    )
    notify(
        users=specialists_for(partner),
        subject=_("Consent to unannounced visits: %(name)s") % {"name": partner.legal_name},
        body=statement.strip(),
        url=record_url("partner", partner.pk),
    )
    return consent


@transaction.atomic
def partner_reinstate(
    *, actor: User, membership: Membership, partner: Partner, reason: str = ""
) -> PartnerEvent:
    """The program director reinstates a suspended partner whose corrective action plan was
    accepted and whose officer consented to unannounced visits, both since the suspension."""
    facts = selectors.reinstatement_facts(partner)
    refusals = reinstatement_refusals(
        plan_accepted=facts.plan_accepted, visits_consented=facts.visits_consented
    )
    if refusals:
        raise SanctionRefused(refusals)
    event = partner_transition(
        actor=actor,
        membership=membership,
        partner=partner,
        name="reinstate",
        reason=reason.strip(),
        facts={"corrective_plan_accepted": facts.plan_accepted},
        details={"visits_consented": True},
    )
    notify(
        users=selectors.partner_officers(partner),
        subject=_("CTPAT membership reinstated"),
        body=reason.strip(),
        url=record_url("mine"),
    )
    return event


@transaction.atomic
def partner_withdraw(
    *, actor: User, membership: Membership, partner: Partner, statement: str
) -> PartnerEvent:
    """The Company Officer withdraws the company in writing (the statement is the reason); the
    specialist is told (or, with none assigned, the program directors)."""
    event = partner_transition(
        actor=actor,
        membership=membership,
        partner=partner,
        name="withdraw",
        reason=statement.strip(),
        details={"in_writing": True},
    )
    told = specialists_for(partner) or list(selectors.people_with_role(Role.PROGRAM_DIRECTOR))
    notify(
        users=told,
        subject=_("Withdrawal from CTPAT: %(name)s") % {"name": partner.legal_name},
        body=statement.strip(),
        url=reverse("agency:application", args=[partner.pk]),
    )
    return event
