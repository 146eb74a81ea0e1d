"""What the API reads and writes, as Ninja schemas. Outputs read model rows and the core's
dataclasses by attribute; inputs are checked here for shape and by the services for the rules."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from ninja import Field, Schema

from ctpat.applications.models import ContactType, FacilityKind, TransportMode
from ctpat.core.entity_types import EntityType
from ctpat.core.identifiers import IdentifierKind

COUNTRY_CODE = r"^[A-Z]{2}$"


class ErrorOut(Schema):
    """401, 403 and 404: what went wrong, in words."""

    detail: str


class InvalidOut(Schema):
    """422: the input was refused; ``errors`` names each field (``__all__`` for the whole request)."""

    detail: str
    errors: dict[str, list[str]]


class ConflictOut(Schema):
    """409: the step is not allowed in the application's current state; every reason is listed."""

    detail: str
    reasons: list[str]


# Error responses, merged into each route's ``response`` so the spec lists every status it gives.
AUTH_ERRORS: dict[int, Any] = {401: ErrorOut}  # no valid token or session
ROLE_ERRORS: dict[int, Any] = {**AUTH_ERRORS, 403: ErrorOut}  # the role may not do this
# An endpoint that names a partner: another company's or an unknown ID is 404, bad input 422.
ERRORS: dict[int, Any] = {**ROLE_ERRORS, 404: ErrorOut, 422: InvalidOut}


# --- Account -------------------------------------------------------------------------------


class MembershipOut(Schema):
    organization_id: int
    organization: str
    organization_kind: str
    role: str


class AccountOut(Schema):
    email: str
    full_name: str
    acting_for: int | None = Field(..., description="The organisation this request acts for")
    memberships: list[MembershipOut]


# --- Criteria -------------------------------------------------------------------------------


class CriterionOut(Schema):
    id: str = Field(..., alias="code", description="The stable criterion ID, e.g. 3.4")
    category: int = Field(..., alias="category_number")
    category_name: str
    focus_area: str
    program_area: str
    requirement: str = Field(..., description="must or should")
    statement: str
    guidance: str
    entity_types: list[str]


class CatalogueOut(Schema):
    version: str
    effective: date
    criteria: list[CriterionOut]


class CatalogueVersionOut(Schema):
    version: str
    effective: date
    is_current: bool
    criteria_count: int


# --- Eligibility ----------------------------------------------------------------------------


class QuestionOut(Schema):
    key: str
    text: str


class QuestionnaireOut(Schema):
    entity_type: EntityType
    label: str
    questions: list[QuestionOut]


class EligibilityAnswersIn(Schema):
    answers: dict[str, bool] = Field(..., description="Question key -> yes (true) or no (false)")


class EligibilityCheckIn(EligibilityAnswersIn):
    entity_type: EntityType


class EligibilityOut(Schema):
    eligible: bool
    reasons: list[str] = Field(..., description="Why the company is not eligible; empty when it is")


# --- Partner account ------------------------------------------------------------------------


class PartnerOut(Schema):
    id: int
    legal_name: str
    doing_business_as: str
    entity_type: str
    status: str
    website: str
    phone: str
    street: str
    city: str
    region: str
    postal_code: str
    country: str
    year_established: int | None
    employees: int | None
    business_description: str
    transport_modes: list[str]
    eligible: bool
    eligibility_answers: dict[str, bool]
    eligibility_checked_at: datetime | None
    agreement_signed_at: datetime | None
    created_at: datetime
    updated_at: datetime


class PartnerProfileIn(Schema):
    """Company-profile fields; send only those to change."""

    legal_name: str | None = Field(None, min_length=1, max_length=200)
    doing_business_as: str | None = Field(None, max_length=200)
    website: str | None = None
    phone: str | None = Field(None, max_length=40)
    street: str | None = Field(None, max_length=200)
    city: str | None = Field(None, max_length=100)
    region: str | None = Field(None, max_length=100)
    postal_code: str | None = Field(None, max_length=20)
    country: str | None = Field(None, pattern=COUNTRY_CODE)
    year_established: int | None = None
    employees: int | None = Field(None, ge=0)
    business_description: str | None = None
    transport_modes: list[TransportMode] | None = None


class IdentifierIn(Schema):
    kind: IdentifierKind
    value: str = Field(..., max_length=40)


class IdentifierOut(Schema):
    kind: str
    value: str


class ContactIn(Schema):
    contact_type: ContactType
    full_name: str = Field(..., min_length=1, max_length=200)
    title: str = Field("", max_length=120)
    email: str
    phone: str = Field("", max_length=40)
    is_primary: bool = False


class ContactOut(Schema):
    id: int
    contact_type: str
    full_name: str
    title: str
    email: str
    phone: str
    is_primary: bool


class OriginCountryIn(Schema):
    country: str = Field(..., pattern=COUNTRY_CODE)
    share_percent: Decimal = Field(..., gt=0, le=100, decimal_places=2)


class OriginCountryOut(Schema):
    id: int
    country: str
    share_percent: Decimal


class FacilityIn(Schema):
    name: str = Field(..., min_length=1, max_length=200)
    kind: FacilityKind
    street: str = Field(..., min_length=1, max_length=200)
    city: str = Field(..., min_length=1, max_length=100)
    region: str = Field("", max_length=100)
    postal_code: str = Field("", max_length=20)
    country: str = Field(..., pattern=COUNTRY_CODE)
    latitude: Decimal | None = Field(None, ge=-90, le=90)
    longitude: Decimal | None = Field(None, ge=-180, le=180)


class FacilityOut(Schema):
    id: int
    name: str
    kind: str
    street: str
    city: str
    region: str
    postal_code: str
    country: str
    latitude: Decimal | None
    longitude: Decimal | None


# --- Security profile -----------------------------------------------------------------------


class EvidenceOut(Schema):
    id: int
    original_name: str
    content_type: str
    size: int
    sha256: str
    uploaded_at: datetime


class AnswerCriterionOut(Schema):
    id: str = Field(..., alias="code")
    category: int = Field(..., alias="category_number")
    requirement: str
    statement: str


class AnswerOut(Schema):
    criterion: AnswerCriterionOut
    status: str = Field(..., description="implemented, partly, not_implemented, not_applicable, or empty")
    narrative: str
    not_applicable_reason: str
    updated_at: datetime
    evidence: list[EvidenceOut]

    @staticmethod
    def resolve_evidence(obj: Any) -> list[Any]:
        return list(obj.evidence.all())


class SecurityProfileOut(Schema):
    catalogue_version: str | None
    answers: list[AnswerOut]


class AnswerIn(Schema):
    status: str = Field(
        "", description="implemented, partly, not_implemented, not_applicable, or empty to clear a draft"
    )
    narrative: str = ""
    not_applicable_reason: str = ""


class GapOut(Schema):
    section: str
    message: str
    criterion: str | None


class ProgressOut(Schema):
    category: int
    answered: int
    total: int
    percent: int


class CompletenessOut(Schema):
    complete: bool
    gaps: list[GapOut]
    progress: list[ProgressOut]


# --- Application workflow -------------------------------------------------------------------


class AgreementOut(Schema):
    signed_by: str
    signed_at: datetime


class EventOut(Schema):
    transition: str
    from_status: str
    to_status: str
    actor: str | None
    actor_role: str
    reason: str
    at: datetime

    @staticmethod
    def resolve_actor(obj: Any) -> str | None:
        return str(obj.actor) if obj.actor_id else None


class ClockOut(Schema):
    kind: str
    label: str
    started: datetime
    due: datetime
    paused_since: datetime | None
    days_left: int
    overdue: bool


# --- Agency ---------------------------------------------------------------------------------


class InboxRowOut(Schema):
    partner_id: int
    legal_name: str
    entity_type: str
    status: str
    assigned_specialist: str | None
    submitted_at: datetime | None
    due: datetime | None
    days_left: int | None


class ReturnIn(Schema):
    reason: str = Field(..., min_length=1, description="What the partner must add or correct")
