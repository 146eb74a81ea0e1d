"""The security profile: answers, evidence upload/download/delete, and completeness."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.test import override_settings

from ctpat.applications.models import Evidence, ProfileAnswer
from tests.api.conftest import JSON, NARRATIVE, PDF_BYTES, AcmeRecords, pdf_upload
from tests.api.roles import ACME_READ, ACME_WRITE, PERSONAS, statuses_by_call
from tests.api.spec_client import SpecCheckedClient
from tests.conftest import Personas

ApiAs = Callable[[str], SpecCheckedClient]
IMPLEMENTED = {"status": "implemented", "narrative": NARRATIVE}


def stored_files() -> list[Path]:
    return [p for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file()]


@pytest.mark.parametrize("persona", PERSONAS)
def test_security_profile_endpoints_by_role(
    persona: str, api_as: ApiAs, personas: Personas, acme_records: AcmeRecords
) -> None:
    client = api_as(persona)
    acme = f"/api/partners/{personas.acme.pk}"
    answer = f"{acme}/answers/{acme_records.criterion_code}"
    evidence = f"{acme}/evidence/{acme_records.evidence.pk}"
    actual, expected = statuses_by_call(
        persona,
        [
            ("GET security-profile", ACME_READ, 200, lambda: client.get(f"{acme}/security-profile")),
            ("PUT answer", ACME_WRITE, 200, lambda: client.put(answer, IMPLEMENTED, content_type=JSON)),
            (
                "POST evidence",
                ACME_WRITE,
                201,
                lambda: client.post(f"{answer}/evidence", {"file": pdf_upload()}),
            ),
            ("GET evidence", ACME_READ, 200, lambda: client.get(evidence)),
            ("DELETE evidence", ACME_WRITE, 204, lambda: client.delete(evidence)),
            ("GET completeness", ACME_READ, 200, lambda: client.get(f"{acme}/completeness")),
        ],
    )
    assert actual == expected


def test_profile_lists_answers_with_their_evidence(
    api_as: ApiAs, personas: Personas, acme_records: AcmeRecords
) -> None:
    body = api_as("sam").get(f"/api/partners/{personas.acme.pk}/security-profile").json()
    first = body["answers"][0]
    assert body["catalogue_version"]
    assert first["criterion"]["id"] == acme_records.criterion_code
    assert first["evidence"][0]["original_name"] == "security-policy.pdf"
    assert first["evidence"][0]["content_type"] == "application/pdf"
    assert {"status", "narrative", "not_applicable_reason"} <= set(first)


def test_answer_is_saved(api_as: ApiAs, personas: Personas) -> None:
    url = f"/api/partners/{personas.acme.pk}/answers/3.4"
    response = api_as("bob").put(
        url, {"status": "not_applicable", "not_applicable_reason": " We hold no seals. "}, content_type=JSON
    )
    assert response.status_code == 200
    assert response.json()["not_applicable_reason"] == "We hold no seals."
    saved = ProfileAnswer.objects.get(profile__partner=personas.acme, criterion__code="3.4")
    assert (saved.status, saved.updated_by) == ("not_applicable", personas.bob)


def test_unknown_criterion_and_bad_status_are_refused(api_as: ApiAs, personas: Personas) -> None:
    client = api_as("alice")
    unknown = client.put(f"/api/partners/{personas.acme.pk}/answers/99.9", IMPLEMENTED, content_type=JSON)
    bad_status = client.put(
        f"/api/partners/{personas.acme.pk}/answers/3.4", {"status": "maybe"}, content_type=JSON
    )
    assert unknown.status_code == 404
    assert "No criterion 99.9" in unknown.json()["detail"]
    assert bad_status.status_code == 422
    assert bad_status.json()["errors"]["status"] == ["Choose one of the offered answers."]
    assert not ProfileAnswer.objects.filter(profile__partner=personas.acme).exclude(status="").exists()


def test_criterion_of_another_entity_type_is_not_found(api_as: ApiAs, personas: Personas) -> None:
    """Acme is an importer: a criterion that only applies to carriers has no answer row."""
    carrier_only = (
        ProfileAnswer.objects.filter(profile__partner=personas.beta)
        .exclude(
            criterion__code__in=ProfileAnswer.objects.filter(profile__partner=personas.acme).values(
                "criterion__code"
            )
        )
        .values_list("criterion__code", flat=True)
        .first()
    )
    assert carrier_only is not None
    response = api_as("alice").put(
        f"/api/partners/{personas.acme.pk}/answers/{carrier_only}", IMPLEMENTED, content_type=JSON
    )
    assert response.status_code == 404


def test_evidence_upload_and_download(api_as: ApiAs, personas: Personas) -> None:
    client = api_as("bob")
    url = f"/api/partners/{personas.acme.pk}/answers/3.4/evidence"
    created = client.post(url, {"file": pdf_upload("seal log.pdf")})
    assert created.status_code == 201
    evidence_id = created.json()["id"]
    download = api_as("sam").get(f"/api/partners/{personas.acme.pk}/evidence/{evidence_id}")
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF_BYTES  # type: ignore[attr-defined]
    assert download["Content-Type"] == "application/pdf"
    assert 'filename="seal log.pdf"' in download["Content-Disposition"]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        (
            "tool.exe",
            b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + bytes(200),
            "is not an allowed type",
        ),
        ("photo.pdf", b"\x89PNG\r\n\x1a\n" + bytes(100), "is named .pdf but its content is image/png"),
        ("empty.pdf", b"", "is empty"),
    ],
)
def test_refused_upload_stores_nothing(
    api_as: ApiAs, personas: Personas, name: str, content: bytes, message: str
) -> None:
    response = api_as("alice").post(
        f"/api/partners/{personas.acme.pk}/answers/3.4/evidence", {"file": pdf_upload(name, content)}
    )
    assert response.status_code == 422
    assert message in response.json()["errors"]["file"][0]
    assert Evidence.objects.count() == 0
    assert stored_files() == []


def test_oversized_upload_is_refused(api_as: ApiAs, personas: Personas) -> None:
    with override_settings(EVIDENCE_MAX_BYTES=16):
        response = api_as("alice").post(
            f"/api/partners/{personas.acme.pk}/answers/3.4/evidence", {"file": pdf_upload()}
        )
    assert response.status_code == 422
    assert "the limit is" in response.json()["detail"]
    assert Evidence.objects.count() == 0
    assert stored_files() == []


def test_upload_without_a_file_is_refused(api_as: ApiAs, personas: Personas) -> None:
    response = api_as("alice").post(f"/api/partners/{personas.acme.pk}/answers/3.4/evidence", {})
    assert response.status_code == 422
    assert "file" in response.json()["errors"]


def test_evidence_of_another_company_is_not_found(
    api_as: ApiAs, personas: Personas, acme_records: AcmeRecords
) -> None:
    evidence_id = acme_records.evidence.pk
    beta = f"/api/partners/{personas.beta.pk}/evidence/{evidence_id}"
    acme = f"/api/partners/{personas.acme.pk}/evidence/{evidence_id}"
    assert api_as("erin").get(beta).status_code == 404  # Acme's file under Beta's own ID
    assert api_as("erin").delete(beta).status_code == 404
    assert api_as("erin").get(acme).status_code == 404
    assert api_as("alice").get(f"/api/partners/{personas.acme.pk}/evidence/999999").status_code == 404
    assert Evidence.objects.filter(pk=evidence_id).exists()


def test_deleted_evidence_file_is_removed(
    api_as: ApiAs, personas: Personas, acme_records: AcmeRecords, django_capture_on_commit_callbacks: Any
) -> None:
    assert len(stored_files()) == 1
    with django_capture_on_commit_callbacks(execute=True):
        response = api_as("alice").delete(
            f"/api/partners/{personas.acme.pk}/evidence/{acme_records.evidence.pk}"
        )
    assert response.status_code == 204
    assert not Evidence.objects.filter(pk=acme_records.evidence.pk).exists()
    assert stored_files() == []


def test_completeness_lists_the_gaps(api_as: ApiAs, personas: Personas) -> None:
    body = api_as("dave").get(f"/api/partners/{personas.acme.pk}/completeness").json()
    sections = {gap["section"] for gap in body["gaps"]}
    assert body["complete"] is False
    assert {"eligibility", "company", "identifiers", "business", "security_profile"} <= sections
    assert all(p["answered"] == 0 for p in body["progress"])


def test_complete_application_has_no_gaps(api_as: ApiAs, acme_complete: object, personas: Personas) -> None:
    body = api_as("alice").get(f"/api/partners/{personas.acme.pk}/completeness").json()
    assert body["gaps"] == []
    assert body["complete"] is True
    assert all(p["percent"] == 100 for p in body["progress"])
