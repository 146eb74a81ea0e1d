"""Fixtures for the API tests: persona clients checked against the spec, and Acme's application
in the states the endpoints need (with records to delete, complete, submitted)."""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from pytest_django.fixtures import Settings

from ctpat.accounts.models import Membership
from ctpat.applications.models import (
    AnswerStatus,
    Contact,
    ContactType,
    Evidence,
    Facility,
    FacilityKind,
    OriginCountry,
    Partner,
    ProfileAnswer,
    TransportMode,
)
from ctpat.applications.services import (
    agreement_sign,
    application_submit,
    child_save,
    eligibility_record,
    evidence_add,
    identifier_set,
    partner_profile_update,
)
from ctpat.core.eligibility import questions_for
from ctpat.core.entity_types import EntityType
from ctpat.core.identifiers import IdentifierKind
from ctpat.criteria import services as criteria_services
from ctpat.criteria.catalogue import Catalogue, load_catalogue
from tests.api.spec_client import SpecCheckedClient
from tests.conftest import Personas

JSON = "application/json"
PDF_BYTES = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
NARRATIVE = "A written procedure, trained yearly and checked by the security officer."


@functools.cache
def _catalogue_parsed_once(path: Path | None = None) -> Catalogue:
    return load_catalogue(path)


@pytest.fixture(autouse=True)
def _fast_and_isolated(settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Every test builds the personas afresh: Argon2 takes 0.3 s per persona and parsing the
    # catalogue YAML 0.07 s, so both are made cheap here. Uploads go to a temporary folder.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path / "media"
    monkeypatch.setattr(criteria_services, "load_catalogue", _catalogue_parsed_once)


@pytest.fixture
def api_as(personas: Personas) -> Callable[[str], SpecCheckedClient]:
    """A spec-checked client for a persona name of ``tests.api.roles.PERSONAS``."""

    def make(name: str) -> SpecCheckedClient:
        if name == "anonymous":
            return SpecCheckedClient()
        if name == "carol_for_beta":
            client = SpecCheckedClient(headers={"X-Organization": str(personas.beta.organization_id)})
            client.force_login(personas.carol)
            return client
        client = SpecCheckedClient()
        client.force_login(getattr(personas, name))
        return client

    return make


def pdf_upload(name: str = "security-policy.pdf", content: bytes = PDF_BYTES) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def officer_membership(personas: Personas) -> Membership:
    return Membership.objects.get(user=personas.alice, organization=personas.acme.organization)


@dataclass
class AcmeRecords:
    """One row of each of Acme's lists, for the delete endpoints to remove."""

    contact: Contact
    origin: OriginCountry
    facility: Facility
    evidence: Evidence
    criterion_code: str


@pytest.fixture
def acme_records(personas: Personas) -> AcmeRecords:
    acme, alice = personas.acme, personas.alice
    identifier_set(actor=alice, partner=acme, kind=IdentifierKind.EIN, value="12-3456789")
    contact = child_save(
        actor=alice,
        partner=acme,
        instance=Contact(
            contact_type=ContactType.EMPLOYEE, full_name="Ann Shipping", email="ann@acme.example"
        ),
    )
    origin = child_save(
        actor=alice, partner=acme, instance=OriginCountry(country="CN", share_percent=Decimal(50))
    )
    facility = child_save(actor=alice, partner=acme, instance=_facility())
    answer = ProfileAnswer.objects.select_related("criterion").filter(profile__partner=acme).first()
    assert answer is not None
    evidence = evidence_add(actor=alice, partner=acme, answer=answer, upload=pdf_upload())
    return AcmeRecords(contact, origin, facility, evidence, answer.criterion.code)


def _facility() -> Facility:
    return Facility(
        name="Newark warehouse", kind=FacilityKind.WAREHOUSE, street="1 Dock St", city="Newark", country="US"
    )


def application_complete(personas: Personas, partner: Partner) -> Partner:
    """Everything an importer's application needs, except the signature."""
    officer = personas.alice
    answers = {q.key: True for q in questions_for(EntityType(partner.entity_type))}
    eligibility_record(actor=officer, partner=partner, answers=answers)
    address = {
        "street": "1 Main St",
        "city": "Newark",
        "country": "US",
        "transport_modes": [TransportMode.SEA],
    }
    partner_profile_update(actor=officer, partner=partner, fields=address)
    officer_contact = Contact(
        contact_type=ContactType.COMPANY_OFFICER, full_name="Alice", email="alice@example.com"
    )
    child_save(actor=officer, partner=partner, instance=officer_contact)
    identifier_set(
        actor=officer, partner=partner, kind=IdentifierKind.IMPORTER_OF_RECORD, value="12-3456789AB"
    )
    child_save(
        actor=officer, partner=partner, instance=OriginCountry(country="CN", share_percent=Decimal(60))
    )
    child_save(actor=officer, partner=partner, instance=_facility())
    ProfileAnswer.objects.filter(profile__partner=partner).update(
        status=AnswerStatus.IMPLEMENTED, narrative=NARRATIVE
    )
    return partner


@pytest.fixture
def acme_complete(personas: Personas) -> Partner:
    return application_complete(personas, personas.acme)


@pytest.fixture
def acme_submitted(personas: Personas, acme_complete: Partner) -> Partner:
    membership = officer_membership(personas)
    agreement_sign(actor=personas.alice, membership=membership, partner=acme_complete)
    application_submit(actor=personas.alice, membership=membership, partner=acme_complete)
    return acme_complete
