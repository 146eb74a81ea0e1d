"""Demo validations: for the demo's certified, validated and corrective-action partners,
validations in every stage (planned, visit and findings, report sent, partner responded,
decision proposed, decided), taken step by step through the same services as the portal.

The lead's demo command calls ``demo_validation(rng=...)`` after the partners are built.
Partners that already have a validation are skipped, so running it twice adds nothing.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from ctpat.accounts.models import Membership, User
from ctpat.accounts.roles import Role
from ctpat.applications.models import Partner
from ctpat.applications.selectors import partner_tier
from ctpat.core.lifecycle import PartnerStatus
from ctpat.core.validation_rules import (
    VVTT_STEPS,
    DecisionInput,
    FindingKind,
    Outcome,
    Stage,
    WorksheetInput,
    default_corrective_deadline,
    mra_partner_for_country,
)
from ctpat.validation import services
from ctpat.validation.models import Validation, ValidationSite
from ctpat.validation.selectors import applicable_criteria

# Stages shown once each first (so a small demo shows them all), in this order.
EVERY_STAGE = (
    Stage.PLANNED,
    Stage.FIELDWORK,
    Stage.REPORT_SENT,
    Stage.RESPONDED,
    Stage.PROPOSED,
    Stage.DECIDED,
)
UNDECIDED = EVERY_STAGE[:-1]
FINDINGS_PER_VALIDATION = 8
RESPONSE = (
    "Thank you for the visit. We have retrained the dock staff on the 7-point inspection and on "
    "VVTT, moved seal storage to a locked cabinet with a signed log, and attach the updated procedure."
)


@dataclass(frozen=True)
class _Staff:
    specialists: list[tuple[User, Membership]]
    supervisor: tuple[User, Membership]


def demo_validation(*, rng: random.Random) -> int:
    """Add validations in every stage for the demo's members; returns how many were added."""
    staff = _staff()
    if staff is None:
        return 0
    partners = list(
        Partner.objects.filter(
            status__in=[PartnerStatus.CERTIFIED, PartnerStatus.VALIDATED, PartnerStatus.CORRECTIVE_ACTION],
            validations__isnull=True,
        ).order_by("pk")
    )
    plans = _stages_for(partners, rng)
    for index, (partner, stage) in enumerate(plans):
        with transaction.atomic():
            _build(partner, stage, staff, index, rng)
    return len(plans)


def _staff() -> _Staff | None:
    specialists = [
        (m.user, m) for m in Membership.objects.filter(role=Role.SPECIALIST).select_related("user")
    ]
    supervisor = Membership.objects.filter(role=Role.SUPERVISOR).select_related("user").first()
    if not specialists or supervisor is None:
        return None
    return _Staff(specialists, (supervisor.user, supervisor))


def _stages_for(partners: list[Partner], rng: random.Random) -> list[tuple[Partner, Stage]]:
    """Every stage once first (a decision only for partners already validated or in corrective
    action, so certified partners keep their running clocks), then a mix."""
    left = list(partners)
    chosen: list[tuple[Partner, Stage]] = []
    for stage in EVERY_STAGE:
        candidates = [p for p in left if (p.status != PartnerStatus.CERTIFIED) == (stage is Stage.DECIDED)]
        pick = candidates[0] if candidates else None
        if pick is None and stage is not Stage.DECIDED and left:
            pick = left[0]
        if pick is not None:
            chosen.append((pick, stage))
            left.remove(pick)
    for partner in left:
        stage = rng.choice(UNDECIDED) if partner.status == PartnerStatus.CERTIFIED else Stage.DECIDED
        chosen.append((partner, stage))
    return chosen


def _build(partner: Partner, stage: Stage, staff: _Staff, index: int, rng: random.Random) -> Validation:
    lead, lead_membership = _lead_for(partner, staff, index)
    team = [u for u, _ in staff.specialists if u != lead][:1]
    today = timezone.localdate()
    start = (
        today + timedelta(days=rng.randint(10, 40))
        if stage is Stage.PLANNED
        else today - timedelta(days=rng.randint(20, 60))
    )
    validation = services.validation_plan(
        actor=lead,
        membership=lead_membership,
        partner=partner,
        lead=lead,
        team=team,
        planned_start=start,
        planned_end=start + timedelta(days=rng.randint(1, 3)),
        scope="Security profile review and visits of the main sites; focus on seals and conveyance inspections.",
    )
    if stage is Stage.PLANNED:
        return validation
    outcome = _outcome_for(partner, rng)
    _fieldwork(validation, lead, lead_membership, outcome, rng)
    steps: list[Callable[[], object]] = [
        lambda: services.report_send(actor=lead, membership=lead_membership, validation=validation),
        lambda: _respond(validation),
        lambda: services.decision_propose(
            actor=lead, membership=lead_membership, validation=validation, decision=_decision(outcome)
        ),
        lambda: services.decision_approve(
            actor=staff.supervisor[0],
            membership=staff.supervisor[1],
            proposal=validation.proposals.get(),
            note="Agreed with the findings.",
        ),
    ]
    for step in steps[: EVERY_STAGE.index(stage) - 1]:
        step()
    return validation


def _lead_for(partner: Partner, staff: _Staff, index: int) -> tuple[User, Membership]:
    for user, membership in staff.specialists:
        if user.pk == partner.assigned_specialist_id:
            return user, membership
    return staff.specialists[index % len(staff.specialists)]


def _outcome_for(partner: Partner, rng: random.Random) -> Outcome:
    """What the findings will support: a validated partner keeps its tier, a partner in
    corrective action has deficiencies, a certified one usually meets the criteria."""
    if partner.status == PartnerStatus.VALIDATED:
        return Outcome.TIER_3 if partner_tier(partner).tier == 3 else Outcome.TIER_2
    if partner.status == PartnerStatus.CORRECTIVE_ACTION:
        return Outcome.CORRECTIVE_ACTION
    return rng.choice([Outcome.TIER_2, Outcome.TIER_2, Outcome.TIER_3, Outcome.CORRECTIVE_ACTION])


def _fieldwork(
    validation: Validation, actor: User, membership: Membership, outcome: Outcome, rng: random.Random
) -> None:
    for number, site in enumerate(validation.sites.all()):
        mra = mra_partner_for_country(site.country) if site.is_foreign else None
        if mra is not None and number % 2 == 1:
            site.mra_partner = mra.code
            site.mra_reference = f"{mra.program.split('/')[0]}-{rng.randint(10000, 99999)}"
            services.site_save(actor=actor, membership=membership, validation=validation, site=site)
            continue
        _worksheet(site, actor, membership, validation, outcome, rng)
    _findings(validation, actor, membership, outcome, rng)


def _worksheet(
    site: ValidationSite,
    actor: User,
    membership: Membership,
    validation: Validation,
    outcome: Outcome,
    rng: random.Random,
) -> None:
    points = {
        p: {"result": "ok", "note": ""}
        for p in (
            "front_wall",
            "left_side",
            "right_side",
            "floor",
            "ceiling_roof",
            "doors_locks",
            "outside_undercarriage",
        )
    }
    if outcome is Outcome.CORRECTIVE_ACTION:
        points["floor"] = {
            "result": "issue",
            "note": "New rivets on the floor plate; not recorded by the inspector.",
        }
    seal_ok = outcome is not Outcome.CORRECTIVE_ACTION
    services.worksheet_save(
        actor=actor,
        membership=membership,
        site=site,
        worksheet=WorksheetInput(
            inspections={"container_7": points},
            vvtt={s.code: seal_ok or s.code != "twist" for s in VVTT_STEPS},
            seal_class_seen="H" if seal_ok else "S",
            seal_log_kept=seal_ok,
            observations="Guard at the gate checks every driver's ID against the appointment list.",
        ),
        visited_on=min(validation.planned_start + timedelta(days=rng.randint(0, 1)), timezone.localdate()),
    )


def _findings(
    validation: Validation, actor: User, membership: Membership, outcome: Outcome, rng: random.Random
) -> None:
    criteria = applicable_criteria(validation)
    chosen = rng.sample(criteria, k=min(FINDINGS_PER_VALIDATION, len(criteria)))
    kinds = [FindingKind.COMPLIANT] * len(chosen)
    if outcome is Outcome.TIER_3:
        kinds[:2] = [FindingKind.BEST_PRACTICE, FindingKind.BEST_PRACTICE]
    elif outcome is Outcome.TIER_2:
        kinds[:2] = [FindingKind.OBSERVATION, FindingKind.MINOR]
    else:
        kinds[:2] = [FindingKind.MAJOR, FindingKind.MINOR]
    for criterion, kind in zip(chosen, kinds, strict=True):
        services.finding_save(
            actor=actor,
            membership=membership,
            validation=validation,
            site=None,
            criterion=criterion,
            kind=kind.value,
            narrative=NARRATIVES[kind].format(code=criterion.code),
        )


NARRATIVES = {
    FindingKind.COMPLIANT: "Procedure for {code} is written, known to the staff interviewed and followed.",
    FindingKind.MINOR: "The procedure for {code} exists but was last reviewed over a year ago.",
    FindingKind.MAJOR: "No evidence that {code} is applied: seals of class S in use, no seal log.",
    FindingKind.BEST_PRACTICE: "Beyond {code}: monthly unannounced internal audits with tracked corrective actions.",
    FindingKind.OBSERVATION: "Consider recording {code} checks electronically.",
}


def _respond(validation: Validation) -> None:
    officer = (
        Membership.objects.filter(organization=validation.partner.organization, role=Role.COMPANY_OFFICER)
        .select_related("user")
        .first()
    )
    assert officer is not None
    services.response_submit(actor=officer.user, membership=officer, validation=validation, text=RESPONSE)


def _decision(outcome: Outcome) -> DecisionInput:
    if outcome is Outcome.CORRECTIVE_ACTION:
        return DecisionInput(
            outcome,
            rationale="Seal control does not meet criterion 6.2.",
            deadline=default_corrective_deadline(timezone.localdate()),
            corrective_items="Use ISO 17712 class H seals only.\nKeep a log of seals received and issued.",
        )
    return DecisionInput(outcome, rationale="The findings meet the minimum security criteria.")
