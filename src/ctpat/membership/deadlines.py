"""Clock sources of keeping membership, each recomputed from event rows on every read:

- ``annual_review``: re-submit the security profile by the membership anniversary (from the
  certification event and the review's events);
- ``full_revalidation``: a validation with site visits every few years (from the last
  ``validate`` event);
- ``improvement_action``: an open action's due date (from the action's events).
"""

from __future__ import annotations

from collections.abc import Collection, Iterator
from datetime import datetime, time, timedelta

from django.urls import reverse

from ctpat.applications.models import Partner
from ctpat.deadlines.registry import OpenDeadline, clock_source
from ctpat.membership import selectors
from ctpat.membership.models import AnnualReview, ImprovementAction


@clock_source("annual_review")
def annual_review_deadlines(*, partner_ids: Collection[int] | None = None) -> Iterator[OpenDeadline]:
    partners = Partner.objects.select_related("assigned_specialist")
    if partner_ids is not None:
        partners = partners.filter(pk__in=list(partner_ids))
    partners_by_id = {p.pk: p for p in partners}
    reviews = {
        (r.partner_id, r.cycle): r.pk for r in AnnualReview.objects.filter(partner__in=list(partners_by_id))
    }
    for partner_id, clocks in selectors.review_clocks(partners_by_id.values()).items():
        partner = partners_by_id[partner_id]
        for clock in clocks:
            review_id = reviews.get((partner_id, clock.cycle))
            yield OpenDeadline(
                source="annual_review",
                key=f"partner:{partner_id}:annual_review:{clock.cycle}",
                label=f"Annual review, membership year {clock.cycle} (re-submit by the anniversary)",
                partner_id=partner_id,
                partner_name=partner.legal_name,
                started=clock.opens_at,
                due=clock.due,
                url=(
                    reverse("membership:review", args=[review_id])
                    if review_id
                    else reverse("membership:partner", args=[partner_id])
                ),
                recipients=tuple(selectors.partner_officers(partner)),
            )


@clock_source("full_revalidation")
def full_revalidation_deadlines(*, partner_ids: Collection[int] | None = None) -> Iterator[OpenDeadline]:
    for partner, clock in selectors.full_revalidation_clocks(partner_ids=partner_ids):
        yield OpenDeadline(
            source="full_revalidation",
            key=f"partner:{partner.pk}:full_revalidation",
            label="Full revalidation with site visits",
            partner_id=partner.pk,
            partner_name=partner.legal_name,
            started=clock.last_validated,
            due=clock.due,
            url=selectors.validation_plan_url(partner) or reverse("membership:agency"),
            recipients=tuple(selectors.partner_specialist(partner)),
        )


@clock_source("improvement_action")
def improvement_action_deadlines(*, partner_ids: Collection[int] | None = None) -> Iterator[OpenDeadline]:
    dues = selectors.open_action_dues(partner_ids)
    rows = ImprovementAction.objects.filter(pk__in=list(dues)).select_related("partner", "created_by")
    tz = selectors.program_tz()
    for action in rows:
        partner = action.partner
        yield OpenDeadline(
            source="improvement_action",
            key=f"improvement_action:{action.pk}",
            label=f"Improvement action: {action.title} (owner: {action.owner})",
            partner_id=partner.pk,
            partner_name=partner.legal_name,
            started=action.created_at,
            # Due by the end of the due day, where the program keeps its dates (as the windows).
            due=datetime.combine(dues[action.pk] + timedelta(days=1), time.min, tzinfo=tz),
            url=reverse("membership:actions", args=[partner.pk]),
            recipients=tuple(selectors.partner_officers(partner)),
        )
