"""Writes to audit and document requests. Each service takes the acting user and membership,
runs in one transaction, checks the step against ``core.audit_rules``, writes an ``AuditEvent``
and tells people through ``notify``: the partner's Company Officers when the agency sends or asks
again, the specialist once every item is answered, the officers when the request is closed.

Input and files are checked before anything is written.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, TypeAlias

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ctpat.accounts.models import Membership, User
from ctpat.accounts.roles import AGENCY_DECIDERS, PARTNER_EDITORS
from ctpat.applications.evidence import InspectedFile, inspect_upload
from ctpat.applications.models import Partner
from ctpat.audits.models import AuditAnswer, AuditDocument, AuditEvent, AuditItem, AuditRequest
from ctpat.core.audit_rules import (
    ItemState,
    RequestKind,
    RequestState,
    item_state_after,
    new_deadline_error,
    request_errors,
    request_state_for,
)
from ctpat.core.incident_rules import Party
from ctpat.incidents.selectors import partner_officers, partner_specialists
from ctpat.notifications.services import notify

Uploads: TypeAlias = Sequence["UploadedFile[bytes]"]


@dataclass(frozen=True)
class AuditRequestInput:
    kind: str
    subject: str
    deadline: date | None
    items: list[str] = field(default_factory=list)
    site_access: bool = False
    site_date: date | None = None
    site: str = ""


def _party(membership: Membership) -> Party:
    if membership.role in PARTNER_EDITORS:
        return Party.PARTNER
    if membership.role in AGENCY_DECIDERS:
        return Party.AGENCY
    raise PermissionDenied(
        _("Your role (%(role)s) may not do this.") % {"role": membership.get_role_display()}
    )


def _url(audit_request: AuditRequest) -> str:
    return reverse("audits:detail", args=[audit_request.pk])


def _event(
    *,
    audit_request: AuditRequest,
    action: str,
    from_state: str,
    actor: User,
    membership: Membership,
    item: AuditItem | None = None,
    reason: str = "",
    details: dict[str, Any] | None = None,
) -> AuditEvent:
    return AuditEvent.objects.create(
        request=audit_request,
        item=item,
        action=action,
        from_state=from_state,
        to_state=audit_request.state,
        actor=actor,
        actor_role=membership.role,
        reason=reason,
        details=details or {},
        at=timezone.now(),
    )


# --- Sending -----------------------------------------------------------------------------------


def _site_item(data: AuditRequestInput) -> str:
    assert data.site_date is not None
    return _("Site access: %(site)s on %(date)s. Confirm the visit and who will receive the agency.") % {
        "site": data.site.strip(),
        "date": data.site_date.isoformat(),
    }


@transaction.atomic
def audit_request_send(
    *, actor: User, membership: Membership, partner: Partner, data: AuditRequestInput
) -> AuditRequest:
    """Send the partner a request with its items and deadline (and a site-access item when asked)."""
    if _party(membership) is not Party.AGENCY:
        raise PermissionDenied(_("Only the agency sends audit and document requests."))
    errors = request_errors(
        subject=data.subject,
        items=data.items,
        deadline=data.deadline,
        today=timezone.localdate(),
        site_access=data.site_access,
        site_date=data.site_date,
        site=data.site,
    )
    if data.kind not in {k.value for k in RequestKind}:
        errors["kind"] = [_("Choose the kind of request.")]
    if errors:
        raise ValidationError(errors)
    assert data.deadline is not None
    audit_request = AuditRequest(
        partner=partner,
        kind=data.kind,
        subject=data.subject.strip(),
        deadline=data.deadline,
        site_access=data.site_access,
        site_date=data.site_date if data.site_access else None,
        site=data.site.strip() if data.site_access else "",
        sent_by=actor,
        sent_at=timezone.now(),
    )
    audit_request.full_clean(exclude=["partner", "sent_by"])
    audit_request.save()
    descriptions = [d.strip() for d in data.items if d.strip()]
    items = [
        AuditItem.objects.create(request=audit_request, number=n, description=text)
        for n, text in enumerate(descriptions, start=1)
    ]
    if data.site_access:
        items.append(
            AuditItem.objects.create(
                request=audit_request,
                number=len(items) + 1,
                description=_site_item(data),
                is_site_access=True,
            )
        )
    _event(
        audit_request=audit_request,
        action="send",
        from_state="",
        actor=actor,
        membership=membership,
        details={"items": [i.pk for i in items], "deadline": data.deadline.isoformat()},
    )
    notify(
        users=partner_officers(partner),
        subject=_("%(kind)s from CBP: %(subject)s")
        % {"kind": audit_request.get_kind_display(), "subject": audit_request.subject},
        body=_("Please answer each item by %(deadline)s.") % {"deadline": data.deadline.isoformat()},
        url=_url(audit_request),
    )
    return audit_request


# --- Item steps --------------------------------------------------------------------------------


def _locked(audit_request: AuditRequest, item: AuditItem) -> tuple[AuditRequest, AuditItem]:
    locked = AuditRequest.objects.select_for_update().get(pk=audit_request.pk)
    return locked, AuditItem.objects.select_for_update().get(pk=item.pk, request=locked)


def _restate(locked: AuditRequest, audit_request: AuditRequest) -> str:
    """Recompute the request's state from its items; returns the state before."""
    before = locked.state
    locked.state = request_state_for(ItemState(s) for s in locked.items.values_list("state", flat=True))
    locked.save(update_fields=["state"])
    audit_request.state = locked.state
    return before


def _inspect(uploads: Uploads) -> list[tuple[UploadedFile[bytes], InspectedFile]]:
    return [(upload, inspect_upload(upload, max_bytes=settings.EVIDENCE_MAX_BYTES)) for upload in uploads]


def _store(answer: AuditAnswer, files: list[tuple[UploadedFile[bytes], InspectedFile]], actor: User) -> None:
    for upload, inspected in files:
        document = AuditDocument(
            answer=answer,
            original_name=inspected.original_name,
            content_type=inspected.content_type,
            size=inspected.size,
            sha256=inspected.sha256,
            uploaded_by=actor,
        )
        document.file.save(inspected.sha256, upload, save=False)
        try:
            document.save()
        except Exception:
            document.file.delete(save=False)
            raise


@transaction.atomic
def audit_item_answer(
    *,
    actor: User,
    membership: Membership,
    audit_request: AuditRequest,
    item: AuditItem,
    text: str,
    uploads: Uploads = (),
) -> AuditAnswer:
    """The partner answers one item with text and documents; once every item is answered the
    specialist is told."""
    if not text.strip() and not uploads:
        raise ValidationError({"text": [_("Write an answer or attach a document.")]})
    files = _inspect(uploads)
    locked, locked_item = _locked(audit_request, item)
    locked_item.state = item_state_after(
        "answer",
        current=ItemState(locked_item.state),
        party=_party(membership),
        text=text,
        documents=len(files),
    )
    locked_item.asked_again_note = ""
    locked_item.save(update_fields=["state", "asked_again_note"])
    item.state = locked_item.state
    answer = AuditAnswer.objects.create(
        item=locked_item, text=text.strip(), answered_by=actor, answered_at=timezone.now()
    )
    _store(answer, files, actor)
    before = _restate(locked, audit_request)
    _event(
        audit_request=locked,
        action="answer",
        from_state=before,
        actor=actor,
        membership=membership,
        item=locked_item,
        details={"answer_id": answer.pk, "documents": [f.original_name for _u, f in files]},
    )
    if before != RequestState.ANSWERED and locked.state == RequestState.ANSWERED:
        recipients = partner_specialists(locked.partner)
        if locked.sent_by is not None:
            recipients.append(locked.sent_by)
        notify(
            users=recipients,
            subject=_("%(ref)s answered by %(name)s")
            % {"ref": locked.reference, "name": locked.partner.legal_name},
            body=_("Every item of “%(subject)s” has an answer to review.") % {"subject": locked.subject},
            url=_url(locked),
        )
    return answer


@transaction.atomic
def audit_item_accept(
    *, actor: User, membership: Membership, audit_request: AuditRequest, item: AuditItem
) -> AuditEvent:
    """The agency accepts an answer; the request closes once every item is accepted."""
    locked, locked_item = _locked(audit_request, item)
    locked_item.state = item_state_after(
        "accept", current=ItemState(locked_item.state), party=_party(membership)
    )
    locked_item.save(update_fields=["state"])
    item.state = locked_item.state
    before = _restate(locked, audit_request)
    event = _event(
        audit_request=locked,
        action="accept",
        from_state=before,
        actor=actor,
        membership=membership,
        item=locked_item,
    )
    if locked.state == RequestState.CLOSED:
        AuditRequest.objects.filter(pk=locked.pk).update(closed_at=event.at)
        audit_request.closed_at = event.at
        _event(audit_request=locked, action="close", from_state=before, actor=actor, membership=membership)
        notify(
            users=partner_officers(locked.partner),
            subject=_("%(ref)s closed: every item accepted") % {"ref": locked.reference},
            body=_("The agency accepted your answers to “%(subject)s”.") % {"subject": locked.subject},
            url=_url(locked),
        )
    return event


@transaction.atomic
def audit_item_ask_again(
    *,
    actor: User,
    membership: Membership,
    audit_request: AuditRequest,
    item: AuditItem,
    note: str,
    deadline: date | None = None,
) -> AuditEvent:
    """The agency sends an answer back with what is still missing (and, if given, a new deadline)."""
    if not note.strip():
        raise ValidationError({"note": [_("Say what is still missing.")]})
    if deadline is not None:
        error = new_deadline_error(deadline, today=timezone.localdate())
        if error:
            raise ValidationError({"deadline": [error]})
    locked, locked_item = _locked(audit_request, item)
    locked_item.state = item_state_after(
        "ask_again", current=ItemState(locked_item.state), party=_party(membership), text=note
    )
    locked_item.asked_again_note = note.strip()
    locked_item.save(update_fields=["state", "asked_again_note"])
    item.state = locked_item.state
    if deadline is not None:
        AuditRequest.objects.filter(pk=locked.pk).update(deadline=deadline)
        audit_request.deadline = deadline
    before = _restate(locked, audit_request)
    event = _event(
        audit_request=locked,
        action="ask_again",
        from_state=before,
        actor=actor,
        membership=membership,
        item=locked_item,
        reason=note.strip(),
        details={"deadline": deadline.isoformat()} if deadline else {},
    )
    notify(
        users=partner_officers(locked.partner),
        subject=_("%(ref)s: the agency asks again about item %(n)s")
        % {"ref": locked.reference, "n": locked_item.number},
        body=note.strip(),
        url=_url(locked),
    )
    return event
