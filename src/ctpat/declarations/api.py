"""Targeting over the API: the analysts' summary and models (agency), a partner's own
declarations, and one declaration scored with the policy's decision (targeting analysts and the
Program Director). The same selectors and access checks as the pages."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import asdict
from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema

from ctpat.api.membership import api_membership
from ctpat.api.schemas import ErrorOut, InvalidOut
from ctpat.declarations import access, selectors
from ctpat.declarations.models import TargetingModelVersion

router = Router(tags=["targeting"])
READ_ERRORS: dict[int, Any] = {401: ErrorOut, 403: ErrorOut}
OWN_ERRORS: dict[int, Any] = {**READ_ERRORS, 404: ErrorOut}
SCORE_ERRORS: dict[int, Any] = {**READ_ERRORS, 422: InvalidOut}


class TargetingShareOut(Schema):
    value: float | None = Field(..., description="A share in [0, 1]; null when nothing was measured")
    sample: int = Field(..., description="Declarations with a known outcome it rests on")
    low: float | None = None
    high: float | None = None


class TargetingTierRateOut(Schema):
    tier: str = Field(..., description='"1", "2", "3" or "non-member"')
    declarations: int
    examined: int
    rate: float | None
    relative_to_non_members: float | None


class TargetingFiguresOut(Schema):
    declarations: int
    examined: int
    rates: list[TargetingTierRateOut]
    precision: TargetingShareOut = Field(
        ..., description="Violations among risk-selected declarations with an outcome"
    )
    compliance: TargetingShareOut = Field(
        ..., description="Compliance rate from the random share, 95% interval"
    )


class TargetingMonthOut(Schema):
    month: str
    figures: TargetingFiguresOut


class TrustedTraderCostOut(Schema):
    with_reductions: TargetingShareOut
    without_reductions: TargetingShareOut
    without_unknown: int = Field(..., description="Selections without the reductions that have no outcome")
    moved: int
    cost: float | None = Field(..., description="Precision without minus precision with the reductions")


class TargetingSummaryOut(Schema):
    synthetic: bool = Field(..., description="True when any figure comes from synthetic demo data")
    synthetic_notes: list[str]
    batches: int
    overall: TargetingFiguresOut
    months: list[TargetingMonthOut]
    trusted_trader_cost: TrustedTraderCostOut


class TargetingFeatureOut(Schema):
    feature: str
    gain: float


class TargetingModelOut(Schema):
    id: int
    name: str
    is_active: bool
    activated_at: dt.datetime | None
    label: str
    trained_at: dt.datetime
    registered_at: dt.datetime
    registered_by: str | None
    training_files: dict[str, str]
    training_rows: dict[str, int]
    period_start: dt.date | None
    period_end: dt.date | None
    data_hashes: dict[str, str]
    validation_metrics: dict[str, Any]
    library_versions: dict[str, str]
    top_features: list[TargetingFeatureOut]

    @staticmethod
    def resolve_registered_by(version: TargetingModelVersion) -> str | None:
        return version.registered_by.email if version.registered_by else None


class MyDeclarationOut(Schema):
    declaration_id: str
    date: dt.date = Field(..., alias="declared_on")
    hs_code: str
    origin_country: str
    score: float
    adjusted_score: float
    tier: str
    selected: bool
    selection: str
    inspected: bool | None
    fraud: bool | None


class MyDeclarationsOut(Schema):
    partner: str
    synthetic: bool
    total: int
    examined: int
    examination_rate: float | None
    non_member_rate: float | None
    selected_without_reduction: int = Field(
        ..., description="Would have been selected without the tier reduction"
    )
    declarations: list[MyDeclarationOut] = Field(..., description="The latest 200")


class DeclarationScoreIn(Schema):
    declaration_id: str = Field(..., max_length=64)
    date: dt.date
    importer_id: str = Field(..., max_length=64)
    hs_code: str = Field(..., pattern=r"^\d{6,10}$")
    origin_country: str = Field(..., max_length=2)
    customs_value: float = Field(..., ge=0)
    net_mass: float = Field(..., ge=0)
    declarant_id: str | None = None
    seller_id: str | None = None
    departure_country: str | None = None
    transport_mode: str | None = None
    office_id: str | None = None
    tax_rate: float | None = None
    tax_type: str | None = None
    origin_indicator: str | None = None
    import_type: str | None = None
    import_use: str | None = None
    payment_type: str | None = None
    process_type: str | None = None
    courier_id: str | None = None


class DeclarationScoreOut(Schema):
    declaration_id: str
    model: str
    score: float
    tier: str
    member: bool
    reduction: float = Field(..., description="Share of the high-risk threshold taken off the score")
    threshold: float | None
    adjusted_score: float
    decision: str = Field(..., description='"examine", "release" (not selected on risk) or "no_threshold"')
    reason: str


def _finite(value: Any) -> Any:
    """NaN is not JSON: nothing measured is null."""
    if isinstance(value, dict):
        return {key: _finite(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_finite(item) for item in value]
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


@router.get("/summary", response={200: TargetingSummaryOut, **READ_ERRORS})
def targeting_summary(request: HttpRequest) -> dict[str, Any]:
    """Examination rates per tier against non-members, risk-selection precision and compliance
    from the random share, overall and by month, and the trusted-trader cost in precision."""
    access.access_targeting_figures(api_membership(request))
    summary = selectors.targeting_summary()
    record = {
        "synthetic": summary.is_synthetic,
        "synthetic_notes": summary.synthetic_notes,
        "batches": summary.batches,
        "overall": asdict(summary.overall),
        "months": [asdict(month) for month in summary.months],
        "trusted_trader_cost": {**asdict(summary.cost), "cost": summary.cost.cost},
    }
    return dict(_finite(record))


@router.get("/models", response={200: list[TargetingModelOut], **READ_ERRORS})
def targeting_models(request: HttpRequest) -> list[TargetingModelVersion]:
    """Registered models, the active one first: what each was trained on and its validation metrics."""
    access.access_targeting_figures(api_membership(request))
    return list(selectors.model_versions())


@router.get("/my-declarations", response={200: MyDeclarationsOut, **OWN_ERRORS})
def my_declarations(request: HttpRequest) -> dict[str, Any]:
    """The declarations linked to your company's importer-of-record number, and what your tier changed."""
    partner = access.access_own_declarations(api_membership(request))
    mine = selectors.partner_examinations(partner)
    record = {
        "partner": partner.legal_name,
        "synthetic": mine.is_synthetic,
        "total": mine.total,
        "examined": mine.examined,
        "examination_rate": mine.rate,
        "non_member_rate": mine.non_member_rate,
        "selected_without_reduction": mine.selected_without_reduction,
        "declarations": mine.declarations,
    }
    return dict(_finite(record))


@router.post("/score", response={200: DeclarationScoreOut, **SCORE_ERRORS})
def declaration_score(request: HttpRequest, payload: DeclarationScoreIn) -> selectors.ScoreDecision:
    """Score one declaration with the active model and say what the selection policy decides."""
    access.access_targeting_operations(api_membership(request))
    fields = payload.model_dump(mode="json")
    return selectors.declaration_score_one(fields)
