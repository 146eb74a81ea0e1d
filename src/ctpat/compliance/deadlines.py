"""Clock sources of compliance, each recomputed from the event rows on every call:

- ``warning_letter``: the time a letter gave to correct its deficiencies (the partner acts);
- ``corrective_action``: the dated objectives of accepted plans (the partner acts);
- ``appeal``: the partner's window to appeal its latest decision, and the agency's 180 days
  to decide a filed appeal.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator

from django.urls import reverse
from django.utils import timezone

from ctpat.accounts.models import User
from ctpat.applications.models import Partner, PartnerEvent
from ctpat.compliance.models import Appeal
from ctpat.compliance.selectors import appeal_policy, directors_other_than, partner_officers, sanction_events
from ctpat.core.lifecycle import FINAL_STATUSES, PartnerStatus
from ctpat.core.sanctions import (
    ComplianceClock,
    DecisionEvent,
    appeal_decision_clocks,
    appeal_filing_clock,
    letter_clocks,
    objective_clocks,
)
from ctpat.deadlines.registry import OpenDeadline, clock_source

# The statuses an appealable decision (suspension, removal, rejection) leaves a partner in.
SANCTIONED = [PartnerStatus.SUSPENDED, PartnerStatus.REMOVED, PartnerStatus.REJECTED]


def _partners(partner_ids: Collection[int]) -> dict[int, Partner]:
    return {p.pk: p for p in Partner.objects.filter(pk__in=list(partner_ids))}


def _members(partner_ids: Collection[int]) -> dict[int, Partner]:
    """Letters and objectives stop counting once the partner has left the program."""
    return {
        p.pk: p for p in Partner.objects.filter(pk__in=list(partner_ids)).exclude(status__in=FINAL_STATUSES)
    }


def _deadline(
    source: str, key: str, partner: Partner, clock: ComplianceClock, url: str, recipients: list[User]
) -> OpenDeadline:
    return OpenDeadline(
        source=source,
        key=key,
        label=clock.kind.label,
        partner_id=partner.pk,
        partner_name=partner.legal_name,
        started=clock.started,
        due=clock.due,
        url=url,
        recipients=tuple(recipients),
    )


@clock_source("warning_letter")
def warning_letter_deadlines(*, partner_ids: Collection[int] | None = None) -> Iterator[OpenDeadline]:
    events = sanction_events(partner_ids=partner_ids)
    partners = _members(events)
    for partner_id, history in events.items():
        for clock in letter_clocks(history) if partner_id in partners else []:
            partner = partners[partner_id]
            url = reverse("compliance:letter", args=[clock.subject_id])
            key = f"warning_letter:{clock.subject_id}"
            yield _deadline("warning_letter", key, partner, clock, url, partner_officers(partner))


@clock_source("corrective_action")
def corrective_action_deadlines(*, partner_ids: Collection[int] | None = None) -> Iterator[OpenDeadline]:
    events = sanction_events(partner_ids=partner_ids)
    partners = _members(events)
    for partner_id, history in events.items():
        for clock in objective_clocks(history) if partner_id in partners else []:
            partner = partners[partner_id]
            key = f"objective:{clock.subject_id}"
            url = reverse("compliance:mine")
            yield _deadline("corrective_action", key, partner, clock, url, partner_officers(partner))


@clock_source("appeal")
def appeal_deadlines(*, partner_ids: Collection[int] | None = None) -> Iterator[OpenDeadline]:
    yield from _filing_windows(partner_ids)
    yield from _appeal_decisions(partner_ids)


def _filing_windows(partner_ids: Collection[int] | None) -> Iterator[OpenDeadline]:
    """The window to appeal the latest decision of each sanctioned partner, while it is open."""
    rows = PartnerEvent.objects.filter(partner__status__in=SANCTIONED)
    if partner_ids is not None:
        rows = rows.filter(partner_id__in=list(partner_ids))
    by_partner: dict[int, list[DecisionEvent]] = {}
    for row in rows.order_by("at", "id"):
        by_partner.setdefault(row.partner_id, []).append(
            DecisionEvent(row.pk, row.transition, row.at, row.details)
        )
    appealed = set(
        Appeal.objects.filter(partner_id__in=list(by_partner)).values_list("decision_event_id", flat=True)
    )
    partners = _partners(by_partner)
    now = timezone.now()
    for partner_id, decisions in by_partner.items():
        clock = appeal_filing_clock(decisions, appealed, appeal_policy(), now=now)
        if clock is None:
            continue
        partner = partners[partner_id]
        url = reverse("compliance:appeal_new", args=[clock.subject_id])
        key = f"appeal_filing:{clock.subject_id}"
        yield _deadline("appeal", key, partner, clock, url, partner_officers(partner))


def _appeal_decisions(partner_ids: Collection[int] | None) -> Iterator[OpenDeadline]:
    """Filed appeals, each to be decided within 180 days by a director who did not decide."""
    events = sanction_events(partner_ids=partner_ids)
    partners = _partners(events)
    policy = appeal_policy()
    for partner_id, history in events.items():
        for clock in appeal_decision_clocks(history, policy):
            appeal = Appeal.objects.select_related("decision_event").get(pk=clock.subject_id)
            directors = list(directors_other_than(appeal.decision_event.actor_id))
            url = reverse("compliance:appeal", args=[appeal.pk])
            key = f"appeal_decision:{appeal.pk}"
            yield _deadline("appeal", key, partners[partner_id], clock, url, directors)
