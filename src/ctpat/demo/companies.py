"""Made-up but plausible company data for the demo, drawn from seeded Faker generators.

Nothing here touches the database: ``company_sketch`` returns everything one company's
application needs (profile, identifiers, contacts, business information, eligibility
answers), and the services write it through the same functions the portal uses. Every
identifier follows its format in ``core.identifiers``, so the real validation accepts it.
"""

from __future__ import annotations

import random
import unicodedata
from dataclasses import dataclass
from decimal import Decimal

from django.utils.text import slugify
from faker import Faker

from ctpat.core.completeness import IMPORTING_TYPES
from ctpat.core.eligibility import REQUIRED_IDENTIFIERS, questions_for
from ctpat.core.entity_types import EntityType
from ctpat.core.identifiers import IdentifierKind
from ctpat.demo.people import ACME_NAME, ACME_SLUG

E = EntityType
K = IdentifierKind

# Words that make a generated name say what the company does.
NAME_ENDINGS: dict[EntityType, str] = {
    E.IMPORTER: "Imports",
    E.EXPORTER: "Export Group",
    E.AIR_CARRIER: "Air Cargo",
    E.SEA_CARRIER: "Shipping Lines",
    E.RAIL_CARRIER: "Railway",
    E.HIGHWAY_CARRIER: "Trucking",
    E.MEXICAN_LONG_HAUL_CARRIER: "Autotransportes",
    E.CUSTOMS_BROKER: "Customs Brokerage",
    E.CONSOLIDATOR: "Freight Forwarding",
    E.THIRD_PARTY_LOGISTICS: "Logistics",
    E.FOREIGN_MANUFACTURER: "Manufacturing",
    E.MARINE_PORT_AUTHORITY: "Port Authority",
    E.TERMINAL_OPERATOR: "Terminals",
    E.WAREHOUSE_OPERATOR: "Warehousing",
}

TRANSPORT_MODES: dict[EntityType, tuple[str, ...]] = {
    E.IMPORTER: ("sea", "air", "highway"),
    E.EXPORTER: ("sea", "highway"),
    E.AIR_CARRIER: ("air",),
    E.SEA_CARRIER: ("sea",),
    E.RAIL_CARRIER: ("rail",),
    E.HIGHWAY_CARRIER: ("highway",),
    E.MEXICAN_LONG_HAUL_CARRIER: ("highway",),
    E.CUSTOMS_BROKER: ("sea", "air"),
    E.CONSOLIDATOR: ("air", "sea"),
    E.THIRD_PARTY_LOGISTICS: ("sea", "highway", "rail"),
    E.FOREIGN_MANUFACTURER: ("highway", "rail"),
    E.MARINE_PORT_AUTHORITY: ("sea",),
    E.TERMINAL_OPERATOR: ("sea", "rail"),
    E.WAREHOUSE_OPERATOR: ("highway",),
}

FACILITY_KINDS: dict[EntityType, tuple[str, ...]] = {
    E.IMPORTER: ("office", "warehouse"),
    E.EXPORTER: ("office", "warehouse"),
    E.AIR_CARRIER: ("terminal",),
    E.SEA_CARRIER: ("office", "terminal"),
    E.RAIL_CARRIER: ("terminal",),
    E.HIGHWAY_CARRIER: ("terminal", "cross_dock"),
    E.MEXICAN_LONG_HAUL_CARRIER: ("terminal",),
    E.CUSTOMS_BROKER: ("office",),
    E.CONSOLIDATOR: ("office", "cross_dock"),
    E.THIRD_PARTY_LOGISTICS: ("warehouse", "cross_dock"),
    E.FOREIGN_MANUFACTURER: ("manufacturing", "warehouse"),
    E.MARINE_PORT_AUTHORITY: ("terminal",),
    E.TERMINAL_OPERATOR: ("terminal",),
    E.WAREHOUSE_OPERATOR: ("warehouse",),
}

ORIGIN_COUNTRIES = ("CN", "MX", "VN", "DE", "IN", "CA", "KR", "JP", "TW", "IT", "BR", "TH")
LOCALES = {"US": "en_US", "MX": "es_MX", "CA": "en_CA"}


@dataclass(frozen=True)
class Address:
    street: str
    city: str
    region: str
    postal_code: str
    country: str


@dataclass(frozen=True)
class FacilitySketch:
    name: str
    kind: str
    address: Address


@dataclass(frozen=True)
class CompanySketch:
    name: str
    slug: str  # the part of the users' e-mail domain before ".example"
    entity_type: EntityType
    country: str
    address: Address
    phone: str
    website: str
    year_established: int
    employees: int
    description: str
    transport_modes: list[str]
    eligibility: dict[str, bool]
    identifiers: dict[IdentifierKind, str]
    origin_shares: list[tuple[str, Decimal]]
    facilities: list[FacilitySketch]
    people: dict[str, str]  # contact type -> full name


class CompanyFactory:
    """Draws companies one after another; the same seed draws the same companies."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.fakers: dict[str, Faker] = {}
        for offset, (country, locale) in enumerate(LOCALES.items()):
            fake = Faker(locale)
            fake.seed_instance(seed + offset)
            self.fakers[country] = fake
        self.used_slugs: set[str] = {ACME_SLUG}

    def person_name(self, country: str = "US") -> str:
        fake = self.fakers[country]
        return f"{fake.first_name()} {fake.last_name()}"

    def sketch(self, index: int, entity_type: EntityType) -> CompanySketch:
        country = self._country(index, entity_type)
        name, slug = self._name(index, entity_type, country)
        address = self.address(country)
        founded = self.rng.randint(1955, 2019)
        return CompanySketch(
            name=name,
            slug=slug,
            entity_type=entity_type,
            country=country,
            address=address,
            phone=str(self.fakers[country].phone_number())[:40],
            website=f"https://www.{slug}.example",
            year_established=founded,
            employees=self.rng.choice((14, 38, 120, 460, 1250, 5200)),
            description=self._description(entity_type, address),
            transport_modes=self._modes(entity_type),
            eligibility=eligibility_answers(entity_type, country),
            identifiers=self._identifiers(entity_type, country, name, address.city, founded),
            origin_shares=self._origin_shares(entity_type),
            facilities=self._facilities(entity_type, name, country, address),
            people={
                kind: self.person_name(country)
                for kind in ("company_officer", "employee", "partner_read_only")
            },
        )

    def address(self, country: str) -> Address:
        fake = self.fakers[country]
        region = fake.administrative_unit() if country != "US" else fake.state_abbr()
        return Address(
            str(fake.street_address())[:200],
            str(fake.city())[:100],
            str(region),
            str(fake.postcode()),
            country,
        )

    def _country(self, index: int, entity_type: EntityType) -> str:
        if entity_type is E.MEXICAN_LONG_HAUL_CARRIER:
            return "MX"
        if entity_type in {E.FOREIGN_MANUFACTURER, E.HIGHWAY_CARRIER}:
            return (
                ("MX", "CA")[index % 2] if entity_type is E.FOREIGN_MANUFACTURER else ("MX", "US")[index % 2]
            )
        return "US"

    def _name(self, index: int, entity_type: EntityType, country: str) -> tuple[str, str]:
        if index == 0:
            return ACME_NAME, ACME_SLUG
        base = str(self.fakers[country].last_name())
        suffix = {"MX": "S.A. de C.V.", "CA": "Ltd."}.get(country, self.rng.choice(("LLC", "Inc.", "Corp.")))
        name = f"{base} {NAME_ENDINGS[entity_type]} {suffix}"
        slug = slugify(f"{base}-{NAME_ENDINGS[entity_type]}")[:40] + "-demo"
        while slug in self.used_slugs:
            slug = f"{slug[:-5]}{index}-demo"
        self.used_slugs.add(slug)
        return name, slug

    def _description(self, entity_type: EntityType, address: Address) -> str:
        return (
            f"{entity_type.label} based in {address.city}. "
            f"{self.fakers['US'].catch_phrase()} for U.S.-bound supply chains."
        )

    def _modes(self, entity_type: EntityType) -> list[str]:
        options = TRANSPORT_MODES[entity_type]
        count = self.rng.randint(1, len(options))
        return list(options[:count])

    def _identifiers(
        self, entity_type: EntityType, country: str, name: str, city: str, founded: int
    ) -> dict[IdentifierKind, str]:
        kinds = [self.rng.choice(group) for group in REQUIRED_IDENTIFIERS[entity_type]]
        if country == "US" and K.EIN not in kinds and K.IMPORTER_OF_RECORD not in kinds:
            kinds.append(K.EIN)
        if country == "MX" and K.RFC not in kinds:
            kinds.append(K.RFC)
        if self.rng.random() < 0.5 and K.DUNS not in kinds:
            kinds.append(K.DUNS)
        return {kind: self._identifier(kind, name, city, founded, country) for kind in kinds}

    def _identifier(self, kind: IdentifierKind, name: str, city: str, founded: int, country: str) -> str:
        rng = self.rng
        ein = f"{rng.randint(10, 98):02d}-{rng.randint(0, 9_999_999):07d}"
        letters = _letters(name)
        values = {
            K.EIN: ein,
            K.IMPORTER_OF_RECORD: ein + rng.choice(("00", "01", "AB")),
            K.MID: f"{country}{letters[:6]}{rng.randint(1, 9999)}{_letters(city)[:3]}",
            K.DUNS: f"{rng.randint(10_000_000, 999_999_999):09d}",
            K.SCAC: (letters + "XXXX")[:4],
            K.USDOT: str(rng.randint(100_000, 3_999_999)),
            K.FMC: f"{rng.randint(10_000, 999_999)}{rng.choice(('', 'N', 'F'))}",
            K.IATA: (letters[:1] + rng.choice("ABCDEFGHJKLMNPQRSTUVWXYZ"))
            if "Air" in name
            else str(rng.randint(10**7, 10**8 - 1)),
            K.RFC: f"{letters[:3]:X<3}{founded % 100:02d}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}{rng.randint(100, 999)}",
        }
        return values[kind]

    def _origin_shares(self, entity_type: EntityType) -> list[tuple[str, Decimal]]:
        if entity_type not in IMPORTING_TYPES:
            return []
        countries = self.rng.sample(ORIGIN_COUNTRIES, self.rng.randint(1, 4))
        shares = sorted((self.rng.randint(5, 60) for _ in countries), reverse=True)
        scale = Decimal(self.rng.choice((85, 95, 100))) / Decimal(sum(shares))
        return [
            (country, (Decimal(share) * scale).quantize(Decimal("0.01"), rounding="ROUND_DOWN"))
            for country, share in zip(countries, shares, strict=True)
        ]

    def _facilities(
        self, entity_type: EntityType, name: str, country: str, main: Address
    ) -> list[FacilitySketch]:
        kinds = FACILITY_KINDS[entity_type]
        facilities = [FacilitySketch(f"{name.split()[0]} headquarters", kinds[0], main)]
        for kind in kinds[1:]:
            address = self.address(country)
            facilities.append(FacilitySketch(f"{address.city} {kind.replace('_', '-')}", kind, address))
        return facilities


def eligibility_answers(entity_type: EntityType, country: str) -> dict[str, bool]:
    """Answers that pass the rules for the type: yes to everything except what does not fit."""
    answers = {question.key: True for question in questions_for(entity_type)}
    if entity_type is E.HIGHWAY_CARRIER:
        answers["mexican_carrier"] = answers["incorporation_deed"] = country == "MX"
    if entity_type is E.FOREIGN_MANUFACTURER:
        answers["invited"] = False
    return answers


def _letters(text: str) -> str:
    """The A-Z letters of ``text`` (accents dropped), upper-cased; "X" when there are none."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().upper()
    return "".join(ch for ch in plain if "A" <= ch <= "Z") or "X"
