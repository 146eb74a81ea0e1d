"""Builders for test data that several test files need."""

from __future__ import annotations

from decimal import Decimal

from ctpat.accounts.models import Membership, User
from ctpat.applications.models import Facility, OriginCountry, Partner
from ctpat.applications.services import (
    AnswerInput,
    agreement_sign,
    answer_save,
    child_save,
    eligibility_record,
    identifier_set,
    partner_profile_update,
    security_profile_ensure,
)
from ctpat.core.eligibility import questions_for
from ctpat.core.entity_types import EntityType
from ctpat.core.identifiers import IdentifierKind

IDENTIFIERS = {
    IdentifierKind.IMPORTER_OF_RECORD: "12-3456789AB",
    IdentifierKind.SCAC: "ACMF",
    IdentifierKind.USDOT: "1234567",
    IdentifierKind.EIN: "12-3456789",
}


def complete_application(partner: Partner, officer: User, *, sign: bool = True) -> Partner:
    """Fill every part of ``partner``'s application so that it can be submitted."""
    entity_type = EntityType(partner.entity_type)
    eligibility_record(
        actor=officer, partner=partner, answers={q.key: True for q in questions_for(entity_type)}
    )
    partner_profile_update(
        actor=officer,
        partner=partner,
        fields={"street": "1 Harbor Way", "city": "Long Beach", "region": "CA"},
    )
    if not partner.contacts.filter(contact_type="company_officer").exists():
        partner.contacts.create(
            contact_type="company_officer", full_name=officer.full_name, email=officer.email
        )
    for kind in (IdentifierKind.IMPORTER_OF_RECORD, IdentifierKind.SCAC, IdentifierKind.USDOT):
        identifier_set(actor=officer, partner=partner, kind=kind, value=IDENTIFIERS[kind])
    partner_profile_update(actor=officer, partner=partner, fields={"transport_modes": ["sea", "highway"]})
    child_save(
        actor=officer, partner=partner, instance=OriginCountry(country="CN", share_percent=Decimal("60"))
    )
    child_save(
        actor=officer,
        partner=partner,
        instance=Facility(
            name="Main warehouse", kind="warehouse", street="1 Harbor Way", city="Long Beach", country="US"
        ),
    )
    profile = security_profile_ensure(partner=partner)
    for answer in profile.answers.all():
        answer_save(
            actor=officer,
            partner=partner,
            answer=answer,
            data=AnswerInput(status="implemented", narrative="Documented in our security manual, section 4."),
        )
    if sign:
        membership = Membership.objects.get(user=officer, organization=partner.organization)
        agreement_sign(actor=officer, membership=membership, partner=partner)
    partner.refresh_from_db()
    return partner
