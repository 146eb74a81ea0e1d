"""Fixtures for targeting in the portal: one more persona (Tina, a targeting analyst), a tiny model
trained once per session, declaration files written from the KCS fixtures, Acme as a Tier 2
member with an importer-of-record number, and a hand-made set of stored declarations whose
figures are worked out by hand in ``test_analysis.py``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import polars as pl
import pytest

from ctpat.accounts.models import Membership, Organization, User
from ctpat.accounts.roles import OrganizationKind, Role
from ctpat.applications.models import Identifier, Partner, PartnerEvent
from ctpat.declarations.models import Declaration, DeclarationBatch, TargetingModelVersion
from ctpat.declarations.policy import policy_record, selection_policy
from ctpat.declarations.services import targeting_model_register
from ctpat.targeting import TrainingSettings, declarations_read, model_save, model_train
from tests.conftest import PASSWORD, Personas

FIXTURES = Path(__file__).resolve().parents[1] / "targeting" / "fixtures"
KCS_TRAIN = FIXTURES / "kcs_train.csv"
KCS_VALID = FIXTURES / "kcs_valid.csv"
TINY = TrainingSettings(trees=8, leaves=7, min_rows_per_leaf=5, folds=3, threads=1)
ACME_IOR = "12-3456789AB"
BETA_IOR = "981234-56789"
# In the files, Acme's number is written differently from its account: the match is normalised.
ACME_IN_FILES = "123456789ab"
ACME_ROWS = range(10)  # rows of the scoring file filed by Acme
BETA_ROWS = range(10, 15)  # rows filed by Beta (an applicant: linked, but no tier)

EVERYONE = [
    "alice",
    "bob",
    "carol",
    "dave",
    "erin",
    "sam",
    "sue",
    "pat",
    "rita",
    "adam",
    "tina",
    "liam",
    "nora",
    None,
]
AGENCY = {"sam", "sue", "pat", "rita", "adam", "tina"}
OPERATORS = {"tina", "pat"}
ACME_PEOPLE = {"alice", "bob", "carol", "dave"}


@pytest.fixture(autouse=True)
def _isolated_storage(settings: Any, tmp_path: Path) -> None:
    settings.VAR_DIR = tmp_path / "var"
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.DEMO_RELAX_2FA = True


@pytest.fixture
def tina(personas: Personas) -> User:
    """Targeting analyst at the agency: reads the figures, uploads files, scores declarations."""
    user = User.objects.create_user(email="tina@example.com", password=PASSWORD, full_name="Tina")
    agency = Organization.objects.get(kind=OrganizationKind.AGENCY)
    Membership.objects.create(user=user, organization=agency, role=Role.TARGETING_ANALYST)
    return user


@pytest.fixture
def user_named(personas: Personas, tina: User) -> Callable[[str | None], User | None]:
    def find(name: str | None) -> User | None:
        if name is None:
            return None
        return tina if name == "tina" else getattr(personas, name)

    return find


def partner_event(partner: Partner, transition: str, day: int, **details: Any) -> None:
    PartnerEvent.objects.create(
        partner=partner,
        transition=transition,
        from_status="x",
        to_status="y",
        actor_role="specialist",
        details=details,
        at=datetime(2024, 1, day, tzinfo=UTC),
    )


@pytest.fixture
def members(personas: Personas) -> Personas:
    """Acme: certified, then validated at Tier 2, importer of record 12-3456789AB. Beta: an
    applicant with an importer-of-record number (linked, but no tier, so no reduction)."""
    Identifier.objects.create(partner=personas.acme, kind="importer_of_record", value=ACME_IOR)
    Identifier.objects.create(partner=personas.beta, kind="importer_of_record", value=BETA_IOR)
    partner_event(personas.acme, "certify", 2)
    partner_event(personas.acme, "validate", 3, tier=2)
    return personas


@pytest.fixture(scope="session")
def model_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    train = declarations_read(KCS_TRAIN).frame
    valid = declarations_read(KCS_VALID).frame
    model = model_train(
        train=train, valid=valid, settings=TINY, data_hashes={"train": "sha256:t", "valid": "sha256:v"}
    )
    return model_save(model, tmp_path_factory.mktemp("model") / "tiny")


@pytest.fixture
def active_model(db: None, model_dir: Path) -> TargetingModelVersion:
    return targeting_model_register(actor=None, source=model_dir, name="Tiny model")


def declaration_file(
    target: Path, *, rows: slice | None = None, edit: Callable[[pl.DataFrame], pl.DataFrame] | None = None
) -> Path:
    """The validation excerpt as a canonical CSV to score (no outcomes), with Acme filing rows
    0-9 and Beta rows 10-14."""
    frame = declarations_read(KCS_VALID).frame.drop("line", "inspected", "fraud", "critical")
    importers = [
        ACME_IN_FILES if i in ACME_ROWS else BETA_IOR if i in BETA_ROWS else value
        for i, value in enumerate(frame["importer_id"].to_list())
    ]
    frame = frame.with_columns(pl.Series("importer_id", importers))
    if rows is not None:
        frame = frame[rows]
    if edit is not None:
        frame = edit(frame)
    frame.write_csv(target)
    return target


@pytest.fixture
def scoring_file(tmp_path: Path) -> Path:
    return declaration_file(tmp_path / "declarations.csv")


# --- A hand-made set of stored declarations (figures worked out in test_analysis.py) ---------


@dataclass(frozen=True)
class Row:
    declaration_id: str
    day: date
    score: float
    selection: str = ""  # "risk", "random" or "" (not selected)
    fraud: bool | None = None
    tier: str = "non-member"


# January: budget 30% of 10 = 3, no random share. Acme's M1 (Tier 2, score 0.90) is pushed
# below the threshold (0.80) by its reduction: 0.90 - 0.3 x 0.80 = 0.66 < N3's 0.75.
JANUARY = [
    Row("M1", date(2024, 1, 3), 0.90, tier="2"),
    Row("N1", date(2024, 1, 4), 0.85, "risk", True),
    Row("N2", date(2024, 1, 5), 0.80, "risk", False),
    Row("N3", date(2024, 1, 6), 0.75, "risk", False),
    *(Row(f"N{4 + i}", date(2024, 1, 7 + i), 0.50 - 0.05 * i) for i in range(6)),
]
# February: budget 25% of 4 = 1, all of it drawn at random; P1 was examined and compliant.
FEBRUARY = [
    Row("P1", date(2024, 2, 1), 0.20, "random", False),
    Row("P2", date(2024, 2, 2), 0.15),
    Row("P3", date(2024, 2, 3), 0.10),
    Row("P4", date(2024, 2, 4), 0.05),
]


def _store(batch: DeclarationBatch, rows: list[Row], acme: Partner) -> None:
    for position, row in enumerate(rows):
        Declaration.objects.create(
            batch=batch,
            position=position,
            line=position + 2,
            declaration_id=row.declaration_id,
            declared_on=row.day,
            importer_id=ACME_IOR if row.tier != "non-member" else f"IMP-{row.declaration_id}",
            importer_key="",
            partner=acme if row.tier != "non-member" else None,
            hs_code="851712",
            origin_country="CN",
            customs_value=100.0,
            net_mass=10.0,
            tier=row.tier,
            score=row.score,
            adjusted_score=row.score,
            selected=bool(row.selection),
            selection=row.selection,
            inspected=None if row.fraud is None else True,
            fraud=row.fraud,
        )


@pytest.fixture
def hand_made(members: Personas) -> Personas:
    version = TargetingModelVersion.objects.create(
        name="Hand-made", directory="hand-made", trained_at=datetime(2024, 1, 1, tzinfo=UTC), is_active=False
    )
    for source_name, rows, budget, random_share in (
        ("january.csv", JANUARY, 0.3, 0.0),
        ("february.csv", FEBRUARY, 0.25, 1.0),
    ):
        policy = selection_policy(budget=budget, random_share=random_share, seed=7)
        batch = DeclarationBatch.objects.create(
            source_name=source_name,
            model_version=version,
            policy=policy_record(policy),
            declarations_count=len(rows),
        )
        _store(batch, rows, members.acme)
    return members
