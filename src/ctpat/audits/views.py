"""Audit request pages. The agency sends a partner a request (items, deadline, optional site
access) and reviews each answer (accept, or ask again); the partner answers item by item with
text and documents. Every page fetches through ``access``; every write calls a service."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.forms import BaseForm, Form
from django.http import FileResponse, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ctpat.accounts.access import request_membership
from ctpat.accounts.models import Membership, User
from ctpat.accounts.roles import AGENCY_DECIDERS, PARTNER_EDITORS
from ctpat.applications.evidence import ALLOWED_DESCRIPTION, EvidenceRejected
from ctpat.audits import access, selectors, services
from ctpat.audits.forms import AnswerForm, AskAgainForm, AuditRequestForm
from ctpat.audits.models import AuditItem, AuditRequest
from ctpat.core.audit_rules import AuditStepError, ItemState, RequestState


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)  # login_required ran first
    return request.user


def _membership(request: HttpRequest) -> Membership:
    membership = request_membership(request)
    assert membership is not None  # the access function ran first and refused None
    return membership


def _add_errors(form: BaseForm, exc: ValidationError | EvidenceRejected | AuditStepError) -> None:
    if isinstance(exc, EvidenceRejected):
        form.add_error("documents" if "documents" in form.fields else None, str(exc))
    elif isinstance(exc, AuditStepError):
        form.add_error(None, exc.reasons)
    elif hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


@login_required
def audit_list(request: HttpRequest) -> HttpResponse:
    """A partner's own requests, or (agency staff) every request."""
    requests = access.access_audit_requests(request_membership(request))
    state = request.GET.get("state", "")
    if state in {s.value for s in RequestState}:
        requests = requests.filter(state=state)
    context = {
        "rows": selectors.audit_rows(requests),
        "is_agency": _membership(request).is_agency,
        "states": list(RequestState),
        "state": state,
    }
    return render(request, "audits/list.html", context)


@login_required
def audit_send(request: HttpRequest, partner_id: int) -> HttpResponse:
    partner = access.access_partner_to_audit(request_membership(request), partner_id)
    form = AuditRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            audit_request = services.audit_request_send(
                actor=_user(request),
                membership=_membership(request),
                partner=partner,
                data=services.AuditRequestInput(
                    kind=data["kind"],
                    subject=data["subject"],
                    deadline=data["deadline"],
                    items=form.item_lines(),
                    site_access=data["site_access"],
                    site_date=data["site_date"],
                    site=data["site"],
                ),
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Request %(ref)s sent.") % {"ref": audit_request.reference})
            return redirect("audits:detail", request_id=audit_request.pk)
    context = {"form": form, "partner": partner, "facilities": list(partner.facilities.all())}
    return render(request, "audits/send.html", context, status=422 if form.errors else 200)


@login_required
def audit_detail(request: HttpRequest, request_id: int) -> HttpResponse:
    audit_request = access.access_audit_request_by_id(request_membership(request), request_id)
    return _detail_page(request, audit_request)


def _detail_page(
    request: HttpRequest, audit_request: AuditRequest, *, bound: tuple[int, str, Form] | None = None
) -> HttpResponse:
    membership = _membership(request)
    can_answer = membership.role in PARTNER_EDITORS
    can_review = membership.role in AGENCY_DECIDERS
    rows = []
    for item in selectors.request_items(audit_request):
        forms: dict[str, Form] = {}
        if can_answer and item.state != ItemState.ACCEPTED:
            forms["answer"] = AnswerForm(prefix=f"item-{item.pk}")
        if can_review and item.state == ItemState.ANSWERED:
            forms["ask_again"] = AskAgainForm(prefix=f"item-{item.pk}")
        if bound is not None and bound[0] == item.pk:
            forms[bound[1]] = bound[2]
        rows.append({"item": item, "answers": list(item.answers.all()), **forms})
    clock = selectors.audit_request_clock(audit_request)
    context: dict[str, Any] = {
        "audit_request": audit_request,
        "partner": audit_request.partner,
        "rows": rows,
        "clock": clock,
        "overdue": clock is not None and clock.is_overdue(timezone.localdate()),
        "events": selectors.audit_events(audit_request),
        "is_agency": membership.is_agency,
        "can_answer": can_answer,
        "can_review": can_review,
        "allowed_files": ALLOWED_DESCRIPTION,
    }
    return render(request, "audits/detail.html", context, status=422 if bound else 200)


def _item_step(
    request: HttpRequest,
    request_id: int,
    item_id: int,
    *,
    fetch: Callable[[Membership | None, int], AuditRequest],
    form_name: str,
    make_form: Callable[[HttpRequest, str], Form],
    write: Callable[[AuditRequest, AuditItem, dict[str, Any]], object],
    done: str,
) -> HttpResponseBase:
    audit_request = fetch(request_membership(request), request_id)
    item = access.access_item_by_id(audit_request, item_id)
    form = make_form(request, f"item-{item.pk}")
    if form.is_valid():
        try:
            write(audit_request, item, form.cleaned_data)
        except (ValidationError, EvidenceRejected, AuditStepError) as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, done)
            return redirect("audits:detail", request_id=audit_request.pk)
    return _detail_page(request, audit_request, bound=(item.pk, form_name, form))


@login_required
@require_POST
def item_answer(request: HttpRequest, request_id: int, item_id: int) -> HttpResponseBase:
    def write(audit_request: AuditRequest, item: AuditItem, data: dict[str, Any]) -> object:
        return services.audit_item_answer(
            actor=_user(request),
            membership=_membership(request),
            audit_request=audit_request,
            item=item,
            text=data["text"],
            uploads=data["documents"],
        )

    return _item_step(
        request,
        request_id,
        item_id,
        fetch=access.access_request_to_answer,
        form_name="answer",
        make_form=lambda r, prefix: AnswerForm(r.POST, r.FILES, prefix=prefix),
        write=write,
        done=_("Answer sent."),
    )


@login_required
@require_POST
def item_accept(request: HttpRequest, request_id: int, item_id: int) -> HttpResponseBase:
    def write(audit_request: AuditRequest, item: AuditItem, data: dict[str, Any]) -> object:
        return services.audit_item_accept(
            actor=_user(request), membership=_membership(request), audit_request=audit_request, item=item
        )

    return _item_step(
        request,
        request_id,
        item_id,
        fetch=access.access_request_to_review,
        form_name="accept",
        make_form=lambda r, prefix: Form(r.POST),
        write=write,
        done=_("Answer accepted."),
    )


@login_required
@require_POST
def item_ask_again(request: HttpRequest, request_id: int, item_id: int) -> HttpResponseBase:
    def write(audit_request: AuditRequest, item: AuditItem, data: dict[str, Any]) -> object:
        return services.audit_item_ask_again(
            actor=_user(request),
            membership=_membership(request),
            audit_request=audit_request,
            item=item,
            note=data["note"],
            deadline=data["deadline"],
        )

    return _item_step(
        request,
        request_id,
        item_id,
        fetch=access.access_request_to_review,
        form_name="ask_again",
        make_form=lambda r, prefix: AskAgainForm(r.POST, prefix=prefix),
        write=write,
        done=_("Sent back to the partner."),
    )


@login_required
def document_download(request: HttpRequest, request_id: int, document_id: int) -> FileResponse:
    audit_request = access.access_audit_request_by_id(request_membership(request), request_id)
    document = access.access_document_by_id(audit_request, document_id)
    response = FileResponse(
        document.file.open("rb"),
        as_attachment=True,
        filename=document.original_name,
        content_type=document.content_type,
    )
    response["Cache-Control"] = "private, no-store"
    return response
