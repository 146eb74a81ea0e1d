"""The report sent to the partner, the partner's response, and the decision: proposed by the
specialist, approved (and carried out through ``partner_transition``) or returned by a
supervisor who did not propose it."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ctpat.accounts.models import Membership, User
from ctpat.accounts.roles import Role
from ctpat.applications.models import PartnerEvent
from ctpat.applications.services import partner_transition
from ctpat.core.validation_rules import (
    DecisionInput,
    Outcome,
    StageError,
    decision_errors,
    proposal_refusal,
    stage_after_return,
)
from ctpat.notifications.services import notify
from ctpat.validation.models import (
    DecisionProposal,
    PartnerResponse,
    ProposalState,
    Validation,
    ValidationReport,
)
from ctpat.validation.services.fieldwork import evidence_store
from ctpat.validation.services.recipients import (
    notify_decision,
    partner_officers,
    users_with_roles,
    validation_team,
)
from ctpat.validation.services.stages import step_take

# --- The report and the partner's response -----------------------------------------------------


@transaction.atomic
def report_send(*, actor: User, membership: Membership, validation: Validation) -> ValidationReport:
    """Render the report (PDF), keep it as sent, and tell the partner's Company Officers."""
    from ctpat.validation.report import validation_report_pdf
    from ctpat.validation.selectors import report_readiness

    gaps = report_readiness(validation)
    if gaps:
        raise ValidationError(gaps)
    sent_at = timezone.now()
    step_take(validation=validation, step="send_report", actor=actor, membership=membership)
    pdf = validation_report_pdf(validation, sent_at=sent_at)
    report = ValidationReport.objects.create(
        validation=validation, pdf=pdf, sha256=hashlib.sha256(pdf).hexdigest(), sent_by=actor, sent_at=sent_at
    )
    notify(
        users=partner_officers(validation.partner),
        subject=_("CTPAT validation report for %(name)s") % {"name": validation.partner.legal_name},
        body=_(
            "The agency's validation report is ready. Read its findings and send your response in the portal."
        ),
        url=reverse("validation:partner_detail", args=[validation.pk]),
    )
    return report


@transaction.atomic
def response_submit(
    *,
    actor: User,
    membership: Membership,
    validation: Validation,
    text: str,
    uploads: Sequence[UploadedFile[bytes]] = (),
) -> PartnerResponse:
    """The partner's written response to the report, with optional evidence files."""
    if not text.strip():
        raise ValidationError({"text": [_("Write your response to the findings.")]})
    step_take(validation=validation, step="respond", actor=actor, membership=membership)
    response = PartnerResponse.objects.create(
        validation=validation, text=text.strip(), responded_by=actor, responded_at=timezone.now()
    )
    for upload in uploads:
        evidence_store(actor=actor, validation=validation, upload=upload, response=response)
    notify(
        users=validation_team(validation),
        subject=_("%(name)s responded to its validation report") % {"name": validation.partner.legal_name},
        url=reverse("validation:detail", args=[validation.pk]),
    )
    return response


# --- The decision ------------------------------------------------------------------------------


@transaction.atomic
def decision_propose(
    *, actor: User, membership: Membership, validation: Validation, decision: DecisionInput
) -> DecisionProposal:
    """The specialist proposes the outcome the findings allow; a supervisor must approve it."""
    from ctpat.validation.selectors import finding_kinds

    today = timezone.localdate()
    report = ValidationReport.objects.filter(validation=validation).first()
    waiting = proposal_refusal(
        responded=PartnerResponse.objects.filter(validation=validation).exists(),
        report_sent_on=timezone.localdate(report.sent_at) if report else None,
        today=today,
    )
    if waiting:
        raise ValidationError(waiting)
    errors = decision_errors(decision, findings=finding_kinds(validation), today=today)
    if errors:
        raise ValidationError(errors)
    step_take(
        validation=validation,
        step="propose",
        actor=actor,
        membership=membership,
        details={"outcome": decision.outcome.value},
    )
    proposal = DecisionProposal.objects.create(
        validation=validation,
        outcome=decision.outcome,
        rationale=decision.rationale.strip(),
        deadline=decision.deadline if decision.outcome is Outcome.CORRECTIVE_ACTION else None,
        corrective_items=decision.corrective_items.strip()
        if decision.outcome is Outcome.CORRECTIVE_ACTION
        else "",
        proposed_by=actor,
        proposed_at=timezone.now(),
    )
    notify(
        users=users_with_roles({Role.SUPERVISOR}),
        subject=_("Validation decision to approve: %(name)s") % {"name": validation.partner.legal_name},
        body=str(decision.outcome.label),
        url=reverse("validation:detail", args=[validation.pk]),
    )
    return proposal


def _check_reviewer(actor: User, membership: Membership, proposal: DecisionProposal) -> None:
    if membership.role not in {Role.SUPERVISOR, Role.PROGRAM_DIRECTOR}:
        raise PermissionDenied(_("Only a supervisor or the program director approves a validation decision."))
    if proposal.proposed_by_id == actor.pk:
        raise PermissionDenied(
            _("Separation of duties: you proposed this decision, so another person approves it.")
        )
    if proposal.state != ProposalState.PROPOSED:
        raise ValidationError(
            _("This proposal has already been %(state)s.") % {"state": proposal.get_state_display().lower()}
        )


@transaction.atomic
def decision_approve(
    *, actor: User, membership: Membership, proposal: DecisionProposal, note: str = ""
) -> DecisionProposal:
    """Approve a proposed decision and carry it out: validate with the tier, require corrective
    action, or record the suspension recommendation for the program director."""
    proposal = DecisionProposal.objects.select_for_update().get(pk=proposal.pk)
    _check_reviewer(actor, membership, proposal)
    validation = proposal.validation
    event = _carry_out(actor, membership, proposal)
    proposal.state = ProposalState.APPROVED
    proposal.reviewed_by = actor
    proposal.reviewed_at = timezone.now()
    proposal.review_note = note.strip()
    proposal.partner_event = event
    proposal.save()
    step_take(
        validation=validation,
        step="approve",
        actor=actor,
        membership=membership,
        details={"outcome": proposal.outcome, "proposal": proposal.pk},
    )
    notify_decision(validation, proposal)
    return proposal


def _carry_out(actor: User, membership: Membership, proposal: DecisionProposal) -> PartnerEvent | None:
    validation = proposal.validation
    outcome = proposal.outcome_enum
    if outcome.tier is not None:
        return partner_transition(
            actor=actor,
            membership=membership,
            partner=validation.partner,
            name="validate",
            facts={"validation_approved": True},
            details={"tier": outcome.tier, "validation_id": validation.pk, "proposal_id": proposal.pk},
        )
    if outcome is Outcome.CORRECTIVE_ACTION:
        assert proposal.deadline is not None
        reason = _("Validation found deficiencies to correct by %(deadline)s: %(items)s") % {
            "deadline": proposal.deadline.isoformat(),
            "items": proposal.corrective_items,
        }
        return partner_transition(
            actor=actor,
            membership=membership,
            partner=validation.partner,
            name="require_corrective_action",
            reason=reason,
            details={
                "validation_id": validation.pk,
                "proposal_id": proposal.pk,
                "deadline": proposal.deadline.isoformat(),
                "items": proposal.corrective_items,
            },
        )
    # A suspension is the program director's own decision: the recommendation is recorded and
    # sent to them; the partner's status does not change here.
    return None


@transaction.atomic
def decision_return(
    *, actor: User, membership: Membership, proposal: DecisionProposal, note: str
) -> DecisionProposal:
    """Send a proposal back to the specialist with a note; the validation goes back one stage."""
    proposal = DecisionProposal.objects.select_for_update().get(pk=proposal.pk)
    _check_reviewer(actor, membership, proposal)
    if not note.strip():
        raise ValidationError({"note": [_("Say what the specialist should reconsider.")]})
    validation = proposal.validation
    responded = PartnerResponse.objects.filter(validation=validation).exists()
    try:
        target = stage_after_return(validation.stage_enum, partner_responded=responded)
    except StageError as exc:
        raise ValidationError(str(exc)) from exc
    proposal.state = ProposalState.RETURNED
    proposal.reviewed_by = actor
    proposal.reviewed_at = timezone.now()
    proposal.review_note = note.strip()
    proposal.save()
    step_take(
        validation=validation,
        step="return_proposal",
        actor=actor,
        membership=membership,
        to=target,
        details={"proposal": proposal.pk, "note": proposal.review_note},
    )
    notify(
        users=[u for u in [proposal.proposed_by] if u is not None],
        subject=_("Validation decision returned: %(name)s") % {"name": validation.partner.legal_name},
        body=proposal.review_note,
        url=reverse("validation:detail", args=[validation.pk]),
    )
    return proposal
