"""The demo hook: validations in every stage for the demo's members, taken through the
services (so every partner's event chain stays whole), and nothing added the second time."""

from __future__ import annotations

import random

import pytest

from ctpat.applications.models import Partner, PartnerEvent
from ctpat.core.lifecycle import PartnerStatus
from ctpat.core.validation_rules import Stage
from ctpat.demo.services import demo_build
from ctpat.validation.demo import demo_validation
from ctpat.validation.models import Validation, ValidationReport

MEMBERS = (PartnerStatus.CERTIFIED, PartnerStatus.VALIDATED, PartnerStatus.CORRECTIVE_ACTION)


@pytest.mark.slow
def test_demo_validations_cover_every_stage(catalogue: None) -> None:
    # 25 companies: four certified, three validated and two in corrective action.
    demo_build(seed=2024, partners=25, areas=[])
    tiers_before = {p.pk: p.status for p in Partner.objects.filter(status=PartnerStatus.VALIDATED)}

    added = demo_validation(rng=random.Random(7))

    assert added == Partner.objects.filter(status__in=MEMBERS).count() == 9
    assert set(Validation.objects.values_list("stage", flat=True)) == {s.value for s in Stage}
    reports = [bytes(pdf) for pdf in ValidationReport.objects.values_list("pdf", flat=True)]
    assert reports and all(pdf.startswith(b"%PDF") for pdf in reports)
    # Certified partners are not decided here, so their validation clocks keep running.
    assert not Validation.objects.filter(
        stage=Stage.DECIDED, partner__status=PartnerStatus.CERTIFIED
    ).exists()
    for pk, status in tiers_before.items():
        assert Partner.objects.get(pk=pk).status == status
    for partner in Partner.objects.all():
        status = PartnerStatus.PRE_APPLICANT.value
        for event in PartnerEvent.objects.filter(partner=partner).order_by("at", "id"):
            assert event.from_status == status, f"{partner}: {event.transition} does not follow {status}"
            status = event.to_status
        assert partner.status == status

    assert demo_validation(rng=random.Random(7)) == 0
