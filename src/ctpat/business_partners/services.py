"""Writes to the business-partner register, the restricted lists and the screening records.

Each service takes the acting user, runs in one transaction and writes its record rows (a
screening run, a hit's disposition, a list version with its change summary)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ctpat.accounts.models import Organization, User
from ctpat.applications.models import Partner
from ctpat.business_partners.forms import BusinessPartnerForm
from ctpat.business_partners.list_changes import list_changes
from ctpat.business_partners.models import (
    ApplicantScreening,
    BusinessPartner,
    BusinessPartnerScreening,
    HitStatus,
    RestrictedListVersion,
    ScreeningHit,
    ScreeningTrigger,
)
from ctpat.business_partners.register_import import register_rows
from ctpat.business_partners.restricted_lists import (
    ActiveIndex,
    active_index,
    latest_versions,
    snapshot_write,
    version_list,
)
from ctpat.screening import Hit, RestrictedPartyList

Progress = Callable[[int, int], None]


@transaction.atomic
def business_partner_create(
    *, actor: User, company: Organization, fields: Mapping[str, Any]
) -> BusinessPartner:
    """Add a business partner to ``company``'s register and screen it (trigger: entry)."""
    form = BusinessPartnerForm(data=fields)
    if not form.is_valid():
        raise ValidationError({name: list(messages) for name, messages in form.errors.items()})
    business_partner = BusinessPartner.objects.create(company=company, created_by=actor, **form.cleaned_data)
    business_partner_screen(business_partner=business_partner, trigger=ScreeningTrigger.ENTRY, actor=actor)
    return business_partner


@transaction.atomic
def business_partners_import(*, actor: User, company: Organization, content: bytes) -> list[BusinessPartner]:
    """Import a register CSV: every row valid, or nothing written (RegisterImportRefused)."""
    rows = register_rows(content)
    index = active_index()
    created = [BusinessPartner.objects.create(company=company, created_by=actor, **row) for row in rows]
    for business_partner in created:
        business_partner_screen(
            business_partner=business_partner, trigger=ScreeningTrigger.IMPORT, actor=actor, index=index
        )
    return created


@transaction.atomic
def business_partner_screen(
    *, business_partner: BusinessPartner, trigger: str, actor: User | None, index: ActiveIndex | None = None
) -> BusinessPartnerScreening:
    """Screen one business partner against the active lists; record the run, add new hits and
    update the scores of hits found before (their dispositions are kept)."""
    index = index or active_index()
    found = index.search(
        business_partner.name,
        type=business_partner.party_type,
        country=business_partner.country or None,
        identifiers=business_partner.identifier_list,
    )
    run = BusinessPartnerScreening.objects.create(
        business_partner=business_partner,
        trigger=trigger,
        list_versions=index.version_facts,
        hit_count=len(found),
        actor=actor,
        at=timezone.now(),
    )
    for hit in found:
        _hit_record(business_partner, run, index.list_code_of(hit), hit)
    return run


def _hit_record(
    business_partner: BusinessPartner, run: BusinessPartnerScreening, list_code: str, hit: Hit
) -> None:
    facts = {
        "source_list": hit.entity.list_code,
        "matched_name": hit.matched_name,
        "listed_name": hit.entity.primary_name,
        "score": hit.score,
        "explanation": hit.explanation,
        "list_date": hit.list_date,
        "last_screening": run,
    }
    row, created = ScreeningHit.objects.get_or_create(
        business_partner=business_partner,
        list_code=list_code,
        entity_id=hit.entity_id,
        defaults={**facts, "first_screening": run},
    )
    if not created:
        ScreeningHit.objects.filter(pk=row.pk).update(**facts)


@transaction.atomic
def screening_hit_dispose(*, actor: User, hit: ScreeningHit, status: str, reason: str) -> ScreeningHit:
    """Decide a hit: a true match or a false positive, always with a reason; who and when are kept."""
    errors: dict[str, list[str]] = {}
    if status not in (HitStatus.TRUE_MATCH, HitStatus.FALSE_POSITIVE):
        errors["status"] = [_("Choose true match or false positive.")]
    if not reason.strip():
        errors["reason"] = [_("Give the reason for the decision.")]
    if errors:
        raise ValidationError(errors)
    hit.status = status
    hit.disposition_reason = reason.strip()
    hit.disposed_by = actor
    hit.disposed_at = timezone.now()
    hit.save(update_fields=["status", "disposition_reason", "disposed_by", "disposed_at"])
    return hit


@transaction.atomic
def restricted_list_load(
    *,
    actor: User | None,
    party_list: RestrictedPartyList,
    source_names: Sequence[str],
    progress: Progress | None = None,
) -> RestrictedListVersion:
    """Store a new version of a list (with what changed against the previous version of its code)
    and rescreen every business partner of every company against the lists now active."""
    previous = next((v for v in latest_versions() if v.code == party_list.code), None)
    summary = list_changes(version_list(previous).entities if previous else None, party_list.entities)
    snapshot_name, content_hash = snapshot_write(party_list)
    version = RestrictedListVersion.objects.create(
        code=party_list.code,
        list_format=party_list.format,
        list_date=party_list.list_date,
        content_hash=content_hash,
        entity_count=len(party_list.entities),
        snapshot_name=snapshot_name,
        source_names=list(source_names),
        change_summary=summary,
        loaded_by=actor,
        loaded_at=timezone.now(),
    )
    business_partners_rescreen(actor=actor, progress=progress)
    return version


def business_partners_rescreen(*, actor: User | None, progress: Progress | None = None) -> int:
    """Screen every business partner of every company again (trigger: list update)."""
    index = active_index()
    everyone = list(BusinessPartner.objects.order_by("company_id", "id"))
    for done, business_partner in enumerate(everyone, start=1):
        business_partner_screen(
            business_partner=business_partner, trigger=ScreeningTrigger.LIST_UPDATE, actor=actor, index=index
        )
        if progress is not None:
            progress(done, len(everyone))
    return len(everyone)


@transaction.atomic
def applicant_screen(*, actor: User, partner: Partner) -> ApplicantScreening:
    """The agency's screening of an applicant: its legal name and DBA, contacts and facilities."""
    index = active_index()
    results = [
        {
            **subject,
            "hits": [
                _hit_facts(index, hit)
                for hit in index.search(
                    subject["name"], type=subject["party_type"], country=subject["country"] or None
                )
            ],
        }
        for subject in _applicant_subjects(partner)
    ]
    return ApplicantScreening.objects.create(
        partner=partner,
        actor=actor,
        at=timezone.now(),
        list_versions=index.version_facts,
        results=results,
        hit_count=sum(len(result["hits"]) for result in results),
    )


def _applicant_subjects(partner: Partner) -> Iterable[dict[str, str]]:
    yield {
        "what": _("Legal name"),
        "name": partner.legal_name,
        "party_type": "organization",
        "country": partner.country,
    }
    if partner.doing_business_as:
        yield {
            "what": _("Doing business as"),
            "name": partner.doing_business_as,
            "party_type": "organization",
            "country": partner.country,
        }
    for contact in partner.contacts.order_by("id"):
        yield {"what": _("Contact"), "name": contact.full_name, "party_type": "person", "country": ""}
    for facility in partner.facilities.order_by("id"):
        yield {
            "what": _("Facility"),
            "name": facility.name,
            "party_type": "organization",
            "country": facility.country,
        }


def _hit_facts(index: ActiveIndex, hit: Hit) -> dict[str, Any]:
    return {
        "list_code": index.list_code_of(hit),
        "entity_id": hit.entity_id,
        "matched_name": hit.matched_name,
        "score": hit.score,
        "explanation": hit.explanation,
        "list_date": hit.list_date,
    }
