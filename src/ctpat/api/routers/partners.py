"""A partner company's account: its profile, eligibility answers, identifiers, contacts, origin
countries and facilities. The same services as the application pages; every fetch goes through
``partner_for`` (``access_partner_by_id``)."""

from __future__ import annotations

from typing import Any, TypeVar

from django.db import transaction
from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest
from ninja import Router

from ctpat.api.routers.acting import acting_membership, acting_user, partner_for
from ctpat.api.routers.eligibility import unknown_questions_refuse
from ctpat.api.schemas import (
    ERRORS,
    ROLE_ERRORS,
    ContactIn,
    ContactOut,
    EligibilityAnswersIn,
    EligibilityOut,
    ErrorOut,
    FacilityIn,
    FacilityOut,
    IdentifierIn,
    IdentifierOut,
    OriginCountryIn,
    OriginCountryOut,
    PartnerOut,
    PartnerProfileIn,
)
from ctpat.applications.access import access_own_partner
from ctpat.applications.models import Contact, Facility, Identifier, OriginCountry, Partner
from ctpat.applications.services import (
    child_delete,
    child_save,
    eligibility_record,
    identifier_remove,
    identifier_set,
    origin_shares_check,
    partner_profile_update,
)
from ctpat.core.entity_types import EntityType
from ctpat.core.identifiers import IdentifierKind

router = Router(tags=["partners"])
M = TypeVar("M", bound=Model)

DELETED = {204: None, **ERRORS}


def _child_or_404(rows: QuerySet[M], pk: int, what: str) -> M:
    """One row of an access-checked partner's children (contacts, countries, facilities)."""
    row = rows.filter(pk=pk).first()
    if row is None:
        raise Http404(f"No such {what}.")
    return row


@router.get("/partners/me", response={200: PartnerOut, 404: ErrorOut, **ROLE_ERRORS})
def partner_me(request: HttpRequest) -> Partner:
    """The account of the company you act for (consultants: chosen with ``X-Organization``)."""
    return access_own_partner(acting_membership(request))


@router.get("/partners/{partner_id}", response={200: PartnerOut, **ERRORS})
def partner_detail(request: HttpRequest, partner_id: int) -> Partner:
    return partner_for(request, partner_id)


@router.patch("/partners/{partner_id}", response={200: PartnerOut, **ERRORS})
def partner_update(request: HttpRequest, partner_id: int, payload: PartnerProfileIn) -> Partner:
    """Change company-profile fields; only the fields sent are changed."""
    partner = partner_for(request, partner_id, write=True)
    fields = payload.model_dump(mode="json", exclude_unset=True)
    return partner_profile_update(actor=acting_user(request), partner=partner, fields=fields)


@router.put("/partners/{partner_id}/eligibility", response={200: EligibilityOut, **ERRORS})
def partner_eligibility(
    request: HttpRequest, partner_id: int, payload: EligibilityAnswersIn
) -> dict[str, Any]:
    """Record the questionnaire for the company's entity type; unanswered questions count as "no"."""
    partner = partner_for(request, partner_id, write=True)
    unknown_questions_refuse(EntityType(partner.entity_type), payload.answers)
    reasons = eligibility_record(actor=acting_user(request), partner=partner, answers=payload.answers)
    return {"eligible": not reasons, "reasons": reasons}


# --- Identifiers ----------------------------------------------------------------------------


@router.get("/partners/{partner_id}/identifiers", response={200: list[IdentifierOut], **ERRORS})
def identifier_list(request: HttpRequest, partner_id: int) -> QuerySet[Identifier]:
    return partner_for(request, partner_id).identifiers.order_by("kind")


@router.post("/partners/{partner_id}/identifiers", response={201: IdentifierOut, **ERRORS})
def identifier_create(request: HttpRequest, partner_id: int, payload: IdentifierIn) -> tuple[int, Identifier]:
    """Set the company's identifier of one kind (one per kind: a second one replaces the first)."""
    partner = partner_for(request, partner_id, write=True)
    identifier = identifier_set(
        actor=acting_user(request), partner=partner, kind=payload.kind, value=payload.value
    )
    return 201, identifier


@router.delete("/partners/{partner_id}/identifiers/{kind}", response=DELETED)
def identifier_delete(request: HttpRequest, partner_id: int, kind: IdentifierKind) -> tuple[int, None]:
    partner = partner_for(request, partner_id, write=True)
    if not partner.identifiers.filter(kind=kind).exists():
        raise Http404(f"The company has no {kind.label}.")
    identifier_remove(actor=acting_user(request), partner=partner, kind=kind)
    return 204, None


# --- Contacts, origin countries, facilities -------------------------------------------------


@router.get("/partners/{partner_id}/contacts", response={200: list[ContactOut], **ERRORS})
def contact_list(request: HttpRequest, partner_id: int) -> QuerySet[Contact]:
    return partner_for(request, partner_id).contacts.order_by("id")


@router.post("/partners/{partner_id}/contacts", response={201: ContactOut, **ERRORS})
def contact_create(request: HttpRequest, partner_id: int, payload: ContactIn) -> tuple[int, Contact]:
    partner = partner_for(request, partner_id, write=True)
    contact = Contact(**payload.model_dump())
    return 201, child_save(actor=acting_user(request), partner=partner, instance=contact)


@router.delete("/partners/{partner_id}/contacts/{contact_id}", response=DELETED)
def contact_delete(request: HttpRequest, partner_id: int, contact_id: int) -> tuple[int, None]:
    partner = partner_for(request, partner_id, write=True)
    contact = _child_or_404(partner.contacts.all(), contact_id, "contact")
    child_delete(actor=acting_user(request), partner=partner, instance=contact)
    return 204, None


@router.get("/partners/{partner_id}/origin-countries", response={200: list[OriginCountryOut], **ERRORS})
def origin_country_list(request: HttpRequest, partner_id: int) -> QuerySet[OriginCountry]:
    return partner_for(request, partner_id).origin_countries.order_by("country")


@router.post("/partners/{partner_id}/origin-countries", response={201: OriginCountryOut, **ERRORS})
def origin_country_create(
    request: HttpRequest, partner_id: int, payload: OriginCountryIn
) -> tuple[int, OriginCountry]:
    """A country the company imports from, with its share of imports; the shares may not pass 100%."""
    partner = partner_for(request, partner_id, write=True)
    with transaction.atomic():
        origin_shares_check(partner=partner, share=payload.share_percent)
        origin = child_save(
            actor=acting_user(request), partner=partner, instance=OriginCountry(**payload.model_dump())
        )
    return 201, origin


@router.delete("/partners/{partner_id}/origin-countries/{origin_id}", response=DELETED)
def origin_country_delete(request: HttpRequest, partner_id: int, origin_id: int) -> tuple[int, None]:
    partner = partner_for(request, partner_id, write=True)
    origin = _child_or_404(partner.origin_countries.all(), origin_id, "origin country")
    child_delete(actor=acting_user(request), partner=partner, instance=origin)
    return 204, None


@router.get("/partners/{partner_id}/facilities", response={200: list[FacilityOut], **ERRORS})
def facility_list(request: HttpRequest, partner_id: int) -> QuerySet[Facility]:
    return partner_for(request, partner_id).facilities.order_by("id")


@router.post("/partners/{partner_id}/facilities", response={201: FacilityOut, **ERRORS})
def facility_create(request: HttpRequest, partner_id: int, payload: FacilityIn) -> tuple[int, Facility]:
    partner = partner_for(request, partner_id, write=True)
    facility = Facility(**payload.model_dump())
    return 201, child_save(actor=acting_user(request), partner=partner, instance=facility)


@router.delete("/partners/{partner_id}/facilities/{facility_id}", response=DELETED)
def facility_delete(request: HttpRequest, partner_id: int, facility_id: int) -> tuple[int, None]:
    partner = partner_for(request, partner_id, write=True)
    facility = _child_or_404(partner.facilities.all(), facility_id, "facility")
    child_delete(actor=acting_user(request), partner=partner, instance=facility)
    return 204, None
