"""The only permission-checked ways to fetch a partner's account and what hangs off it.

A partner user reaches only its own company (anything else is "not found", so another
company's IDs reveal nothing); agency staff read every account; nobody else reads any.
"""

from __future__ import annotations

from typing import TypeVar, cast

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _

from ctpat.accounts.access import require_role
from ctpat.accounts.models import Membership
from ctpat.accounts.roles import AGENCY_ROLES, PARTNER_EDITORS, PARTNER_ROLES
from ctpat.applications.models import Contact, Evidence, Facility, OriginCountry, Partner, ProfileAnswer

ChildRow = TypeVar("ChildRow", bound=Contact | OriginCountry | Facility)


def access_partner_by_id(membership: Membership | None, partner_id: int, *, write: bool = False) -> Partner:
    member = require_role(membership, PARTNER_ROLES | AGENCY_ROLES)
    partner = Partner.objects.select_related("organization").filter(pk=partner_id).first()
    if partner is None:
        raise Http404(_("No such partner."))
    if member.role in AGENCY_ROLES:
        if write:
            raise PermissionDenied(_("Agency staff do not edit a partner's application."))
        return partner
    if partner.organization_id != member.organization_id:
        raise Http404(_("No such partner."))
    if write and member.role not in PARTNER_EDITORS:
        raise PermissionDenied(_("Your role (%(role)s) is read-only.") % {"role": member.get_role_display()})
    return partner


def access_own_partner(membership: Membership | None, *, write: bool = False) -> Partner:
    """The partner account of the company the user acts for."""
    member = require_role(membership, PARTNER_ROLES)
    return access_partner_by_id(member, _partner_id_of(member), write=write)


def _partner_id_of(membership: Membership) -> int:
    partner_id = (
        Partner.objects.filter(organization_id=membership.organization_id)
        .values_list("pk", flat=True)
        .first()
    )
    if partner_id is None:
        raise Http404(_("This company has no partner account."))
    return partner_id


def access_answer_by_id(partner: Partner, answer_id: int) -> ProfileAnswer:
    """An answer of ``partner``'s current profile (the partner was fetched through access)."""
    answer = (
        ProfileAnswer.objects.select_related("criterion", "profile")
        .filter(pk=answer_id, profile__partner=partner, profile__is_current=True)
        .first()
    )
    if answer is None:
        raise Http404(_("No such answer."))
    return answer


def access_evidence_by_id(partner: Partner, evidence_id: int) -> Evidence:
    evidence = (
        Evidence.objects.select_related("answer__criterion")
        .filter(pk=evidence_id, answer__profile__partner=partner)
        .first()
    )
    if evidence is None:
        raise Http404(_("No such evidence file."))
    return evidence


def access_child_by_id(partner: Partner, model: type[ChildRow], child_id: int) -> ChildRow:
    """A contact, origin country or facility row of ``partner`` (fetched through access)."""
    row = cast(ChildRow | None, model._default_manager.filter(pk=child_id, partner=partner).first())
    if row is None:
        raise Http404(_("No such entry."))
    return row
