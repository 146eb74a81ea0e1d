"""What the demo program looks like: which company is in which status, and the path it took.

Pure data and rules, no Django. Each company gets an entity type and a *plan*: the status it
ends in, how many days ago its deciding event happened (so the 90-day and one-year clocks
vary) and a variant. ``journey`` turns a plan into the transitions of the real lifecycle
table, each with the role that takes it and the number of days ago it happened.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from ctpat.core.entity_types import EntityType
from ctpat.core.lifecycle import PartnerStatus

S = PartnerStatus
OFFICER = "company_officer"
SPECIALIST = "specialist"
SUPERVISOR = "supervisor"
DIRECTOR = "program_director"


@dataclass(frozen=True)
class CompanyPlan:
    status: PartnerStatus
    anchor_days: int  # days ago of the event that put the company in its status
    variant: str = ""


@dataclass(frozen=True)
class Step:
    transition: str
    role: str
    days_ago: int
    reason: str = ""
    facts: Mapping[str, object] = field(default_factory=dict)
    details: Mapping[str, object] = field(default_factory=dict)


# The first ten plans cover every status and the first fourteen companies every entity type,
# so a small demo (``--partners 14``) still shows everything. Clocks: one application is
# overdue (submitted 96 days ago), a few are near their 90-day due date, and one certified
# partner is close to its one-year validation date.
PLANS: tuple[CompanyPlan, ...] = (
    CompanyPlan(S.PRE_APPLICANT, 0, "ready"),  # Acme: the draft the demo officer completes
    CompanyPlan(S.APPLICANT, 82),
    CompanyPlan(S.UNDER_REVIEW, 96),  # overdue
    CompanyPlan(S.CERTIFIED, 340),  # validation due in about 25 days
    CompanyPlan(S.VALIDATED, 120, "tier3"),
    CompanyPlan(S.CORRECTIVE_ACTION, 20),
    CompanyPlan(S.SUSPENDED, 15),
    CompanyPlan(S.REMOVED, 45),
    CompanyPlan(S.WITHDRAWN, 10),
    CompanyPlan(S.REJECTED, 30),
    CompanyPlan(S.PRE_APPLICANT, 25, "returned"),
    CompanyPlan(S.UNDER_REVIEW, 86),  # 4 days left
    CompanyPlan(S.APPLICANT, 5),
    CompanyPlan(S.PRE_APPLICANT, 0, "early"),
    CompanyPlan(S.CERTIFIED, 60),
    CompanyPlan(S.VALIDATED, 200),
    CompanyPlan(S.UNDER_REVIEW, 40),
    CompanyPlan(S.APPLICANT, 30),
    CompanyPlan(S.PRE_APPLICANT, 0, "half"),
    CompanyPlan(S.CERTIFIED, 15, "reinstated"),
    CompanyPlan(S.UNDER_REVIEW, 70),
    CompanyPlan(S.VALIDATED, 400),
    CompanyPlan(S.CORRECTIVE_ACTION, 50),
    CompanyPlan(S.APPLICANT, 60),
    CompanyPlan(S.CERTIFIED, 150),
    CompanyPlan(S.WITHDRAWN, 90, "member"),
    CompanyPlan(S.UNDER_REVIEW, 12),
    CompanyPlan(S.PRE_APPLICANT, 0, "half"),
    CompanyPlan(S.VALIDATED, 30),
    CompanyPlan(S.REJECTED, 100),
    CompanyPlan(S.APPLICANT, 88),  # 2 days left
    CompanyPlan(S.CERTIFIED, 250),
    CompanyPlan(S.SUSPENDED, 40),
    CompanyPlan(S.UNDER_REVIEW, 55),
    CompanyPlan(S.CORRECTIVE_ACTION, 8),
    CompanyPlan(S.PRE_APPLICANT, 0, "early"),
    CompanyPlan(S.APPLICANT, 18),
    CompanyPlan(S.VALIDATED, 75, "tier3"),
    CompanyPlan(S.CERTIFIED, 100),
    CompanyPlan(S.REMOVED, 160),
)

ENTITY_TYPES: tuple[EntityType, ...] = tuple(EntityType)


def company_plan(index: int) -> CompanyPlan:
    """The plan of the ``index``-th company; past the table, plans repeat with later dates."""
    plan = PLANS[index % len(PLANS)]
    if index < len(PLANS) or plan.anchor_days == 0:
        return plan
    return CompanyPlan(plan.status, plan.anchor_days + index // len(PLANS), plan.variant)


def company_entity_type(index: int) -> EntityType:
    return ENTITY_TYPES[index % len(ENTITY_TYPES)]


def _submit(days: int) -> Step:
    return Step("submit", OFFICER, days)


def _certified(days: int) -> list[Step]:
    """Submission, review and certification, the last one ``days`` ago."""
    return [
        _submit(days + 80),
        Step("start_review", SPECIALIST, days + 74),
        Step(
            "certify",
            SUPERVISOR,
            days,
            facts={"vetting_complete": True, "risk_assessed": True},
            details={"tier": 1},
        ),
    ]


def journey(plan: CompanyPlan) -> list[Step]:
    """The transitions that lead to ``plan.status``, oldest first (``days_ago`` decreasing)."""
    days = plan.anchor_days
    paths: dict[PartnerStatus, list[Step]] = {
        S.PRE_APPLICANT: _draft_path(plan),
        S.APPLICANT: [_submit(days)],
        S.UNDER_REVIEW: [_submit(days), Step("start_review", SPECIALIST, max(days - 3, 0))],
        S.CERTIFIED: _certified_path(plan),
        S.VALIDATED: [
            *_certified(days + 200),
            Step(
                "validate",
                SUPERVISOR,
                days,
                facts={"validation_approved": True},
                details={"tier": 3 if plan.variant == "tier3" else 2},
            ),
        ],
        S.CORRECTIVE_ACTION: [
            *_certified(days + 150),
            Step("require_corrective_action", SPECIALIST, days, reason=REASONS["corrective_action"]),
        ],
        S.SUSPENDED: [
            *_certified(days + 200),
            Step("require_corrective_action", SPECIALIST, days + 60, reason=REASONS["corrective_action"]),
            Step("suspend", DIRECTOR, days, reason=REASONS["suspend"]),
        ],
        S.REMOVED: [
            *_certified(days + 200),
            Step("suspend", DIRECTOR, days + 45, reason=REASONS["suspend"]),
            Step("remove", DIRECTOR, days, reason=REASONS["remove"]),
        ],
        S.WITHDRAWN: _withdrawn_path(plan),
        S.REJECTED: [
            _submit(days + 60),
            Step("start_review", SPECIALIST, days + 50),
            Step("reject", SUPERVISOR, days, reason=REASONS["reject"]),
        ],
    }
    return paths[plan.status]


def _draft_path(plan: CompanyPlan) -> list[Step]:
    if plan.variant != "returned":
        return []
    return [
        _submit(plan.anchor_days + 14),
        Step("start_review", SPECIALIST, plan.anchor_days + 10),
        Step("return_to_partner", SPECIALIST, plan.anchor_days, reason=REASONS["return"]),
    ]


def _certified_path(plan: CompanyPlan) -> list[Step]:
    if plan.variant != "reinstated":
        return _certified(plan.anchor_days)
    days = plan.anchor_days
    return [
        *_certified(days + 300),
        Step("require_corrective_action", SPECIALIST, days + 120, reason=REASONS["corrective_action"]),
        Step("suspend", DIRECTOR, days + 60, reason=REASONS["suspend"]),
        Step("reinstate", DIRECTOR, days, facts={"corrective_plan_accepted": True}),
    ]


def _withdrawn_path(plan: CompanyPlan) -> list[Step]:
    withdraw = Step("withdraw", OFFICER, plan.anchor_days, reason=REASONS["withdraw"])
    if plan.variant == "member":
        return [*_certified(plan.anchor_days + 180), withdraw]
    return [_submit(plan.anchor_days + 20), withdraw]


REASONS: dict[str, str] = {
    "return": (
        "Criteria 6.2 and 7.23: describe how seals are stored and logged, and attach the incident "
        "reporting procedure."
    ),
    "corrective_action": (
        "Validation found seal logs incomplete at the main warehouse (criterion 6.5); submit a "
        "corrective action plan within 30 days."
    ),
    "suspend": "The corrective action plan was not delivered by its deadline; benefits are suspended.",
    "remove": "Knowingly false information in the security profile (criterion 11.1 records).",
    "reject": "Vetting found unresolved derogatory information about a business partner (criterion 3.4).",
    "withdraw": "The company no longer imports into the United States and leaves the program.",
}
