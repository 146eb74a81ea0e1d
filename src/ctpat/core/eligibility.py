"""Eligibility per entity type (domain file, section 2), as data and pure rules.

A company answers a short questionnaire for its entity type; each failed rule gives its reason.
Identifiers the type needs are part of the rules too.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from ctpat.core.entity_types import EntityType
from ctpat.core.identifiers import IdentifierKind


@dataclass(frozen=True)
class Question:
    key: str
    text: str


@dataclass(frozen=True)
class Rule:
    """Eligible only when every question in ``all_of`` is answered yes and, if ``any_of`` is
    given, at least one of those is too."""

    reason: str
    all_of: tuple[str, ...] = ()
    any_of: tuple[str, ...] = ()

    def fails(self, answers: Mapping[str, bool]) -> bool:
        if any(not answers.get(key, False) for key in self.all_of):
            return True
        return bool(self.any_of) and not any(answers.get(key, False) for key in self.any_of)


@dataclass(frozen=True)
class EligibilityResult:
    eligible: bool
    reasons: tuple[str, ...]


def _q(key: str, text: str) -> Question:
    return Question(key, text)


COMMON_QUESTIONS = (
    _q("security_officer", "A designated company officer is responsible for cargo security."),
    _q("no_unpaid_debt", "The company has no unpaid final debt to CBP."),
)
COMMON_RULES = (
    Rule("A designated company officer responsible for cargo security is required.", ("security_officer",)),
    Rule("A company with an unpaid final debt to CBP cannot join until it is paid.", ("no_unpaid_debt",)),
)

_US_OFFICE = _q("us_office", "The company has a staffed office in the United States.")
_US_OR_CA_OFFICE = _q("us_or_ca_office", "The company has a staffed office in the United States or Canada.")
_BOND = _q("bond", "The company holds a valid bond with CBP.")

QUESTIONS: dict[EntityType, tuple[Question, ...]] = {
    EntityType.IMPORTER: (
        _q("imported_last_12_months", "The company imported into the United States in the last 12 months."),
        _q("continuous_bond", "The company holds a continuous import bond registered with CBP."),
        _US_OR_CA_OFFICE,
    ),
    EntityType.EXPORTER: (
        _q("principal_party", "The company is the principal party that controls the export."),
        _US_OFFICE,
        _q("export_security_program", "The company has a documented export supply-chain security program."),
        _q("export_compliance_12_months", "The company has 12 months of export-reporting compliance."),
    ),
    EntityType.HIGHWAY_CARRIER: (
        _q("crosses_border", "The company hauls cargo across the U.S.–Mexico or U.S.–Canada border."),
        _q("north_american_office", "The company has an office in the United States, Mexico or Canada."),
        _q("mexican_carrier", "The company is a Mexican carrier."),
        _q("incorporation_deed", "(Mexican carriers) The company has its deed of incorporation on file."),
    ),
    EntityType.MEXICAN_LONG_HAUL_CARRIER: (
        _q("hauls_us_bound", "The company hauls U.S.-bound cargo inside Mexico to the border."),
        _q("mexican_office", "The company has an office in Mexico."),
    ),
    EntityType.FOREIGN_MANUFACTURER: (
        _q("incorporated_mx_ca", "The company is incorporated in Mexico or Canada."),
        _q("invited", "CBP has invited the company to apply (required outside Mexico and Canada)."),
    ),
    EntityType.CONSOLIDATOR: (_US_OFFICE, _BOND),
    EntityType.THIRD_PARTY_LOGISTICS: (
        _q(
            "own_assets",
            "The company handles cargo from stuffing to the first U.S. port with its own assets.",
        ),
        _q("licence_or_bond", "The company holds a licence or a bond."),
        _US_OFFICE,
    ),
    EntityType.TERMINAL_OPERATOR: (_q("foreign_vessels", "The company handles foreign vessels."),),
    EntityType.MARINE_PORT_AUTHORITY: (_q("foreign_vessels", "The port handles foreign vessels."),),
    EntityType.AIR_CARRIER: (
        _q("us_bound_last_year", "The company carried U.S.-bound cargo in the past year."),
        _q("carrier_bond", "The company holds a carrier bond."),
    ),
    EntityType.SEA_CARRIER: (
        _q("us_bound_last_year", "The company carried U.S.-bound cargo in the past year."),
        _q("carrier_bond", "The company holds a carrier bond."),
    ),
    EntityType.RAIL_CARRIER: (
        _q("us_bound_last_year", "The company carried U.S.-bound cargo in the past year."),
        _q("carrier_bond", "The company holds a carrier bond."),
    ),
    EntityType.CUSTOMS_BROKER: (
        _q("broker_licence", "The company holds a U.S. customs broker licence."),
        _US_OFFICE,
    ),
    EntityType.WAREHOUSE_OPERATOR: (
        _q("bonded_warehouse", "The company operates a CBP bonded warehouse."),
        _US_OFFICE,
    ),
}

RULES: dict[EntityType, tuple[Rule, ...]] = {
    EntityType.IMPORTER: (
        Rule(
            "Importers must have imported into the U.S. in the last 12 months.", ("imported_last_12_months",)
        ),
        Rule("Importers need a continuous import bond.", ("continuous_bond",)),
        Rule("Importers need a staffed office in the U.S. or Canada.", ("us_or_ca_office",)),
    ),
    EntityType.EXPORTER: (
        Rule("Only the principal party controlling the export can apply.", ("principal_party",)),
        Rule("Exporters need a staffed office in the U.S.", ("us_office",)),
        Rule("Exporters need a documented export security program.", ("export_security_program",)),
        Rule("Exporters need 12 months of export-reporting compliance.", ("export_compliance_12_months",)),
    ),
    EntityType.HIGHWAY_CARRIER: (
        Rule("Highway carriers must cross the U.S.–Mexico or U.S.–Canada border.", ("crosses_border",)),
        Rule("Highway carriers need an office in the U.S., Mexico or Canada.", ("north_american_office",)),
    ),
    EntityType.MEXICAN_LONG_HAUL_CARRIER: (
        Rule("Long-haul carriers must haul U.S.-bound cargo inside Mexico.", ("hauls_us_bound",)),
        Rule("Long-haul carriers need an office in Mexico.", ("mexican_office",)),
    ),
    EntityType.FOREIGN_MANUFACTURER: (
        Rule(
            "Foreign manufacturers must be incorporated in Mexico or Canada, or invited by CBP.",
            any_of=("incorporated_mx_ca", "invited"),
        ),
    ),
    EntityType.CONSOLIDATOR: (
        Rule("Consolidators need a staffed office in the U.S.", ("us_office",)),
        Rule("Consolidators need a bond.", ("bond",)),
    ),
    EntityType.THIRD_PARTY_LOGISTICS: (
        Rule(
            "A 3PL must handle the cargo from stuffing to the first U.S. port with its own assets.",
            ("own_assets",),
        ),
        Rule("A 3PL needs a licence or a bond.", ("licence_or_bond",)),
        Rule("A 3PL needs a staffed office in the U.S.", ("us_office",)),
    ),
    EntityType.TERMINAL_OPERATOR: (
        Rule("Terminal operators must handle foreign vessels.", ("foreign_vessels",)),
    ),
    EntityType.MARINE_PORT_AUTHORITY: (
        Rule("Port authorities must handle foreign vessels.", ("foreign_vessels",)),
    ),
    EntityType.AIR_CARRIER: (
        Rule("Air carriers must have carried U.S.-bound cargo in the past year.", ("us_bound_last_year",)),
        Rule("Air carriers need a carrier bond.", ("carrier_bond",)),
    ),
    EntityType.SEA_CARRIER: (
        Rule("Sea carriers must have carried U.S.-bound cargo in the past year.", ("us_bound_last_year",)),
        Rule("Sea carriers need a carrier bond.", ("carrier_bond",)),
    ),
    EntityType.RAIL_CARRIER: (
        Rule("Rail carriers must have carried U.S.-bound cargo in the past year.", ("us_bound_last_year",)),
        Rule("Rail carriers need a carrier bond.", ("carrier_bond",)),
    ),
    EntityType.CUSTOMS_BROKER: (
        Rule("Customs brokers need a U.S. customs broker licence.", ("broker_licence",)),
        Rule("Customs brokers need a staffed office in the U.S.", ("us_office",)),
    ),
    EntityType.WAREHOUSE_OPERATOR: (
        Rule("Warehouse operators must operate a CBP bonded warehouse.", ("bonded_warehouse",)),
        Rule("Warehouse operators need a staffed office in the U.S.", ("us_office",)),
    ),
}

# Identifiers an application must carry, per entity type. A tuple inside the tuple means
# "one of these".
REQUIRED_IDENTIFIERS: dict[EntityType, tuple[tuple[IdentifierKind, ...], ...]] = {
    EntityType.IMPORTER: ((IdentifierKind.IMPORTER_OF_RECORD,),),
    EntityType.EXPORTER: ((IdentifierKind.EIN, IdentifierKind.DUNS),),
    EntityType.HIGHWAY_CARRIER: ((IdentifierKind.SCAC,), (IdentifierKind.USDOT,)),
    EntityType.MEXICAN_LONG_HAUL_CARRIER: ((IdentifierKind.RFC,),),
    EntityType.FOREIGN_MANUFACTURER: ((IdentifierKind.MID,),),
    EntityType.CONSOLIDATOR: ((IdentifierKind.FMC, IdentifierKind.IATA),),
    EntityType.THIRD_PARTY_LOGISTICS: ((IdentifierKind.EIN, IdentifierKind.DUNS),),
    EntityType.TERMINAL_OPERATOR: ((IdentifierKind.FMC,),),
    EntityType.MARINE_PORT_AUTHORITY: ((IdentifierKind.FMC,),),
    EntityType.AIR_CARRIER: ((IdentifierKind.IATA,),),
    EntityType.SEA_CARRIER: ((IdentifierKind.SCAC,),),
    EntityType.RAIL_CARRIER: ((IdentifierKind.SCAC,),),
    EntityType.CUSTOMS_BROKER: ((IdentifierKind.EIN,),),
    EntityType.WAREHOUSE_OPERATOR: ((IdentifierKind.EIN,),),
}


def questions_for(entity_type: EntityType) -> tuple[Question, ...]:
    """The questionnaire for one entity type: the type's own questions, then the common ones."""
    return QUESTIONS[entity_type] + COMMON_QUESTIONS


def evaluate_eligibility(entity_type: EntityType, answers: Mapping[str, bool]) -> EligibilityResult:
    """Apply the type's rules and the common rules; every failed rule gives its reason.

    >>> evaluate_eligibility(EntityType.TERMINAL_OPERATOR,
    ...     {"foreign_vessels": True, "security_officer": True, "no_unpaid_debt": True}).eligible
    True
    """
    reasons = [rule.reason for rule in RULES[entity_type] + COMMON_RULES if rule.fails(answers)]
    mexican_carrier = entity_type is EntityType.HIGHWAY_CARRIER and answers.get("mexican_carrier")
    if mexican_carrier and not answers.get("incorporation_deed"):
        reasons.append("Mexican highway carriers need their deed of incorporation.")
    return EligibilityResult(eligible=not reasons, reasons=tuple(reasons))


def missing_identifiers(entity_type: EntityType, present: set[IdentifierKind]) -> list[str]:
    """Sentences naming each required identifier (or group) the application lacks."""
    missing = []
    for group in REQUIRED_IDENTIFIERS[entity_type]:
        if not present.intersection(group):
            missing.append(" or ".join(kind.label for kind in group) + " is required.")
    return missing
