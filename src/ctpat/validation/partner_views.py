"""The partner's side of its validations: the reports it has been sent, their findings, its
written response, and the decision once a supervisor approved it. A partner sees only its own
company's validations, and only once the report is sent; anything else is "not found"."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from ctpat.accounts.access import request_membership
from ctpat.accounts.models import User
from ctpat.accounts.roles import PARTNER_EDITORS
from ctpat.applications.evidence import ALLOWED_DESCRIPTION, EvidenceRejected
from ctpat.applications.selectors import partner_tier
from ctpat.core.validation_rules import RESPONSE_DAYS, Stage
from ctpat.validation import access, selectors, services
from ctpat.validation.forms import ResponseForm
from ctpat.validation.models import Validation


@login_required
def partner_list(request: HttpRequest) -> HttpResponse:
    validations = access.access_partner_validations(request_membership(request))
    return render(request, "validation/partner_list.html", {"validations": validations})


@login_required
def partner_detail(request: HttpRequest, validation_id: int) -> HttpResponse:
    membership = access.access_partner_member(request_membership(request))
    validation = access.access_validation_by_id(membership, validation_id)
    form = ResponseForm()
    return _page(request, validation, form, can_respond=membership.role in PARTNER_EDITORS)


def _page(
    request: HttpRequest, validation: Validation, form: ResponseForm, *, can_respond: bool, status: int = 200
) -> HttpResponse:
    approved = selectors.approved_proposal(validation)
    context = {
        "validation": validation,
        "partner": validation.partner,
        "report": validation.report,
        "findings": selectors.findings_of(validation),
        "tally": selectors.tally_of(validation),
        "response": getattr(validation, "response", None),
        "approved": approved,
        "tier": partner_tier(validation.partner),
        "form": form,
        "can_respond": can_respond and validation.stage == Stage.REPORT_SENT,
        "response_days": RESPONSE_DAYS,
        "allowed_files": ALLOWED_DESCRIPTION,
    }
    return render(request, "validation/partner_detail.html", context, status=status)


@login_required
def partner_respond(request: HttpRequest, validation_id: int) -> HttpResponse:
    membership = request_membership(request)
    validation = access.access_validation_to_respond(membership, validation_id)
    if request.method != "POST":
        return redirect("validation:partner_detail", validation_id=validation.pk)
    form = ResponseForm(request.POST, request.FILES)
    if form.is_valid():
        assert isinstance(request.user, User)
        try:
            services.response_submit(
                actor=request.user,
                membership=access.access_partner_member(membership),
                validation=validation,
                text=form.cleaned_data["text"],
                uploads=form.cleaned_data["evidence"],
            )
        except ValidationError as exc:
            for field, errors in (
                exc.message_dict.items() if hasattr(exc, "error_dict") else [("__all__", exc.messages)]
            ):
                form.add_error(field if field in form.fields else None, errors)
        except EvidenceRejected as exc:
            form.add_error("evidence", str(exc))
        else:
            messages.success(request, _("Your response was sent to the agency."))
            return redirect("validation:partner_detail", validation_id=validation.pk)
    return _page(request, validation, form, can_respond=True, status=422)
