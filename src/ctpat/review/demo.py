"""Demo data for the review: teams, assignments, vetting, risk assessments, recommendations,
decisions and certificates for the demo partners the lead's demo command has already walked
through the lifecycle, so the demo shows every state of the review.

Open files (under review) go through the real services (so their notifications appear in the
demo's message inboxes) and are then dated back; for decisions the demo's walk already took
(certification, rejection, returns), the records are written directly, dated between the
submission and the deciding event, and linked to that event row. Idempotent: a partner that
already has an assignment is left alone.

The lead's demo command calls ``demo_review(rng=...)`` after ``demo_build``.
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from ctpat.accounts.models import Membership, User
from ctpat.accounts.roles import OrganizationKind, Role
from ctpat.applications.models import Partner, PartnerEvent
from ctpat.applications.selectors import clock_policy
from ctpat.core.clocks import add_years
from ctpat.core.decisions import (
    DecisionAction,
    RecommendationKind,
    VettingCheckKind,
    certificate_number,
)
from ctpat.core.lifecycle import PartnerStatus
from ctpat.core.risk import AssessmentStep
from ctpat.review import selectors, services
from ctpat.review.models import (
    Assignment,
    Certificate,
    Recommendation,
    RiskAssessment,
    RiskScoreRecord,
    SupervisorDecision,
    Team,
    TeamMember,
    VettingCheck,
)

DatedRecord = VettingCheck | RiskScoreRecord | Recommendation | SupervisorDecision
TEAM_NAMES = ("Atlantic team", "Pacific team", "Gulf team", "Great Lakes team")

VETTING_RESULTS: dict[VettingCheckKind, str] = {
    VettingCheckKind.IDENTIFIERS: "Importer of record number, EIN and DUNS match the company in the CBP and IRS records.",
    VettingCheckKind.TRADE_HISTORY: "Entries in the last 12 months are consistent with the business described (ACE query).",
    VettingCheckKind.RESTRICTED_PARTY: "Company, contacts and facilities screened: no match on the loaded lists.",
    VettingCheckKind.OPEN_SOURCE: "News, court records and corporate registers: nothing of concern.",
    VettingCheckKind.LAW_ENFORCEMENT: "No enforcement records or referrals for the company or its officers.",
    VettingCheckKind.PRIOR_ACCOUNTS: "No earlier program account of the company or its officers.",
}
DEROGATORY_RESULT = (
    "An officer of the company is named in an open smuggling investigation referred by a partner agency."
)
STEP_TEXTS: dict[AssessmentStep, str] = {
    AssessmentStep.CARGO_FLOW: (
        "Cargo from {origins} is stuffed at the supplier, trucked to the port of loading, shipped by sea "
        "and delivered to {facility}. Business partners: suppliers, a highway carrier, an NVOCC and a broker."
    ),
    AssessmentStep.THREATS: (
        "Threats by country per the agency table: {origins}. Contraband and human smuggling are the main "
        "concerns on the inland legs; terrorism low."
    ),
    AssessmentStep.VULNERABILITIES: (
        "Seal controls (6.x) and business-partner screening (3.4) are the weakest areas; physical security "
        "at {facility} is good."
    ),
    AssessmentStep.ACTION_PLAN: (
        "Partner to extend VVTT seal checks to all carriers within 90 days; check seal logs and partner "
        "screening records at validation."
    ),
    AssessmentStep.DOCUMENTATION: (
        "Security profile answers and evidence files, vetting records above, the partner's own risk "
        "assessment of last year."
    ),
}


@dataclass
class ReviewDemoSummary:
    teams: int = 0
    assignments: int = 0
    vetting_checks: int = 0
    recommendations: int = 0
    decisions: int = 0
    certificates: int = 0
    by_state: Counter[str] = field(default_factory=Counter)


def demo_review(*, rng: random.Random, now: datetime | None = None) -> ReviewDemoSummary:
    """Give every submitted demo application its review records (see the module docstring)."""
    builder = _ReviewDemo(rng=rng, now=now or timezone.now())
    with transaction.atomic():
        builder.teams()
        partners = Partner.objects.select_related("assigned_specialist").order_by("pk")
        for index, partner in enumerate(partners):
            if not partner.assignments.exists():
                builder.partner(index, partner)
        # Numbers run in the order of certification within each year.
        for partner, event in sorted(builder.certifications, key=lambda pair: pair[1].at):
            builder.certificate(partner, event)
    return builder.summary


class _ReviewDemo:
    def __init__(self, *, rng: random.Random, now: datetime) -> None:
        self.rng = rng
        self.now = now
        self.summary = ReviewDemoSummary()
        self.memberships = {
            m.user_id: m
            for m in Membership.objects.select_related("user").filter(
                organization__kind=OrganizationKind.AGENCY
            )
        }
        self.supervisors = [m.user for m in self.memberships.values() if m.role == Role.SUPERVISOR]
        self.specialists = [m.user for m in self.memberships.values() if m.role == Role.SPECIALIST]
        self.certifications: list[tuple[Partner, PartnerEvent]] = []

    # Teams ------------------------------------------------------------------------------

    def teams(self) -> None:
        """One team per supervisor (up to four), the specialists shared out in turn."""
        if Team.objects.exists() or not self.supervisors:
            return
        teams = [
            Team.objects.create(name=name, supervisor=supervisor)
            for name, supervisor in zip(
                TEAM_NAMES, sorted(self.supervisors, key=lambda u: u.pk), strict=False
            )
        ]
        for number, specialist in enumerate(sorted(self.specialists, key=lambda u: u.pk)):
            TeamMember.objects.create(team=teams[number % len(teams)], specialist=specialist)
        self.summary.teams = len(teams)

    def supervisor_of(self, specialist: User | None) -> User | None:
        supervisors = selectors.supervisors_of(specialist)
        return supervisors[0] if supervisors else None

    # One partner ------------------------------------------------------------------------

    def partner(self, index: int, partner: Partner) -> None:
        events = list(
            PartnerEvent.objects.filter(partner=partner).select_related("actor").order_by("at", "id")
        )
        submit = next((e for e in events if e.transition == "submit"), None)
        if submit is None:
            return
        status = PartnerStatus(partner.status)
        if status == PartnerStatus.APPLICANT and index % 2 == 0:
            # Half of the new applications wait in the unassigned queue.
            Partner.objects.filter(pk=partner.pk).update(assigned_specialist=None)
            self.summary.by_state["unassigned"] += 1
            return
        specialist = partner.assigned_specialist or self.specialists[index % len(self.specialists)]
        started = next(
            (e.at for e in events if e.transition == "start_review"), submit.at + timedelta(days=1)
        )
        self.assign(partner, specialist, at=min(started, submit.at + timedelta(days=1)))
        decided = next(
            (e for e in events if e.transition in {"certify", "reject", "return_to_partner"}), None
        )
        if status == PartnerStatus.UNDER_REVIEW:
            self.open_file(index, partner, specialist, since=started)
        elif decided is not None:
            self.decided_file(partner, specialist, decided, since=started)
        else:
            self.summary.by_state["assigned"] += 1

    def assign(self, partner: Partner, specialist: User, *, at: datetime) -> None:
        Assignment.objects.create(
            partner=partner,
            specialist=specialist,
            assigned_by=self.supervisor_of(specialist),
            note="",
            at=at,
        )
        Partner.objects.filter(pk=partner.pk).update(assigned_specialist=specialist)
        partner.assigned_specialist = specialist
        self.summary.assignments += 1

    def between(self, start: datetime, end: datetime, share: float) -> datetime:
        return start + (end - start) * share

    # Files under review: through the services -------------------------------------------

    def open_file(self, index: int, partner: Partner, specialist: User, *, since: datetime) -> None:
        """Five stages: just assigned; half vetted; ready to recommend; certification recommended
        (waiting for a supervisor); a recommendation returned to the specialist."""
        stage = index % 5
        membership = self.memberships[specialist.pk]
        kinds = list(VettingCheckKind)[: 3 if stage == 1 else 6] if stage else []
        for number, kind in enumerate(kinds):
            check = services.vetting_check_record(
                actor=specialist,
                membership=membership,
                partner=partner,
                kind=kind,
                result=VETTING_RESULTS[kind],
                derogatory=False,
            )
            self.backdate(VettingCheck, check.pk, self.between(since, self.now, 0.1 + 0.05 * number))
            self.summary.vetting_checks += 1
        if stage >= 2:
            self.assessment(partner, specialist, at=self.between(since, self.now, 0.5))
            record = services.risk_score_record(actor=specialist, membership=membership, partner=partner)
            self.backdate(RiskScoreRecord, record.pk, self.between(since, self.now, 0.55))
        if stage >= 3:
            recommendation = services.recommendation_make(
                actor=specialist,
                membership=membership,
                partner=partner,
                kind=RecommendationKind.CERTIFY,
                reason="Vetting clear, risk low; the profile meets the Must criteria.",
            )
            self.backdate(Recommendation, recommendation.pk, self.between(since, self.now, 0.7))
            self.summary.recommendations += 1
        if stage == 4:
            supervisor = self.supervisor_of(specialist)
            if supervisor is not None:
                decision = services.decision_take(
                    actor=supervisor,
                    membership=self.memberships[supervisor.pk],
                    partner=partner,
                    action=DecisionAction.RETURN_TO_SPECIALIST,
                    reason="Check the seal logs of the second warehouse before we certify.",
                )
                self.backdate(SupervisorDecision, decision.pk, self.between(since, self.now, 0.8))
                self.summary.decisions += 1
        self.summary.by_state[f"under_review_stage_{stage}"] += 1

    def backdate(self, model: type[DatedRecord], pk: int, at: datetime) -> None:
        model._default_manager.filter(pk=pk).update(at=at)

    def assessment(self, partner: Partner, specialist: User, *, at: datetime) -> None:
        origins = (
            ", ".join(
                f"{o.country} {o.share_percent:.0f}%"
                for o in partner.origin_countries.order_by("-share_percent")
            )
            or partner.country
        )
        facility = partner.facilities.order_by("name").first()
        place = f"{facility.name} ({facility.city})" if facility else partner.city or partner.legal_name
        RiskAssessment.objects.update_or_create(
            partner=partner,
            defaults={
                **{
                    step.value: text.format(origins=origins, facility=place)
                    for step, text in STEP_TEXTS.items()
                },
                "updated_by": specialist,
                "updated_at": at,
            },
        )

    # Files already decided: records written directly and linked to the event ----------

    def decided_file(
        self, partner: Partner, specialist: User, event: PartnerEvent, *, since: datetime
    ) -> None:
        rejected = event.transition == "reject"
        returned = event.transition == "return_to_partner"
        kinds = list(VettingCheckKind)[:2] if returned else list(VettingCheckKind)
        for number, kind in enumerate(kinds):
            derogatory = rejected and kind is VettingCheckKind.LAW_ENFORCEMENT
            VettingCheck.objects.create(
                partner=partner,
                kind=kind,
                result=DEROGATORY_RESULT if derogatory else VETTING_RESULTS[kind],
                derogatory=derogatory,
                recorded_by=specialist,
                at=self.between(since, event.at, 0.1 + 0.05 * number),
            )
            self.summary.vetting_checks += 1
        if not returned:
            self.assessment(partner, specialist, at=self.between(since, event.at, 0.5))
            score = selectors.risk_score_live(partner)
            RiskScoreRecord.objects.create(
                partner=partner,
                total=score.total,
                level=score.level,
                contributions=[
                    {"source": c.source.value, "detail": c.detail, "points": str(c.points)}
                    for c in score.contributions
                ],
                recorded_by=specialist,
                at=self.between(since, event.at, 0.55),
            )
        recommendation = Recommendation.objects.create(
            partner=partner,
            kind=RecommendationKind(event.transition),
            reason=event.reason or "Vetting clear, risk acceptable; the profile meets the Must criteria.",
            recommended_by=(event.actor or specialist) if returned else specialist,
            partner_event=event if returned else None,
            at=event.at if returned else self.between(since, event.at, 0.8),
        )
        self.summary.recommendations += 1
        if not returned:
            SupervisorDecision.objects.create(
                recommendation=recommendation,
                action=DecisionAction.AGREE,
                transition=event.transition,
                partner_event=event,
                decided_by=event.actor,
                at=event.at,
            )
            self.summary.decisions += 1
        if event.transition == "certify":
            self.certifications.append((partner, event))
        self.summary.by_state[event.transition] += 1

    def certificate(self, partner: Partner, event: PartnerEvent) -> None:
        year = timezone.localtime(event.at).year
        last = Certificate.objects.filter(year=year).aggregate(Max("sequence"))["sequence__max"] or 0
        Certificate.objects.create(
            partner=partner,
            number=certificate_number(year, last + 1),
            year=year,
            sequence=last + 1,
            partner_event=event,
            company_name=partner.legal_name,
            entity_type=partner.entity_type,
            tier=1,
            issued_at=event.at,
            validation_due=timezone.localtime(add_years(event.at, clock_policy().validation_days)).date(),
            issued_by=event.actor,
        )
        self.summary.certificates += 1
