"""Writes of the annual revalidation. Each service takes the acting user, runs in one
transaction, checks the step against ``core.revalidation``'s table, writes the ``ReviewEvent``
and tells the people concerned through ``notify`` (e-mails leave after the commit).

The scheduler calls ``annual_reviews_open_due`` and ``annual_reviews_record_missed``; both are
idempotent, so running them twice a day, or after a pause, does nothing twice.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ctpat.accounts.models import Membership, User
from ctpat.accounts.roles import ROLE_ACTORS, Role
from ctpat.applications.models import Evidence, Partner, ProfileAnswer, SecurityProfile
from ctpat.applications.selectors import profile_current
from ctpat.applications.services import AnswerInput, answer_write, evidence_store, partner_transition
from ctpat.core.lifecycle import MEMBER_STATUSES, Actor, TransitionError
from ctpat.core.revalidation import (
    PARTNER_TURN,
    AnnualWindow,
    ReviewState,
    check_review_transition,
    missed_window_steps,
)
from ctpat.criteria.selectors import catalogue_current, criteria_list
from ctpat.membership import selectors
from ctpat.membership.models import AnnualReview, ReviewEvent
from ctpat.notifications.services import notify

# --- Steps of the review ----------------------------------------------------------------------


def _actor_of(membership: Membership | None) -> Actor:
    if membership is None:
        return Actor.SYSTEM
    actor = ROLE_ACTORS.get(Role(membership.role))
    if actor is None:
        raise TransitionError(
            [_("Your role (%(role)s) cannot take this step.") % {"role": membership.get_role_display()}]
        )
    return actor


def _take(
    review: AnnualReview,
    name: str,
    *,
    actor: User | None,
    membership: Membership | None,
    reason: str = "",
    facts: Mapping[str, object] | None = None,
    details: Mapping[str, Any] | None = None,
) -> ReviewEvent:
    """Check one step against the table, then write the new state and its event row together."""
    locked = AnnualReview.objects.select_for_update().get(pk=review.pk)
    current = ReviewState(locked.state)
    transition = check_review_transition(
        name,
        current=current,
        actor=_actor_of(membership),
        facts={**(facts or {}), "reason": reason},
    )
    target = transition.target or current
    if target != current:
        locked.state = target
        locked.save(update_fields=["state", "updated_at"])
    review.state = target
    return ReviewEvent.objects.create(
        review=locked,
        action=name,
        from_state=current,
        to_state=target,
        actor=actor,
        actor_role=membership.role if membership else "",
        reason=reason.strip(),
        details=dict(details or {}),
        at=timezone.now(),
    )


def _review_url(review: AnnualReview) -> str:
    return reverse("membership:review", args=[review.pk])


def _ensure_partner_turn(review: AnnualReview) -> None:
    if review.state_enum not in PARTNER_TURN:
        raise ValidationError(
            _("The annual review is %(state)s: it cannot be changed now.")
            % {"state": review.state_enum.label.lower()}
        )


# --- Opening: a new year's profile from last year's answers ------------------------------------


def _profile_snapshot(partner: Partner, previous: SecurityProfile | None) -> SecurityProfile:
    """A new profile for the year, answered as last year and pointing at the same evidence files.

    The new profile is not current until the review is accepted, so the agency keeps seeing the
    accepted answers and last year's rows are never touched.
    """
    version = catalogue_current()
    profile = SecurityProfile.objects.create(partner=partner, catalogue=version, is_current=False)
    old: dict[str, ProfileAnswer] = {}
    if previous is not None:
        old = {
            a.criterion.code: a
            for a in previous.answers.select_related("criterion").prefetch_related("evidence")
        }
    ProfileAnswer.objects.bulk_create(
        ProfileAnswer(
            profile=profile,
            criterion=criterion,
            status=before.status if before else "",
            narrative=before.narrative if before else "",
            not_applicable_reason=before.not_applicable_reason if before else "",
        )
        for criterion in criteria_list(catalogue=version, entity_type=partner.entity_type)
        for before in [old.get(criterion.code)]
    )
    for answer in profile.answers.select_related("criterion"):
        before = old.get(answer.criterion.code)
        for evidence in before.evidence.all() if before else ():
            _evidence_link(answer, evidence)
    return profile


def _evidence_link(answer: ProfileAnswer, evidence: Evidence) -> Evidence:
    # The same stored file, a new row: removing it from this year leaves last year's intact.
    link = Evidence.objects.create(
        answer=answer,
        file=evidence.file.name,
        original_name=evidence.original_name,
        content_type=evidence.content_type,
        size=evidence.size,
        sha256=evidence.sha256,
        uploaded_by=evidence.uploaded_by,
    )
    Evidence.objects.filter(pk=link.pk).update(uploaded_at=evidence.uploaded_at)
    return link


@transaction.atomic
def annual_review_open(
    *, actor: User | None, partner: Partner, membership: Membership | None = None, today: date | None = None
) -> AnnualReview | None:
    """Open the review of the latest annual window that has opened, once: a second call (by
    the scheduler or a partner's button) returns the same review. None before the first window
    opens, or for a partner that is not a member now."""
    locked = Partner.objects.select_for_update().get(pk=partner.pk)
    window = selectors.window_opened(locked, today=today)
    if window is None:
        return None
    existing = AnnualReview.objects.filter(partner=locked, cycle=window.cycle).first()
    if existing is not None:
        return existing
    check_review_transition("open", current=None, actor=Actor.SYSTEM, facts={})
    last = AnnualReview.objects.filter(partner=locked, cycle__lt=window.cycle).order_by("-cycle").first()
    previous = profile_current(locked)
    review = AnnualReview.objects.create(
        partner=locked,
        cycle=window.cycle,
        profile=_profile_snapshot(locked, previous),
        previous_profile=previous,
        risk_assessment=last.risk_assessment if last else "",
    )
    _record_open(review, window, actor, membership)
    notify(
        users=selectors.partner_officers(locked),
        subject=_("Your CTPAT annual review is open: re-submit by %(day)s") % {"day": window.anniversary},
        body=_(
            "Review last year's security profile and risk assessment, change what changed, and "
            "re-submit by the membership anniversary (%(day)s)."
        )
        % {"day": window.anniversary},
        url=_review_url(review),
    )
    return review


def _record_open(
    review: AnnualReview, window: AnnualWindow, actor: User | None, membership: Membership | None
) -> ReviewEvent:
    return ReviewEvent.objects.create(
        review=review,
        action="open",
        from_state="",
        to_state=ReviewState.OPEN,
        actor=actor,
        actor_role=membership.role if membership else "",
        details={"opens_on": window.opens_on.isoformat(), "anniversary": window.anniversary.isoformat()},
        at=timezone.now(),
    )


def annual_reviews_open_due(*, today: date | None = None) -> list[AnnualReview]:
    """The scheduler's step: open every member's review whose window has opened (idempotent)."""
    opened = []
    for partner in Partner.objects.filter(
        status__in=list(MEMBER_STATUSES), events__transition="certify"
    ).distinct():
        review = annual_review_open(actor=None, partner=partner, today=today)
        if review is not None:
            opened.append(review)
    return opened


# --- The partner edits and re-submits ----------------------------------------------------------


@transaction.atomic
def review_answer_save(
    *, actor: User, review: AnnualReview, answer: ProfileAnswer, data: AnswerInput
) -> ProfileAnswer:
    """Change one answer of the year's profile (last year's stays as it was)."""
    _ensure_partner_turn(review)
    return answer_write(actor=actor, answer=answer, data=data)


@transaction.atomic
def review_evidence_add(
    *, actor: User, review: AnnualReview, answer: ProfileAnswer, upload: UploadedFile[bytes]
) -> Evidence:
    """Attach a checked file to an answer of the year's profile (EvidenceRejected says why not)."""
    _ensure_partner_turn(review)
    return evidence_store(actor=actor, answer=answer, upload=upload)


@transaction.atomic
def review_evidence_remove(*, actor: User, review: AnnualReview, evidence: Evidence) -> None:
    """Take a file off this year's answer; the stored file stays while another row uses it."""
    _ensure_partner_turn(review)
    stored, storage = evidence.file.name, evidence.file.storage
    evidence.delete()
    if stored and not Evidence.objects.filter(file=stored).exists():
        transaction.on_commit(lambda: storage.delete(stored))


@transaction.atomic
def review_risk_assessment_save(*, actor: User, review: AnnualReview, text: str) -> AnnualReview:
    _ensure_partner_turn(review)
    review.risk_assessment = text.strip()
    review.save(update_fields=["risk_assessment", "updated_at"])
    return review


@transaction.atomic
def annual_review_submit(*, actor: User, membership: Membership, review: AnnualReview) -> ReviewEvent:
    """The Company Officer re-submits the year's profile and risk assessment to the specialist."""
    gaps = selectors.review_gaps(review)
    event = _take(
        review,
        "submit",
        actor=actor,
        membership=membership,
        facts={"profile_complete": not gaps, "risk_assessment_written": bool(review.risk_assessment.strip())},
        details={"changed": selectors.diff_summary(selectors.review_diff(review))},
    )
    notify(
        users=selectors.partner_specialist(review.partner),
        subject=_("Annual review submitted: %(name)s") % {"name": review.partner.legal_name},
        body=_("The partner re-submitted its security profile and risk assessment; the changes are marked."),
        url=_review_url(review),
    )
    return event


@transaction.atomic
def annual_review_accept(*, actor: User, membership: Membership, review: AnnualReview) -> ReviewEvent:
    """The specialist accepts: the year's profile becomes the partner's current one."""
    event = _take(review, "accept", actor=actor, membership=membership)
    SecurityProfile.objects.filter(partner=review.partner, is_current=True).update(is_current=False)
    SecurityProfile.objects.filter(pk=review.profile_id).update(is_current=True)
    notify(
        users=selectors.partner_officers(review.partner),
        subject=_("Your CTPAT annual review was accepted"),
        body=_("The agency accepted this year's security profile and risk assessment."),
        url=_review_url(review),
    )
    return event


@transaction.atomic
def annual_review_return(
    *, actor: User, membership: Membership, review: AnnualReview, reason: str
) -> ReviewEvent:
    """The specialist returns the review to the partner, saying what is needed."""
    event = _take(review, "return", actor=actor, membership=membership, reason=reason)
    notify(
        users=selectors.partner_officers(review.partner),
        subject=_("Your CTPAT annual review was returned"),
        body=reason.strip(),
        url=_review_url(review),
    )
    return event


# --- A window that closes unsubmitted ----------------------------------------------------------


def annual_reviews_record_missed(
    *, now: datetime | None = None, partner_ids: Collection[int] | None = None
) -> list[ReviewEvent]:
    """The scheduler's step: record each window that closed with nothing submitted, once, and
    carry out the policy's consequence (see ``core.revalidation.missed_window_steps``)."""
    moment = now or timezone.now()
    partners = Partner.objects.filter(status__in=list(MEMBER_STATUSES)).select_related("assigned_specialist")
    if partner_ids is not None:
        partners = partners.filter(pk__in=list(partner_ids))
    recorded = []
    for partner_id, clocks in selectors.review_clocks(partners, now=moment).items():
        for clock in clocks:
            if clock.missed:
                event = _record_missed(partner_id, clock.cycle, moment)
                if event is not None:
                    recorded.append(event)
    return recorded


@transaction.atomic
def _record_missed(partner_id: int, cycle: int, now: datetime) -> ReviewEvent | None:
    partner = Partner.objects.select_related("assigned_specialist").get(pk=partner_id)
    review = AnnualReview.objects.filter(partner=partner, cycle=cycle).first()
    if review is None:  # the window closed before anybody opened the review
        review = annual_review_open(actor=None, partner=partner, today=timezone.localdate(now))
    if review is None or review.cycle != cycle:
        return None
    facts = {"window_missed": True, "already_missed": review.events.filter(action="miss").exists()}
    try:
        check_review_transition("miss", current=review.state_enum, actor=Actor.SYSTEM, facts=facts)
    except TransitionError:
        return None  # recorded before, or submitted meanwhile
    window = selectors.window_of(review)
    anniversary = window.anniversary.isoformat() if window else ""
    reason = _("No annual review was submitted by the membership anniversary (%(day)s).") % {
        "day": anniversary
    }
    policy = selectors.missed_consequence()
    steps = missed_window_steps(policy, partner.status_enum)
    details: dict[str, Any] = {"anniversary": anniversary, "policy": policy.value}
    if steps.require_corrective_action:
        details["corrective_action"] = _require_corrective_action(partner, review, reason)
    event = _take(review, "miss", actor=None, membership=None, facts=facts, details=details)
    people: list[User] = []
    if steps.notify_officers:
        people += selectors.partner_officers(partner)
    if steps.notify_specialist:
        people += selectors.partner_specialist(partner)
    subject = _("CTPAT annual review window missed: %(name)s") % {"name": partner.legal_name}
    notify(users=people, subject=subject, body=reason, url=_review_url(review))
    return event


def _require_corrective_action(partner: Partner, review: AnnualReview, reason: str) -> str:
    """Put the partner into corrective action through the lifecycle, in the name of its assigned
    specialist (the table lets agency deciders take this step); the event says it was automatic."""
    specialist = partner.assigned_specialist
    membership = (
        Membership.objects.filter(user=specialist, role__in=[Role.SPECIALIST, Role.SUPERVISOR]).first()
        if specialist
        else None
    )
    if specialist is None or membership is None:
        return "not taken: the partner has no assigned specialist"
    event = partner_transition(
        actor=specialist,
        membership=membership,
        partner=partner,
        name="require_corrective_action",
        reason=reason,
        details={"annual_review": review.pk, "automatic": True},
    )
    return f"taken: partner event {event.pk}"
