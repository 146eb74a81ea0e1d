"""The business-partner register and its review queue over the API, for the company the caller
acts for (consultants: ``X-Organization``). The same services and access checks as the pages."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from ninja import Field, Router, Schema, Status

from ctpat.accounts.models import User
from ctpat.api.membership import api_membership
from ctpat.api.schemas import ErrorOut, InvalidOut
from ctpat.business_partners import access, selectors, services
from ctpat.business_partners.models import (
    BusinessPartner,
    CtpatStatus,
    HitStatus,
    PartyType,
    RelationshipKind,
    ScreeningHit,
)

router = Router(tags=["business partners"])
READ_ERRORS: dict[int, Any] = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut}
WRITE_ERRORS: dict[int, Any] = {**READ_ERRORS, 422: InvalidOut}


class BusinessPartnerIn(Schema):
    name: str = Field(..., max_length=300)
    relationship: RelationshipKind
    party_type: PartyType = PartyType.ORGANIZATION
    country: str = Field("", max_length=2)
    address: str = ""
    identifiers: str = Field("", max_length=500, description="Numbers separated by semicolons.")
    ctpat_status: CtpatStatus = CtpatStatus.UNKNOWN
    mra_program: str = Field("", max_length=120)


class BusinessPartnerOut(Schema):
    id: int
    name: str
    relationship: str
    party_type: str
    country: str
    address: str
    identifiers: str
    ctpat_status: str
    mra_program: str
    created_at: datetime


class HitOut(Schema):
    id: int
    business_partner_id: int
    business_partner_name: str = Field(..., alias="business_partner.name")
    list_code: str
    entity_id: str
    matched_name: str
    listed_name: str
    score: float
    explanation: str
    list_date: str
    status: str
    disposition_reason: str
    disposed_by: str | None = None
    disposed_at: datetime | None

    @staticmethod
    def resolve_disposed_by(hit: ScreeningHit) -> str | None:
        return hit.disposed_by.email if hit.disposed_by else None


class DispositionIn(Schema):
    status: HitStatus
    reason: str


def _actor(request: HttpRequest) -> User:
    user = getattr(request, "auth", None)
    if not isinstance(user, User):
        raise PermissionDenied("Not authenticated.")
    return user


@router.get("", response={200: list[BusinessPartnerOut], **READ_ERRORS})
def business_partner_list(request: HttpRequest) -> list[BusinessPartner]:
    """The register of the company you act for."""
    return list(selectors.business_partners_of(access.access_register(api_membership(request))))


@router.post("", response={201: BusinessPartnerOut, **WRITE_ERRORS})
def business_partner_add(request: HttpRequest, payload: BusinessPartnerIn) -> Status[BusinessPartner]:
    """Add a business partner; it is screened at once (its hits appear under ``/hits``)."""
    company = access.access_register(api_membership(request), write=True)
    fields = payload.model_dump(mode="json")
    return Status(
        201, services.business_partner_create(actor=_actor(request), company=company, fields=fields)
    )


@router.get("/hits", response={200: list[HitOut], **READ_ERRORS})
def hit_list(request: HttpRequest, status: HitStatus | None = None) -> list[ScreeningHit]:
    """The company's hits; ``?status=open`` is the review queue."""
    company = access.access_register(api_membership(request))
    return list(selectors.hits_of(company, status=status))


@router.post("/hits/{hit_id}/disposition", response={200: HitOut, **WRITE_ERRORS})
def hit_dispose(request: HttpRequest, hit_id: int, payload: DispositionIn) -> ScreeningHit:
    """Decide a hit as ``true_match`` or ``false_positive``; the reason is required."""
    hit = access.access_hit_by_id(api_membership(request), hit_id, write=True)
    return services.screening_hit_dispose(
        actor=_actor(request), hit=hit, status=payload.status, reason=payload.reason
    )


@router.get("/{business_partner_id}", response={200: BusinessPartnerOut, **READ_ERRORS})
def business_partner_detail(request: HttpRequest, business_partner_id: int) -> BusinessPartner:
    return access.access_business_partner_by_id(api_membership(request), business_partner_id)
