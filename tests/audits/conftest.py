"""Fixtures for the audit request tests: the government-agency liaisons of the incident tests
(they, like everybody outside the partner and the agency, see no audit request), and a request
Sam sent Acme with two items and a site visit."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from ctpat.audits import services
from ctpat.audits.models import AuditRequest
from tests.conftest import Personas
from tests.incidents.conftest import _media, gov, membership_of, user_named  # noqa: F401 - fixtures


def request_input(**overrides: Any) -> services.AuditRequestInput:
    fields: dict[str, Any] = {
        "kind": "documents",
        "subject": "Seal controls, first quarter",
        "deadline": timezone.localdate() + timedelta(days=14),
        "items": ["Seal log for January to March", "Your seal procedure"],
    }
    return services.AuditRequestInput(**(fields | overrides))


def send(personas: Personas, **overrides: Any) -> AuditRequest:
    return services.audit_request_send(
        actor=personas.sam,
        membership=membership_of(personas.sam),
        partner=personas.acme,
        data=request_input(**overrides),
    )


@pytest.fixture
def sent(personas: Personas) -> AuditRequest:
    return send(
        personas,
        site_access=True,
        site_date=timezone.localdate() + timedelta(days=7),
        site="Newark warehouse, dock 2",
    )
