"""The only permission-checked ways to reach compliance records (ADR 0002).

A partner's people see their own letters, plans, sanctions and appeals, never another
company's (that is "not found"); cases and recommendations are the agency's working files and
partners get no page of them. Agency staff read everything; agency deciders (specialist,
supervisor, program director) write; only the program director decides sanctions and appeals
(the rule that it must be another one than the decision's is in ``core.sanctions``). Only the
Company Officer files appeals, consents to visits and withdraws. Liaisons and users without a
role get nothing. One condition per line, so the tests cover every branch.
"""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext as _

from ctpat.accounts.access import require_role
from ctpat.accounts.models import Membership
from ctpat.accounts.roles import AGENCY_DECIDERS, AGENCY_ROLES, PARTNER_EDITORS, PARTNER_ROLES, Role
from ctpat.applications.access import access_own_partner, access_partner_by_id
from ctpat.applications.models import Partner, PartnerEvent
from ctpat.compliance.models import (
    Appeal,
    ComplianceCase,
    CorrectiveActionPlan,
    PlanObjective,
    SanctionRecommendation,
    WarningLetter,
)

DIRECTORS = frozenset({Role.PROGRAM_DIRECTOR})
OFFICERS = frozenset({Role.COMPANY_OFFICER})


def _own(member: Membership, partner: Partner, message: str) -> None:
    """A partner user reaches only its own company; anything else is "not found"."""
    if member.role in AGENCY_ROLES:
        return
    if partner.organization_id != member.organization_id:
        raise Http404(message)


def access_worklist(membership: Membership | None) -> Membership:
    """The agency's compliance work list: every agency role reads it."""
    return require_role(membership, AGENCY_ROLES)


def access_own_compliance(membership: Membership | None) -> Partner:
    """The compliance page of the company the partner user acts for."""
    return access_own_partner(membership)


def access_compliance_by_id(membership: Membership | None, partner_id: int) -> Partner:
    """A partner's letters, plans, benefits and appeals: its own people and agency staff."""
    member = require_role(membership, PARTNER_ROLES | AGENCY_ROLES)
    return access_partner_by_id(member, partner_id)


def access_partner_file_by_id(
    membership: Membership | None, partner_id: int, *, write: bool = False
) -> Partner:
    """A partner's compliance file as the agency sees it. ``write``: open a case."""
    member = require_role(membership, AGENCY_DECIDERS if write else AGENCY_ROLES)
    return access_partner_by_id(member, partner_id)


def access_director_on_partner_by_id(membership: Membership | None, partner_id: int) -> Partner:
    """Removal for false information and reinstatement: the program director."""
    member = require_role(membership, DIRECTORS)
    return access_partner_by_id(member, partner_id)


def access_officer_partner(membership: Membership | None) -> Partner:
    """Withdrawal and consent to unannounced visits: the Company Officer, for their company."""
    member = require_role(membership, OFFICERS)
    return access_own_partner(member)


def access_officer_partner_by_id(membership: Membership | None, partner_id: int) -> Partner:
    """The same, by ID (the API): another company's ID is "not found"."""
    member = require_role(membership, OFFICERS)
    return access_partner_by_id(member, partner_id, write=True)


def access_case_by_id(membership: Membership | None, case_id: int, *, write: bool = False) -> ComplianceCase:
    """A case: agency staff read it; deciders write on it (letters, recommendations, closing)."""
    require_role(membership, AGENCY_DECIDERS if write else AGENCY_ROLES)
    case = ComplianceCase.objects.select_related("partner__organization").filter(pk=case_id).first()
    if case is None:
        raise Http404(_("No such case."))
    return case


def access_letter_by_id(membership: Membership | None, letter_id: int) -> WarningLetter:
    """A warning letter: the company it was sent to and agency staff."""
    member = require_role(membership, PARTNER_ROLES | AGENCY_ROLES)
    letter = WarningLetter.objects.select_related("case__partner__organization").filter(pk=letter_id).first()
    if letter is None:
        raise Http404(_("No such warning letter."))
    _own(member, letter.case.partner, _("No such warning letter."))
    return letter


def access_letter_for_plan_by_id(membership: Membership | None, letter_id: int) -> WarningLetter:
    """Answering a letter with a plan: the company's Company Officer, employees and consultants."""
    member = require_role(membership, PARTNER_EDITORS)
    return access_letter_by_id(member, letter_id)


def access_plan_by_id(
    membership: Membership | None, plan_id: int, *, decide: bool = False
) -> CorrectiveActionPlan:
    """A corrective action plan: its company and agency staff. ``decide``: accept or return it."""
    member = require_role(membership, AGENCY_DECIDERS if decide else PARTNER_ROLES | AGENCY_ROLES)
    plan = (
        CorrectiveActionPlan.objects.select_related("letter__case__partner__organization")
        .filter(pk=plan_id)
        .first()
    )
    if plan is None:
        raise Http404(_("No such plan."))
    _own(member, plan.letter.case.partner, _("No such plan."))
    return plan


def access_objective_by_id(membership: Membership | None, objective_id: int) -> PlanObjective:
    """Reporting progress on an objective: the company's editors."""
    member = require_role(membership, PARTNER_EDITORS)
    objective = (
        PlanObjective.objects.select_related("plan__letter__case__partner__organization")
        .filter(pk=objective_id)
        .first()
    )
    if objective is None:
        raise Http404(_("No such objective."))
    _own(member, objective.plan.letter.case.partner, _("No such objective."))
    return objective


def access_recommendation_by_id(
    membership: Membership | None, recommendation_id: int
) -> SanctionRecommendation:
    """Deciding a recommended sanction: the program director."""
    require_role(membership, DIRECTORS)
    recommendation = (
        SanctionRecommendation.objects.select_related("case__partner").filter(pk=recommendation_id).first()
    )
    if recommendation is None:
        raise Http404(_("No such recommendation."))
    return recommendation


def access_decision_for_appeal_by_id(membership: Membership | None, event_id: int) -> PartnerEvent:
    """A decision of the officer's own company to appeal; anything else is "not found"."""
    member = require_role(membership, OFFICERS)
    event = PartnerEvent.objects.select_related("partner__organization").filter(pk=event_id).first()
    if event is None:
        raise Http404(_("No such decision."))
    _own(member, event.partner, _("No such decision."))
    return event


def access_appeal_by_id(membership: Membership | None, appeal_id: int, *, decide: bool = False) -> Appeal:
    """An appeal: its company and agency staff. ``decide``: a program director."""
    member = require_role(membership, DIRECTORS if decide else PARTNER_ROLES | AGENCY_ROLES)
    appeal = (
        Appeal.objects.select_related("partner__organization", "decision_event__actor")
        .filter(pk=appeal_id)
        .first()
    )
    if appeal is None:
        raise Http404(_("No such appeal."))
    _own(member, appeal.partner, _("No such appeal."))
    return appeal


def can_decide_appeals(membership: Membership | None) -> bool:
    return membership is not None and membership.role in DIRECTORS
