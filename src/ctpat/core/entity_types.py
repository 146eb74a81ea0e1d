"""The kinds of company that can join the program (domain file, section 1)."""

from __future__ import annotations

from enum import StrEnum


class EntityType(StrEnum):
    """A partner's business type. The value is the stable code used in data files and the API."""

    IMPORTER = "importer"
    EXPORTER = "exporter"
    AIR_CARRIER = "air_carrier"
    SEA_CARRIER = "sea_carrier"
    RAIL_CARRIER = "rail_carrier"
    HIGHWAY_CARRIER = "highway_carrier"
    MEXICAN_LONG_HAUL_CARRIER = "mexican_long_haul_carrier"
    CUSTOMS_BROKER = "customs_broker"
    CONSOLIDATOR = "consolidator"
    THIRD_PARTY_LOGISTICS = "third_party_logistics"
    FOREIGN_MANUFACTURER = "foreign_manufacturer"
    MARINE_PORT_AUTHORITY = "marine_port_authority"
    TERMINAL_OPERATOR = "terminal_operator"
    WAREHOUSE_OPERATOR = "warehouse_operator"

    @property
    def label(self) -> str:
        return ENTITY_TYPE_LABELS[self]


ENTITY_TYPE_LABELS: dict[EntityType, str] = {
    EntityType.IMPORTER: "Importer",
    EntityType.EXPORTER: "Exporter",
    EntityType.AIR_CARRIER: "Air carrier",
    EntityType.SEA_CARRIER: "Sea carrier",
    EntityType.RAIL_CARRIER: "Rail carrier",
    EntityType.HIGHWAY_CARRIER: "Highway carrier (U.S.–Canada / U.S.–Mexico)",
    EntityType.MEXICAN_LONG_HAUL_CARRIER: "Mexican long-haul highway carrier",
    EntityType.CUSTOMS_BROKER: "Customs broker",
    EntityType.CONSOLIDATOR: "Consolidator (air freight forwarder, NVOCC)",
    EntityType.THIRD_PARTY_LOGISTICS: "Third-party logistics provider (3PL)",
    EntityType.FOREIGN_MANUFACTURER: "Foreign manufacturer",
    EntityType.MARINE_PORT_AUTHORITY: "Marine port authority",
    EntityType.TERMINAL_OPERATOR: "Terminal operator",
    EntityType.WAREHOUSE_OPERATOR: "Warehouse operator",
}

CARRIER_TYPES = frozenset(
    {
        EntityType.AIR_CARRIER,
        EntityType.SEA_CARRIER,
        EntityType.RAIL_CARRIER,
        EntityType.HIGHWAY_CARRIER,
        EntityType.MEXICAN_LONG_HAUL_CARRIER,
    }
)


def entity_type_choices() -> list[tuple[str, str]]:
    """(code, label) pairs for forms and model fields, in the order above."""
    return [(member.value, member.label) for member in EntityType]
