"""The demo hook: requests in every state (one overdue, one answered), and nothing on a second run."""

from __future__ import annotations

import random

from ctpat.audits.demo import demo_audits
from ctpat.audits.models import AuditRequest
from ctpat.audits.selectors import audit_rows
from ctpat.deadlines.registry import open_deadlines
from tests.conftest import Personas


def test_demo_audits(personas: Personas) -> None:
    assert demo_audits(rng=random.Random(3)) == AuditRequest.objects.count() == 5
    assert sorted(AuditRequest.objects.values_list("state", flat=True)) == [
        "answered",
        "closed",
        "open",
        "open",
        "open",
    ]
    rows = audit_rows(AuditRequest.objects.all())
    overdue = [r for r in rows if r.overdue]
    assert len(overdue) == 1 and overdue[0].request.subject == "Seal controls, first quarter"
    assert AuditRequest.objects.filter(site_access=True).count() == 1
    assert len([d for d in open_deadlines() if d.source == "audit_request"]) == 3
    assert demo_audits(rng=random.Random(3)) == 0
