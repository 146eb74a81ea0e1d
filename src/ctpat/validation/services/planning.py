"""Planning a validation: its team, dates and sites (no-go zones, MRA replacements)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ctpat.accounts.models import Membership, User
from ctpat.accounts.roles import Role
from ctpat.applications.models import Partner
from ctpat.core.lifecycle import MEMBER_STATUSES
from ctpat.core.validation_rules import (
    Stage,
    site_errors,
)
from ctpat.validation.models import (
    Validation,
    ValidationEvent,
    ValidationSite,
)
from ctpat.validation.services.recipients import notify_team
from ctpat.validation.services.stages import ensure_fieldwork, event_record

Errors = dict[str, list[str]]


# --- Planning ----------------------------------------------------------------------------------


def _check_team(lead: User | None, team: Iterable[User]) -> Errors:
    errors: Errors = {}
    specialists = set(Membership.objects.filter(role=Role.SPECIALIST).values_list("user_id", flat=True))
    if lead is None:
        errors["lead"] = [_("Choose the lead specialist.")]
    elif lead.pk not in specialists:
        errors["lead"] = [_("The lead must be a Supply Chain Security Specialist.")]
    if any(member.pk not in specialists for member in team):
        errors["team"] = [_("Team members must be Supply Chain Security Specialists.")]
    return errors


def _check_dates(planned_start: date, planned_end: date) -> Errors:
    if planned_end < planned_start:
        return {"planned_end": [_("The visits cannot end before they start.")]}
    return {}


@transaction.atomic
def validation_plan(
    *,
    actor: User,
    membership: Membership,
    partner: Partner,
    lead: User | None,
    team: Sequence[User],
    planned_start: date,
    planned_end: date,
    scope: str = "",
    prefill_sites: bool = True,
) -> Validation:
    """Plan a member's validation: its team, dates and (from its facilities) its sites."""
    if partner.status_enum not in MEMBER_STATUSES:
        raise ValidationError(
            _(
                "Only a certified, validated or corrective-action partner is validated; %(name)s is %(status)s."
            )
            % {"name": partner.legal_name, "status": partner.status_enum.label.lower()}
        )
    if Validation.objects.filter(partner=partner).exclude(stage=Stage.DECIDED).exists():
        raise ValidationError(_("%(name)s already has an open validation.") % {"name": partner.legal_name})
    errors = _check_team(lead, team) | _check_dates(planned_start, planned_end)
    if errors:
        raise ValidationError(errors)
    validation = Validation.objects.create(
        partner=partner,
        lead=lead,
        planned_start=planned_start,
        planned_end=planned_end,
        scope=scope.strip(),
        created_by=actor,
    )
    validation.team.set([member for member in team if member != lead])
    if prefill_sites:
        _sites_from_facilities(validation)
    ValidationEvent.objects.create(
        validation=validation,
        action="plan",
        from_stage=Stage.PLANNED,
        to_stage=Stage.PLANNED,
        actor=actor,
        actor_role=membership.role,
        details={"sites": validation.sites.count()},
        at=timezone.now(),
    )
    notify_team(validation, _("You are on the validation team for %(name)s"))
    return validation


def _sites_from_facilities(validation: Validation) -> None:
    for facility in validation.partner.facilities.order_by("name"):
        ValidationSite.objects.create(
            validation=validation,
            facility=facility,
            name=facility.name,
            street=facility.street,
            city=facility.city,
            region=facility.region,
            postal_code=facility.postal_code,
            country=facility.country,
            latitude=facility.latitude,
            longitude=facility.longitude,
        )


@transaction.atomic
def validation_plan_update(
    *,
    actor: User,
    membership: Membership,
    validation: Validation,
    lead: User | None,
    team: Sequence[User],
    planned_start: date,
    planned_end: date,
    scope: str = "",
) -> Validation:
    """Change the team, dates or scope while the fieldwork is open."""
    ensure_fieldwork(validation)
    errors = _check_team(lead, team) | _check_dates(planned_start, planned_end)
    if errors:
        raise ValidationError(errors)
    validation.lead = lead
    validation.planned_start = planned_start
    validation.planned_end = planned_end
    validation.scope = scope.strip()
    validation.save()
    validation.team.set([member for member in team if member != lead])
    event_record(validation, "plan_update", actor, membership)
    return validation


@transaction.atomic
def site_save(
    *, actor: User, membership: Membership, validation: Validation, site: ValidationSite
) -> ValidationSite:
    """Add or change a site: a no-go zone needs a reason; an MRA partner may replace a foreign visit."""
    ensure_fieldwork(validation)
    site.validation = validation
    site.country = site.country.upper()
    errors = site_errors(site.facts)
    if errors:
        raise ValidationError(errors)
    if site.mra_partner or site.no_go:
        site.planned_date = None if site.no_go else site.planned_date
    site.save()
    event_record(validation, "site_save", actor, membership, {"site": site.pk, "mode": site.mode.value})
    return site


@transaction.atomic
def site_remove(*, actor: User, membership: Membership, site: ValidationSite) -> None:
    validation = site.validation
    ensure_fieldwork(validation)
    if site.findings.exists():
        raise ValidationError(_("This site has findings; clear them before removing the site."))
    event_record(validation, "site_remove", actor, membership, {"site": site.pk, "name": site.name})
    site.delete()
