"""Reads for targeting: models, member importers, and the analyst's and partners' figures."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import polars as pl
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from ctpat.applications.models import Identifier, Partner
from ctpat.applications.selectors import partner_tier
from ctpat.core.identifiers import IdentifierKind
from ctpat.declarations import analysis
from ctpat.declarations.models import Declaration, DeclarationBatch, TargetingModelVersion
from ctpat.declarations.policy import policy_from_record, selection_policy
from ctpat.targeting import SelectionPolicy, TargetingModel, model_load
from ctpat.targeting.metrics import top_count

NON_MEMBER = "non-member"
FRAME_FIELDS = (
    "batch_id",
    "position",
    "declaration_id",
    "importer_id",
    "declared_on",
    "tier",
    "mra",
    "score",
    "selected",
    "selection",
    "fraud",
)


def importer_key(value: str) -> str:
    """An importer number as compared between files and partner accounts: letters and digits
    only, upper case, so ``12-3456789ab`` in a declaration matches ``12-3456789AB`` on file.

    >>> importer_key(" 12-3456789ab ")
    '123456789AB'
    """
    return re.sub(r"[^0-9A-Z]", "", value.upper())


def member_importers() -> dict[str, Partner]:
    """Partners by the normalised importer-of-record number on their account."""
    identifiers = (
        Identifier.objects.filter(kind=IdentifierKind.IMPORTER_OF_RECORD)
        .select_related("partner")
        .order_by("partner_id")
    )
    found: dict[str, Partner] = {}
    for identifier in identifiers:
        found.setdefault(importer_key(identifier.value), identifier.partner)
    return found


def partner_tier_code(partner: Partner) -> str:
    """The partner's tier as the selection policy names it ("1", "2", "3" or "non-member"):
    derived from its events now, so a suspended member gets no reduction."""
    tier = partner_tier(partner).tier
    return str(tier) if tier is not None else NON_MEMBER


def model_versions() -> QuerySet[TargetingModelVersion]:
    return TargetingModelVersion.objects.select_related("registered_by").order_by(
        "-is_active", "-registered_at", "-id"
    )


def active_model_version() -> TargetingModelVersion | None:
    return TargetingModelVersion.objects.filter(is_active=True).first()


def loaded_model(version: TargetingModelVersion) -> TargetingModel:
    """The model of a registered version, loaded once per process (a registered folder never changes)."""
    return _model_at(str(version.path))


@lru_cache(maxsize=4)
def _model_at(path: str) -> TargetingModel:
    return model_load(path)


def batch_policy(batch: DeclarationBatch) -> SelectionPolicy:
    return policy_from_record(batch.policy)


def declarations_frame(declarations: QuerySet[Declaration]) -> pl.DataFrame:
    """The stored declarations as the frame :mod:`ctpat.declarations.analysis` works on."""
    rows = declarations.order_by("batch_id", "position").values_list(*FRAME_FIELDS)
    frame = analysis.declarations_frame(rows)
    # Stored blank means "not selected"; the engine's frames use null.
    return frame.with_columns(pl.col("selection").replace("", None))


def _policies(frame: pl.DataFrame) -> dict[int, SelectionPolicy]:
    ids = frame["batch"].unique().to_list()
    return {
        batch.pk: batch_policy(batch) for batch in DeclarationBatch.objects.filter(pk__in=ids).only("policy")
    }


def _counterfactual(frame: pl.DataFrame) -> pl.DataFrame:
    return analysis.with_counterfactual(frame, policies=_policies(frame))


@dataclass(frozen=True)
class TargetingSummary:
    """Everything the analyst page and ``GET /api/targeting/summary`` show."""

    overall: analysis.Figures
    months: list[analysis.Month]
    cost: analysis.TrustedTraderCost
    batches: int
    synthetic_notes: list[str] = field(default_factory=list)

    @property
    def is_synthetic(self) -> bool:
        return bool(self.synthetic_notes)


def targeting_summary() -> TargetingSummary:
    frame = _counterfactual(declarations_frame(Declaration.objects.all()))
    synthetic = DeclarationBatch.objects.filter(is_synthetic=True)
    notes = sorted({batch.note or "Synthetic demo data." for batch in synthetic})
    return TargetingSummary(
        overall=analysis.figures(frame),
        months=analysis.by_month(frame),
        cost=analysis.trusted_trader_cost(frame),
        batches=DeclarationBatch.objects.count(),
        synthetic_notes=notes,
    )


@dataclass(frozen=True)
class PartnerExaminations:
    """A partner's own declarations and what its tier changed in their selection."""

    partner: Partner
    declarations: list[Declaration]
    total: int
    examined: int
    rate: float
    non_member_rate: float
    selected_without_reduction: int
    is_synthetic: bool

    @property
    def spared(self) -> int:
        """Declarations the tier reduction kept out of a risk-based examination (net)."""
        return self.selected_without_reduction - self.examined


def partner_examinations(partner: Partner, *, shown: int = 200) -> PartnerExaminations:
    own = Declaration.objects.filter(partner=partner)
    batches = own.values("batch_id")
    in_batches = _counterfactual(declarations_frame(Declaration.objects.filter(batch_id__in=batches)))
    own_ids = set(own.values_list("declaration_id", flat=True))
    mine = in_batches.filter(pl.col("declaration_id").is_in(list(own_ids)))
    everyone = analysis.tier_rates(declarations_frame(Declaration.objects.all()))
    total, examined = mine.height, int(mine["selected"].sum())
    return PartnerExaminations(
        partner=partner,
        declarations=list(own.select_related("batch").order_by("-declared_on", "-id")[:shown]),
        total=total,
        examined=examined,
        rate=examined / total if total else float("nan"),
        non_member_rate=next(r.rate for r in everyone if r.tier == NON_MEMBER),
        selected_without_reduction=int(mine["selection_without"].is_not_null().sum()),
        is_synthetic=DeclarationBatch.objects.filter(pk__in=batches, is_synthetic=True).exists(),
    )


@dataclass(frozen=True)
class ScoreDecision:
    """One declaration scored with the active model, and what the policy would decide for it."""

    declaration_id: str
    model: str
    score: float
    tier: str
    member: bool
    reduction: float
    threshold: float | None
    adjusted_score: float
    decision: str  # "examine", "release", or "no_threshold" before any file was scored
    reason: str


def declaration_score_one(fields: Mapping[str, Any]) -> ScoreDecision:
    """Score one declaration (canonical field names) with the active model. The high-risk
    threshold is the one the active model's latest scored file set under its policy; the random
    share may still pick any declaration, so "release" means "not selected on risk"."""
    version = active_model_version()
    if version is None:
        raise ValidationError(_("No targeting model is active."))
    score = loaded_model(version).score_one(fields)
    partner = member_importers().get(importer_key(str(fields["importer_id"])))
    tier = partner_tier_code(partner) if partner is not None else NON_MEMBER
    latest = DeclarationBatch.objects.filter(model_version=version).first()
    policy = batch_policy(latest) if latest is not None else selection_policy(seed=0)
    reduction = policy.reduction(tier=tier, mra=False)
    threshold = _high_risk_threshold(latest, policy) if latest is not None else None
    adjusted = score - reduction * threshold if threshold is not None else score
    decision = "no_threshold" if threshold is None else "examine" if adjusted >= threshold else "release"
    return ScoreDecision(
        declaration_id=str(fields.get("declaration_id", "")),
        model=version.name,
        score=score,
        tier=tier,
        member=partner is not None,
        reduction=reduction,
        threshold=threshold,
        adjusted_score=adjusted,
        decision=decision,
        reason=_score_reason(
            score=score,
            tier=tier,
            reduction=reduction,
            threshold=threshold,
            policy=policy,
            adjusted=adjusted,
            decision=decision,
        ),
    )


def _high_risk_threshold(batch: DeclarationBatch, policy: SelectionPolicy) -> float | None:
    """The score of the last declaration the budget examines on risk alone, in ``batch``."""
    budget = top_count(batch.declarations_count, share=policy.budget)
    risk_count = budget - min(budget, round(budget * policy.random_share))
    scores = Declaration.objects.filter(batch=batch).order_by("-score").values_list("score", flat=True)
    found = list(scores[max(risk_count, 1) - 1 : max(risk_count, 1)])
    return float(found[0]) if found else None


def _score_reason(
    *,
    score: float,
    tier: str,
    reduction: float,
    threshold: float | None,
    policy: SelectionPolicy,
    adjusted: float,
    decision: str,
) -> str:
    if threshold is None:
        return (
            f"risk score {score:.3f}; no file has been scored with this model yet, so there is no threshold"
        )
    why = f"risk score {score:.3f}; high-risk threshold {threshold:.3f} (top {policy.budget:.0%} on risk)"
    if reduction > 0:
        why += f"; Tier {tier} reduction of {reduction:.0%} of the threshold applied: {adjusted:.3f}"
    return why + ("; selected on risk" if decision == "examine" else "; not selected on risk")
