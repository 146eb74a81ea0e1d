"""The security profile pages: category list, answers saved as the user types (htmx), evidence
upload with its checks, download through access checks, and removal."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, TestCase
from django.urls import reverse

from ctpat.accounts.models import User
from ctpat.applications.models import Evidence, ProfileAnswer
from tests.conftest import Personas

ClientFor = Callable[[User | None], Client]
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000") + b"\x00" * 40
ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 120
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture(autouse=True)
def _fast(settings: Any, tmp_path: Path) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def answer(personas: Personas) -> ProfileAnswer:
    found = ProfileAnswer.objects.filter(profile__partner=personas.acme, criterion__code="3.4").get()
    return found


def _stored_files(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file()]


def test_category_list_and_category_page(
    personas: Personas, answer: ProfileAnswer, client_for: ClientFor
) -> None:
    client = client_for(personas.bob)
    page = client.get(reverse("applications:profile")).content.decode()
    assert "3. Business partners" in page
    assert reverse("applications:category", args=[3]) in page
    page = client.get(reverse("applications:category", args=[3])).content.decode()
    assert f'id="answer-{answer.pk}"' in page
    assert answer.criterion.statement[:40] in page
    assert 'hx-trigger="change, keyup changed delay:800ms"' in page
    assert "usa-tag" in page
    assert client.get(reverse("applications:category", args=[42])).status_code == 404


def test_autosave_with_htmx_returns_the_fragment(
    personas: Personas, answer: ProfileAnswer, client_for: ClientFor
) -> None:
    client = client_for(personas.carol)
    url = reverse("applications:answer_save", args=[answer.pk])
    response = client.post(
        url, {"status": "implemented", "narrative": "We check SAFE status quarter"}, **HTMX
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert f'id="answer-{answer.pk}-status"' in content
    assert "Saved" in content
    assert "<html" not in content
    answer.refresh_from_db()
    assert (answer.status, answer.narrative, answer.updated_by) == (
        "implemented",
        "We check SAFE status quarter",
        personas.carol,
    )
    # Not applicable without a reason is saved as a draft and says what is missing.
    content = client.post(url, {"status": "not_applicable"}, **HTMX).content.decode()
    assert "Say why this criterion does not apply." in content
    # A forged answer value: the error in the fragment, nothing written.
    content = client.post(url, {"status": "maybe", "narrative": "changed"}, **HTMX).content.decode()
    assert "Select a valid choice" in content
    answer.refresh_from_db()
    assert (answer.status, answer.narrative) == ("not_applicable", "")


def test_save_without_htmx_redirects_to_the_answer(
    personas: Personas, answer: ProfileAnswer, client_for: ClientFor
) -> None:
    response = client_for(personas.bob).post(
        reverse("applications:answer_save", args=[answer.pk]), {"status": "partly"}
    )
    assert response.status_code == 302
    assert response["Location"].endswith(f"/security-profile/3/#answer-{answer.pk}")


@pytest.mark.parametrize(
    ("name", "content"),
    [("policy.pdf", PDF), ("seal-log.png", PNG), ("partners.csv", b"name,status\nAcme,CTPAT\n")],
)
def test_allowed_evidence_is_stored_and_downloaded(
    personas: Personas,
    answer: ProfileAnswer,
    client_for: ClientFor,
    tmp_path: Path,
    name: str,
    content: bytes,
) -> None:
    client = client_for(personas.bob)
    upload = SimpleUploadedFile(name, content)
    response = client.post(reverse("applications:evidence_upload", args=[answer.pk]), {"file": upload})
    assert response.status_code == 302
    evidence = Evidence.objects.get(answer=answer)
    assert evidence.original_name == name
    assert len(_stored_files(tmp_path)) == 1
    assert name in client.get(reverse("applications:category", args=[3])).content.decode()
    for reader in (personas.bob, personas.dave, personas.alice):
        download = client_for(reader).get(reverse("applications:evidence_download", args=[evidence.pk]))
        assert download.status_code == 200
        assert download["Content-Disposition"] == f'attachment; filename="{name}"'
        assert b"".join(download.streaming_content) == content  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("tool.exe", ELF, "is not an allowed type"),
        ("scan.pdf", PNG, "is named .pdf but its content is image/png"),
        ("empty.pdf", b"", "is empty"),
        ("big.pdf", PDF + b"0" * 2000, "the limit is"),
    ],
)
def test_refused_evidence_shows_why_and_stores_nothing(
    personas: Personas,
    answer: ProfileAnswer,
    client_for: ClientFor,
    tmp_path: Path,
    settings: Any,
    name: str,
    content: bytes,
    message: str,
) -> None:
    settings.EVIDENCE_MAX_BYTES = 1024
    response = client_for(personas.bob).post(
        reverse("applications:evidence_upload", args=[answer.pk]), {"file": SimpleUploadedFile(name, content)}
    )
    assert response.status_code == 200
    page = response.content.decode()
    block = page[page.index(f'id="answer-{answer.pk}"') :]
    block = block[: block.index("</section>")]  # the message sits next to this answer
    assert 'data-testid="evidence-error"' in block
    assert message in block
    assert not Evidence.objects.exists()
    assert _stored_files(tmp_path) == []


def test_upload_without_a_file_is_a_form_error(
    personas: Personas, answer: ProfileAnswer, client_for: ClientFor
) -> None:
    response = client_for(personas.bob).post(reverse("applications:evidence_upload", args=[answer.pk]), {})
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert not Evidence.objects.exists()


def test_evidence_removal(
    personas: Personas, answer: ProfileAnswer, client_for: ClientFor, tmp_path: Path
) -> None:
    client = client_for(personas.bob)
    client.post(
        reverse("applications:evidence_upload", args=[answer.pk]), {"file": SimpleUploadedFile("a.pdf", PDF)}
    )
    evidence = Evidence.objects.get()
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(reverse("applications:evidence_remove", args=[evidence.pk]))
    assert response.status_code == 302
    assert not Evidence.objects.exists()
    assert _stored_files(tmp_path) == []
    assert client.get(reverse("applications:evidence_download", args=[evidence.pk])).status_code == 404
