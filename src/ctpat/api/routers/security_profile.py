"""The security profile: answers to the Minimum Security Criteria, their evidence files, and
what the application still lacks."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest
from ninja import File, Router
from ninja.files import UploadedFile

from ctpat.api.routers.acting import acting_user, partner_for
from ctpat.api.schemas import (
    ERRORS,
    AnswerIn,
    AnswerOut,
    CompletenessOut,
    EvidenceOut,
    SecurityProfileOut,
)
from ctpat.applications.access import access_answer_by_id, access_evidence_by_id
from ctpat.applications.models import Evidence, Partner, ProfileAnswer
from ctpat.applications.selectors import (
    application_gaps_for,
    application_progress,
    profile_answers,
    profile_current,
)
from ctpat.applications.services import (
    AnswerInput,
    answer_save,
    evidence_add,
    evidence_remove,
    security_profile_ensure,
)

router = Router(tags=["security profile"])

FILE_DOWNLOAD = {
    "responses": {
        200: {
            "description": "The evidence file as uploaded",
            "content": {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}},
        }
    }
}


def _answer_for_edit(partner: Partner, criterion_code: str) -> ProfileAnswer:
    """The current profile's answer to one criterion (the profile is brought up to the current catalogue)."""
    profile = security_profile_ensure(partner=partner)
    answer_id = profile.answers.filter(criterion__code=criterion_code).values_list("pk", flat=True).first()
    if answer_id is None:
        raise Http404(f"No criterion {criterion_code} applies to this company's security profile.")
    return access_answer_by_id(partner, answer_id)


@router.get("/partners/{partner_id}/security-profile", response={200: SecurityProfileOut, **ERRORS})
def security_profile(request: HttpRequest, partner_id: int) -> dict[str, Any]:
    """Every applicable criterion with the company's answer and evidence, in criterion order."""
    profile = profile_current(partner_for(request, partner_id))
    return {
        "catalogue_version": profile.catalogue.version if profile else None,
        "answers": list(profile_answers(profile)),
    }


@router.put("/partners/{partner_id}/answers/{criterion_code}", response={200: AnswerOut, **ERRORS})
def answer_update(
    request: HttpRequest, partner_id: int, criterion_code: str, payload: AnswerIn
) -> ProfileAnswer:
    """Save one answer (drafts too: an empty status clears it)."""
    partner = partner_for(request, partner_id, write=True)
    with transaction.atomic():
        answer = _answer_for_edit(partner, criterion_code)
        data = AnswerInput(payload.status, payload.narrative, payload.not_applicable_reason)
        return answer_save(actor=acting_user(request), partner=partner, answer=answer, data=data)


@router.post(
    "/partners/{partner_id}/answers/{criterion_code}/evidence", response={201: EvidenceOut, **ERRORS}
)
def evidence_upload(
    request: HttpRequest, partner_id: int, criterion_code: str, file: File[UploadedFile]
) -> tuple[int, Evidence]:
    """Attach a file to an answer (multipart field ``file``). A refused file is not stored; the
    422 says why (type, size, a name that claims another type)."""
    partner = partner_for(request, partner_id, write=True)
    with transaction.atomic():
        answer = _answer_for_edit(partner, criterion_code)
        return 201, evidence_add(actor=acting_user(request), partner=partner, answer=answer, upload=file)


@router.get(
    "/partners/{partner_id}/evidence/{evidence_id}",
    response={200: None, **ERRORS},
    openapi_extra=FILE_DOWNLOAD,
)
def evidence_download(request: HttpRequest, partner_id: int, evidence_id: int) -> FileResponse:
    evidence = access_evidence_by_id(partner_for(request, partner_id), evidence_id)
    return FileResponse(
        evidence.file.open("rb"),
        as_attachment=True,
        filename=evidence.original_name,
        content_type=evidence.content_type,
    )


@router.delete("/partners/{partner_id}/evidence/{evidence_id}", response={204: None, **ERRORS})
def evidence_delete(request: HttpRequest, partner_id: int, evidence_id: int) -> tuple[int, None]:
    partner = partner_for(request, partner_id, write=True)
    evidence = access_evidence_by_id(partner, evidence_id)
    evidence_remove(actor=acting_user(request), partner=partner, evidence=evidence)
    return 204, None


@router.get("/partners/{partner_id}/completeness", response={200: CompletenessOut, **ERRORS})
def completeness(request: HttpRequest, partner_id: int) -> dict[str, Any]:
    """Every item the application lacks before it can be submitted, and progress per category."""
    partner = partner_for(request, partner_id)
    gaps = application_gaps_for(partner)
    return {"complete": not gaps, "gaps": gaps, "progress": application_progress(partner)}
