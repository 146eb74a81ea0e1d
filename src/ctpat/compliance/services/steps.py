"""The one writer of compliance records' states: a step of the table in ``core.sanctions`` and
its event row, in the caller's transaction; and whom the steps tell.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from ctpat.accounts.models import Membership, User
from ctpat.accounts.roles import Role
from ctpat.applications.models import Partner
from ctpat.compliance.models import (
    Appeal,
    ComplianceCase,
    ComplianceEvent,
    CorrectiveActionPlan,
    PlanObjective,
    SanctionRecommendation,
    VisitConsent,
    WarningLetter,
)
from ctpat.core.lifecycle import ACTIVE, PartnerStatus
from ctpat.core.sanctions import (
    NEW,
    PARTNER_SIDE,
    Benefit,
    Official,
    SanctionKind,
    Subject,
    check_step,
)

ROLE_OFFICIALS: dict[str, Official] = {
    Role.COMPANY_OFFICER: Official.COMPANY_OFFICER,
    Role.EMPLOYEE: Official.PARTNER_EDITOR,
    Role.CONSULTANT: Official.PARTNER_EDITOR,
    Role.SPECIALIST: Official.SPECIALIST,
    Role.SUPERVISOR: Official.SUPERVISOR,
    Role.PROGRAM_DIRECTOR: Official.PROGRAM_DIRECTOR,
}
# A case is opened on a member or a suspended partner (a removed one is out of the program).

SANCTIONABLE = frozenset({*ACTIVE, PartnerStatus.SUSPENDED})
ALLOWED_BY_KIND = {SanctionKind.SUSPEND: frozenset(ACTIVE), SanctionKind.REMOVE: SANCTIONABLE}
MAX_RESPONSE_DAYS = 180

StatefulRecord = (
    ComplianceCase
    | WarningLetter
    | CorrectiveActionPlan
    | PlanObjective
    | SanctionRecommendation
    | Appeal
    | VisitConsent
)


def official_for(membership: Membership) -> Official | None:
    return ROLE_OFFICIALS.get(membership.role)


def compliance_step(
    *,
    actor: User,
    membership: Membership,
    partner: Partner,
    record: StatefulRecord,
    subject: Subject,
    step: str,
    reason: str = "",
    facts: Mapping[str, object] | None = None,
    details: Mapping[str, Any] | None = None,
) -> ComplianceEvent:
    """Take one step of a compliance record: check it against the table, then write the new
    state and the event row. A record not yet saved is created by its first step."""
    assert transaction.get_connection().in_atomic_block, "compliance steps run inside a transaction"
    official = official_for(membership)
    if official in PARTNER_SIDE and membership.organization_id != partner.organization_id:
        official = None  # a partner user acts only for its own company
    current = NEW
    if record.pk:
        current = (
            type(record)
            ._default_manager.select_for_update()
            .values_list("state", flat=True)
            .get(pk=record.pk)
        )
    all_facts = {**(facts or {}), "reason": reason, "actor_id": actor.pk}
    rule = check_step(subject, step, current=current, official=official, facts=all_facts)
    record.state = rule.target
    record.save()
    return ComplianceEvent.objects.create(
        partner=partner,
        subject=subject,
        subject_id=record.pk,
        step=step,
        from_state=current,
        to_state=rule.target,
        actor=actor,
        actor_role=membership.role,
        reason=reason.strip(),
        details=dict(details or {}),
        at=timezone.now(),
    )


def benefit_values(benefits: Collection[Benefit]) -> list[str]:
    """The benefits' names, in the order of ``Benefit`` (as event details record them)."""
    return [b.value for b in Benefit if b in set(benefits)]


def record_url(name: str, *args: int) -> str:
    return reverse(f"compliance:{name}", args=list(args))


def specialists_for(partner: Partner, fallback: User | None = None) -> list[User]:
    if partner.assigned_specialist_id and partner.assigned_specialist:
        return [partner.assigned_specialist]
    return [fallback] if fallback else []
