"""Pages: the analysts' figures, the models, the file uploads, one declaration, and a partner's
own examinations. Every page goes through ``access``; uploads call the same services as the
management commands."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files.uploadedfile import UploadedFile
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ctpat.accounts.access import request_membership
from ctpat.accounts.models import User
from ctpat.declarations import access, selectors, services
from ctpat.declarations.charts import analysis_charts
from ctpat.declarations.forms import DeclarationFileForm, OutcomeFileForm
from ctpat.declarations.models import DeclarationBatch, OutcomeImport
from ctpat.declarations.policy import selection_policy

PARQUET_SUFFIXES = (".parquet", ".pq")


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)  # login_required ran first
    return request.user


def _can_operate(request: HttpRequest) -> bool:
    membership = request_membership(request)
    return membership is not None and membership.role in access.TARGETING_OPERATORS


@login_required
def analysis(request: HttpRequest) -> HttpResponse:
    access.access_targeting_figures(request_membership(request))
    summary = selectors.targeting_summary()
    context = {"summary": summary, "charts": analysis_charts(summary), "can_operate": _can_operate(request)}
    return render(request, "declarations/analysis.html", context)


@login_required
def models(request: HttpRequest) -> HttpResponse:
    access.access_targeting_figures(request_membership(request))
    context = {"versions": list(selectors.model_versions()), "can_operate": _can_operate(request)}
    return render(request, "declarations/models.html", context)


@login_required
@require_POST
def model_activate(request: HttpRequest, version_id: int) -> HttpResponse:
    version = access.access_model_version_by_id(request_membership(request), version_id)
    services.targeting_model_activate(actor=_user(request), version=version)
    messages.success(request, _("%(name)s now scores new declaration files.") % {"name": version.name})
    return redirect("declarations:models")


@login_required
def upload(request: HttpRequest) -> HttpResponse:
    access.access_targeting_operations(request_membership(request))
    return _upload_page(request)


def _upload_page(request: HttpRequest, *, status: int = 200, **forms: Any) -> HttpResponse:
    context = {
        "declaration_form": forms.get("declaration_form") or DeclarationFileForm(),
        "outcome_form": forms.get("outcome_form") or OutcomeFileForm(),
        "refused": forms.get("refused"),
        "active_model": selectors.active_model_version(),
        "batches": DeclarationBatch.objects.select_related("model_version", "scored_by")[:20],
        "outcome_imports": OutcomeImport.objects.select_related("recorded_by")[:10],
    }
    return render(request, "declarations/upload.html", context, status=status)


def _saved(upload: UploadedFile[bytes]) -> Path:
    """The upload as a temporary file: the engine reads paths, and tells Parquet by the suffix."""
    suffix = ".parquet" if Path(upload.name or "").suffix.lower() in PARQUET_SUFFIXES else ".csv"
    with tempfile.NamedTemporaryFile(suffix=suffix, delete=False) as stream:
        for chunk in upload.chunks():
            stream.write(chunk)
    return Path(stream.name)


@login_required
@require_POST
def upload_declarations(request: HttpRequest) -> HttpResponse:
    access.access_targeting_operations(request_membership(request))
    form = DeclarationFileForm(request.POST, request.FILES)
    if not form.is_valid():
        return _upload_page(request, status=422, declaration_form=form)
    path = _saved(form.cleaned_data["file"])
    try:
        policy = selection_policy(
            budget=form.cleaned_data["budget"], random_share=form.cleaned_data["random_share"]
        )
        batch = services.declarations_score_file(
            actor=_user(request), path=path, policy=policy, source_name=form.cleaned_data["file"].name
        )
    except services.TargetingRefused as refused:
        return _upload_page(request, status=422, declaration_form=form, refused=refused)
    finally:
        path.unlink(missing_ok=True)
    messages.success(
        request,
        _("%(count)d declarations scored; %(selected)d selected for examination.")
        % {"count": batch.declarations_count, "selected": batch.selected_count},
    )
    return redirect("declarations:upload")


@login_required
@require_POST
def upload_outcomes(request: HttpRequest) -> HttpResponse:
    access.access_targeting_operations(request_membership(request))
    form = OutcomeFileForm(request.POST, request.FILES)
    if not form.is_valid():
        return _upload_page(request, status=422, outcome_form=form)
    upload = form.cleaned_data["file"]
    try:
        recorded = services.declaration_outcomes_record(
            actor=_user(request), content=upload.read(), source_name=upload.name or "outcomes.csv"
        )
    except services.TargetingRefused as refused:
        return _upload_page(request, status=422, outcome_form=form, refused=refused)
    messages.success(request, _("%(count)d examination outcomes recorded.") % {"count": recorded.rows})
    return redirect("declarations:upload")


@login_required
def declaration_detail(request: HttpRequest, declaration_id: str) -> HttpResponse:
    membership = request_membership(request)
    declaration = access.access_declaration_by_id(membership, declaration_id)
    is_agency = membership is not None and membership.is_agency
    return render(request, "declarations/detail.html", {"declaration": declaration, "is_agency": is_agency})


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    partner = access.access_own_declarations(request_membership(request))
    context = {"examinations": selectors.partner_examinations(partner)}
    return render(request, "declarations/mine.html", context)
