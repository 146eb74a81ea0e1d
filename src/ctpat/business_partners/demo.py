"""Demo data: the bundled list excerpt and a few business partners, one of them on the list,
so the demo's review queue is not empty. The lead's demo command calls ``demo_business_partners``."""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from pathlib import Path

from ctpat.accounts.models import User
from ctpat.applications.models import Partner
from ctpat.business_partners.models import BusinessPartner, RestrictedListVersion
from ctpat.business_partners.restricted_lists import list_read
from ctpat.business_partners.services import business_partner_create, restricted_list_load

BUNDLED_LISTS = Path(__file__).parent / "lists"
DEMO_LIST_CODE = "OFAC-SDN"
DEMO_LIST_DATE = "2024-01-02"

CLEAN_BUSINESS_PARTNERS = [
    {
        "name": "Great Lakes Packaging Inc",
        "relationship": "supplier",
        "country": "US",
        "ctpat_status": "member",
    },
    {
        "name": "Monterrey Textiles SA de CV",
        "relationship": "manufacturer",
        "country": "MX",
        "ctpat_status": "not_member",
    },
    {
        "name": "Rotterdam Forwarding BV",
        "relationship": "broker",
        "country": "NL",
        "ctpat_status": "mra_member",
        "mra_program": "AEO",
    },
    {
        "name": "Prairie Line Trucking",
        "relationship": "carrier",
        "country": "CA",
        "ctpat_status": "mra_member",
        "mra_program": "PIP",
    },
    {"name": "Harbor Retail Group", "relationship": "customer", "country": "US"},
]
# On the bundled OFAC excerpt (entry 306): the demo's review queue shows this one.
LISTED_BUSINESS_PARTNER = {"name": "Banco Nacional de Cuba", "relationship": "customer", "country": "CH"}


def demo_lists_load() -> None:
    """Load the bundled list excerpt unless a version of its code is already loaded."""
    if RestrictedListVersion.objects.filter(code=DEMO_LIST_CODE).exists():
        return
    party_list = list_read(
        "ofac-csv", BUNDLED_LISTS / "ofac-sdn", code=DEMO_LIST_CODE, list_date=DEMO_LIST_DATE
    )
    restricted_list_load(actor=None, party_list=party_list, source_names=["sdn.csv", "alt.csv", "add.csv"])


def demo_business_partners(
    *, partners: Sequence[Partner], actor_for: Callable[[Partner], User], rng: random.Random
) -> None:
    """Give each of the first few demo companies 2-4 business partners; the first also gets one
    that is on the bundled list. Idempotent: a company that already has a register is skipped."""
    demo_lists_load()
    for number, partner in enumerate(partners[:4]):
        company = partner.organization
        if BusinessPartner.objects.filter(company=company).exists():
            continue
        chosen = rng.sample(CLEAN_BUSINESS_PARTNERS, k=rng.randint(2, 4))
        if number == 0:
            chosen.append(LISTED_BUSINESS_PARTNER)
        for fields in chosen:
            business_partner_create(
                actor=actor_for(partner), company=company, fields={"party_type": "organization", **fields}
            )
