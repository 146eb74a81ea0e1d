"""The REST API: one NinjaAPI, a router per app, the same services as the pages."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import ValidationError as RequestInvalid

from ctpat import __version__
from ctpat.api.auth import API_AUTH
from ctpat.api.routers import (
    accounts,
    agency,
    application,
    criteria,
    eligibility,
    partners,
    security_profile,
)
from ctpat.applications.evidence import EvidenceRejected
from ctpat.audits.api import router as audits_router
from ctpat.business_partners.api import router as business_partners_router
from ctpat.compliance.api import router as compliance_router
from ctpat.core.lifecycle import TransitionError
from ctpat.declarations.api import router as targeting_router
from ctpat.incidents.api import router as incidents_router
from ctpat.membership.api import router as membership_router
from ctpat.review.api import router as review_router
from ctpat.validation.api import router as validation_router

api = NinjaAPI(
    title="CTPAT portal API",
    version=__version__,
    description=(
        "Partner applications, security profiles and the criteria catalogue. Authenticate with a "
        "personal access token (`Authorization: Bearer ctpat_...`, made on your account page) or the "
        "portal session. Consultants serving several companies choose one with the `X-Organization` header."
    ),
    auth=API_AUTH,
    urls_namespace="api",
)


def _invalid(request: HttpRequest, errors: dict[str, list[str]], detail: str = "") -> HttpResponse:
    """Every refused input answers the same shape: the messages in one line, then per field."""
    detail = (
        detail
        or " ".join(message for messages in errors.values() for message in messages)
        or "Invalid input."
    )
    return api.create_response(request, {"detail": detail, "errors": errors}, status=422)


@api.exception_handler(ValidationError)
def on_validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    # ApplicationLocked is a ValidationError too: the partner's edit is refused with its message.
    errors = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
    return _invalid(request, errors)


@api.exception_handler(RequestInvalid)
def on_request_invalid(request: HttpRequest, exc: RequestInvalid) -> HttpResponse:
    """Schema errors (wrong type, unknown choice, missing field), keyed by the field's name."""
    errors: dict[str, list[str]] = {}
    for error in exc.errors:
        location = [str(part) for part in error.get("loc", ())]
        # ("body", "payload", "kind") -> "kind"; ("path", "entity_type") -> "entity_type"
        field = ".".join(location[2:] if location[:1] == ["body"] else location[1:]) or "__all__"
        errors.setdefault(field, []).append(str(error.get("msg", "Invalid value.")))
    detail = "; ".join(f"{field}: {' '.join(messages)}" for field, messages in errors.items())
    return _invalid(request, errors, detail)


@api.exception_handler(EvidenceRejected)
def on_evidence_rejected(request: HttpRequest, exc: EvidenceRejected) -> HttpResponse:
    return _invalid(request, {"file": [str(exc)]})


@api.exception_handler(TransitionError)
def on_transition_error(request: HttpRequest, exc: TransitionError) -> HttpResponse:
    return api.create_response(request, {"detail": "Not allowed now.", "reasons": exc.reasons}, status=409)


@api.exception_handler(PermissionDenied)
def on_permission_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return api.create_response(request, {"detail": str(exc) or "Not allowed."}, status=403)


@api.exception_handler(Http404)
def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return api.create_response(request, {"detail": str(exc) or "Not found."}, status=404)


for area in (accounts, criteria, eligibility, partners, security_profile, application, agency):
    api.add_router("/", area.router)
api.add_router("/business-partners", business_partners_router)
api.add_router("/review", review_router)
api.add_router("/validations", validation_router)
api.add_router("/targeting", targeting_router)
api.add_router("/incidents", incidents_router)
api.add_router("/audits", audits_router)
api.add_router("/membership", membership_router)
api.add_router("/compliance", compliance_router)
