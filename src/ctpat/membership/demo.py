"""Demo data for keeping membership: for the demo's certified and validated partners, annual
reviews in several stages (window open, submitted with one changed answer, accepted, missed) and
best practices (internal assessments, training records, improvement actions, one overdue), each
made through the same services as the portal.

The lead's demo command calls ``demo_membership(rng=...)`` after the partners are built. The
windows follow from each partner's certification date; the review events of an accepted review
whose window has closed are dated inside that window (the demo is the only place that moves an
event's time, as the lifecycle's demo does). Partners that already have reviews or best
practices are skipped, so running it twice adds nothing.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from ctpat.accounts.models import Membership, User
from ctpat.accounts.roles import Role
from ctpat.applications.models import Partner
from ctpat.applications.services import AnswerInput
from ctpat.core.lifecycle import PartnerStatus, TransitionError
from ctpat.core.revalidation import AnnualWindow
from ctpat.demo.sample_files import sample_pdf
from ctpat.membership import best_practices, selectors, services
from ctpat.membership.models import AnnualReview, FindingResult, InternalAssessment, ReviewEvent

MEMBERS = (PartnerStatus.CERTIFIED, PartnerStatus.VALIDATED)
RISK_ASSESSMENT = (
    "1. Cargo flow mapped from the suppliers' plants to our warehouse; 14 business partners, all "
    "CTPAT or AEO members but two. 2. Threats: high for narcotics on the northern Mexico lanes, "
    "medium elsewhere. 3. Vulnerabilities: seal storage at the cross-dock, visitor logs. "
    "4. Action plan: locked seal cabinet, electronic visitor log. 5. Kept in the security manual."
)
CHANGE = " Since this year, a second person checks the log every week and signs it."
COURSES = (
    ("Threat awareness and reporting suspicious activity", 25),
    ("Seal verification (VVTT) and 7-point container inspection", 9),
    ("Cybersecurity: phishing and password hygiene", 40),
)
ACTIONS = (
    ("Install a locked cabinet for high-security seals", "Maria Lopez, warehouse manager"),
    ("Move the visitor log to the electronic access system", "Tom Baker, IT"),
    ("Retrain the night shift on container inspections", "Ana Ruiz, security officer"),
)


@dataclass
class DemoMembershipSummary:
    reviews: dict[str, int] = field(default_factory=dict)
    assessments: int = 0
    trainings: int = 0
    actions: int = 0


def demo_membership(*, rng: random.Random) -> DemoMembershipSummary:
    """Add annual reviews and best practices for the demo's members; returns what was added."""
    summary = DemoMembershipSummary()
    partners = list(
        Partner.objects.filter(status__in=list(MEMBERS)).select_related("assigned_specialist").order_by("pk")
    )
    for stage, partner in _review_plan(partners, rng):
        with transaction.atomic():
            if _review(partner, stage, rng):
                summary.reviews[stage] = summary.reviews.get(stage, 0) + 1
    fresh = [p for p in partners if not p.improvement_actions.exists() and not p.training_records.exists()]
    for index, partner in enumerate(fresh):
        with transaction.atomic():
            _best_practices(partner, rng, overdue=index == 0, summary=summary)
    return summary


# --- Annual reviews -----------------------------------------------------------------------------


def _review_plan(partners: list[Partner], rng: random.Random) -> list[tuple[str, Partner]]:
    """Each stage once first, where the partner's window allows it, then a mix: a window open
    now can be opened, submitted or accepted; a closed one accepted (in time) or missed."""
    today = timezone.localdate()
    open_now: list[Partner] = []
    closed: list[Partner] = []
    for partner in partners:
        window = selectors.window_opened(partner, today=today)
        if window is None or partner.annual_reviews.exists():
            continue
        (open_now if window.is_open(today) else closed).append(partner)
    plan = [(stage, p) for stage, p in zip(("submitted", "open", "accepted"), open_now, strict=False)]
    plan += [(stage, p) for stage, p in zip(("missed", "accepted"), closed, strict=False)]
    plan += [(rng.choice(("open", "submitted", "accepted")), p) for p in open_now[3:]]
    plan += [(rng.choice(("missed", "accepted")), p) for p in closed[2:]]
    return plan


def _people(partner: Partner) -> tuple[tuple[User, Membership], tuple[User, Membership]] | None:
    officer = (
        Membership.objects.filter(organization=partner.organization, role=Role.COMPANY_OFFICER)
        .select_related("user")
        .first()
    )
    specialist = partner.assigned_specialist
    decider = (
        Membership.objects.filter(user=specialist, role=Role.SPECIALIST).first() if specialist else None
    ) or Membership.objects.filter(role=Role.SUPERVISOR).select_related("user").first()
    if officer is None or decider is None:
        return None
    return (officer.user, officer), (decider.user, decider)


def _review(partner: Partner, stage: str, rng: random.Random) -> bool:
    if stage == "missed":
        return bool(services.annual_reviews_record_missed(partner_ids=[partner.pk]))
    people = _people(partner)
    review = services.annual_review_open(actor=None, partner=partner)
    if review is None or people is None:
        return False
    (officer, officer_membership), (decider, decider_membership) = people
    if stage == "open":
        return True
    services.review_risk_assessment_save(actor=officer, review=review, text=RISK_ASSESSMENT)
    _change_one_answer(review, officer, rng)
    try:
        services.annual_review_submit(actor=officer, membership=officer_membership, review=review)
        if stage == "accepted":
            services.annual_review_accept(actor=decider, membership=decider_membership, review=review)
    except TransitionError:
        return False  # the profile has gaps: the review stays open for the partner
    window = selectors.window_of(review)
    if window is not None and stage == "accepted":
        _date_inside(review, window)
    return True


def _change_one_answer(review: AnnualReview, officer: User, rng: random.Random) -> None:
    answers = [a for a in review.profile.answers.select_related("criterion") if a.status == "implemented"]
    if not answers:
        return
    answer = rng.choice(answers)
    data = AnswerInput(answer.status, answer.narrative + CHANGE, answer.not_applicable_reason)
    services.review_answer_save(actor=officer, review=review, answer=answer, data=data)


def _date_inside(review: AnnualReview, window: AnnualWindow) -> None:
    """Date the review's steps inside its window, when the window has already closed."""
    today = timezone.localdate()
    if window.anniversary >= today:
        return
    tz = selectors.program_tz()
    start = window.opens_at(tz) + timedelta(days=3, hours=10)
    for offset, event in enumerate(review.events.order_by("at", "id")):
        ReviewEvent.objects.filter(pk=event.pk).update(at=start + timedelta(days=offset * 20))


# --- Best practices ---------------------------------------------------------------------------


def _best_practices(
    partner: Partner, rng: random.Random, *, overdue: bool, summary: DemoMembershipSummary
) -> None:
    people = _people(partner)
    if people is None:
        return
    officer = people[0][0]
    today = timezone.localdate()
    scope = rng.sample(selectors.assessment_criteria(partner), k=4)
    assessment = best_practices.internal_assessment_record(
        actor=officer, partner=partner, performed_on=today - timedelta(days=rng.randint(20, 120)),
        title="Yearly internal security audit", summary="Walk-through of the main warehouse with the security manual in hand.",
        criteria=scope,
    )  # fmt: skip
    findings = list(assessment.findings.select_related("criterion"))
    for index, finding in enumerate(findings):
        result = FindingResult.GAP if index == 0 else FindingResult.MEETS
        note = (
            "Seal log not signed on 3 of 20 days checked." if index == 0 else "As described in the profile."
        )
        best_practices.assessment_finding_save(actor=officer, finding=finding, result=result, note=note)
    summary.assessments += 1
    _trainings(partner, officer, rng, today, summary)
    _actions(partner, officer, rng, today, assessment, overdue=overdue, summary=summary)


def _trainings(
    partner: Partner, officer: User, rng: random.Random, today: date, summary: DemoMembershipSummary
) -> None:
    criteria = selectors.training_criteria()
    for course, count in rng.sample(COURSES, k=2):
        upload = SimpleUploadedFile(
            "attendance-sheet.pdf", sample_pdf(f"{course} — attendance"), "application/pdf"
        )
        best_practices.training_record_add(
            actor=officer, partner=partner, upload=upload,
            data=best_practices.TrainingInput(
                course=course, held_on=today - timedelta(days=rng.randint(10, 300)),
                criteria=rng.sample(criteria, k=min(2, len(criteria))), attendee_count=count,
            ),
        )  # fmt: skip
        summary.trainings += 1


def _actions(
    partner: Partner, officer: User, rng: random.Random, today: date, assessment: InternalAssessment,
    *, overdue: bool, summary: DemoMembershipSummary,
) -> None:  # fmt: skip
    for index, (title, owner) in enumerate(rng.sample(ACTIONS, k=2)):
        due = (
            today - timedelta(days=12)
            if overdue and index == 0
            else today + timedelta(days=rng.randint(15, 120))
        )
        action = best_practices.improvement_action_save(
            actor=officer, partner=partner,
            data=best_practices.ActionInput(title=title, owner=owner, due_on=due,
                                            assessment=assessment if index == 0 else None),
        )  # fmt: skip
        if index == 1 and rng.random() < 0.5:
            best_practices.improvement_action_set_status(actor=officer, action=action, status="done")
        summary.actions += 1
