"""The demo hook: bundled list loaded once, registers added, and a queue to show."""

from __future__ import annotations

import random

from ctpat.business_partners.demo import demo_business_partners
from ctpat.business_partners.models import BusinessPartner, RestrictedListVersion, ScreeningHit
from tests.conftest import Personas


def test_demo_fills_registers_and_the_queue_once(personas: Personas) -> None:
    actors = {personas.acme.pk: personas.alice, personas.beta.pk: personas.erin}
    for _ in range(2):
        demo_business_partners(
            partners=[personas.acme, personas.beta], actor_for=lambda p: actors[p.pk], rng=random.Random(5)
        )
    assert RestrictedListVersion.objects.count() == 1
    assert BusinessPartner.objects.filter(company=personas.beta.organization).exists()
    assert list(ScreeningHit.objects.values_list("business_partner__company", "entity_id")) == [
        (personas.acme.organization_id, "306")
    ]
