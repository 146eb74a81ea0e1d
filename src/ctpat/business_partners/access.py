"""The only permission-checked ways to fetch business partners, hits and applicant screenings.

A business-partner register belongs to one partner company: its users see it (another company's
IDs are "not found"); only its editors (Company Officer, Employee, Consultant) change it or
dispose hits. Restricted lists are loaded by agency Administrators; an applicant's screening is
read by agency staff and run by the deciders.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _

from ctpat.accounts.access import require_role
from ctpat.accounts.models import Membership, Organization
from ctpat.accounts.roles import AGENCY_DECIDERS, AGENCY_ROLES, PARTNER_EDITORS, PARTNER_ROLES, Role
from ctpat.applications.models import Partner
from ctpat.business_partners.models import BusinessPartner, ScreeningHit


def access_register(membership: Membership | None, *, write: bool = False) -> Organization:
    """The company whose register the user acts on."""
    member = require_role(membership, PARTNER_ROLES)
    if write and member.role not in PARTNER_EDITORS:
        raise PermissionDenied(_("Your role (%(role)s) is read-only.") % {"role": member.get_role_display()})
    return member.organization


def access_business_partner_by_id(
    membership: Membership | None, business_partner_id: int, *, write: bool = False
) -> BusinessPartner:
    company = access_register(membership, write=write)
    found = BusinessPartner.objects.filter(pk=business_partner_id, company=company).first()
    if found is None:
        raise Http404(_("No such business partner."))
    return found


def access_hit_by_id(membership: Membership | None, hit_id: int, *, write: bool = False) -> ScreeningHit:
    company = access_register(membership, write=write)
    hit = ScreeningHit.objects.select_related("business_partner").filter(pk=hit_id).first()
    if hit is None:
        raise Http404(_("No such hit."))
    if hit.business_partner.company_id != company.pk:
        raise Http404(_("No such hit."))
    return hit


def access_list_administration(membership: Membership | None) -> Membership:
    """Loading restricted lists: agency Administrators only."""
    return require_role(membership, {Role.ADMINISTRATOR})


def access_applicant_by_id(membership: Membership | None, partner_id: int, *, run: bool = False) -> Partner:
    """An applicant company for the agency's screening: staff read it, deciders run it."""
    require_role(membership, AGENCY_DECIDERS if run else AGENCY_ROLES)
    partner = Partner.objects.select_related("organization").filter(pk=partner_id).first()
    if partner is None:
        raise Http404(_("No such partner."))
    return partner
