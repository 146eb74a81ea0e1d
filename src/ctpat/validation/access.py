"""The only permission-checked ways to reach validations, for the pages and the API alike.

- Agency staff (every agency role) read every validation and the dashboard.
- Specialists, supervisors and the program director plan validations. The fieldwork of one
  validation (sites, worksheets, findings, the report) is done by its lead and team members,
  or by a supervisor or the program director.
- Supervisors and the program director approve decisions (the service checks they did not
  propose it themselves).
- A partner's people see only their own company's validations, and only once the report has
  been sent; anything else is "not found". Its editors (not read-only) respond.
- Everybody else (liaisons, people without a role) is refused.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from ctpat.accounts.access import require_role
from ctpat.accounts.models import Membership, User
from ctpat.accounts.roles import AGENCY_DECIDERS, AGENCY_ROLES, PARTNER_EDITORS, PARTNER_ROLES, Role
from ctpat.applications.models import Partner
from ctpat.core.validation_rules import PARTNER_VISIBLE_STAGES
from ctpat.validation.models import (
    DecisionProposal,
    Finding,
    Validation,
    ValidationEvidence,
    ValidationSite,
)

APPROVERS = frozenset({Role.SUPERVISOR, Role.PROGRAM_DIRECTOR})


def access_agency(membership: Membership | None) -> Membership:
    """Reading validations and the dashboard: every agency role."""
    return require_role(membership, AGENCY_ROLES)


def access_partner_member(membership: Membership | None) -> Membership:
    """The partner's pages: any role at a partner company (what they see is checked per validation)."""
    return require_role(membership, PARTNER_ROLES)


def access_partner_to_plan(membership: Membership | None, partner_id: int) -> Partner:
    """A partner whose validation a specialist, supervisor or program director plans."""
    require_role(membership, AGENCY_DECIDERS)
    partner = Partner.objects.select_related("organization").filter(pk=partner_id).first()
    if partner is None:
        raise Http404(_("No such partner."))
    return partner


def access_validation_by_id(membership: Membership | None, validation_id: int) -> Validation:
    """A validation to read: any agency role, or the partner's own people once the report is sent."""
    member = require_role(membership, AGENCY_ROLES | PARTNER_ROLES)
    validation = _validation(validation_id)
    if member.role in AGENCY_ROLES:
        return validation
    if validation.partner.organization_id != member.organization_id:
        raise _not_found()
    if validation.stage not in PARTNER_VISIBLE_STAGES:
        raise _not_found()
    return validation


def access_validation_to_plan(membership: Membership | None, validation_id: int) -> Validation:
    """Changing the plan: any agency decider (the plan assigns the team)."""
    require_role(membership, AGENCY_DECIDERS)
    return _validation(validation_id)


def access_validation_for_fieldwork(membership: Membership | None, validation_id: int) -> Validation:
    """Sites' worksheets, findings and the report: the validation's team, or a supervisor or PD."""
    member = require_role(membership, AGENCY_DECIDERS)
    validation = _validation(validation_id)
    if member.role in APPROVERS:
        return validation
    if not is_on_team(member.user, validation):
        raise PermissionDenied(_("Only the validation's lead and team members record its fieldwork."))
    return validation


def access_validation_to_propose(membership: Membership | None, validation_id: int) -> Validation:
    return access_validation_for_fieldwork(membership, validation_id)


def access_proposal_to_review(
    membership: Membership | None, validation_id: int, proposal_id: int
) -> DecisionProposal:
    """A proposed decision a supervisor or the program director approves or returns."""
    require_role(membership, APPROVERS)
    validation = _validation(validation_id)
    proposal = DecisionProposal.objects.filter(pk=proposal_id, validation=validation).first()
    if proposal is None:
        raise Http404(_("No such proposal."))
    return proposal


def access_validation_to_respond(membership: Membership | None, validation_id: int) -> Validation:
    """The partner's response: its editors, on its own validation, once the report is sent."""
    member = require_role(membership, PARTNER_ROLES)
    validation = access_validation_by_id(member, validation_id)
    if member.role not in PARTNER_EDITORS:
        raise PermissionDenied(_("Your role (%(role)s) is read-only.") % {"role": member.get_role_display()})
    return validation


def access_partner_validations(membership: Membership | None) -> QuerySet[Validation]:
    """The validations of the company the partner user acts for whose report has been sent."""
    member = require_role(membership, PARTNER_ROLES)
    return Validation.objects.filter(
        partner__organization_id=member.organization_id, stage__in=PARTNER_VISIBLE_STAGES
    ).select_related("partner", "report")


def access_site_by_id(validation: Validation, site_id: int) -> ValidationSite:
    site = ValidationSite.objects.filter(pk=site_id, validation=validation).first()
    if site is None:
        raise Http404(_("No such site."))
    return site


def access_finding_by_id(validation: Validation, finding_id: int) -> Finding:
    finding = (
        Finding.objects.select_related("criterion", "site")
        .filter(pk=finding_id, validation=validation)
        .first()
    )
    if finding is None:
        raise Http404(_("No such finding."))
    return finding


def access_evidence_by_id(validation: Validation, evidence_id: int) -> ValidationEvidence:
    """An evidence file of ``validation`` (which was fetched through access for the reader)."""
    evidence = ValidationEvidence.objects.filter(pk=evidence_id, validation=validation).first()
    if evidence is None:
        raise Http404(_("No such evidence file."))
    return evidence


def is_on_team(user: User, validation: Validation) -> bool:
    return validation.lead_id == user.pk or validation.team.filter(pk=user.pk).exists()


def can_do_fieldwork(membership: Membership | None, validation: Validation) -> bool:
    """Whether the page should offer the fieldwork forms (the access function decides)."""
    if membership is None or membership.role not in AGENCY_DECIDERS:
        return False
    return membership.role in APPROVERS or is_on_team(membership.user, validation)


def _validation(validation_id: int) -> Validation:
    validation = (
        Validation.objects.select_related("partner__organization", "lead").filter(pk=validation_id).first()
    )
    if validation is None:
        raise _not_found()
    return validation


def _not_found() -> Http404:
    return Http404(_("No such validation."))
