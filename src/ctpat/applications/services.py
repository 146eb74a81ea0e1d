"""Writes to a partner's account. Each service takes the acting user and membership, runs in one
transaction, and (for status changes) writes the event row through ``partner_transition``."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ctpat.accounts.models import Membership, Organization, User
from ctpat.accounts.roles import ROLE_ACTORS, OrganizationKind, Role
from ctpat.applications.evidence import inspect_upload
from ctpat.applications.models import (
    AnswerStatus,
    Contact,
    ContactType,
    Evidence,
    Identifier,
    Partner,
    PartnerEvent,
    ProfileAnswer,
    SecurityProfile,
)
from ctpat.core.eligibility import evaluate_eligibility, questions_for
from ctpat.core.entity_types import EntityType
from ctpat.core.identifiers import IdentifierKind, identifier_error, normalise_identifier
from ctpat.core.lifecycle import EDITABLE_STATUSES, Actor, PartnerStatus, check_transition
from ctpat.criteria.models import CatalogueVersion
from ctpat.criteria.selectors import catalogue_current, criteria_list


class ApplicationLocked(ValidationError):
    """The application is with the agency and cannot be edited by the partner now."""


def ensure_editable(partner: Partner) -> None:
    if partner.status_enum not in EDITABLE_STATUSES:
        raise ApplicationLocked(
            _("The application is %(status)s and cannot be changed until the agency returns it.")
            % {"status": partner.status_enum.label.lower()}
        )


@transaction.atomic
def partner_register(
    *, email: str, full_name: str, password: str, company_name: str, entity_type: EntityType, country: str
) -> tuple[User, Partner]:
    """A new company and its first user, who becomes its Company Officer."""
    if User.objects.filter(email__iexact=email).exists():
        raise ValidationError({"email": _("An account with this e-mail address already exists.")})
    user = User.objects.create_user(email=email, password=password, full_name=full_name)
    organization = Organization.objects.create(
        name=company_name, kind=OrganizationKind.PARTNER, country=country
    )
    Membership.objects.create(user=user, organization=organization, role=Role.COMPANY_OFFICER)
    partner = Partner.objects.create(
        organization=organization, entity_type=entity_type, legal_name=company_name, country=country
    )
    Contact.objects.create(
        partner=partner,
        contact_type=ContactType.COMPANY_OFFICER,
        full_name=full_name,
        email=user.email,
        is_primary=True,
    )
    if CatalogueVersion.objects.filter(is_current=True).exists():
        security_profile_ensure(partner=partner)
    return user, partner


@transaction.atomic
def eligibility_record(*, actor: User, partner: Partner, answers: Mapping[str, bool]) -> list[str]:
    """Store the questionnaire answers for the partner's type; returns the failed rules' reasons."""
    ensure_editable(partner)
    entity_type = EntityType(partner.entity_type)
    keys = {q.key for q in questions_for(entity_type)}
    clean = {key: bool(answers.get(key, False)) for key in keys}
    result = evaluate_eligibility(entity_type, clean)
    partner.eligibility_answers = clean
    partner.eligible = result.eligible
    partner.eligibility_checked_at = timezone.now()
    partner.save(update_fields=["eligibility_answers", "eligible", "eligibility_checked_at", "updated_at"])
    return list(result.reasons)


@transaction.atomic
def partner_profile_update(*, actor: User, partner: Partner, fields: Mapping[str, Any]) -> Partner:
    """Change company-profile fields (already validated by the form or API schema)."""
    ensure_editable(partner)
    for name, value in fields.items():
        setattr(partner, name, value)
    partner.full_clean(exclude=["organization", "agreement_signed_by", "assigned_specialist"])
    partner.save()
    if "legal_name" in fields:
        Organization.objects.filter(pk=partner.organization_id).update(name=partner.legal_name)
    return partner


@transaction.atomic
def entity_type_change(*, actor: User, partner: Partner, entity_type: EntityType) -> Partner:
    """A new entity type needs a new eligibility check, so the old result is cleared."""
    ensure_editable(partner)
    partner.entity_type = entity_type
    partner.eligible = False
    partner.eligibility_answers = {}
    partner.eligibility_checked_at = None
    partner.save()
    security_profile_ensure(partner=partner)
    return partner


@transaction.atomic
def identifier_set(*, actor: User, partner: Partner, kind: IdentifierKind, value: str) -> Identifier:
    ensure_editable(partner)
    error = identifier_error(kind, value)
    if error:
        raise ValidationError({"value": error})
    identifier, _created = Identifier.objects.update_or_create(
        partner=partner, kind=kind, defaults={"value": normalise_identifier(value)}
    )
    return identifier


@transaction.atomic
def identifier_remove(*, actor: User, partner: Partner, kind: IdentifierKind) -> None:
    ensure_editable(partner)
    Identifier.objects.filter(partner=partner, kind=kind).delete()


def child_save(*, actor: User, partner: Partner, instance: Any) -> Any:
    """Save a contact, origin country or facility row of an editable application."""
    ensure_editable(partner)
    instance.partner = partner
    instance.full_clean()
    instance.save()
    return instance


def child_delete(*, actor: User, partner: Partner, instance: Any) -> None:
    ensure_editable(partner)
    instance.delete()


def origin_shares_check(*, partner: Partner, share: Decimal, excluding_id: int | None = None) -> None:
    rows = partner.origin_countries.all()
    if excluding_id is not None:
        rows = rows.exclude(pk=excluding_id)
    others = rows.values_list("share_percent", flat=True)
    total = sum(others, Decimal(0)) + share
    if total > 100:
        raise ValidationError(
            {"share_percent": _("The shares would add up to %(total)s%%, over 100%%.") % {"total": total}}
        )


@transaction.atomic
def security_profile_ensure(
    *, partner: Partner, catalogue: CatalogueVersion | None = None
) -> SecurityProfile:
    """The partner's current profile, with an answer row for each applicable criterion.

    When a newer catalogue version is current, a new profile is started and every answer to a
    criterion with the same ID is carried over; the old profile and its answers stay as they were.
    """
    version = catalogue or catalogue_current()
    profile = (
        SecurityProfile.objects.filter(partner=partner, is_current=True).select_related("catalogue").first()
    )
    previous_answers: dict[str, ProfileAnswer] = {}
    if profile is not None and profile.catalogue_id != version.pk:
        previous_answers = {a.criterion.code: a for a in profile.answers.select_related("criterion")}
        profile.is_current = False
        profile.save(update_fields=["is_current"])
        profile = None
    if profile is None:
        profile = SecurityProfile.objects.create(partner=partner, catalogue=version)
    existing = set(profile.answers.values_list("criterion__code", flat=True))
    new_rows = []
    for criterion in criteria_list(catalogue=version, entity_type=partner.entity_type):
        if criterion.code in existing:
            continue
        old = previous_answers.get(criterion.code)
        new_rows.append(
            ProfileAnswer(
                profile=profile,
                criterion=criterion,
                status=old.status if old else "",
                narrative=old.narrative if old else "",
                not_applicable_reason=old.not_applicable_reason if old else "",
            )
        )
    ProfileAnswer.objects.bulk_create(new_rows)
    return profile


@dataclass(frozen=True)
class AnswerInput:
    status: str
    narrative: str = ""
    not_applicable_reason: str = ""


@transaction.atomic
def answer_save(*, actor: User, partner: Partner, answer: ProfileAnswer, data: AnswerInput) -> ProfileAnswer:
    """Save one answer of the security profile (drafts are saved as the user types)."""
    ensure_editable(partner)
    return answer_write(actor=actor, answer=answer, data=data)


def answer_write(*, actor: User, answer: ProfileAnswer, data: AnswerInput) -> ProfileAnswer:
    """Validate and write one answer; the caller has checked that the profile may change."""
    if data.status and data.status not in AnswerStatus.values:
        raise ValidationError({"status": _("Choose one of the offered answers.")})
    answer.status = data.status
    answer.narrative = data.narrative.strip()
    answer.not_applicable_reason = (
        data.not_applicable_reason.strip() if data.status == "not_applicable" else ""
    )
    answer.updated_by = actor
    answer.save()
    return answer


@transaction.atomic
def evidence_add(
    *, actor: User, partner: Partner, answer: ProfileAnswer, upload: UploadedFile[bytes]
) -> Evidence:
    """Attach a checked file to an answer; a refused file raises EvidenceRejected and stores nothing."""
    ensure_editable(partner)
    return evidence_store(actor=actor, answer=answer, upload=upload)


def evidence_store(*, actor: User, answer: ProfileAnswer, upload: UploadedFile[bytes]) -> Evidence:
    """Check an upload and store it under its SHA-256 as evidence of ``answer``; the caller has
    checked that the profile may change."""
    inspected = inspect_upload(upload, max_bytes=settings.EVIDENCE_MAX_BYTES)
    evidence = Evidence(
        answer=answer,
        original_name=inspected.original_name,
        content_type=inspected.content_type,
        size=inspected.size,
        sha256=inspected.sha256,
        uploaded_by=actor,
    )
    evidence.file.save(inspected.sha256, upload, save=False)
    try:
        evidence.save()
    except Exception:
        evidence.file.delete(save=False)
        raise
    return evidence


@transaction.atomic
def evidence_remove(*, actor: User, partner: Partner, evidence: Evidence) -> None:
    ensure_editable(partner)
    stored = evidence.file.name
    storage = evidence.file.storage
    evidence.delete()
    if stored and not Evidence.objects.filter(file=stored).exists():
        transaction.on_commit(lambda: storage.delete(stored))


@transaction.atomic
def agreement_sign(*, actor: User, membership: Membership, partner: Partner) -> Partner:
    """The partner agreement: only a Company Officer of this company may sign it."""
    ensure_editable(partner)
    if membership.role != Role.COMPANY_OFFICER or membership.organization_id != partner.organization_id:
        raise ValidationError(_("Only a Company Officer of the company may sign the partner agreement."))
    partner.agreement_signed_by = actor
    partner.agreement_signed_at = timezone.now()
    partner.save(update_fields=["agreement_signed_by", "agreement_signed_at", "updated_at"])
    return partner


def _actor_for(membership: Membership) -> Actor:
    actor = ROLE_ACTORS.get(Role(membership.role))
    if actor is None:
        raise ValidationError(
            _("Your role (%(role)s) cannot change the status.") % {"role": membership.get_role_display()}
        )
    return actor


def partner_transition(
    *,
    actor: User,
    membership: Membership,
    partner: Partner,
    name: str,
    reason: str = "",
    facts: Mapping[str, object] | None = None,
    details: Mapping[str, Any] | None = None,
    after: Callable[[PartnerEvent], None] | None = None,
) -> PartnerEvent:
    """Take one lifecycle transition: check it against the table, then write the new status and
    the event row together. ``after`` runs once the transaction has committed (e-mails)."""
    with transaction.atomic():
        locked = Partner.objects.select_for_update().get(pk=partner.pk)
        current = PartnerStatus(locked.status)
        transition = check_transition(
            name, current=current, actor=_actor_for(membership), facts={**(facts or {}), "reason": reason}
        )
        locked.status = transition.target
        locked.save(update_fields=["status", "updated_at"])
        event = PartnerEvent.objects.create(
            partner=locked,
            transition=name,
            from_status=current,
            to_status=transition.target,
            actor=actor,
            actor_role=membership.role,
            reason=reason,
            details=dict(details or {}),
            at=timezone.now(),
        )
        if after is not None:
            transaction.on_commit(lambda: after(event))
    partner.status = locked.status
    return event


def application_submit(*, actor: User, membership: Membership, partner: Partner) -> PartnerEvent:
    """The Company Officer submits: eligible, complete, agreement signed. Starts the 90-day clock."""
    from ctpat.applications.selectors import application_gaps_for

    if membership.role != Role.COMPANY_OFFICER:
        raise ValidationError(_("Only a Company Officer may submit the application."))
    security_profile_ensure(partner=partner)
    gaps = application_gaps_for(partner)
    facts = {
        "eligible": partner.eligible,
        "profile_complete": not gaps,
        "agreement_signed": partner.agreement_signed_at is not None,
    }
    return partner_transition(
        actor=actor,
        membership=membership,
        partner=partner,
        name="submit",
        facts=facts,
        details={"profile_id": security_profile_ensure(partner=partner).pk},
        after=lambda event: _notify_submission(partner),
    )


@transaction.atomic
def application_return(*, actor: User, membership: Membership, partner: Partner, reason: str) -> PartnerEvent:
    """The agency sends the application back for more information; a new signature is needed."""
    event = partner_transition(
        actor=actor, membership=membership, partner=partner, name="return_to_partner", reason=reason
    )
    Partner.objects.filter(pk=partner.pk).update(agreement_signed_at=None, agreement_signed_by=None)
    return event


def _notify_submission(partner: Partner) -> None:
    from ctpat.notifications.services import notify

    officers = User.objects.filter(
        memberships__organization_id=partner.organization_id, memberships__role=Role.COMPANY_OFFICER
    )
    notify(
        users=officers,
        subject=_("CTPAT application received: %(name)s") % {"name": partner.legal_name},
        body=_(
            "Your CTPAT application for %(name)s was received. The agency decides on certification "
            "within 90 days; you can follow its progress in the portal."
        )
        % {"name": partner.legal_name},
        url="/application/",
    )
