"""The only permission-checked ways to reach the review's pages, files and records.

Agency staff read every review (ADR 0002); only deciders write, and a specialist writes only on
the files in their own portfolio. Assignment and the supervisor's decision are for supervisors
and the program director. Partners never see the agency's vetting, scores or recommendations;
they see their own tier and their own certificates, and another company's certificate is "not
found". Liaisons and users with no role get nothing. One condition per line, so the tests
cover every branch.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _

from ctpat.accounts.access import require_role
from ctpat.accounts.models import Membership, User
from ctpat.accounts.roles import AGENCY_DECIDERS, AGENCY_ROLES, PARTNER_ROLES, Role
from ctpat.applications.access import access_own_partner, access_partner_by_id
from ctpat.applications.models import Partner
from ctpat.review.models import Certificate, VettingCheck
from ctpat.review.selectors import agency_people

# Assigning files and deciding on recommendations.
SUPERVISING_ROLES = frozenset({Role.SUPERVISOR, Role.PROGRAM_DIRECTOR})


def access_queues(membership: Membership | None) -> Membership:
    """The work queues, portfolios and team workload: every agency role reads them."""
    return require_role(membership, AGENCY_ROLES)


def access_specialist_by_id(membership: Membership | None, specialist_id: int) -> User:
    """A person whose portfolio an agency user reads; anyone else is "not found"."""
    require_role(membership, AGENCY_ROLES)
    person = agency_people([Role.SPECIALIST, Role.SUPERVISOR]).filter(pk=specialist_id).first()
    if person is None:
        raise Http404(_("No such specialist."))
    return person


def access_review_by_id(membership: Membership | None, partner_id: int, *, write: bool = False) -> Partner:
    """A partner's review file. ``write``: vetting, the risk assessment, recommending."""
    member = require_role(membership, AGENCY_ROLES)
    partner = access_partner_by_id(member, partner_id)
    if not write:
        return partner
    if member.role not in AGENCY_DECIDERS:
        raise PermissionDenied(_("Your role (%(role)s) is read-only.") % {"role": member.get_role_display()})
    if member.role == Role.SPECIALIST and partner.assigned_specialist_id != member.user_id:
        raise PermissionDenied(_("This application is not in your portfolio."))
    return partner


def access_assignment_by_id(membership: Membership | None, partner_id: int) -> Partner:
    """Assigning a file: supervisors and the program director."""
    member = require_role(membership, SUPERVISING_ROLES)
    return access_partner_by_id(member, partner_id)


def access_decision_by_id(membership: Membership | None, partner_id: int) -> Partner:
    """Deciding on a recommendation: supervisors and the program director (who may not decide
    on their own recommendation: that rule is in ``core.decisions``, checked by the service)."""
    member = require_role(membership, SUPERVISING_ROLES)
    return access_partner_by_id(member, partner_id)


def access_vetting_check_by_id(partner: Partner, check_id: int) -> VettingCheck:
    """A vetting record of ``partner`` (the partner was fetched through ``access_review_by_id``)."""
    check = VettingCheck.objects.filter(pk=check_id, partner=partner).first()
    if check is None:
        raise Http404(_("No such vetting record."))
    return check


def access_standing_by_id(membership: Membership | None, partner_id: int) -> Partner:
    """A partner's tier and benefits: its own people and agency staff."""
    member = require_role(membership, PARTNER_ROLES | AGENCY_ROLES)
    return access_partner_by_id(member, partner_id)


def access_own_standing(membership: Membership | None) -> Partner:
    return access_own_partner(membership)


def access_certificate_by_id(membership: Membership | None, certificate_id: int) -> Certificate:
    """A certificate: the certified company's own people and agency staff."""
    member = require_role(membership, PARTNER_ROLES | AGENCY_ROLES)
    certificate = Certificate.objects.select_related("partner").filter(pk=certificate_id).first()
    if certificate is None:
        raise Http404(_("No such certificate."))
    if member.role in AGENCY_ROLES:
        return certificate
    if certificate.partner.organization_id != member.organization_id:
        raise Http404(_("No such certificate."))
    return certificate
