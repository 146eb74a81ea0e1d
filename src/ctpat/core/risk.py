"""The automatic risk score of an application, and what a complete risk assessment needs.

The score is explainable by construction: it is the sum of a list of contributions, each
saying where its points came from (a criterion's answer, a country of origin and its share, a
facility's country, the entity type, a derogatory vetting result, incidents). Nothing else
adds points, so a specialist or an auditor can check every point on the page.

The weights and the band thresholds are *policy* (``RiskPolicy``): defaults here, to be set by
the agency. The country threat levels come from a maintained table passed in as data.

>>> from ctpat.core.entity_types import EntityType
>>> score = risk_score(RiskInputs(entity_type=EntityType.IMPORTER), RiskPolicy())
>>> (score.total, score.level.value, [c.detail for c in score.contributions])
(Decimal('5.0'), 'Low', ['Importer: inherent exposure of the business model'])
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum

from ctpat.core.completeness import AnswerFacts
from ctpat.core.entity_types import EntityType

ONE_PLACE = Decimal("0.1")


class ThreatLevel(StrEnum):
    """A country's threat level (terrorism, contraband, human smuggling, organized crime)."""

    HIGH = "High"
    MEDIUM = "Medium"
    LOW = "Low"


class RiskLevel(StrEnum):
    LOW = "Low"
    MEDIUM = "Medium"
    HIGH = "High"


class ContributionSource(StrEnum):
    SECURITY_PROFILE = "security_profile"
    COUNTRY_OF_ORIGIN = "country_of_origin"
    FACILITY = "facility"
    ENTITY_TYPE = "entity_type"
    VETTING = "vetting"
    INCIDENTS = "incidents"

    @property
    def label(self) -> str:
        return SOURCE_LABELS[self]


SOURCE_LABELS: dict[ContributionSource, str] = {
    ContributionSource.SECURITY_PROFILE: "Security profile answers",
    ContributionSource.COUNTRY_OF_ORIGIN: "Countries of origin",
    ContributionSource.FACILITY: "Facility locations",
    ContributionSource.ENTITY_TYPE: "Entity type",
    ContributionSource.VETTING: "Derogatory vetting results",
    ContributionSource.INCIDENTS: "Incident history",
}


@dataclass(frozen=True)
class Contribution:
    """Points added to the score, and where they came from in words."""

    source: ContributionSource
    detail: str
    points: Decimal


@dataclass(frozen=True)
class CountryThreat:
    """One row of the agency's country table: the level, who assessed it and when."""

    country: str
    level: ThreatLevel
    source: str
    assessed: date


@dataclass(frozen=True)
class OriginShare:
    country: str
    share_percent: Decimal


@dataclass(frozen=True)
class FacilityLocation:
    name: str
    country: str


@dataclass(frozen=True)
class RiskInputs:
    """What the score reads; the service gathers it from the application and the vetting."""

    entity_type: EntityType
    answers: Sequence[AnswerFacts] = ()
    origins: Sequence[OriginShare] = ()
    facilities: Sequence[FacilityLocation] = ()
    derogatory_checks: Sequence[str] = ()  # the names of the vetting checks that found something
    incident_count: int = 0
    threats: Mapping[str, CountryThreat] = field(default_factory=dict)


def _d(value: str | int) -> Decimal:
    return Decimal(value)


# Inherent exposure of each business model (policy): who handles the cargo and its conveyance
# where it is hardest to watch scores higher.
ENTITY_TYPE_POINTS: dict[EntityType, Decimal] = {
    EntityType.IMPORTER: _d(5),
    EntityType.EXPORTER: _d(5),
    EntityType.AIR_CARRIER: _d(6),
    EntityType.SEA_CARRIER: _d(8),
    EntityType.RAIL_CARRIER: _d(6),
    EntityType.HIGHWAY_CARRIER: _d(10),
    EntityType.MEXICAN_LONG_HAUL_CARRIER: _d(12),
    EntityType.CUSTOMS_BROKER: _d(4),
    EntityType.CONSOLIDATOR: _d(10),
    EntityType.THIRD_PARTY_LOGISTICS: _d(8),
    EntityType.FOREIGN_MANUFACTURER: _d(10),
    EntityType.MARINE_PORT_AUTHORITY: _d(6),
    EntityType.TERMINAL_OPERATOR: _d(6),
    EntityType.WAREHOUSE_OPERATOR: _d(6),
}


# Policy defaults: points per derogatory vetting result and per recorded incident, and the
# score from which an application is Medium and High risk.
DEROGATORY_POINTS = Decimal(25)
INCIDENT_POINTS = Decimal(15)
MEDIUM_FROM = Decimal(25)
HIGH_FROM = Decimal(50)


@dataclass(frozen=True)
class RiskPolicy:
    """The weights and bands of the score (policy: defaults here, set by the agency).

    An unanswered criterion counts as not implemented: nothing shows it is met. "Not
    applicable" with a reason adds nothing; without a reason it counts as unanswered.
    """

    must_points: Mapping[str, Decimal] = field(
        default_factory=lambda: {"": _d(10), "not_implemented": _d(10), "partly": _d(5)}
    )
    should_points: Mapping[str, Decimal] = field(
        default_factory=lambda: {"": _d(3), "not_implemented": _d(3), "partly": _d(1)}
    )
    # Points for 100% of the imports from a country of that level (a share gets its part).
    origin_points: Mapping[ThreatLevel, Decimal] = field(
        default_factory=lambda: {ThreatLevel.HIGH: _d(20), ThreatLevel.MEDIUM: _d(8), ThreatLevel.LOW: _d(0)}
    )
    # Points per facility in a country of that level.
    facility_points: Mapping[ThreatLevel, Decimal] = field(
        default_factory=lambda: {ThreatLevel.HIGH: _d(8), ThreatLevel.MEDIUM: _d(3), ThreatLevel.LOW: _d(0)}
    )
    # A country the table does not list is treated as this level until the agency assesses it.
    unlisted_country_level: ThreatLevel = ThreatLevel.MEDIUM
    entity_type_points: Mapping[EntityType, Decimal] = field(default_factory=lambda: dict(ENTITY_TYPE_POINTS))
    derogatory_points: Decimal = DEROGATORY_POINTS
    incident_points: Decimal = INCIDENT_POINTS
    # Bands: below ``medium_from`` is Low, below ``high_from`` Medium, else High.
    medium_from: Decimal = MEDIUM_FROM
    high_from: Decimal = HIGH_FROM


@dataclass(frozen=True)
class RiskScore:
    total: Decimal
    level: RiskLevel
    contributions: tuple[Contribution, ...]

    def by_source(self) -> list[tuple[ContributionSource, Decimal, list[Contribution]]]:
        """Contributions grouped by source (in the order of the sources), with subtotals."""
        groups: list[tuple[ContributionSource, Decimal, list[Contribution]]] = []
        for source in ContributionSource:
            rows = [c for c in self.contributions if c.source == source]
            if rows:
                groups.append((source, sum((c.points for c in rows), Decimal(0)), rows))
        return groups


ANSWER_WORDS = {
    "": "no answer",
    "not_implemented": "not implemented",
    "partly": "partly implemented",
    "not_applicable": "not applicable, no reason given",
}


def answer_contribution(answer: AnswerFacts, policy: RiskPolicy) -> Contribution | None:
    """The points of one criterion's answer, or None when it adds nothing."""
    status = answer.status
    if status == "not_applicable" and not answer.not_applicable_reason.strip():
        status = ""  # "not applicable" needs a reason to count
    table = policy.must_points if answer.is_must else policy.should_points
    points = table.get(status, Decimal(0))
    if points == 0:
        return None
    flag = "Must" if answer.is_must else "Should"
    words = ANSWER_WORDS[answer.status if answer.status in ANSWER_WORDS else ""]
    return Contribution(ContributionSource.SECURITY_PROFILE, f"{answer.criterion} ({flag}): {words}", points)


def threat_of(country: str, inputs: RiskInputs, policy: RiskPolicy) -> tuple[ThreatLevel, str]:
    """A country's level and how it is known (the table's source, or that it is unlisted)."""
    row = inputs.threats.get(country.upper())
    if row is None:
        return policy.unlisted_country_level, "not in the country table"
    return row.level, f"{row.source}, {row.assessed.isoformat()}"


def origin_contributions(inputs: RiskInputs, policy: RiskPolicy) -> list[Contribution]:
    rows = []
    for origin in inputs.origins:
        level, known = threat_of(origin.country, inputs, policy)
        points = (policy.origin_points[level] * origin.share_percent / 100).quantize(ONE_PLACE)
        share = f"{origin.share_percent.normalize():f}"  # 60.00 -> 60, 33.50 -> 33.5
        detail = f"{origin.country}: {level.value} threat ({known}) × {share}% of imports"
        rows.append(Contribution(ContributionSource.COUNTRY_OF_ORIGIN, detail, points))
    return rows


def facility_contributions(inputs: RiskInputs, policy: RiskPolicy) -> list[Contribution]:
    rows = []
    for facility in inputs.facilities:
        level, known = threat_of(facility.country, inputs, policy)
        detail = f"{facility.name} in {facility.country}: {level.value} threat ({known})"
        rows.append(Contribution(ContributionSource.FACILITY, detail, policy.facility_points[level]))
    return rows


def risk_score(inputs: RiskInputs, policy: RiskPolicy) -> RiskScore:
    """The score, its band and every contribution (see the module docstring)."""
    contributions: list[Contribution] = []
    for answer in inputs.answers:
        row = answer_contribution(answer, policy)
        if row is not None:
            contributions.append(row)
    contributions += origin_contributions(inputs, policy)
    contributions += facility_contributions(inputs, policy)
    contributions.append(
        Contribution(
            ContributionSource.ENTITY_TYPE,
            f"{inputs.entity_type.label}: inherent exposure of the business model",
            policy.entity_type_points.get(inputs.entity_type, Decimal(0)),
        )
    )
    for check in inputs.derogatory_checks:
        contributions.append(
            Contribution(
                ContributionSource.VETTING, f"{check}: derogatory information", policy.derogatory_points
            )
        )
    if inputs.incident_count:
        contributions.append(
            Contribution(
                ContributionSource.INCIDENTS,
                f"{inputs.incident_count} recorded incident(s)",
                policy.incident_points * inputs.incident_count,
            )
        )
    total = sum((c.points for c in contributions), Decimal(0)).quantize(ONE_PLACE)
    return RiskScore(total, risk_level(total, policy), tuple(contributions))


def risk_level(total: Decimal, policy: RiskPolicy) -> RiskLevel:
    if total >= policy.high_from:
        return RiskLevel.HIGH
    if total >= policy.medium_from:
        return RiskLevel.MEDIUM
    return RiskLevel.LOW


# --- The country table ----------------------------------------------------------------------


class ThreatTableError(ValueError):
    """A row of the country table that cannot be used; the message names the row."""


COUNTRY = re.compile(r"^[A-Z]{2}$")


def threat_table(rows: Iterable[Mapping[str, object]]) -> dict[str, CountryThreat]:
    """Check the rows of the country table (ISO-2 code, level, source, date) and key them by code.

    >>> threat_table([{"country": "MX", "level": "Medium", "source": "Agency", "assessed": "2025-01-15"}])
    {'MX': CountryThreat(country='MX', level=<ThreatLevel.MEDIUM: 'Medium'>, source='Agency', assessed=datetime.date(2025, 1, 15))}
    """
    table: dict[str, CountryThreat] = {}
    for number, row in enumerate(rows, start=1):
        code = str(row.get("country", "")).strip()
        if not COUNTRY.match(code):
            raise ThreatTableError(f"Row {number}: {code!r} is not an ISO 3166-1 alpha-2 code.")
        if code in table:
            raise ThreatTableError(f"Row {number}: {code} is listed twice.")
        try:
            level = ThreatLevel(str(row.get("level", "")))
        except ValueError:
            raise ThreatTableError(f"Row {number} ({code}): the level must be High, Medium or Low.") from None
        source = str(row.get("source", "")).strip()
        if not source:
            raise ThreatTableError(f"Row {number} ({code}): say who assessed the level (source).")
        assessed = row.get("assessed")
        if isinstance(assessed, str):
            try:
                assessed = date.fromisoformat(assessed)
            except ValueError:
                assessed = None
        if not isinstance(assessed, date):
            raise ThreatTableError(f"Row {number} ({code}): the assessment date must be YYYY-MM-DD.")
        table[code] = CountryThreat(code, level, source, assessed)
    return table


# --- The written assessment ------------------------------------------------------------------


class AssessmentStep(StrEnum):
    """The five steps of a risk assessment (domain file, section 5), written by the specialist."""

    CARGO_FLOW = "cargo_flow"
    THREATS = "threat_assessment"
    VULNERABILITIES = "vulnerability_assessment"
    ACTION_PLAN = "action_plan"
    DOCUMENTATION = "documentation"

    @property
    def label(self) -> str:
        return STEP_TEXTS[self][0]

    @property
    def hint(self) -> str:
        return STEP_TEXTS[self][1]


STEP_TEXTS: dict[AssessmentStep, tuple[str, str]] = {
    AssessmentStep.CARGO_FLOW: (
        "1. Cargo flow and business partners",
        "Map how the cargo moves from origin to the U.S. and who handles it on the way.",
    ),
    AssessmentStep.THREATS: (
        "2. Threat assessment",
        "Terrorism, contraband, human smuggling, organized crime: High/Medium/Low per country or region.",
    ),
    AssessmentStep.VULNERABILITIES: (
        "3. Vulnerability assessment",
        "Against the minimum security criteria: where the partner's measures are weak (H/M/L).",
    ),
    AssessmentStep.ACTION_PLAN: (
        "4. Action plan",
        "What the partner must improve and by when; what to check at validation.",
    ),
    AssessmentStep.DOCUMENTATION: (
        "5. Documentation",
        "The evidence relied on and where it is kept.",
    ),
}


def assessment_missing(texts: Mapping[str, str]) -> list[AssessmentStep]:
    """The steps not written yet (blank text counts as not written)."""
    return [step for step in AssessmentStep if not texts.get(step.value, "").strip()]


def is_risk_assessed(*, score_recorded: bool, texts: Mapping[str, str]) -> bool:
    """Risk assessed: a score has been recorded and all five steps are written."""
    return score_recorded and not assessment_missing(texts)
