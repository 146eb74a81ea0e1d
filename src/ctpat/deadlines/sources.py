"""Clock sources of the application lifecycle: certification (90 days) and validation (1 year)."""

from __future__ import annotations

from collections.abc import Collection, Iterator

from django.urls import reverse

from ctpat.accounts.models import User
from ctpat.accounts.roles import Role
from ctpat.applications.models import Partner, PartnerEvent
from ctpat.applications.selectors import clock_policy
from ctpat.core.clocks import LifecycleEvent, open_clocks
from ctpat.core.lifecycle import FINAL_STATUSES
from ctpat.deadlines.registry import OpenDeadline, clock_source


def _officers(partner: Partner) -> list[User]:
    return list(
        User.objects.filter(
            memberships__organization_id=partner.organization_id, memberships__role=Role.COMPANY_OFFICER
        )
    )


@clock_source("lifecycle")
def lifecycle_deadlines(*, partner_ids: Collection[int] | None = None) -> Iterator[OpenDeadline]:
    partners = Partner.objects.exclude(status__in=list(FINAL_STATUSES)).select_related("assigned_specialist")
    if partner_ids is not None:
        partners = partners.filter(pk__in=list(partner_ids))
    by_partner: dict[int, list[LifecycleEvent]] = {}
    events = (
        PartnerEvent.objects.filter(partner__in=partners)
        .order_by("at")
        .values_list("partner_id", "transition", "at")
    )
    for partner_id, transition, at in events:
        by_partner.setdefault(partner_id, []).append(LifecycleEvent(transition, at))
    policy = clock_policy()
    for partner in partners:
        for clock in open_clocks(by_partner.get(partner.pk, []), policy):
            recipients: list[User] = [partner.assigned_specialist] if partner.assigned_specialist else []
            if clock.kind == "certification" and clock.paused_since is not None:
                recipients = _officers(partner)  # the application is back with the partner
            yield OpenDeadline(
                source="lifecycle",
                key=f"partner:{partner.pk}:{clock.kind}",
                label=str(clock.kind.label),
                partner_id=partner.pk,
                partner_name=partner.legal_name,
                started=clock.started,
                due=clock.due,
                url=reverse("agency:application", args=[partner.pk]),
                paused=clock.paused_since is not None,
                recipients=tuple(recipients),
            )
