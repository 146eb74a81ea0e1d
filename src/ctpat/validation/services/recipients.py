"""Who is told about a validation's steps (after the commit, through ``notify``)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from ctpat.accounts.models import Membership, User
from ctpat.accounts.roles import Role
from ctpat.applications.models import Partner
from ctpat.core.validation_rules import (
    Outcome,
)
from ctpat.notifications.services import notify
from ctpat.validation.models import (
    DecisionProposal,
    Validation,
)

# --- Who is told -------------------------------------------------------------------------------


def users_with_roles(roles: set[Role], organization_id: int | None = None) -> list[User]:
    memberships = Membership.objects.filter(role__in=roles).select_related("user")
    if organization_id is not None:
        memberships = memberships.filter(organization_id=organization_id)
    return [m.user for m in memberships]


def partner_officers(partner: Partner) -> list[User]:
    return users_with_roles({Role.COMPANY_OFFICER}, partner.organization_id)


def validation_team(validation: Validation) -> list[User]:
    lead = [validation.lead] if validation.lead else []
    return lead + list(validation.team.all())


def notify_team(validation: Validation, subject: str) -> None:
    notify(
        users=validation_team(validation),
        subject=subject % {"name": validation.partner.legal_name},
        url=reverse("validation:detail", args=[validation.pk]),
    )


def notify_decision(validation: Validation, proposal: DecisionProposal) -> None:
    name = validation.partner.legal_name
    if proposal.outcome_enum is Outcome.SUSPENSION_RECOMMENDED:
        notify(
            users=users_with_roles({Role.PROGRAM_DIRECTOR}),
            subject=_("Suspension recommended after validation: %(name)s") % {"name": name},
            body=proposal.rationale,
            url=reverse("validation:detail", args=[validation.pk]),
        )
        return
    subject = _("CTPAT validation decided: %(name)s") % {"name": name}
    body = str(proposal.outcome_enum.label)
    notify(
        users=partner_officers(validation.partner),
        subject=subject,
        body=body,
        url=reverse("validation:partner_detail", args=[validation.pk]),
    )
    notify(
        users=validation_team(validation),
        subject=subject,
        body=body,
        url=reverse("validation:detail", args=[validation.pk]),
    )
