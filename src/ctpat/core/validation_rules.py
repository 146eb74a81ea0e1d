"""The validation's rules (domain file, sections 3, 6 and 7), as data and pure functions.

A validation is planned (team, sites), visited (a worksheet per site: inspection checklists,
seal checks, a finding per criterion), reported to the partner, answered by the partner, and
decided: Tier 2, Tier 3, corrective action or a recommendation to suspend. The specialist
proposes the decision and a supervisor approves it. Nothing here imports Django: the services
gather plain facts and ask these functions what is allowed.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

# --- Inspection checklists (section 6) ---------------------------------------------------------


@dataclass(frozen=True)
class InspectionPoint:
    code: str
    label: str


@dataclass(frozen=True)
class Checklist:
    """One of the program's conveyance inspections: every point is observed OK or an issue."""

    code: str
    name: str
    points: tuple[InspectionPoint, ...]
    note: str = ""

    @property
    def point_codes(self) -> tuple[str, ...]:
        return tuple(p.code for p in self.points)


def _points(*pairs: tuple[str, str]) -> tuple[InspectionPoint, ...]:
    return tuple(InspectionPoint(code, label) for code, label in pairs)


CONTAINER_7 = Checklist(
    "container_7",
    "7-point container / ULD inspection",
    _points(
        ("front_wall", "Front wall"),
        ("left_side", "Left side"),
        ("right_side", "Right side"),
        ("floor", "Floor"),
        ("ceiling_roof", "Ceiling / roof"),
        ("doors_locks", "Inside / outside doors and locking mechanism"),
        ("outside_undercarriage", "Outside / undercarriage"),
    ),
    note="Refrigerated containers: also check the fan housing (note it under the front wall).",
)
TRACTOR_7 = Checklist(
    "tractor_7",
    "7-point tractor inspection",
    _points(
        ("bumper_tires_rims", "Bumper, tires and rims"),
        ("doors_tool_compartments", "Doors and tool compartments"),
        ("battery_box", "Battery box"),
        ("air_breather", "Air breather"),
        ("fuel_tanks", "Fuel tanks"),
        ("cab_sleeper", "Interior cab and sleeper compartments"),
        ("fairing_roof", "Fairing / roof"),
    ),
)
TRAILER_10 = Checklist(
    "trailer_10",
    "10-point trailer inspection",
    _points(
        ("fifth_wheel", "Fifth-wheel area"),
        ("exterior_front_sides", "Exterior front and sides"),
        ("rear_bumper_doors", "Rear bumper and doors"),
        ("front_wall", "Front wall"),
        ("left_side", "Left side"),
        ("right_side", "Right side"),
        ("floor", "Floor"),
        ("ceiling_roof", "Ceiling / roof"),
        ("doors_locks", "Inside / outside doors and locks"),
        ("undercarriage", "Outside / undercarriage"),
    ),
)
LEGACY_17 = Checklist(
    "legacy_17",
    "17-point tractor and trailer inspection (legacy)",
    _points(
        ("bumper", "Bumper"),
        ("engine", "Engine"),
        ("tires", "Tires (truck and trailer)"),
        ("floor", "Floor (inside truck)"),
        ("fuel_tanks", "Fuel tanks"),
        ("cab_storage", "Cab / storage compartments"),
        ("air_tanks", "Air tanks"),
        ("drive_shafts", "Drive shafts"),
        ("fifth_wheel", "Fifth wheel"),
        ("undercarriage", "Outside / undercarriage"),
        ("doors", "Outside / inside doors"),
        ("trailer_floor", "Floor (inside trailer)"),
        ("side_walls", "Side walls"),
        ("front_wall", "Front wall"),
        ("ceiling_roof", "Ceiling / roof"),
        ("refrigeration_unit", "Refrigeration unit"),
        ("exhaust", "Exhaust"),
    ),
)
CHECKLISTS: dict[str, Checklist] = {c.code: c for c in (CONTAINER_7, TRACTOR_7, TRAILER_10, LEGACY_17)}

TAMPERING_SIGNS: tuple[str, ...] = (
    "Weld marks",
    "New bolts or rivets",
    "Fresh paint",
    "Odour maskers",
)


class PointResult(StrEnum):
    NOT_OBSERVED = ""
    OK = "ok"
    ISSUE = "issue"


# --- Seals (section 6) -------------------------------------------------------------------------


@dataclass(frozen=True)
class VvttStep:
    code: str
    name: str
    action: str


VVTT_STEPS: tuple[VvttStep, ...] = (
    VvttStep("view", "View", "View the seal and the container's locking mechanisms."),
    VvttStep("verify", "Verify", "Verify the seal number against the shipment documents."),
    VvttStep("tug", "Tug", "Tug on the seal to make sure it is affixed properly."),
    VvttStep("twist", "Twist and turn", "Twist and turn the seal to make sure it does not unscrew."),
)


class SealClass(StrEnum):
    """ISO 17712 mechanical seal classes."""

    INDICATIVE = "I"
    SECURITY = "S"
    HIGH_SECURITY = "H"

    @property
    def label(self) -> str:
        return {"I": "I — indicative", "S": "S — security", "H": "H — high security"}[self.value]


# CTPAT requires a high-security seal right after stuffing (criterion 6.2).
REQUIRED_SEAL_CLASS = SealClass.HIGH_SECURITY

SEAL_CONTROLS: tuple[str, ...] = (
    "Seals kept in locked storage",
    "Inventory log of seals received and issued",
    "Seal checked at pick-up and after every stop",
    "A seal broken in transit is recorded with who broke it and the new seal number",
    "Discrepancies are investigated and reported",
)


def seal_class_acceptable(seal_class: str) -> bool:
    """Only an ISO 17712 class H seal meets the criteria.

    >>> seal_class_acceptable("H"), seal_class_acceptable("S")
    (True, False)
    """
    return seal_class == REQUIRED_SEAL_CLASS


# --- Mutual recognition (section 7) ------------------------------------------------------------

EU_COUNTRIES = frozenset(
    [
        "AT",
        "BE",
        "BG",
        "HR",
        "CY",
        "CZ",
        "DK",
        "EE",
        "FI",
        "FR",
        "DE",
        "GR",
        "HU",
        "IE",
        "IT",
        "LV",
        "LT",
        "LU",
        "MT",
        "NL",
        "PL",
        "PT",
        "RO",
        "SK",
        "SI",
        "ES",
        "SE",
    ]
)


@dataclass(frozen=True)
class MraPartner:
    """A foreign customs program whose validation findings CBP accepts under an MRA."""

    code: str
    name: str
    program: str
    year: int
    countries: frozenset[str]

    @property
    def label(self) -> str:
        program = f" ({self.program})" if self.program else ""
        return f"{self.name}{program}, {self.year}"


def _mra(code: str, name: str, program: str, year: int, countries: Iterable[str] = ()) -> MraPartner:
    return MraPartner(code, name, program, year, frozenset(countries) or frozenset({code}))


MRA_PARTNERS: dict[str, MraPartner] = {
    m.code: m
    for m in (
        _mra("NZ", "New Zealand", "SES", 2007),
        _mra("CA", "Canada", "PIP", 2008),
        _mra("JO", "Jordan", "Golden List", 2008),
        _mra("JP", "Japan", "AEO", 2009),
        _mra("KR", "Korea", "AEO", 2010),
        _mra("EU", "European Union", "AEO", 2012, EU_COUNTRIES),
        _mra("TW", "Taiwan", "AEO", 2012),
        _mra("IL", "Israel", "AEO", 2014),
        _mra("MX", "Mexico", "NEEC/OEA", 2014),
        _mra("SG", "Singapore", "STP", 2014),
        _mra("DO", "Dominican Republic", "AEO", 2015),
        _mra("PE", "Peru", "AEO", 2018),
        _mra("GB", "United Kingdom", "AEO", 2021),
        _mra("IN", "India", "AEO", 2021),
        _mra("UY", "Uruguay", "OEC", 2022),
        _mra("BR", "Brazil", "OEA", 2022),
        _mra("GT", "Guatemala", "OEA", 2023),
        _mra("CO", "Colombia", "OEA", 2023),
    )
}


def mra_partner_for_country(country: str) -> MraPartner | None:
    """The MRA partner whose program covers ``country``, if any.

    >>> mra_partner_for_country("DE").code
    'EU'
    """
    return next((m for m in MRA_PARTNERS.values() if country.upper() in m.countries), None)


# --- Sites -------------------------------------------------------------------------------------

HOME_COUNTRY = "US"


@dataclass(frozen=True)
class SiteFacts:
    country: str
    latitude: float | None = None
    longitude: float | None = None
    no_go: bool = False
    no_go_reason: str = ""
    mra_partner: str = ""
    mra_reference: str = ""


def site_errors(site: SiteFacts) -> dict[str, list[str]]:
    """Why a planned site is not acceptable, per field (empty when it is)."""
    errors: dict[str, list[str]] = {}
    if len(site.country) != 2 or not site.country.isalpha():
        errors.setdefault("country", []).append("Give the two-letter country code (ISO 3166-1).")
    if (site.latitude is None) != (site.longitude is None):
        errors.setdefault("latitude", []).append("Give both latitude and longitude, or neither.")
    if site.latitude is not None and not -90 <= site.latitude <= 90:
        errors.setdefault("latitude", []).append("Latitude is between -90 and 90.")
    if site.longitude is not None and not -180 <= site.longitude <= 180:
        errors.setdefault("longitude", []).append("Longitude is between -180 and 180.")
    if site.no_go and not site.no_go_reason.strip():
        errors.setdefault("no_go_reason", []).append("Say why the site is a no-go zone.")
    for field, messages in _mra_errors(site).items():
        errors.setdefault(field, []).extend(messages)
    return errors


def _mra_errors(site: SiteFacts) -> dict[str, list[str]]:
    if not site.mra_partner:
        return {"mra_reference": ["Name the MRA partner first."]} if site.mra_reference.strip() else {}
    partner = MRA_PARTNERS.get(site.mra_partner)
    if partner is None:
        return {"mra_partner": ["Choose one of the MRA partners."]}
    errors: dict[str, list[str]] = {}
    if site.country.upper() == HOME_COUNTRY:
        errors["mra_partner"] = [
            "Only a foreign site's visit can be replaced by an MRA partner's validation."
        ]
    elif site.country.upper() not in partner.countries:
        errors["mra_partner"] = [f"{partner.name}'s program does not cover sites in {site.country.upper()}."]
    if not site.mra_reference.strip():
        errors["mra_reference"] = ["Give the MRA partner's validation reference."]
    return errors


class SiteMode(StrEnum):
    VISIT = "visit"
    NO_GO = "no_go"
    MRA = "mra"

    @property
    def label(self) -> str:
        return {
            "visit": "Onsite visit",
            "no_go": "No-go zone (not visited)",
            "mra": "Validated by an MRA partner",
        }[self.value]


def site_mode(site: SiteFacts) -> SiteMode:
    """A no-go zone is not visited; a foreign site an MRA partner validated needs no visit."""
    if site.no_go:
        return SiteMode.NO_GO
    if site.mra_partner:
        return SiteMode.MRA
    return SiteMode.VISIT


# --- Findings and the decision -----------------------------------------------------------------


class FindingKind(StrEnum):
    COMPLIANT = "compliant"
    MINOR = "minor_deficiency"
    MAJOR = "major_deficiency"
    BEST_PRACTICE = "best_practice"
    OBSERVATION = "observation"

    @property
    def label(self) -> str:
        return FINDING_LABELS[self]

    @property
    def is_deficiency(self) -> bool:
        return self in DEFICIENCIES


FINDING_LABELS: dict[FindingKind, str] = {
    FindingKind.COMPLIANT: "Compliant",
    FindingKind.MINOR: "Minor deficiency",
    FindingKind.MAJOR: "Major deficiency",
    FindingKind.BEST_PRACTICE: "Best practice (exceeds the criterion)",
    FindingKind.OBSERVATION: "Observation",
}
DEFICIENCIES = frozenset({FindingKind.MINOR, FindingKind.MAJOR})


class Outcome(StrEnum):
    TIER_2 = "tier_2"
    TIER_3 = "tier_3"
    CORRECTIVE_ACTION = "corrective_action"
    SUSPENSION_RECOMMENDED = "suspension_recommended"

    @property
    def label(self) -> str:
        return OUTCOME_LABELS[self]

    @property
    def tier(self) -> int | None:
        return {Outcome.TIER_2: 2, Outcome.TIER_3: 3}.get(self)


OUTCOME_LABELS: dict[Outcome, str] = {
    Outcome.TIER_2: "Validated — Tier 2 (meets the criteria)",
    Outcome.TIER_3: "Validated — Tier 3 (best practices beyond the criteria)",
    Outcome.CORRECTIVE_ACTION: "Corrective action required",
    Outcome.SUSPENSION_RECOMMENDED: "Recommend suspension to the program director",
}

# Days the partner gets to fix deficiencies unless the specialist sets another date (policy).
CORRECTIVE_ACTION_DAYS = 30
# The longest deadline a corrective action may be given (policy).
CORRECTIVE_ACTION_MAX_DAYS = 180


def outcome_refusal(outcome: Outcome, findings: Iterable[FindingKind]) -> str | None:
    """Why the findings do not allow ``outcome``, or None when they do.

    Any major deficiency rules out validation: corrective action or a suspension recommendation.
    Tier 3 needs no deficiency at all and at least one best practice beyond the criteria.
    Corrective action needs something to correct.
    """
    kinds = set(findings)
    if not kinds:
        return "Record the validation's findings first."
    has_major = FindingKind.MAJOR in kinds
    if outcome is Outcome.TIER_2 and has_major:
        return "A major deficiency rules out validation: require corrective action or recommend suspension."
    if outcome is Outcome.TIER_3 and kinds & DEFICIENCIES:
        return "Tier 3 needs a validation without deficiencies."
    if outcome is Outcome.TIER_3 and FindingKind.BEST_PRACTICE not in kinds:
        return "Tier 3 needs best practices that exceed the criteria."
    if outcome is Outcome.CORRECTIVE_ACTION and not kinds & DEFICIENCIES:
        return "Corrective action needs at least one deficiency to correct."
    if outcome is Outcome.SUSPENSION_RECOMMENDED and not has_major:
        return "A suspension can only be recommended for a major deficiency."
    return None


def allowed_outcomes(findings: Iterable[FindingKind]) -> list[Outcome]:
    """Every outcome the findings allow, in the order of ``Outcome``.

    >>> allowed_outcomes([FindingKind.COMPLIANT, FindingKind.BEST_PRACTICE])
    [<Outcome.TIER_2: 'tier_2'>, <Outcome.TIER_3: 'tier_3'>]
    """
    kinds = list(findings)
    return [o for o in Outcome if outcome_refusal(o, kinds) is None]


@dataclass(frozen=True)
class DecisionInput:
    outcome: Outcome
    rationale: str = ""
    deadline: date | None = None
    corrective_items: str = ""


def decision_errors(
    decision: DecisionInput, *, findings: Sequence[FindingKind], today: date
) -> dict[str, list[str]]:
    """Why the proposed decision cannot be made, per field (empty when it can)."""
    errors: dict[str, list[str]] = {}
    refusal = outcome_refusal(decision.outcome, findings)
    if refusal:
        errors["outcome"] = [refusal]
    if decision.outcome is Outcome.CORRECTIVE_ACTION:
        if decision.deadline is None:
            errors["deadline"] = ["Set the date by which the deficiencies must be corrected."]
        elif decision.deadline <= today:
            errors["deadline"] = ["The deadline must be after today."]
        elif decision.deadline > today + timedelta(days=CORRECTIVE_ACTION_MAX_DAYS):
            errors["deadline"] = [f"The deadline may be at most {CORRECTIVE_ACTION_MAX_DAYS} days away."]
        if not decision.corrective_items.strip():
            errors["corrective_items"] = ["List the items the partner must correct."]
    if decision.outcome is Outcome.SUSPENSION_RECOMMENDED and not decision.rationale.strip():
        errors["rationale"] = ["Say why suspension is recommended; the program director reads it."]
    return errors


def default_corrective_deadline(today: date) -> date:
    return today + timedelta(days=CORRECTIVE_ACTION_DAYS)


# Days the partner has to answer the report before a decision may be proposed without its
# response (policy).
RESPONSE_DAYS = 30


def proposal_refusal(*, responded: bool, report_sent_on: date | None, today: date) -> str | None:
    """A decision waits for the partner's response, or for the response window to close."""
    if responded:
        return None
    if report_sent_on is None:
        return "Send the report to the partner first."
    if today < report_sent_on + timedelta(days=RESPONSE_DAYS):
        closes = report_sent_on + timedelta(days=RESPONSE_DAYS)
        return f"The partner may respond until {closes.isoformat()}; propose the decision after its response."
    return None


# --- The worksheet -----------------------------------------------------------------------------


@dataclass(frozen=True)
class WorksheetInput:
    """What the specialist typed on a site's worksheet, before it is checked."""

    inspections: Mapping[str, Mapping[str, Mapping[str, str]]]  # checklist -> point -> result/note
    vvtt: Mapping[str, bool]
    seal_class_seen: str = ""
    seal_log_kept: bool | None = None
    observations: str = ""


NOTE_MAX = 2000


def point_field(checklist: str, point: str, part: str) -> str:
    """The form field name of one checklist point's result or note."""
    return f"{checklist}__{point}__{part}"


def worksheet_errors(worksheet: WorksheetInput) -> dict[str, list[str]]:
    """Problems per form field: unknown points or results, an issue without a note, an unknown
    seal class. The caller saves every field without a problem, so nothing typed is lost."""
    errors: dict[str, list[str]] = {}
    for checklist_code, points in worksheet.inspections.items():
        checklist = CHECKLISTS.get(checklist_code)
        if checklist is None:
            errors[checklist_code] = ["Unknown inspection checklist."]
            continue
        for point_code, observed in points.items():
            if point_code not in checklist.point_codes:
                errors[point_field(checklist_code, point_code, "result")] = ["Unknown inspection point."]
                continue
            errors.update(_point_errors(checklist_code, point_code, observed))
    unknown_steps = set(worksheet.vvtt) - {s.code for s in VVTT_STEPS}
    if unknown_steps:
        errors["vvtt"] = [f"Unknown VVTT steps: {', '.join(sorted(unknown_steps))}."]
    if worksheet.seal_class_seen and worksheet.seal_class_seen not in {c.value for c in SealClass}:
        errors["seal_class_seen"] = ["Choose the ISO 17712 class I, S or H."]
    return errors


def visit_date_error(visited_on: date | None, *, today: date) -> str | None:
    if visited_on is not None and visited_on > today:
        return "The visit date cannot be in the future."
    return None


def _point_errors(checklist: str, point: str, observed: Mapping[str, str]) -> dict[str, list[str]]:
    result = observed.get("result", "")
    note = observed.get("note", "")
    if result not in {r.value for r in PointResult}:
        return {point_field(checklist, point, "result"): ["Choose OK or issue."]}
    if len(note) > NOTE_MAX:
        return {point_field(checklist, point, "note"): [f"Keep the note under {NOTE_MAX} characters."]}
    if result == PointResult.ISSUE and not note.strip():
        return {point_field(checklist, point, "note"): ["Describe the issue that was seen."]}
    return {}


@dataclass(frozen=True)
class SealCheck:
    vvtt: Mapping[str, bool]
    seal_class_seen: str
    seal_log_kept: bool | None


def seal_concerns(check: SealCheck) -> list[str]:
    """What the seal checks found wrong, in words for the report (empty when all is well)."""
    concerns = [f"VVTT step not performed: {s.name}." for s in VVTT_STEPS if not check.vvtt.get(s.code)]
    if check.seal_class_seen and not seal_class_acceptable(check.seal_class_seen):
        concerns.append(
            f"Seal of ISO 17712 class {check.seal_class_seen} seen; class H (high security) is required."
        )
    if check.seal_log_kept is False:
        concerns.append("No inventory log of seals received and issued.")
    return concerns


# --- Readiness of the report -------------------------------------------------------------------


@dataclass(frozen=True)
class FindingFacts:
    criterion: str
    kind: str  # a FindingKind value, or "" for a draft without a finding yet
    narrative: str
    site: str = ""


@dataclass(frozen=True)
class VisitFacts:
    site: str
    mode: SiteMode
    visited: bool


def report_gaps(*, visits: Sequence[VisitFacts], findings: Sequence[FindingFacts]) -> list[str]:
    """What must be done before the report can be sent to the partner (empty when ready)."""
    gaps = [
        f"{v.site}: record the date of the visit."
        for v in visits
        if v.mode is SiteMode.VISIT and not v.visited
    ]
    if not any(f.kind for f in findings):
        gaps.append("Record at least one finding.")
    for finding in findings:
        where = f" at {finding.site}" if finding.site else ""
        if not finding.kind:
            gaps.append(f"Criterion {finding.criterion}{where}: choose a finding or clear the draft.")
        elif FindingKind(finding.kind).is_deficiency and not finding.narrative.strip():
            gaps.append(f"Criterion {finding.criterion}{where}: describe the deficiency.")
    return gaps


def finding_tally(kinds: Iterable[str]) -> dict[FindingKind, int]:
    """How many findings of each kind (drafts without a kind are not counted)."""
    tally = dict.fromkeys(FindingKind, 0)
    for kind in kinds:
        if kind:
            tally[FindingKind(kind)] += 1
    return tally


# --- The validation's stages -------------------------------------------------------------------


class Stage(StrEnum):
    PLANNED = "planned"
    FIELDWORK = "fieldwork"
    REPORT_SENT = "report_sent"
    RESPONDED = "responded"
    PROPOSED = "proposed"
    DECIDED = "decided"

    @property
    def label(self) -> str:
        return STAGE_LABELS[self]


STAGE_LABELS: dict[Stage, str] = {
    Stage.PLANNED: "Planned",
    Stage.FIELDWORK: "Visit and findings",
    Stage.REPORT_SENT: "Report sent to the partner",
    Stage.RESPONDED: "Partner responded",
    Stage.PROPOSED: "Decision proposed (awaiting a supervisor)",
    Stage.DECIDED: "Decided",
}
# Stages in which the plan, the sites, the worksheets and the findings can still change.
FIELDWORK_STAGES = frozenset({Stage.PLANNED, Stage.FIELDWORK})
# Stages the partner can see (its report has been sent).
PARTNER_VISIBLE_STAGES = frozenset({Stage.REPORT_SENT, Stage.RESPONDED, Stage.PROPOSED, Stage.DECIDED})
OPEN_STAGES = frozenset(Stage) - {Stage.DECIDED}

# Each step of the validation: the stages it may be taken from, and where it leads.
STAGE_STEPS: dict[str, tuple[frozenset[Stage], Stage]] = {
    "record_fieldwork": (FIELDWORK_STAGES, Stage.FIELDWORK),
    "send_report": (FIELDWORK_STAGES, Stage.REPORT_SENT),
    "respond": (frozenset({Stage.REPORT_SENT}), Stage.RESPONDED),
    "propose": (frozenset({Stage.REPORT_SENT, Stage.RESPONDED}), Stage.PROPOSED),
    "approve": (frozenset({Stage.PROPOSED}), Stage.DECIDED),
}
STEP_LABELS = {
    "record_fieldwork": "Record the visit and findings",
    "send_report": "Send the report",
    "respond": "Respond to the report",
    "propose": "Propose a decision",
    "approve": "Approve the decision",
    "return_proposal": "Return the proposal",
}


class StageError(Exception):
    """A step that is not possible in the validation's current stage."""


def stage_after(step: str, current: Stage) -> Stage:
    """The stage ``step`` leads to from ``current``; StageError when it cannot be taken now.

    >>> stage_after("send_report", Stage.FIELDWORK)
    <Stage.REPORT_SENT: 'report_sent'>
    """
    sources, target = STAGE_STEPS[step]
    if current not in sources:
        raise StageError(f"{STEP_LABELS[step]} is not possible when the validation is “{current.label}”.")
    return target


def stage_after_return(current: Stage, *, partner_responded: bool) -> Stage:
    """A returned proposal goes back to the stage before it: responded, or report sent."""
    if current is not Stage.PROPOSED:
        raise StageError("Only a proposed decision can be returned.")
    return Stage.RESPONDED if partner_responded else Stage.REPORT_SENT
