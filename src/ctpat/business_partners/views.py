"""Pages: the partner's business-partner register, its review queue and each business partner's
history; the Administrators' restricted-lists page; the agency's screening of an applicant.

Every page fetches through ``access``: another company's business partner or hit is "not
found", a read-only role may look but not change anything (403)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ctpat.accounts.access import request_membership
from ctpat.accounts.models import User
from ctpat.accounts.roles import AGENCY_DECIDERS, PARTNER_EDITORS
from ctpat.business_partners import access, selectors, services
from ctpat.business_partners.forms import (
    BusinessPartnerForm,
    DispositionForm,
    ListLoadForm,
    RegisterImportForm,
)
from ctpat.business_partners.register_import import RegisterImportRefused
from ctpat.business_partners.restricted_lists import active_index, list_read_from_uploads
from ctpat.screening import ListFileError


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)  # login_required ran first
    return request.user


def _can_edit(request: HttpRequest) -> bool:
    membership = request_membership(request)
    return membership is not None and membership.role in PARTNER_EDITORS


@login_required
def register(request: HttpRequest) -> HttpResponse:
    company = access.access_register(request_membership(request))
    return _register_page(request, company_name=company.name, import_form=RegisterImportForm())


def _register_page(request: HttpRequest, *, company_name: str, import_form: RegisterImportForm,
                   import_errors: list[str] | None = None, status: int = 200) -> HttpResponse:  # fmt: skip
    company = access.access_register(request_membership(request))
    context = {
        "company_name": company_name,
        "business_partners": selectors.business_partners_of(company),
        "open_hit_count": selectors.hits_of(company).count(),
        "import_form": import_form,
        "import_errors": import_errors or [],
        "can_edit": _can_edit(request),
    }
    return render(request, "business_partners/register.html", context, status=status)


@login_required
def add(request: HttpRequest) -> HttpResponse:
    company = access.access_register(request_membership(request), write=True)
    form = BusinessPartnerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        business_partner = services.business_partner_create(
            actor=_user(request), company=company, fields=request.POST
        )
        messages.success(request, _("%(name)s added and screened.") % {"name": business_partner.name})
        return redirect("business_partners:detail", business_partner_id=business_partner.pk)
    status = 422 if request.method == "POST" else 200
    return render(request, "business_partners/add.html", {"form": form}, status=status)


@login_required
@require_POST
def import_register(request: HttpRequest) -> HttpResponse:
    company = access.access_register(request_membership(request), write=True)
    form = RegisterImportForm(request.POST, request.FILES)
    if not form.is_valid():
        return _register_page(request, company_name=company.name, import_form=form, status=422)
    try:
        created = services.business_partners_import(
            actor=_user(request), company=company, content=form.cleaned_data["file"].read()
        )
    except RegisterImportRefused as refused:
        return _register_page(
            request, company_name=company.name, import_form=form, import_errors=refused.errors, status=422
        )
    messages.success(
        request, _("%(count)d business partners imported and screened.") % {"count": len(created)}
    )
    return redirect("business_partners:register")


@login_required
def detail(request: HttpRequest, business_partner_id: int) -> HttpResponse:
    business_partner = access.access_business_partner_by_id(request_membership(request), business_partner_id)
    runs, hits = selectors.business_partner_history(business_partner)
    context = {"business_partner": business_partner, "runs": runs, "hits": hits, "can_edit": _can_edit(request),
               "form": DispositionForm()}  # fmt: skip
    return render(request, "business_partners/detail.html", context)


@login_required
def queue(request: HttpRequest) -> HttpResponse:
    company = access.access_register(request_membership(request))
    return _queue_page(request, company_hits=selectors.hits_of(company))


def _queue_page(request: HttpRequest, *, company_hits: Any, failed_hit: int | None = None,
                failed_form: DispositionForm | None = None, status: int = 200) -> HttpResponse:  # fmt: skip
    context = {
        "hits": company_hits,
        "can_edit": _can_edit(request),
        "form": DispositionForm(),
        "failed_hit": failed_hit,
        "failed_form": failed_form,
    }
    return render(request, "business_partners/queue.html", context, status=status)


@login_required
@require_POST
def dispose(request: HttpRequest, hit_id: int) -> HttpResponse:
    membership = request_membership(request)
    hit = access.access_hit_by_id(membership, hit_id, write=True)
    form = DispositionForm(request.POST)
    if not form.is_valid():
        company_hits = selectors.hits_of(access.access_register(membership))
        return _queue_page(
            request, company_hits=company_hits, failed_hit=hit.pk, failed_form=form, status=422
        )
    services.screening_hit_dispose(actor=_user(request), hit=hit, **form.cleaned_data)
    messages.success(request, _("Hit on %(name)s recorded as %(status)s.") % {"name": hit.business_partner.name,
                                                                           "status": hit.get_status_display().lower()})  # fmt: skip
    if request.POST.get("back_to") == "detail":
        return redirect("business_partners:detail", business_partner_id=hit.business_partner_id)
    return redirect("business_partners:queue")


@login_required
def lists(request: HttpRequest) -> HttpResponse:
    access.access_list_administration(request_membership(request))
    form = ListLoadForm(request.POST or None, request.FILES or None)
    load_error = ""
    if request.method == "POST" and form.is_valid():
        try:
            version = _load_uploaded(request, form)
        except ListFileError as error:
            load_error = str(error)
        else:
            messages.success(request, _("%(code)s of %(date)s loaded; every business partner was screened again.")
                             % {"code": version.code, "date": version.list_date})  # fmt: skip
            return redirect("business_partners:lists")
    context = {"form": form, "load_error": load_error, "versions": selectors.list_versions()}
    status = 422 if request.method == "POST" else 200
    return render(request, "business_partners/lists.html", context, status=status)


def _load_uploaded(request: HttpRequest, form: ListLoadForm) -> Any:
    data = form.cleaned_data
    uploads = data["list_files"]
    list_date = data["list_date"].isoformat() if data["list_date"] else None
    party_list = list_read_from_uploads(data["list_format"], uploads, code=data["code"], list_date=list_date)
    names = [upload.name for upload in uploads]
    return services.restricted_list_load(actor=_user(request), party_list=party_list, source_names=names)


@login_required
def applicant_screening(request: HttpRequest, partner_id: int) -> HttpResponse:
    membership = request_membership(request)
    partner = access.access_applicant_by_id(membership, partner_id, run=request.method == "POST")
    if request.method == "POST":
        run = services.applicant_screen(actor=_user(request), partner=partner)
        messages.success(
            request,
            _("Screened %(count)d names: %(hits)d hits.")
            % {"count": len(run.results), "hits": run.hit_count},
        )
        return redirect("business_partners:applicant_screening", partner_id=partner.pk)
    context = {
        "partner": partner,
        "screenings": selectors.applicant_screenings(partner),
        "can_run": membership is not None and membership.role in AGENCY_DECIDERS,
        "lists_loaded": bool(active_index().versions),
    }
    return render(request, "business_partners/applicant_screening.html", context)
