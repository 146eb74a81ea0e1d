"""Roles a person holds in an organisation, and what kind of organisation holds them."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from ctpat.core.lifecycle import Actor


class OrganizationKind(models.TextChoices):
    PARTNER = "partner", _("Trade partner company")
    AGENCY = "agency", _("Customs agency (CBP)")
    FOREIGN_CUSTOMS = "foreign_customs", _("Foreign customs administration (MRA)")
    GOVERNMENT_AGENCY = "government_agency", _("Other government agency")


class Role(models.TextChoices):
    # Partner contact types.
    COMPANY_OFFICER = "company_officer", _("Company Officer")
    EMPLOYEE = "employee", _("Employee")
    CONSULTANT = "consultant", _("Consultant")
    PARTNER_READ_ONLY = "partner_read_only", _("Read-only (partner)")
    # Agency roles.
    SPECIALIST = "specialist", _("Supply Chain Security Specialist")
    SUPERVISOR = "supervisor", _("Supervisor")
    PROGRAM_DIRECTOR = "program_director", _("Program Director")
    AGENCY_READ_ONLY = "agency_read_only", _("Read-only (agency)")
    ADMINISTRATOR = "administrator", _("Administrator")
    TARGETING_ANALYST = "targeting_analyst", _("Targeting analyst")
    # Outside partners (modelled now, used by later features).
    LIAISON = "liaison", _("Liaison officer")


PARTNER_ROLES = frozenset({Role.COMPANY_OFFICER, Role.EMPLOYEE, Role.CONSULTANT, Role.PARTNER_READ_ONLY})
PARTNER_EDITORS = frozenset({Role.COMPANY_OFFICER, Role.EMPLOYEE, Role.CONSULTANT})
AGENCY_ROLES = frozenset(
    {
        Role.SPECIALIST,
        Role.SUPERVISOR,
        Role.PROGRAM_DIRECTOR,
        Role.AGENCY_READ_ONLY,
        Role.ADMINISTRATOR,
        Role.TARGETING_ANALYST,
    }
)
AGENCY_DECIDERS = frozenset({Role.SPECIALIST, Role.SUPERVISOR, Role.PROGRAM_DIRECTOR})
ROLES_BY_KIND: dict[str, frozenset[Role]] = {
    OrganizationKind.PARTNER: PARTNER_ROLES,
    OrganizationKind.AGENCY: AGENCY_ROLES,
    OrganizationKind.FOREIGN_CUSTOMS: frozenset({Role.LIAISON}),
    OrganizationKind.GOVERNMENT_AGENCY: frozenset({Role.LIAISON}),
}

ROLE_ACTORS: dict[Role, Actor] = {
    Role.COMPANY_OFFICER: Actor.COMPANY_OFFICER,
    Role.SPECIALIST: Actor.SPECIALIST,
    Role.SUPERVISOR: Actor.SUPERVISOR,
    Role.PROGRAM_DIRECTOR: Actor.PROGRAM_DIRECTOR,
}
