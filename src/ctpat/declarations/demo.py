"""Demo data for targeting: a tiny model trained on the bundled synthetic rows, six months of
declarations scored and selected with the policy, and outcomes for those examined.

The declarations are rows of the Korea Customs Service synthetic dataset (see
``demo_data/README.md``) with new IDs and dates. Some rows get a demo partner's importer-of-record
number instead of their own importer ID, so that members of every tier appear: those member links
are synthetic, and every batch says so in its note. The lead's demo command calls
``demo_declarations``.
"""

from __future__ import annotations

import calendar
import random
import tempfile
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import polars as pl
from django.utils import timezone

from ctpat.applications.models import Identifier, Partner
from ctpat.core.identifiers import IdentifierKind
from ctpat.declarations.models import DeclarationBatch, TargetingModelVersion
from ctpat.declarations.policy import selection_policy
from ctpat.declarations.selectors import NON_MEMBER, active_model_version, partner_tier_code
from ctpat.declarations.services import (
    declaration_outcomes_record,
    declarations_score_file,
    targeting_model_train,
)
from ctpat.targeting import TrainingSettings, declarations_read

DEMO_DATA = Path(__file__).parent / "demo_data"
DEMO_TRAIN = DEMO_DATA / "kcs_train.csv"
DEMO_VALID = DEMO_DATA / "kcs_valid.csv"
DEMO_MODEL_NAME = "Demo model (KCS synthetic excerpt)"
DEMO_NOTE = (
    "Synthetic demo data: declarations drawn from the Korea Customs Service synthetic dataset "
    "(MIT licence) with new IDs and dates. Member links are synthetic: the importer IDs of some rows "
    "were replaced at random by demo partners' importer-of-record numbers."
)
# A tiny, fast model: the demo shows the workflow, not the model's quality.
DEMO_TRAINING = TrainingSettings(trees=8, leaves=7, min_rows_per_leaf=5, folds=3, threads=1)
MEMBER_SHARE = 0.3  # of the demo's declarations, filed by member importers
MEMBER_CLEAN_BIAS = 0.85  # members' rows are mostly drawn among rows without a violation
_OUTCOME_NAMES = ("inspected", "fraud", "critical")


@dataclass
class DemoDeclarations:
    """What ``demo_declarations`` made, for the demo command's summary."""

    model: TargetingModelVersion
    batches: list[DeclarationBatch] = field(default_factory=list)
    members: dict[str, str] = field(default_factory=dict)  # partner name -> tier
    outcomes: int = 0

    @property
    def declarations(self) -> int:
        return sum(batch.declarations_count for batch in self.batches)


def demo_declarations(
    *, rng: random.Random, months: int = 6, per_month: int = 500, today: date | None = None
) -> DemoDeclarations | None:
    """Train the demo model unless a model is active, then score ``months`` monthly files of
    ``per_month`` synthetic declarations and record the outcomes of those examined. Does nothing
    (returns None) when synthetic declarations exist already."""
    if DeclarationBatch.objects.filter(is_synthetic=True).exists():
        return None
    version = active_model_version() or targeting_model_train(
        actor=None, train=DEMO_TRAIN, valid=DEMO_VALID, name=DEMO_MODEL_NAME, training=DEMO_TRAINING
    )
    pool = pl.concat([declarations_read(DEMO_TRAIN).frame, declarations_read(DEMO_VALID).frame])
    members = _demo_members(rng)
    made = DemoDeclarations(model=version, members={p.legal_name: tier for _, p, tier in members})
    for year, month, last_day in _months(today or timezone.localdate(), months):
        rows = _month_rows(
            pool, rng=rng, year=year, month=month, last_day=last_day, count=per_month, members=members
        )
        batch, recorded = _score_and_examine(rows, rng=rng, label=f"{year}-{month:02d}")
        made.batches.append(batch)
        made.outcomes += recorded
    return made


def _demo_members(rng: random.Random) -> list[tuple[str, Partner, str]]:
    """Up to nine partners with an importer-of-record number, spread over the tiers they hold."""
    identifiers = Identifier.objects.filter(kind=IdentifierKind.IMPORTER_OF_RECORD).select_related("partner")
    by_tier: dict[str, list[tuple[str, Partner, str]]] = {}
    for identifier in identifiers.order_by("partner_id"):
        tier = partner_tier_code(identifier.partner)
        by_tier.setdefault(tier, []).append((identifier.value, identifier.partner, tier))
    chosen = []
    for tier in ("1", "2", "3", NON_MEMBER):
        candidates = by_tier.get(tier, [])
        chosen += rng.sample(candidates, k=min(len(candidates), 1 if tier == NON_MEMBER else 3))
    return chosen


def _months(today: date, count: int) -> list[tuple[int, int, int]]:
    """(year, month, last day) of the ``count`` months up to today's, oldest first."""
    months = [(today.year, today.month, today.day)]
    year, month = today.year, today.month
    for _ in range(count - 1):
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
        months.append((year, month, calendar.monthrange(year, month)[1]))
    return months[::-1]


def _month_rows(
    pool: pl.DataFrame,
    *,
    rng: random.Random,
    year: int,
    month: int,
    last_day: int,
    count: int,
    members: list[tuple[str, Partner, str]],
) -> pl.DataFrame:
    """``count`` rows of the pool with new IDs, dates in the month, and some member importers."""
    clean = [i for i, fraud in enumerate(pool["fraud"].to_list()) if not fraud]
    picks, importers, dates = [], [], []
    for _ in range(count):
        member = members and rng.random() < MEMBER_SHARE
        source = clean if member and rng.random() < MEMBER_CLEAN_BIAS else range(pool.height)
        index = rng.choice(source)
        picks.append(index)
        importers.append(rng.choice(members)[0] if member else pool["importer_id"][index])
        dates.append(date(year, month, rng.randint(1, last_day)))
    ids = [f"DEMO-{year}{month:02d}-{number:05d}" for number in range(1, count + 1)]
    return pool[picks].with_columns(
        pl.Series("declaration_id", ids),
        pl.Series("date", dates),
        pl.Series("importer_id", importers),
    )


def _score_and_examine(rows: pl.DataFrame, *, rng: random.Random, label: str) -> tuple[DeclarationBatch, int]:
    """Score the month as a file (no outcome columns, as filed), then report the outcomes of
    the selected declarations from the rows' own labels."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"demo-declarations-{label}.csv"
        rows.drop("line", *_OUTCOME_NAMES).write_csv(path)
        policy = selection_policy(budget=0.05, random_share=0.10, seed=rng.randrange(2**31))
        batch = declarations_score_file(
            actor=None, path=path, policy=policy, note=DEMO_NOTE, is_synthetic=True, source_name=path.name
        )
    selected = set(batch.declarations.filter(selected=True).values_list("declaration_id", flat=True))
    examined = rows.filter(pl.col("declaration_id").is_in(list(selected)))
    outcomes = examined.select(
        "declaration_id",
        pl.lit(1).alias("inspected"),
        pl.col("fraud").cast(pl.Int8),
        pl.col("critical").cast(pl.Int8),
    )
    recorded = declaration_outcomes_record(
        actor=None, content=outcomes.write_csv().encode(), source_name=f"demo-outcomes-{label}.csv"
    )
    return batch, recorded.rows
