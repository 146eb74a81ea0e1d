"""The demo hook: a tiny model, months of synthetic declarations with member importers, outcomes
for those examined, and every figure marked as synthetic."""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import date

from django.test import Client

from ctpat.accounts.models import User
from ctpat.declarations.demo import DEMO_MODEL_NAME, DEMO_NOTE, demo_declarations
from ctpat.declarations.models import Declaration, DeclarationBatch, TargetingModelVersion
from tests.conftest import Personas


def test_demo_declarations(members: Personas, client_for: Callable[[User | None], Client]) -> None:
    made = demo_declarations(rng=random.Random(4), months=3, per_month=200, today=date(2024, 3, 15))
    assert made is not None
    assert made.model.name == DEMO_MODEL_NAME and made.model.is_active
    assert made.model.training_files == {"train": "kcs_train.csv", "valid": "kcs_valid.csv"}
    assert made.members == {"Acme Imports LLC": "2", "Beta Freight SA de CV": "non-member"}
    batches = list(DeclarationBatch.objects.order_by("id"))
    assert [b.source_name for b in batches] == [f"demo-declarations-2024-0{m}.csv" for m in (1, 2, 3)]
    assert all(
        b.is_synthetic and b.note == DEMO_NOTE and "Member links are synthetic" in b.note for b in batches
    )
    assert made.declarations == Declaration.objects.count() == 600
    assert Declaration.objects.filter(declared_on__gt=date(2024, 3, 15)).count() == 0
    acme = Declaration.objects.filter(partner=members.acme)
    assert acme.exists() and set(acme.values_list("tier", flat=True)) == {"2"}
    assert Declaration.objects.filter(partner__isnull=True).exists()
    examined = Declaration.objects.filter(selected=True)
    assert made.outcomes == examined.count() == 30  # 5% of each month's 200
    assert not examined.filter(fraud__isnull=True).exists()
    assert not Declaration.objects.filter(selected=False, fraud__isnull=False).exists()
    assert examined.filter(selection="random").count() == 3
    assert demo_declarations(rng=random.Random(4)) is None  # once only
    page = client_for(members.pat).get("/targeting/").content.decode()
    assert 'data-testid="synthetic-notice"' in page
    mine = client_for(members.alice).get("/targeting/mine/").content.decode()
    assert "Synthetic demo data" in mine


def test_demo_uses_a_registered_model(members: Personas, active_model: TargetingModelVersion) -> None:
    made = demo_declarations(rng=random.Random(1), months=1, per_month=50, today=date(2024, 1, 31))
    assert made is not None and made.model == active_model
    assert TargetingModelVersion.objects.count() == 1
