"""The only permission-checked ways to reach audit and document requests, for pages and API.

- A partner's people read their own company's requests (another company's is "not found");
  its editors (not read-only) answer them.
- Agency staff (every agency role) read every request; the deciders (specialist, supervisor,
  program director) send requests and accept answers or ask again.
- Everybody else (liaisons, people with no role) is refused.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from ctpat.accounts.access import require_role
from ctpat.accounts.models import Membership
from ctpat.accounts.roles import AGENCY_DECIDERS, AGENCY_ROLES, PARTNER_EDITORS, PARTNER_ROLES
from ctpat.applications.models import Partner
from ctpat.audits.models import AuditDocument, AuditItem, AuditRequest


def access_audit_requests(membership: Membership | None) -> QuerySet[AuditRequest]:
    """The requests a partner's people (their own) or agency staff (all) may list."""
    member = require_role(membership, PARTNER_ROLES | AGENCY_ROLES)
    requests = AuditRequest.objects.select_related("partner")
    if member.role in AGENCY_ROLES:
        return requests
    return requests.filter(partner__organization_id=member.organization_id)


def access_partner_to_audit(membership: Membership | None, partner_id: int) -> Partner:
    """A partner the agency sends a request to."""
    require_role(membership, AGENCY_DECIDERS)
    partner = Partner.objects.select_related("organization").filter(pk=partner_id).first()
    if partner is None:
        raise Http404(_("No such partner."))
    return partner


def access_audit_request_by_id(membership: Membership | None, request_id: int) -> AuditRequest:
    """A request to read: its partner's people, or any agency role."""
    member = require_role(membership, PARTNER_ROLES | AGENCY_ROLES)
    audit_request = _request(request_id)
    if member.role in AGENCY_ROLES:
        return audit_request
    if audit_request.partner.organization_id != member.organization_id:
        raise _not_found()
    return audit_request


def access_request_to_answer(membership: Membership | None, request_id: int) -> AuditRequest:
    """Answering: the partner's editors only."""
    member = require_role(membership, PARTNER_ROLES)
    audit_request = access_audit_request_by_id(member, request_id)
    if member.role not in PARTNER_EDITORS:
        raise PermissionDenied(_("Your role (%(role)s) is read-only.") % {"role": member.get_role_display()})
    return audit_request


def access_request_to_review(membership: Membership | None, request_id: int) -> AuditRequest:
    """Accepting an answer or asking again: the agency's deciders."""
    require_role(membership, AGENCY_DECIDERS)
    return _request(request_id)


def access_item_by_id(audit_request: AuditRequest, item_id: int) -> AuditItem:
    """An item of ``audit_request`` (which was fetched through access)."""
    item = AuditItem.objects.filter(pk=item_id, request=audit_request).first()
    if item is None:
        raise Http404(_("No such item."))
    return item


def access_document_by_id(audit_request: AuditRequest, document_id: int) -> AuditDocument:
    """A document answering an item of ``audit_request`` (which was fetched through access)."""
    document = AuditDocument.objects.filter(pk=document_id, answer__item__request=audit_request).first()
    if document is None:
        raise Http404(_("No such document."))
    return document


def _request(request_id: int) -> AuditRequest:
    audit_request = AuditRequest.objects.select_related("partner__organization").filter(pk=request_id).first()
    if audit_request is None:
        raise _not_found()
    return audit_request


def _not_found() -> Http404:
    return Http404(_("No such request."))
