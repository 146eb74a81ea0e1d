"""Demo data for compliance, for the partners the lead's demo command has already walked into
corrective action, suspension or removal:

- corrective action: a case and a warning letter each; the first has an accepted plan with
  progress, the second a letter whose deadline passed, the third a plan waiting for review;
- suspended: a case, a letter whose deadline passed and the recommendation the suspension
  took; the first has an appeal filed, the second an appeal granted by a second program
  director (the partner is restored to corrective action, its status before the suspension);
- removed: a closed case with its resolved letter and the recommendation the removal took.

Every step goes through ``compliance_step`` (the step table and an event row) or the services;
steps the demo's walk already took are taken with the facts of their time, and then every new
event row is dated back, as the demo command does with the lifecycle's. Idempotent: a partner
that already has a case is left alone.

The lead's demo command calls ``demo_compliance(rng=...)`` after ``demo_build``.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from ctpat.accounts.models import Membership, Organization, User
from ctpat.accounts.roles import OrganizationKind, Role
from ctpat.applications.models import Partner, PartnerEvent
from ctpat.compliance import services
from ctpat.compliance.models import ComplianceCase, ComplianceEvent, SanctionRecommendation, WarningLetter
from ctpat.core.lifecycle import PartnerStatus
from ctpat.core.sanctions import AppealOutcome, Benefit, SanctionGround, SanctionKind, Subject

SECOND_DIRECTOR_EMAIL = "director2@cbp-demo.example"
DEFICIENCIES = (
    "Seal logs at the main warehouse are incomplete for the last quarter (criterion 6.5).",
    "Container inspections (seven-point) are not recorded for highway carriers (criterion 7.23).",
    "Business partners were not screened against restricted-party lists before contracting (criterion 3.4).",
    "Security training records are missing for new warehouse staff (criterion 12.1).",
)
ACTIONS = (
    "Keep a complete log of seals received, issued and verified, reviewed weekly by a manager.",
    "Record every seven-point inspection with the carrier, trailer and inspector.",
    "Screen every business partner before contracting and yearly after.",
    "Train all new staff within 30 days of starting and keep the records.",
)


@dataclass
class ComplianceDemoSummary:
    cases: int = 0
    letters: int = 0
    plans: int = 0
    recommendations: int = 0
    appeals: int = 0


def demo_compliance(*, rng: random.Random, now: datetime | None = None) -> ComplianceDemoSummary:
    """Give the demo's corrective-action, suspended and removed partners their compliance records."""
    demo = _ComplianceDemo(rng=rng, now=now or timezone.now())
    with transaction.atomic():
        for status, build in (
            (PartnerStatus.CORRECTIVE_ACTION, demo.corrective_action),
            (PartnerStatus.SUSPENDED, demo.suspended),
            (PartnerStatus.REMOVED, demo.removed),
        ):
            partners = Partner.objects.filter(status=status, compliance_cases__isnull=True).order_by("pk")
            for index, partner in enumerate(partners):
                build(index, partner)
    return demo.summary


class _ComplianceDemo:
    def __init__(self, *, rng: random.Random, now: datetime) -> None:
        self.rng = rng
        self.now = now
        self.summary = ComplianceDemoSummary()
        agency = Membership.objects.select_related("user").filter(organization__kind=OrganizationKind.AGENCY)
        self.specialists = [m for m in agency if m.role == Role.SPECIALIST]
        self.directors = [m for m in agency if m.role == Role.PROGRAM_DIRECTOR]
        if len(self.directors) < 2 and self.directors:
            self.directors.append(self._second_director(self.directors[0]))

    def _second_director(self, first: Membership) -> Membership:
        """Appeals go to a program director other than the one who decided: the demo needs two."""
        user = User.objects.filter(email=SECOND_DIRECTOR_EMAIL).first()
        if user is None:
            user = User(email=SECOND_DIRECTOR_EMAIL, full_name="Dana Whitfield (program director)")
            user.password = first.user.password  # the shared demo password, already hashed
            user.save()
        agency = Organization.objects.get(pk=first.organization_id)
        membership, _ = Membership.objects.get_or_create(
            user=user, organization=agency, defaults={"role": Role.PROGRAM_DIRECTOR}
        )
        return membership

    # Helpers ----------------------------------------------------------------------------

    @contextmanager
    def dated(self, when: datetime) -> Iterator[None]:
        """Steps taken inside are dated ``when`` (their event rows, and a case's opening)."""
        last = ComplianceEvent.objects.aggregate(last=Max("pk"))["last"] or 0
        last_partner = PartnerEvent.objects.aggregate(last=Max("pk"))["last"] or 0
        yield
        ComplianceEvent.objects.filter(pk__gt=last).update(at=when)
        PartnerEvent.objects.filter(pk__gt=last_partner).update(at=when)

    def specialist_for(self, partner: Partner) -> Membership:
        chosen = next((m for m in self.specialists if m.user_id == partner.assigned_specialist_id), None)
        return chosen or self.specialists[partner.pk % len(self.specialists)]

    def officer_of(self, partner: Partner) -> Membership:
        return Membership.objects.select_related("user").get(
            organization_id=partner.organization_id, role=Role.COMPANY_OFFICER
        )

    def event_of(self, partner: Partner, transition: str) -> PartnerEvent | None:
        return PartnerEvent.objects.filter(partner=partner, transition=transition).order_by("-at").first()

    def decision_of(self, partner: Partner, transition: str) -> PartnerEvent:
        event = self.event_of(partner, transition)
        assert event is not None, f"the demo's walk took {transition} for {partner}"
        return event

    def step(
        self, member: Membership, partner: Partner, record: Any, subject: Subject, name: str, **kw: Any
    ) -> None:
        services.compliance_step(
            actor=member.user,
            membership=member,
            partner=partner,
            record=record,
            subject=subject,
            step=name,
            **kw,
        )

    def case_and_letter(self, partner: Partner, opened: datetime, *, days: int = 30) -> WarningLetter:
        """A case opened and a warning letter sent at ``opened`` (the facts of that time)."""
        specialist = self.specialist_for(partner)
        warning = self.event_of(partner, "require_corrective_action")
        grounds = warning.reason if warning else DEFICIENCIES[0]
        case = ComplianceCase(partner=partner, grounds=grounds, opened_by=specialist.user, opened_at=opened)
        picks = self.rng.sample(range(len(DEFICIENCIES)), 2)
        letter = WarningLetter(
            case=case,
            deficiencies="\n".join(DEFICIENCIES[i] for i in picks),
            required_actions="\n".join(ACTIONS[i] for i in picks),
            response_days=days,
            issued_by=specialist.user,
        )
        with self.dated(opened):
            self.step(
                specialist,
                partner,
                case,
                Subject.CASE,
                "open",
                reason=grounds,
                facts={"partner_sanctionable": True},
            )
            letter.case = case
            self.step(
                specialist, partner, letter, Subject.LETTER, "issue",
                facts=dict.fromkeys(("case_open", "deficiencies", "required_actions", "response_days_valid"), True),
                details={"response_days": days},
            )  # fmt: skip
        self.summary.cases += 1
        self.summary.letters += 1
        return letter

    def recommendation_taken(self, letter: WarningLetter, decision: PartnerEvent, kind: SanctionKind) -> None:
        """The recommendation the walk's suspension or removal carried out, dated before it."""
        partner, specialist = letter.case.partner, self.specialist_for(letter.case.partner)
        director = next((m for m in self.directors if m.user_id == decision.actor_id), self.directors[0])
        ground = (
            SanctionGround.FALSE_INFORMATION if kind is SanctionKind.REMOVE else SanctionGround.NON_COMPLIANCE
        )
        recommendation = SanctionRecommendation(
            case=letter.case,
            kind=kind,
            ground=ground,
            benefits=[b.value for b in Benefit],
            reasons=decision.reason,
            recommended_by=specialist.user,
        )
        facts = dict.fromkeys(("case_open", "status_allows", "benefits_named", "none_pending"), True)
        with self.dated(decision.at - timedelta(days=3)):
            self.step(
                specialist,
                partner,
                recommendation,
                Subject.RECOMMENDATION,
                "recommend",
                reason=decision.reason,
                facts=facts,
            )
        with self.dated(decision.at):
            self.step(
                director, partner, recommendation, Subject.RECOMMENDATION, "take", reason=decision.reason
            )
        recommendation.partner_event = decision
        recommendation.save(update_fields=["partner_event"])
        self.summary.recommendations += 1

    # Partners ---------------------------------------------------------------------------

    def corrective_action(self, index: int, partner: Partner) -> None:
        decided = self.decision_of(partner, "require_corrective_action").at
        letter = self.case_and_letter(partner, decided + timedelta(hours=2))
        if index == 0:
            self.plan(letter, submitted=decided + timedelta(days=6), accepted=decided + timedelta(days=8))
        elif index == 2:
            self.plan(letter, submitted=min(decided + timedelta(days=3), self.now), accepted=None)
        # index 1 (and later ones): the letter's 30 days run out with no plan.

    def plan(self, letter: WarningLetter, *, submitted: datetime, accepted: datetime | None) -> None:
        partner = letter.case.partner
        officer = self.officer_of(partner)
        today = timezone.localdate()
        objectives = [
            services.ObjectiveInput(action, today + timedelta(days=days))
            for action, days in zip(letter.action_lines(), (20, 60), strict=False)
        ]
        with self.dated(submitted):
            plan = services.corrective_plan_submit(
                actor=officer.user,
                membership=officer,
                letter=letter,
                summary="We assigned an owner to each deficiency and will report progress every two weeks.",
                objectives=objectives,
            )
        self.summary.plans += 1
        if accepted is None:
            return
        specialist = self.specialist_for(partner)
        with self.dated(accepted):
            services.corrective_plan_accept(actor=specialist.user, membership=specialist, plan=plan)
        first = plan.objectives.order_by("due_on").first()
        if first is not None:
            with self.dated(min(accepted + timedelta(days=5), self.now)):
                services.objective_progress(
                    actor=officer.user,
                    membership=officer,
                    objective=first,
                    note="New log book in use at the main warehouse since Monday; first weekly review done.",
                )

    def suspended(self, index: int, partner: Partner) -> None:
        suspension = self.decision_of(partner, "suspend")
        warned = self.decision_of(partner, "require_corrective_action").at
        letter = self.case_and_letter(partner, warned + timedelta(hours=2))  # its 30 days ran out
        self.recommendation_taken(letter, suspension, SanctionKind.SUSPEND)
        officer = self.officer_of(partner)
        filed_at = min(suspension.at + timedelta(days=5), self.now)
        with self.dated(filed_at):
            appeal = services.appeal_file(
                actor=officer.user,
                membership=officer,
                decision_event=suspension,
                statement="The seal logs were complete; they were kept at the gate house, not at the warehouse "
                "office where the specialist looked. Copies are attached to our plan.",
            )
        self.summary.appeals += 1
        if index != 1:
            return
        other = next(m for m in self.directors if m.user_id != suspension.actor_id)
        with self.dated(min(filed_at + timedelta(days=30), self.now)):
            services.appeal_decide(
                actor=other.user,
                membership=other,
                appeal=appeal,
                outcome=AppealOutcome.GRANTED,
                reasons="The logs kept at the gate house meet criterion 6.5; the suspension is lifted.",
            )

    def removed(self, index: int, partner: Partner) -> None:
        removal = self.decision_of(partner, "remove")
        letter = self.case_and_letter(partner, removal.at - timedelta(days=90))
        self.recommendation_taken(letter, removal, SanctionKind.REMOVE)
        specialist = self.specialist_for(partner)
        with self.dated(removal.at + timedelta(hours=1)):
            self.step(
                specialist,
                partner,
                letter,
                Subject.LETTER,
                "resolve",
                reason="Partner removed from the program.",
            )
            self.step(
                specialist,
                partner,
                letter.case,
                Subject.CASE,
                "close",
                reason="Partner removed from the program.",
            )
