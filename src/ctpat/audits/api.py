"""Audit and document requests over the API: the agency sends a request and reviews each answer;
the partner answers item by item. The same services and ``access`` functions as the pages: a
partner reads only its own requests (another company's is 404)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import FileResponse, HttpRequest
from django.utils import timezone
from ninja import Field, File, Form, Router, Schema, Status
from ninja.files import UploadedFile

from ctpat.accounts.models import Membership, User
from ctpat.api.membership import api_membership
from ctpat.api.schemas import ConflictOut, ErrorOut, InvalidOut
from ctpat.audits import access, selectors, services
from ctpat.audits.models import AuditItem, AuditRequest
from ctpat.core.audit_rules import RequestKind, RequestState

router = Router(tags=["audits"])
READ_ERRORS: dict[int, Any] = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut}
WRITE_ERRORS: dict[int, Any] = {**READ_ERRORS, 409: ConflictOut, 422: InvalidOut}
FILE_DOWNLOAD = {
    "responses": {
        200: {
            "description": "The document as uploaded",
            "content": {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}},
        }
    }
}


class DocumentOut(Schema):
    id: int
    original_name: str
    content_type: str
    size: int
    sha256: str
    uploaded_at: datetime


class AnswerOut(Schema):
    id: int
    text: str
    answered_at: datetime
    documents: list[DocumentOut]

    @staticmethod
    def resolve_documents(answer: Any) -> list[Any]:
        return list(answer.documents.all())


class ItemOut(Schema):
    id: int
    number: int
    description: str
    is_site_access: bool
    state: str = Field(..., description="open, answered or accepted")
    asked_again_note: str
    answers: list[AnswerOut]

    @staticmethod
    def resolve_answers(item: AuditItem) -> list[Any]:
        return list(item.answers.all())


class AuditRequestOut(Schema):
    id: int
    reference: str
    partner_id: int
    partner_name: str
    kind: str
    subject: str
    state: str = Field(..., description="open (awaiting the partner), answered (awaiting review) or closed")
    deadline: date | None = Field(..., description="While the partner owes an answer, from the events")
    overdue: bool
    site_access: bool
    site_date: date | None
    site: str
    sent_at: datetime
    closed_at: datetime | None
    items: list[ItemOut]


class AuditRequestIn(Schema):
    partner_id: int
    kind: RequestKind
    subject: str = Field(..., max_length=200)
    deadline: date = Field(..., description="After today")
    items: list[str] = Field(..., description="What the partner must answer, one entry per item")
    site_access: bool = False
    site_date: date | None = None
    site: str = Field("", max_length=200)


class AskAgainIn(Schema):
    note: str = Field(..., description="What is still missing")
    deadline: date | None = Field(None, description="A new deadline, after today")


class EventOut(Schema):
    action: str
    item: int | None = Field(..., description="The item's number, for an item step")
    from_state: str
    to_state: str
    actor: str | None
    reason: str
    at: datetime

    @staticmethod
    def resolve_item(event: Any) -> int | None:
        return event.item.number if event.item_id else None

    @staticmethod
    def resolve_actor(event: Any) -> str | None:
        return event.actor.email if event.actor_id else None


def _acting(request: HttpRequest) -> tuple[User, Membership | None]:
    user = getattr(request, "auth", None)
    if not isinstance(user, User):
        raise PermissionDenied("Not authenticated.")
    return user, api_membership(request)


def _out(audit_request: AuditRequest) -> dict[str, Any]:
    clock = selectors.audit_request_clock(audit_request)
    names = ("id", "reference", "partner_id", "kind", "subject", "state", "site_access", "site_date", "site")
    return {
        **{name: getattr(audit_request, name) for name in names},
        "partner_name": audit_request.partner.legal_name,
        "deadline": clock.deadline if clock else None,
        "overdue": clock is not None and clock.is_overdue(timezone.localdate()),
        "sent_at": audit_request.sent_at,
        "closed_at": audit_request.closed_at,
        "items": list(selectors.request_items(audit_request)),
    }


def _item_step(
    request: HttpRequest, request_id: int, item_id: int, *, review: bool
) -> tuple[User, Membership, AuditRequest, AuditItem]:
    user, membership = _acting(request)
    fetch = access.access_request_to_review if review else access.access_request_to_answer
    audit_request = fetch(membership, request_id)
    assert membership is not None  # access refused None
    return user, membership, audit_request, access.access_item_by_id(audit_request, item_id)


@router.get("", response={200: list[AuditRequestOut], **READ_ERRORS})
def audit_list(request: HttpRequest, state: RequestState | None = None) -> list[dict[str, Any]]:
    """A partner: its own requests. Agency staff: every request."""
    requests = access.access_audit_requests(_acting(request)[1])
    if state is not None:
        requests = requests.filter(state=state.value)
    return [_out(r) for r in requests]


@router.get("/{int:request_id}", response={200: AuditRequestOut, **READ_ERRORS})
def audit_detail(request: HttpRequest, request_id: int) -> dict[str, Any]:
    return _out(access.access_audit_request_by_id(_acting(request)[1], request_id))


@router.get("/{int:request_id}/events", response={200: list[EventOut], **READ_ERRORS})
def audit_events(request: HttpRequest, request_id: int) -> list[Any]:
    return list(selectors.audit_events(access.access_audit_request_by_id(_acting(request)[1], request_id)))


@router.get(
    "/{int:request_id}/documents/{int:document_id}",
    response={200: None, **READ_ERRORS},
    openapi_extra=FILE_DOWNLOAD,
)
def document_download(request: HttpRequest, request_id: int, document_id: int) -> FileResponse:
    audit_request = access.access_audit_request_by_id(_acting(request)[1], request_id)
    document = access.access_document_by_id(audit_request, document_id)
    response = FileResponse(
        document.file.open("rb"),
        as_attachment=True,
        filename=document.original_name,
        content_type=document.content_type,
    )
    response["Cache-Control"] = "private, no-store"
    return response


@router.post("", response={201: AuditRequestOut, **WRITE_ERRORS})
def audit_send(request: HttpRequest, payload: AuditRequestIn) -> Status[dict[str, Any]]:
    """Send a partner a request (specialists, supervisors, the program director)."""
    user, membership = _acting(request)
    partner = access.access_partner_to_audit(membership, payload.partner_id)
    assert membership is not None
    data = services.AuditRequestInput(**{**payload.dict(exclude={"partner_id"}), "kind": str(payload.kind)})
    audit_request = services.audit_request_send(actor=user, membership=membership, partner=partner, data=data)
    return Status(201, _out(audit_request))


@router.post("/{int:request_id}/items/{int:item_id}/answer", response={200: AuditRequestOut, **WRITE_ERRORS})
def item_answer(
    request: HttpRequest,
    request_id: int,
    item_id: int,
    text: Form[str] = "",
    # Ninja reads an optional file list only with a plain None default (not ``| None``).
    documents: File[list[UploadedFile]] = None,  # type: ignore[assignment]
) -> dict[str, Any]:
    """The partner answers one item (multipart: ``text`` and any ``documents``)."""
    user, membership, audit_request, item = _item_step(request, request_id, item_id, review=False)
    services.audit_item_answer(
        actor=user,
        membership=membership,
        audit_request=audit_request,
        item=item,
        text=text,
        uploads=documents or [],
    )
    return _out(audit_request)


@router.post("/{int:request_id}/items/{int:item_id}/accept", response={200: AuditRequestOut, **WRITE_ERRORS})
def item_accept(request: HttpRequest, request_id: int, item_id: int) -> dict[str, Any]:
    """Accept an answer; the request closes once every item is accepted."""
    user, membership, audit_request, item = _item_step(request, request_id, item_id, review=True)
    services.audit_item_accept(actor=user, membership=membership, audit_request=audit_request, item=item)
    return _out(audit_request)


@router.post(
    "/{int:request_id}/items/{int:item_id}/ask-again", response={200: AuditRequestOut, **WRITE_ERRORS}
)
def item_ask_again(
    request: HttpRequest, request_id: int, item_id: int, payload: AskAgainIn
) -> dict[str, Any]:
    """Send an answer back with what is still missing (and optionally a new deadline)."""
    user, membership, audit_request, item = _item_step(request, request_id, item_id, review=True)
    services.audit_item_ask_again(
        actor=user,
        membership=membership,
        audit_request=audit_request,
        item=item,
        note=payload.note,
        deadline=payload.deadline,
    )
    return _out(audit_request)
