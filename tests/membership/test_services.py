"""The annual review's services: opening from last year's answers (last year's rows untouched),
changing answers and evidence, re-submitting, accepting and returning with an event row per
step, and the missed window with each policy's consequence."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from ctpat.applications.models import Evidence, Partner, PartnerEvent, ProfileAnswer, SecurityProfile
from ctpat.applications.selectors import profile_current
from ctpat.applications.services import AnswerInput
from ctpat.core.lifecycle import PartnerStatus, TransitionError
from ctpat.core.revalidation import DiffKind, ReviewState
from ctpat.membership import selectors, services
from ctpat.membership.models import AnnualReview, ReviewEvent
from ctpat.notifications.models import Notification
from tests.conftest import Personas
from tests.membership.conftest import certify, membership_of, pdf


def first_answer(profile: SecurityProfile) -> ProfileAnswer:
    answer = profile.answers.select_related("criterion").order_by("criterion__sort_key").first()
    assert answer is not None
    return answer


# --- Opening ------------------------------------------------------------------------------------


def test_the_review_starts_from_last_years_answers_and_evidence(member: Partner, personas: Personas) -> None:
    last_year = profile_current(member)
    assert last_year is not None
    answer = first_answer(last_year)
    Evidence.objects.create(
        answer=answer, file="evidence/x/abc", original_name="policy.pdf", content_type="application/pdf",
        size=10, sha256="a" * 64, uploaded_by=personas.alice,
    )  # fmt: skip
    review = services.annual_review_open(actor=None, partner=member)

    assert review is not None
    assert (review.cycle, review.state, review.previous_profile_id) == (1, ReviewState.OPEN, last_year.pk)
    assert review.profile.pk != last_year.pk
    assert not review.profile.is_current  # the agency keeps seeing the accepted profile
    copied = {a.criterion.code: a for a in review.profile.answers.select_related("criterion")}
    assert set(copied) == set(last_year.answers.values_list("criterion__code", flat=True))
    assert all(a.status == "implemented" and a.narrative for a in copied.values())
    (link,) = copied[answer.criterion.code].evidence.all()
    assert (link.file.name, link.sha256, link.pk) == ("evidence/x/abc", "a" * 64, link.pk)
    assert link.answer_id != answer.pk
    assert {d.diff.kind for d in selectors.review_diff(review)} == {DiffKind.UNCHANGED}
    (event,) = review.events.all()
    assert (event.action, event.from_state, event.to_state, event.actor) == ("open", "", "open", None)


def test_opening_is_idempotent_and_tells_the_officers(member: Partner, personas: Personas) -> None:
    first = services.annual_review_open(actor=None, partner=member)
    again = services.annual_review_open(
        actor=personas.bob, partner=member, membership=membership_of(personas.bob)
    )
    assert first == again
    assert AnnualReview.objects.count() == 1
    assert ReviewEvent.objects.count() == 1
    assert list(Notification.objects.values_list("user__email", flat=True)) == [personas.alice.email]
    assert services.annual_reviews_open_due() == [first]
    assert ReviewEvent.objects.count() == 1


def test_no_review_before_the_window_opens_or_for_a_non_member(personas: Personas) -> None:
    acme = certify(personas, personas.acme, personas.alice, days_ago=200)
    assert services.annual_review_open(actor=None, partner=acme) is None
    assert services.annual_review_open(actor=None, partner=personas.beta) is None  # never certified
    assert services.annual_reviews_open_due() == []


def test_the_scheduler_opens_every_members_window(member: Partner) -> None:
    (review,) = services.annual_reviews_open_due()
    assert review.partner == member


# --- The partner changes answers ----------------------------------------------------------------


def test_changing_one_answer_leaves_last_years_row_as_it_was(
    review: AnnualReview, personas: Personas
) -> None:
    answer = first_answer(review.profile)
    old = review.previous_profile.answers.get(criterion=answer.criterion)  # type: ignore[union-attr]
    services.review_answer_save(
        actor=personas.bob, review=review, answer=answer,
        data=AnswerInput("implemented", old.narrative + " Checked weekly since March."),
    )  # fmt: skip
    old.refresh_from_db()
    assert old.narrative == "Documented in our security manual, section 4."
    changed = selectors.changed_rows(selectors.review_diff(review))
    assert [(r.diff.criterion, r.diff.kind) for r in changed] == [(answer.criterion.code, DiffKind.CHANGED)]
    assert changed[0].diff.narrative_words[-1].text == " Checked weekly since March."


def test_replacing_evidence_shows_as_evidence_replaced(review: AnnualReview, personas: Personas) -> None:
    answer = first_answer(review.profile)
    added = services.review_evidence_add(actor=personas.alice, review=review, answer=answer, upload=pdf())
    (row,) = selectors.changed_rows(selectors.review_diff(review))
    assert row.diff.kind is DiffKind.EVIDENCE_REPLACED
    assert row.evidence_added == [added]
    services.review_evidence_remove(actor=personas.alice, review=review, evidence=added)
    assert selectors.changed_rows(selectors.review_diff(review)) == []


def test_a_refused_answer_and_no_edits_once_submitted(submitted: AnnualReview, personas: Personas) -> None:
    answer = first_answer(submitted.profile)
    with pytest.raises(ValidationError, match="submitted"):
        services.review_answer_save(
            actor=personas.alice, review=submitted, answer=answer, data=AnswerInput("implemented", "x")
        )
    with pytest.raises(ValidationError, match="submitted"):
        services.review_risk_assessment_save(actor=personas.alice, review=submitted, text="x")
    with pytest.raises(ValidationError, match="submitted"):
        services.review_evidence_add(actor=personas.alice, review=submitted, answer=answer, upload=pdf())


def test_an_unknown_answer_is_refused(review: AnnualReview, personas: Personas) -> None:
    with pytest.raises(ValidationError):
        services.review_answer_save(
            actor=personas.alice,
            review=review,
            answer=first_answer(review.profile),
            data=AnswerInput("maybe"),
        )


# --- Re-submitting and deciding ---------------------------------------------------------------


def test_the_officer_resubmits_and_the_specialist_is_told(review: AnnualReview, personas: Personas) -> None:
    services.review_risk_assessment_save(
        actor=personas.bob, review=review, text="  Threats mapped per lane.  "
    )
    event = services.annual_review_submit(
        actor=personas.alice, membership=membership_of(personas.alice), review=review
    )
    review.refresh_from_db()
    assert review.state == ReviewState.SUBMITTED
    assert review.risk_assessment == "Threats mapped per lane."
    assert (event.action, event.from_state, event.to_state, event.actor, event.actor_role) == (
        "submit", "open", "submitted", personas.alice, "company_officer",
    )  # fmt: skip
    assert event.details["changed"]["unchanged"] > 0
    assert Notification.objects.filter(
        user=personas.sam, subject__contains="Annual review submitted"
    ).exists()


def test_resubmission_needs_a_complete_profile_a_risk_assessment_and_the_officer(
    review: AnnualReview, personas: Personas
) -> None:
    answer = review.profile.answers.filter(criterion__requirement="must").first()
    assert answer is not None
    services.review_answer_save(actor=personas.alice, review=review, answer=answer, data=AnswerInput(""))
    with pytest.raises(TransitionError) as refused:
        services.annual_review_submit(
            actor=personas.alice, membership=membership_of(personas.alice), review=review
        )
    assert len(refused.value.reasons) == 2
    with pytest.raises(TransitionError):
        services.annual_review_submit(
            actor=personas.bob, membership=membership_of(personas.bob), review=review
        )
    assert review.events.count() == 1


def test_accepting_makes_this_years_profile_current(submitted: AnnualReview, personas: Personas) -> None:
    last_year = submitted.previous_profile
    event = services.annual_review_accept(
        actor=personas.sam, membership=membership_of(personas.sam), review=submitted
    )
    assert (event.action, event.to_state, event.actor) == ("accept", "accepted", personas.sam)
    assert profile_current(submitted.partner) == submitted.profile
    assert last_year is not None
    last_year.refresh_from_db()
    assert not last_year.is_current
    assert Notification.objects.filter(user=personas.alice, subject__contains="accepted").exists()
    with pytest.raises(TransitionError):
        services.annual_review_accept(
            actor=personas.sam, membership=membership_of(personas.sam), review=submitted
        )


def test_returning_needs_a_reason_and_the_partner_resubmits(
    submitted: AnnualReview, personas: Personas
) -> None:
    sam = membership_of(personas.sam)
    with pytest.raises(TransitionError, match="reason"):
        services.annual_review_return(actor=personas.sam, membership=sam, review=submitted, reason=" ")
    services.annual_review_return(
        actor=personas.sam, membership=sam, review=submitted, reason="Attach the seal log."
    )
    submitted.refresh_from_db()
    assert submitted.state == ReviewState.RETURNED
    services.annual_review_submit(
        actor=personas.alice, membership=membership_of(personas.alice), review=submitted
    )
    actions = list(submitted.events.values_list("action", "reason"))
    assert actions == [("open", ""), ("submit", ""), ("return", "Attach the seal log."), ("submit", "")]


def test_nobody_else_decides(submitted: AnnualReview, personas: Personas) -> None:
    for person in (personas.alice, personas.rita):
        with pytest.raises((TransitionError, ValidationError)):
            services.annual_review_accept(actor=person, membership=membership_of(person), review=submitted)


# --- A missed window ------------------------------------------------------------------------------


def after_the_anniversary(review: AnnualReview) -> Any:
    window = selectors.window_of(review)
    assert window is not None
    return window.closes_at(selectors.program_tz()) + timedelta(minutes=1)


def test_a_missed_window_is_recorded_once_and_warns(review: AnnualReview, personas: Personas) -> None:
    Notification.objects.all().delete()
    now = after_the_anniversary(review)
    (event,) = services.annual_reviews_record_missed(now=now)
    assert (event.action, event.from_state, event.to_state, event.actor) == ("miss", "open", "open", None)
    assert event.details["policy"] == "warning"
    review.partner.refresh_from_db()
    assert review.partner.status == PartnerStatus.CERTIFIED
    assert set(Notification.objects.values_list("user__email", flat=True)) == {
        personas.alice.email,
        personas.sam.email,
    }
    assert services.annual_reviews_record_missed(now=now) == []
    assert services.annual_reviews_record_missed(now=now + timedelta(days=3)) == []


def test_a_missed_window_leads_to_corrective_action_under_that_policy(
    review: AnnualReview, personas: Personas, settings: Any
) -> None:
    settings.ANNUAL_REVIEW_MISSED_CONSEQUENCE = "corrective_action"
    (event,) = services.annual_reviews_record_missed(now=after_the_anniversary(review))
    partner = Partner.objects.get(pk=review.partner_id)
    assert partner.status == PartnerStatus.CORRECTIVE_ACTION
    lifecycle = PartnerEvent.objects.filter(partner=partner).latest("at", "id")
    assert lifecycle.transition == "require_corrective_action"
    assert lifecycle.details == {"annual_review": review.pk, "automatic": True}
    assert "anniversary" in lifecycle.reason
    assert event.details["corrective_action"] == f"taken: partner event {lifecycle.pk}"


def test_a_submission_on_the_anniversary_is_not_missed(review: AnnualReview, personas: Personas) -> None:
    services.review_risk_assessment_save(actor=personas.alice, review=review, text="Done.")
    services.annual_review_submit(
        actor=personas.alice, membership=membership_of(personas.alice), review=review
    )
    assert services.annual_reviews_record_missed(now=after_the_anniversary(review)) == []


def test_a_window_that_closed_before_anybody_opened_it_is_opened_and_missed(personas: Personas) -> None:
    acme = certify(personas, personas.acme, personas.alice, days_ago=400)
    (event,) = services.annual_reviews_record_missed()
    assert event.review.cycle == 1
    assert list(event.review.events.values_list("action", flat=True)) == ["open", "miss"]
    assert selectors.review_clocks([acme])[acme.pk][0].missed


def test_a_late_submission_clears_the_deadline(personas: Personas) -> None:
    acme = certify(personas, personas.acme, personas.alice, days_ago=400)
    review = services.annual_review_open(actor=None, partner=acme)
    assert review is not None
    services.review_risk_assessment_save(actor=personas.alice, review=review, text="Late.")
    services.annual_review_submit(
        actor=personas.alice, membership=membership_of(personas.alice), review=review
    )
    assert selectors.review_clocks([acme])[acme.pk] == []
    assert services.annual_reviews_record_missed() == []
