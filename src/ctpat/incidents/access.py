"""The only permission-checked ways to reach incidents and referrals, for pages and API alike.

- A partner's people read their own company's incidents (another company's is "not found");
  its editors (not read-only) report incidents, update the investigation and answer analyses.
- Agency staff (every agency role) read every incident; the deciders (specialist, supervisor,
  program director) record incidents the agency found and triage them.
- A liaison of another government agency reads the referrals made to its agency, one by one,
  and nothing else (not other referrals, not the partner's application or other incidents).
- Everybody else (a foreign customs liaison, people with no role) is refused.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from ctpat.accounts.access import require_role
from ctpat.accounts.models import Membership
from ctpat.accounts.roles import (
    AGENCY_DECIDERS,
    AGENCY_ROLES,
    PARTNER_EDITORS,
    PARTNER_ROLES,
    OrganizationKind,
    Role,
)
from ctpat.applications.access import access_own_partner
from ctpat.applications.models import Partner
from ctpat.incidents.models import EvidencePurpose, Incident, IncidentEvidence, Referral


def access_incidents(membership: Membership | None) -> QuerySet[Incident]:
    """The incidents a partner's people or agency staff may list."""
    member = require_role(membership, PARTNER_ROLES | AGENCY_ROLES)
    incidents = Incident.objects.select_related("partner")
    if member.role in AGENCY_ROLES:
        return incidents
    return incidents.filter(partner__organization_id=member.organization_id)


def access_partner_to_report(membership: Membership | None) -> Partner:
    """The company a partner editor reports an incident for (read-only roles are refused)."""
    return access_own_partner(require_role(membership, PARTNER_ROLES), write=True)


def access_partner_to_record(membership: Membership | None, partner_id: int) -> Partner:
    """A partner the agency records an incident for (an incident the agency found itself)."""
    require_role(membership, AGENCY_DECIDERS)
    partner = Partner.objects.select_related("organization").filter(pk=partner_id).first()
    if partner is None:
        raise Http404(_("No such partner."))
    return partner


def access_incident_by_id(membership: Membership | None, incident_id: int) -> Incident:
    """An incident to read: its own company's people, or any agency role."""
    member = require_role(membership, PARTNER_ROLES | AGENCY_ROLES)
    incident = _incident(incident_id)
    if member.role in AGENCY_ROLES:
        return incident
    if incident.partner.organization_id != member.organization_id:
        raise _not_found()
    return incident


def access_incident_to_edit(membership: Membership | None, incident_id: int) -> Incident:
    """The partner's side (investigation, corrective actions, analysis): its editors only."""
    member = require_role(membership, PARTNER_ROLES)
    incident = access_incident_by_id(member, incident_id)
    if member.role not in PARTNER_EDITORS:
        raise PermissionDenied(_("Your role (%(role)s) is read-only.") % {"role": member.get_role_display()})
    return incident


def access_incident_to_decide(membership: Membership | None, incident_id: int) -> Incident:
    """Triage, referral, analysis request, non-compliance, closing: the agency's deciders."""
    require_role(membership, AGENCY_DECIDERS)
    return _incident(incident_id)


def access_incident_evidence_by_id(incident: Incident, evidence_id: int) -> IncidentEvidence:
    """An evidence file of ``incident`` (which was fetched through access for the reader)."""
    evidence = IncidentEvidence.objects.filter(pk=evidence_id, incident=incident).first()
    if evidence is None:
        raise Http404(_("No such evidence file."))
    return evidence


# --- Liaisons of other government agencies -----------------------------------------------------


def access_liaison(membership: Membership | None) -> Membership:
    """A liaison of another government agency (a foreign customs liaison receives no referrals)."""
    member = require_role(membership, {Role.LIAISON})
    if member.organization.kind != OrganizationKind.GOVERNMENT_AGENCY:
        raise PermissionDenied(_("Only other government agencies receive incident referrals."))
    return member


def access_referrals(membership: Membership | None) -> QuerySet[Referral]:
    """The referrals made to the liaison's own agency."""
    member = access_liaison(membership)
    return Referral.objects.filter(agency_id=member.organization_id).select_related(
        "incident__partner", "agency", "referred_by"
    )


def access_referral_by_id(membership: Membership | None, referral_id: int) -> Referral:
    """One referral to the liaison's agency; a referral to another agency is "not found"."""
    referral = access_referrals(membership).filter(pk=referral_id).first()
    if referral is None:
        raise Http404(_("No such referral."))
    return referral


def access_referral_evidence_by_id(referral: Referral, evidence_id: int) -> IncidentEvidence:
    """A file of the incident report itself (not the partner's investigation or analysis)."""
    evidence = IncidentEvidence.objects.filter(
        pk=evidence_id, incident_id=referral.incident_id, purpose=EvidencePurpose.REPORT
    ).first()
    if evidence is None:
        raise Http404(_("No such evidence file."))
    return evidence


def _incident(incident_id: int) -> Incident:
    incident = Incident.objects.select_related("partner__organization").filter(pk=incident_id).first()
    if incident is None:
        raise _not_found()
    return incident


def _not_found() -> Http404:
    return Http404(_("No such incident."))
