"""The REST API: one NinjaAPI, a router per app, the same services as the pages."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI

from ctpat import __version__
from ctpat.api.auth import API_AUTH
from ctpat.core.lifecycle import TransitionError

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


@api.exception_handler(ValidationError)
def on_validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    errors = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
    return api.create_response(request, {"detail": "Invalid input.", "errors": errors}, status=422)


@api.exception_handler(TransitionError)
def on_transition_error(request: HttpRequest, exc: TransitionError) -> HttpResponse:
    return api.create_response(request, {"detail": "Not allowed now.", "errors": exc.reasons}, status=409)


@api.exception_handler(PermissionDenied)
def on_permission_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return api.create_response(request, {"detail": str(exc) or "Not allowed."}, status=403)


@api.exception_handler(Http404)
def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return api.create_response(request, {"detail": str(exc) or "Not found."}, status=404)
