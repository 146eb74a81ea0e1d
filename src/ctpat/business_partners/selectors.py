"""Reads for the register, the review queue, the lists page and the applicant's screenings."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from ctpat.accounts.models import Organization
from ctpat.applications.models import Partner
from ctpat.business_partners.models import (
    ApplicantScreening,
    BusinessPartner,
    BusinessPartnerScreening,
    HitStatus,
    RestrictedListVersion,
    ScreeningHit,
)


def business_partners_of(company: Organization) -> QuerySet[BusinessPartner]:
    """The register, with each business partner's count of open hits."""
    return BusinessPartner.objects.filter(company=company).annotate(
        open_hits=Count("hits", filter=Q(hits__status=HitStatus.OPEN))
    )


def hits_of(company: Organization, *, status: str | None = HitStatus.OPEN) -> QuerySet[ScreeningHit]:
    """The company's hits (open ones by default: the review queue), best score first."""
    rows = ScreeningHit.objects.select_related("business_partner", "disposed_by").filter(
        business_partner__company=company
    )
    return rows.filter(status=status) if status else rows


def business_partner_history(
    business_partner: BusinessPartner,
) -> tuple[QuerySet[BusinessPartnerScreening], QuerySet[ScreeningHit]]:
    """The business partner's screening runs (newest first) and every hit ever found, with decisions."""
    runs = business_partner.screenings.select_related("actor").all()
    hits = business_partner.hits.select_related("disposed_by", "first_screening").all()
    return runs, hits


def list_versions() -> QuerySet[RestrictedListVersion]:
    return RestrictedListVersion.objects.select_related("loaded_by").all()


def applicant_screenings(partner: Partner) -> QuerySet[ApplicantScreening]:
    return partner.screenings.select_related("actor").all()
