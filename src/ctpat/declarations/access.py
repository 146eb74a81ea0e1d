"""The only permission-checked ways to reach targeting figures, files and declarations.

Agency staff read the figures and the models; targeting analysts and the Program Director also
upload files and score declarations. A partner reads only the declarations linked to its own
account through its importer-of-record number: anyone else's is "not found".
"""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext as _

from ctpat.accounts.access import require_role
from ctpat.accounts.models import Membership
from ctpat.accounts.roles import AGENCY_ROLES, PARTNER_ROLES, Role
from ctpat.applications.access import access_own_partner
from ctpat.applications.models import Partner
from ctpat.declarations.models import Declaration, TargetingModelVersion

TARGETING_OPERATORS = frozenset({Role.TARGETING_ANALYST, Role.PROGRAM_DIRECTOR})
"""Who uploads declaration and outcome files, scores one declaration and activates a model."""


def access_targeting_figures(membership: Membership | None) -> Membership:
    """The analyst page, the model page and their API: every agency role."""
    return require_role(membership, AGENCY_ROLES)


def access_targeting_operations(membership: Membership | None) -> Membership:
    return require_role(membership, TARGETING_OPERATORS)


def access_own_declarations(membership: Membership | None) -> Partner:
    """The partner whose declarations the user may read: the company they act for."""
    return access_own_partner(membership)


def access_model_version_by_id(membership: Membership | None, version_id: int) -> TargetingModelVersion:
    access_targeting_operations(membership)
    version = TargetingModelVersion.objects.filter(pk=version_id).first()
    if version is None:
        raise Http404(_("No such model."))
    return version


def access_declaration_by_id(membership: Membership | None, declaration_id: str) -> Declaration:
    """One declaration: agency staff read any; a partner only those linked to its account."""
    member = require_role(membership, AGENCY_ROLES | PARTNER_ROLES)
    declaration = (
        Declaration.objects.select_related("batch__model_version", "partner")
        .filter(declaration_id=declaration_id)
        .first()
    )
    if declaration is None:
        raise Http404(_("No such declaration."))
    if member.role in AGENCY_ROLES:
        return declaration
    if declaration.partner_id != access_own_partner(member).pk:
        raise Http404(_("No such declaration."))
    return declaration
