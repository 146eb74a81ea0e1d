"""Cases, warning letters, corrective action plans and progress on their objectives."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ctpat.accounts.models import Membership, User
from ctpat.applications.models import Partner
from ctpat.compliance import selectors
from ctpat.compliance.models import (
    ComplianceCase,
    CorrectiveActionPlan,
    PlanObjective,
    WarningLetter,
)
from ctpat.compliance.services.steps import (
    MAX_RESPONSE_DAYS,
    SANCTIONABLE,
    compliance_step,
    record_url,
    specialists_for,
)
from ctpat.core.sanctions import (
    CaseState,
    LetterState,
    PlanState,
    Subject,
)
from ctpat.notifications.services import notify

# --- Cases -------------------------------------------------------------------------------------


@transaction.atomic
def case_open(
    *, actor: User, membership: Membership, partner: Partner, grounds: str, incident_id: int | None = None
) -> ComplianceCase:
    """An agency decider opens a non-compliance case on a partner, with its grounds (and the
    incident it comes from, when ``ctpat.incidents`` opens it)."""
    locked = Partner.objects.select_for_update().get(pk=partner.pk)
    case = ComplianceCase(
        partner=locked,
        grounds=grounds.strip(),
        incident_id=incident_id,
        opened_by=actor,
        opened_at=timezone.now(),
    )
    compliance_step(
        actor=actor,
        membership=membership,
        partner=locked,
        record=case,
        subject=Subject.CASE,
        step="open",
        reason=grounds,
        facts={"partner_sanctionable": locked.status in SANCTIONABLE},
        details={"incident_id": incident_id},
    )
    others = [u for u in specialists_for(locked) if u.pk != actor.pk]
    notify(
        users=others,
        subject=_("Non-compliance case opened: %(name)s") % {"name": locked.legal_name},
        body=grounds.strip(),
        url=record_url("case", case.pk),
    )
    return case


@transaction.atomic
def case_close(*, actor: User, membership: Membership, case: ComplianceCase, reason: str) -> ComplianceCase:
    """Close a case; its letters still open are resolved with the same reason."""
    compliance_step(
        actor=actor,
        membership=membership,
        partner=case.partner,
        record=case,
        subject=Subject.CASE,
        step="close",
        reason=reason,
    )
    for letter in case.letters.filter(state=LetterState.ISSUED):
        compliance_step(
            actor=actor,
            membership=membership,
            partner=case.partner,
            record=letter,
            subject=Subject.LETTER,
            step="resolve",
            reason=reason,
        )
    return case


# --- Warning letters ---------------------------------------------------------------------------


@transaction.atomic
def warning_letter_issue(
    *,
    actor: User,
    membership: Membership,
    case: ComplianceCase,
    deficiencies: str,
    required_actions: str,
    response_days: int,
) -> WarningLetter:
    """Send a warning letter on an open case; the partner's officers are told. Its deadline is
    ``response_days`` after this step's event."""
    letter = WarningLetter(
        case=case,
        deficiencies=deficiencies.strip(),
        required_actions=required_actions.strip(),
        response_days=response_days,
        issued_by=actor,
    )
    facts = {
        "case_open": case.state == CaseState.OPEN,
        "deficiencies": bool(letter.deficiency_lines()),
        "required_actions": bool(letter.action_lines()),
        "response_days_valid": 1 <= response_days <= MAX_RESPONSE_DAYS,
    }
    compliance_step(
        actor=actor,
        membership=membership,
        partner=case.partner,
        record=letter,
        subject=Subject.LETTER,
        step="issue",
        facts=facts,
        details={"response_days": response_days},
    )
    view = selectors.letter_view(letter)
    notify(
        users=selectors.partner_officers(case.partner),
        subject=_("Warning letter %(number)s from CTPAT") % {"number": letter.number},
        body=_(
            "CBP found deficiencies in your CTPAT membership. Correct them by %(due)s and answer with a corrective action plan."
        )
        % {"due": f"{timezone.localtime(view.due):%Y-%m-%d}"},
        url=record_url("letter", letter.pk),
    )
    return letter


# --- Corrective action plans -------------------------------------------------------------------


@dataclass(frozen=True)
class ObjectiveInput:
    description: str
    due_on: date


def _objectives_valid(objectives: Sequence[ObjectiveInput]) -> bool:
    today = timezone.localdate()
    return bool(objectives) and all(o.description.strip() and o.due_on >= today for o in objectives)


@transaction.atomic
def corrective_plan_submit(
    *,
    actor: User,
    membership: Membership,
    letter: WarningLetter,
    summary: str,
    objectives: Sequence[ObjectiveInput],
) -> CorrectiveActionPlan:
    """The partner answers a warning letter with a plan of dated objectives; a returned plan is
    resubmitted with its new objectives (the old ones are replaced)."""
    partner = letter.case.partner
    latest = selectors.latest_plan(letter)
    plan = latest if latest and latest.state == PlanState.RETURNED else CorrectiveActionPlan(letter=letter)
    facts = {
        "letter_open": letter.state == LetterState.ISSUED,
        "objectives_valid": _objectives_valid(objectives),
        "no_other_plan": latest is None or latest.state == PlanState.RETURNED,
    }
    plan.summary, plan.submitted_by = summary.strip(), actor
    submitted = [{"description": o.description.strip(), "due_on": o.due_on.isoformat()} for o in objectives]
    compliance_step(
        actor=actor,
        membership=membership,
        partner=partner,
        record=plan,
        subject=Subject.PLAN,
        step="submit",
        facts=facts,
        details={"objectives": submitted},
    )
    plan.objectives.all().delete()
    PlanObjective.objects.bulk_create(
        PlanObjective(plan=plan, description=o.description.strip(), due_on=o.due_on) for o in objectives
    )
    notify(
        users=specialists_for(partner, letter.issued_by),
        subject=_("Corrective action plan submitted: %(name)s") % {"name": partner.legal_name},
        body=plan.summary,
        url=record_url("case", letter.case_id),
    )
    return plan


def _objective_record(objective: PlanObjective) -> dict[str, Any]:
    return {"id": objective.pk, "description": objective.description, "due_on": objective.due_on.isoformat()}


@transaction.atomic
def corrective_plan_accept(
    *, actor: User, membership: Membership, plan: CorrectiveActionPlan, reason: str = ""
) -> CorrectiveActionPlan:
    """The agency accepts the plan: its objectives' dates become deadlines (the accept event
    records them) and the warning letter it answers is resolved."""
    letter = plan.letter
    partner = letter.case.partner
    objectives = [_objective_record(o) for o in plan.objectives.all()]
    compliance_step(
        actor=actor,
        membership=membership,
        partner=partner,
        record=plan,
        subject=Subject.PLAN,
        step="accept",
        reason=reason,
        details={"objectives": objectives},
    )
    if letter.state == LetterState.ISSUED:
        compliance_step(
            actor=actor,
            membership=membership,
            partner=partner,
            record=letter,
            subject=Subject.LETTER,
            step="resolve",
            reason=_("Corrective action plan accepted."),
        )
    notify(
        users=selectors.partner_officers(partner),
        subject=_("Corrective action plan accepted"),
        body=_("Report progress on each objective by its date.")
        + (f" {reason.strip()}" if reason.strip() else ""),
        url=record_url("mine"),
    )
    return plan


@transaction.atomic
def corrective_plan_return(
    *, actor: User, membership: Membership, plan: CorrectiveActionPlan, reason: str
) -> CorrectiveActionPlan:
    """The agency returns the plan with what must change; the partner resubmits it."""
    partner = plan.letter.case.partner
    compliance_step(
        actor=actor,
        membership=membership,
        partner=partner,
        record=plan,
        subject=Subject.PLAN,
        step="return",
        reason=reason,
    )
    notify(
        users=selectors.partner_officers(partner),
        subject=_("Corrective action plan returned for changes"),
        body=reason.strip(),
        url=record_url("plan", plan.letter_id),
    )
    return plan


@transaction.atomic
def objective_progress(
    *, actor: User, membership: Membership, objective: PlanObjective, note: str, completed: bool = False
) -> PlanObjective:
    """The partner reports progress on an objective of an accepted plan (or that it is done)."""
    plan = objective.plan
    compliance_step(
        actor=actor,
        membership=membership,
        partner=plan.letter.case.partner,
        record=objective,
        subject=Subject.OBJECTIVE,
        step="complete" if completed else "progress",
        reason=note,
        facts={"plan_accepted": plan.state == PlanState.ACCEPTED},
    )
    return objective
