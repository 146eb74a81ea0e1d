"""Writes of the review: assignment, vetting checks, the risk assessment, recommendations,
supervisors' decisions and certificates.

Each service takes the acting user and membership, runs in one transaction, writes its record
row, and tells the people concerned through ``notify`` (the messages are written in the same
transaction, the e-mails go out after the commit). Status
changes go through ``applications.services.partner_transition`` (or ``application_return``),
never anywhere else.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ctpat.accounts.models import Membership, User
from ctpat.accounts.roles import ROLE_ACTORS, Role
from ctpat.applications.evidence import inspect_upload
from ctpat.applications.models import Partner, PartnerEvent
from ctpat.applications.selectors import partner_clocks
from ctpat.applications.services import application_return, partner_transition
from ctpat.business_partners.models import ApplicantScreening
from ctpat.business_partners.restricted_lists import active_index
from ctpat.business_partners.services import applicant_screen
from ctpat.core.clocks import ClockKind
from ctpat.core.decisions import (
    DecisionAction,
    DecisionFacts,
    PendingRecommendation,
    RecommendationFacts,
    RecommendationKind,
    ReviewRefused,
    VettingCheckKind,
    certificate_number,
    check_decision,
    check_recommendation,
    decision_transition,
)
from ctpat.core.lifecycle import FINAL_STATUSES, PartnerStatus
from ctpat.core.risk import AssessmentStep
from ctpat.notifications.services import notify
from ctpat.review import selectors
from ctpat.review.models import (
    Assignment,
    Certificate,
    Recommendation,
    RiskAssessment,
    RiskScoreRecord,
    SupervisorDecision,
    VettingCheck,
)

SUPERVISING_ROLES = frozenset({Role.SUPERVISOR, Role.PROGRAM_DIRECTOR})


def _ensure_with_agency(partner: Partner) -> None:
    """Vetting and the risk assessment are recorded while the application is with the agency."""
    if partner.status not in selectors.OPEN_APPLICATION:
        raise ReviewRefused(
            [
                _(
                    "The application is %(status)s: the review is recorded while it is submitted or under review."
                )
                % {"status": partner.status_enum.label.lower()}
            ]
        )


def _file_url(partner: Partner) -> str:
    return reverse("review:file", args=[partner.pk])


def partner_officers(partner: Partner) -> list[User]:
    """The partner's Company Officers with a portal account (who are told of decisions)."""
    return list(
        User.objects.filter(
            memberships__organization_id=partner.organization_id, memberships__role=Role.COMPANY_OFFICER
        )
    )


# --- Assignment ------------------------------------------------------------------------------


@transaction.atomic
def assignment_make(
    *, actor: User, membership: Membership, partner: Partner, specialist: User, note: str = ""
) -> Assignment:
    """A supervisor or the program director puts a file in a specialist's portfolio. The row
    records who assigned whom, when, and the suggestion they were shown; the specialist is told."""
    if membership.role not in SUPERVISING_ROLES:
        raise ReviewRefused([_("Only a supervisor or the program director assigns applications.")])
    if not selectors.assignable_people().filter(pk=specialist.pk).exists():
        raise ValidationError({"specialist": _("Choose a specialist or supervisor of the agency.")})
    locked = Partner.objects.select_for_update().get(pk=partner.pk)
    submitted = PartnerEvent.objects.filter(partner=locked, transition="submit").exists()
    if locked.status in FINAL_STATUSES or not submitted:
        raise ReviewRefused([_("Only a submitted application or a member's file can be assigned.")])
    if locked.assigned_specialist_id == specialist.pk:
        raise ReviewRefused([_("The application is already assigned to %(name)s.") % {"name": specialist}])
    suggestions = selectors.assignment_suggestions(
        locked, candidates=selectors.suggestion_candidates(membership)
    )
    assignment = Assignment.objects.create(
        partner=locked,
        specialist=specialist,
        previous_specialist_id=locked.assigned_specialist_id,
        assigned_by=actor,
        note=note.strip(),
        suggestion=[s.as_record() for s in suggestions],
        at=timezone.now(),
    )
    Partner.objects.filter(pk=locked.pk).update(assigned_specialist=specialist)
    partner.assigned_specialist = specialist
    notify(
        users=[specialist],
        subject=_("Application assigned to you: %(name)s") % {"name": locked.legal_name},
        body=(
            _("%(who)s put %(name)s (%(type)s) in your portfolio.")
            % {"who": actor, "name": locked.legal_name, "type": locked.get_entity_type_display()}
            + (f" {note.strip()}" if note.strip() else "")
        ),
        url=_file_url(locked),
    )
    return assignment


# --- Vetting ---------------------------------------------------------------------------------


@transaction.atomic
def vetting_check_record(
    *,
    actor: User,
    membership: Membership,
    partner: Partner,
    kind: VettingCheckKind,
    result: str,
    derogatory: bool,
    notes: str = "",
    upload: UploadedFile[bytes] | None = None,
    screening: ApplicantScreening | None = None,
) -> VettingCheck:
    """Record a check's result (a new row: earlier results are kept, the latest counts)."""
    _ensure_with_agency(partner)
    if not result.strip():
        raise ValidationError({"result": _("Say what the check found.")})
    check = VettingCheck(
        partner=partner,
        kind=kind,
        result=result.strip(),
        derogatory=derogatory,
        notes=notes.strip(),
        screening=screening,
        recorded_by=actor,
        at=timezone.now(),
    )
    if upload is None:
        check.save()
        return check
    inspected = inspect_upload(upload, max_bytes=settings.EVIDENCE_MAX_BYTES)
    check.evidence_name = inspected.original_name
    check.evidence_content_type = inspected.content_type
    check.evidence_size = inspected.size
    check.evidence_sha256 = inspected.sha256
    check.evidence_file.save(inspected.sha256, upload, save=False)
    try:
        check.save()
    except Exception:
        check.evidence_file.delete(save=False)
        raise
    return check


def vetting_screening_run(*, actor: User, membership: Membership, partner: Partner) -> VettingCheck:
    """Run the applicant screening (company, contacts, facilities against the loaded restricted
    lists) and record it as the restricted-party check. Possible matches count as derogatory
    until the specialist records their own conclusion."""
    _ensure_with_agency(partner)
    if not active_index().versions:
        raise ReviewRefused(
            [
                _(
                    "No restricted-party list is loaded: record a manual result, or ask an administrator to load the lists."
                )
            ]
        )
    with transaction.atomic():
        run = applicant_screen(actor=actor, partner=partner)
        lists = ", ".join(
            f"{code} of {facts['list_date']}" for code, facts in sorted(run.list_versions.items())
        )
        result = _(
            "Screened %(count)d names (company, contacts, facilities) against %(lists)s: %(hits)d possible match(es)."
        ) % {
            "count": len(run.results),
            "lists": lists,
            "hits": run.hit_count,
        }
        notes = (
            _(
                "Review the possible matches on the screening page and record this check again with your conclusion."
            )
            if run.hit_count
            else ""
        )
        return vetting_check_record(
            actor=actor,
            membership=membership,
            partner=partner,
            kind=VettingCheckKind.RESTRICTED_PARTY,
            result=result,
            derogatory=run.hit_count > 0,
            notes=notes,
            screening=run,
        )


# --- Risk assessment -------------------------------------------------------------------------


@transaction.atomic
def assessment_step_save(
    *, actor: User, membership: Membership, partner: Partner, step: AssessmentStep, text: str
) -> RiskAssessment:
    """Save one of the five steps of the written assessment (the page saves as the user types)."""
    _ensure_with_agency(partner)
    assessment, _created = RiskAssessment.objects.select_for_update().get_or_create(partner=partner)
    setattr(assessment, step.value, text.strip())
    assessment.updated_by = actor
    assessment.updated_at = timezone.now()
    assessment.save()
    return assessment


@transaction.atomic
def risk_score_record(*, actor: User, membership: Membership, partner: Partner) -> RiskScoreRecord:
    """Record the automatic score as it is now, with every contribution."""
    _ensure_with_agency(partner)
    score = selectors.risk_score_live(partner)
    return RiskScoreRecord.objects.create(
        partner=partner,
        total=score.total,
        level=score.level,
        contributions=[
            {"source": c.source.value, "detail": c.detail, "points": str(c.points)}
            for c in score.contributions
        ],
        recorded_by=actor,
        at=timezone.now(),
    )


# --- Recommendation and decision -------------------------------------------------------------


def recommendation_make(
    *, actor: User, membership: Membership, partner: Partner, kind: RecommendationKind, reason: str
) -> Recommendation:
    """The assigned specialist recommends. Certify and reject go to a supervisor (who is told);
    a return to the partner is taken at once through ``application_return``, which pauses the
    90-day clock until the partner resubmits (the partner's officers are told)."""
    with transaction.atomic():
        locked = Partner.objects.select_for_update().get(pk=partner.pk)
        facts = RecommendationFacts(
            status=PartnerStatus(locked.status),
            by_assigned_specialist=locked.assigned_specialist_id == actor.pk,
            pending=selectors.pending_recommendation(locked) is not None,
            vetting_complete=selectors.vetting_complete(locked),
            risk_assessed=selectors.risk_assessed(locked),
        )
        check_recommendation(kind, reason, facts)
        recommendation = Recommendation.objects.create(
            partner=locked, kind=kind, reason=reason.strip(), recommended_by=actor, at=timezone.now()
        )
        if kind is RecommendationKind.RETURN_TO_PARTNER:
            recommendation.partner_event = application_return(
                actor=actor, membership=membership, partner=locked, reason=reason.strip()
            )
            recommendation.save(update_fields=["partner_event"])
            _notify_return(locked, reason.strip())
        else:
            _notify_recommendation(locked, recommendation, actor)
    partner.refresh_from_db()
    return recommendation


def decision_take(
    *, actor: User, membership: Membership, partner: Partner, action: DecisionAction, reason: str = ""
) -> SupervisorDecision:
    """A supervisor or the program director agrees with the pending recommendation, overrides it
    (takes the other decision) or returns it to the specialist. Whoever recommended, or holds the
    file, may not decide (``core.decisions``). Certification issues the certificate."""
    with transaction.atomic():
        locked = Partner.objects.select_for_update().get(pk=partner.pk)
        pending = selectors.pending_recommendation(locked)
        facts = DecisionFacts(
            decider_id=actor.pk,
            decider_actor=ROLE_ACTORS.get(Role(membership.role)),
            assigned_specialist_id=locked.assigned_specialist_id,
            recommendation=PendingRecommendation(pending.kind_enum, pending.recommended_by_id)
            if pending
            else None,
        )
        check_decision(action, reason, facts)
        assert pending is not None  # check_decision refuses a decision without one
        transition = decision_transition(action, pending.kind_enum)
        event = None
        certificate = None
        if transition is not None:
            event = partner_transition(
                actor=actor,
                membership=membership,
                partner=locked,
                name=transition,
                reason=reason.strip() or pending.reason,
                facts=selectors.certification_facts(locked),
                details={"tier": 1, "recommendation_id": pending.pk, "decision": action.value}
                if transition == "certify"
                else {"recommendation_id": pending.pk, "decision": action.value},
            )
            if transition == "certify":
                certificate = certificate_issue(partner=locked, event=event, actor=actor)
        decision = SupervisorDecision.objects.create(
            recommendation=pending,
            action=action,
            reason=reason.strip(),
            transition=transition or "",
            partner_event=event,
            decided_by=actor,
            at=timezone.now(),
        )
        _notify_decision(locked, decision, certificate)
    partner.refresh_from_db()
    return decision


def certificate_issue(*, partner: Partner, event: PartnerEvent, actor: User | None) -> Certificate:
    """The certificate of a certification: the next number of the year, and what it states
    (company, entity type, Tier 1, the validation due date from the validation clock)."""
    year = timezone.localtime(event.at).year
    validation = next((c for c in partner_clocks(partner) if c.kind == ClockKind.VALIDATION), None)
    for attempt in range(3):
        last = Certificate.objects.filter(year=year).aggregate(Max("sequence"))["sequence__max"] or 0
        try:
            with transaction.atomic():
                return Certificate.objects.create(
                    partner=partner,
                    number=certificate_number(year, last + 1),
                    year=year,
                    sequence=last + 1,
                    partner_event=event,
                    company_name=partner.legal_name,
                    entity_type=partner.entity_type,
                    tier=1,
                    issued_at=event.at,
                    validation_due=timezone.localtime(validation.due).date() if validation else None,
                    issued_by=actor,
                )
        except IntegrityError:  # another certification took the number at the same moment
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


# --- Notifications ---------------------------------------------------------------------------


def _notify_return(partner: Partner, reason: str) -> None:
    notify(
        users=partner_officers(partner),
        subject=_("Your CTPAT application needs more information"),
        body=_(
            "The agency returned the application of %(name)s: %(reason)s Change it, sign the partner "
            "agreement again and resubmit; the 90-day clock is paused until then."
        )
        % {"name": partner.legal_name, "reason": reason},
        url=reverse("applications:dashboard"),
    )


def _notify_recommendation(partner: Partner, recommendation: Recommendation, specialist: User) -> None:
    notify(
        users=selectors.supervisors_of(specialist),
        subject=_("Recommendation to decide: %(name)s") % {"name": partner.legal_name},
        body=_("%(who)s recommends: %(kind)s. %(reason)s")
        % {"who": specialist, "kind": recommendation.kind_enum.label, "reason": recommendation.reason},
        url=reverse("review:decision", args=[partner.pk]),
    )


def _notify_decision(partner: Partner, decision: SupervisorDecision, certificate: Certificate | None) -> None:
    recommendation = decision.recommendation
    specialist = recommendation.recommended_by
    if specialist is not None:
        notify(
            users=[specialist],
            subject=_("Decision on your recommendation for %(name)s: %(action)s")
            % {"name": partner.legal_name, "action": decision.get_action_display()},
            body=decision.reason,
            url=reverse("review:decision", args=[partner.pk]),
        )
    if decision.transition == "certify" and certificate is not None:
        notify(
            users=partner_officers(partner),
            subject=_("%(name)s is certified: CTPAT Tier 1") % {"name": partner.legal_name},
            body=_("Certificate %(number)s is issued. Validation is due by %(due)s.")
            % {"number": certificate.number, "due": certificate.validation_due or "—"},
            url=reverse("review:my_standing"),
        )
    elif decision.transition == "reject":
        notify(
            users=partner_officers(partner),
            subject=_("Your CTPAT application was not accepted"),
            body=_("The agency rejected the application of %(name)s: %(reason)s")
            % {"name": partner.legal_name, "reason": decision.reason or recommendation.reason},
            url=reverse("applications:dashboard"),
        )
