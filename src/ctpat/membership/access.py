"""The only permission-checked ways to reach keeping-membership pages and records, for the pages
and the API alike.

- A partner's people reach only their own company (another company's IDs are "not found").
  Every partner role reads; editors (Company Officer, employee, consultant) open the annual
  review, change its answers and risk assessment, and record best practices; only the Company
  Officer re-submits the review.
- Agency staff (every agency role) read every partner's reviews, best practices and the queue.
  A review is accepted or returned by the partner's assigned specialist, a supervisor or the
  program director; agency staff never edit the partner's records.
- Everybody else (liaisons, people without a role) is refused.

One condition per line, so the tests cover every branch.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _

from ctpat.accounts.access import require_role
from ctpat.accounts.models import Membership
from ctpat.accounts.roles import AGENCY_DECIDERS, AGENCY_ROLES, PARTNER_EDITORS, PARTNER_ROLES, Role
from ctpat.applications import access as applications_access
from ctpat.applications.models import Evidence, Partner, ProfileAnswer
from ctpat.membership.models import (
    AnnualReview,
    AssessmentFinding,
    ImprovementAction,
    InternalAssessment,
    TrainingRecord,
)

READERS = PARTNER_ROLES | AGENCY_ROLES


def access_home(membership: Membership | None) -> Membership:
    """The section's entry: a partner's people and agency staff."""
    return require_role(membership, READERS)


def access_agency_queue(membership: Membership | None) -> Membership:
    """Reviews to decide, windows open and full revalidations due: every agency role."""
    return require_role(membership, AGENCY_ROLES)


def access_partner_by_id(membership: Membership | None, partner_id: int, *, write: bool = False) -> Partner:
    """A partner's membership pages. ``write``: the partner's own editors only."""
    member = require_role(membership, READERS)
    return applications_access.access_partner_by_id(member, partner_id, write=write)


def access_own_partner(membership: Membership | None) -> Partner:
    return applications_access.access_own_partner(membership)


def _review(review_id: int) -> AnnualReview:
    review = (
        AnnualReview.objects.select_related(
            "partner", "partner__organization", "partner__assigned_specialist"
        )
        .filter(pk=review_id)
        .first()
    )
    if review is None:
        raise Http404(_("No such annual review."))
    return review


def access_review_by_id(membership: Membership | None, review_id: int) -> AnnualReview:
    """An annual review to read: the partner's own people, or any agency role."""
    member = require_role(membership, READERS)
    review = _review(review_id)
    if member.role in AGENCY_ROLES:
        return review
    if review.partner.organization_id != member.organization_id:
        raise Http404(_("No such annual review."))
    return review


def access_review_to_edit(membership: Membership | None, review_id: int) -> AnnualReview:
    """Changing the year's answers, evidence and risk assessment: the partner's editors."""
    review = access_review_by_id(membership, review_id)
    assert membership is not None  # access_review_by_id refused None
    if membership.role not in PARTNER_EDITORS:
        raise PermissionDenied(
            _("Your role (%(role)s) may not change the review.") % {"role": membership.get_role_display()}
        )
    return review


def access_review_to_submit(membership: Membership | None, review_id: int) -> AnnualReview:
    """Re-submitting: the partner's Company Officer."""
    review = access_review_by_id(membership, review_id)
    assert membership is not None
    if membership.role != Role.COMPANY_OFFICER:
        raise PermissionDenied(_("Only a Company Officer may re-submit the annual review."))
    return review


def access_review_to_decide(membership: Membership | None, review_id: int) -> AnnualReview:
    """Accepting or returning: the assigned specialist, a supervisor or the program director."""
    member = require_role(membership, AGENCY_DECIDERS)
    review = _review(review_id)
    if member.role == Role.SPECIALIST and review.partner.assigned_specialist_id != member.user_id:
        raise PermissionDenied(_("This partner is not in your portfolio."))
    return review


def can_decide(membership: Membership | None, review: AnnualReview) -> bool:
    """Whether the page offers the accept and return buttons (the access function decides)."""
    try:
        access_review_to_decide(membership, review.pk)
    except (PermissionDenied, Http404):
        return False
    return True


def access_review_answer_by_id(review: AnnualReview, answer_id: int) -> ProfileAnswer:
    """An answer of the review's own profile (the review was fetched through access)."""
    answer = (
        ProfileAnswer.objects.select_related("criterion")
        .filter(pk=answer_id, profile=review.profile_id)
        .first()
    )
    if answer is None:
        raise Http404(_("No such answer."))
    return answer


def access_review_evidence_by_id(review: AnnualReview, evidence_id: int) -> Evidence:
    """An evidence file of this year's profile or of the one it started from."""
    profiles = [p for p in (review.profile_id, review.previous_profile_id) if p is not None]
    evidence = Evidence.objects.filter(pk=evidence_id, answer__profile__in=profiles).first()
    if evidence is None:
        raise Http404(_("No such evidence file."))
    return evidence


def access_assessment_by_id(partner: Partner, assessment_id: int) -> InternalAssessment:
    assessment = InternalAssessment.objects.filter(pk=assessment_id, partner=partner).first()
    if assessment is None:
        raise Http404(_("No such internal assessment."))
    return assessment


def access_finding_by_id(assessment: InternalAssessment, finding_id: int) -> AssessmentFinding:
    finding = (
        AssessmentFinding.objects.select_related("criterion")
        .filter(pk=finding_id, assessment=assessment)
        .first()
    )
    if finding is None:
        raise Http404(_("No such finding."))
    return finding


def access_training_by_id(partner: Partner, record_id: int) -> TrainingRecord:
    record = TrainingRecord.objects.filter(pk=record_id, partner=partner).first()
    if record is None:
        raise Http404(_("No such training record."))
    return record


def access_action_by_id(partner: Partner, action_id: int) -> ImprovementAction:
    action = ImprovementAction.objects.filter(pk=action_id, partner=partner).first()
    if action is None:
        raise Http404(_("No such improvement action."))
    return action
