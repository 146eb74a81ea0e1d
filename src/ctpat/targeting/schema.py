"""The canonical declaration schema and the public Korea Customs Service layout that maps onto it.

A declaration file is recognised by its header: either it carries the canonical column names below,
or the column names of the KCS synthetic import declaration dataset (arXiv:2208.02484), which are
renamed to canonical ones on reading.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

import polars as pl


class Layout(StrEnum):
    """Which column layout a declaration file uses."""

    CANONICAL = "canonical"
    KCS = "kcs"


@dataclass(frozen=True, slots=True)
class Column:
    """One canonical column: its type, whether a row must carry a value, and its KCS name."""

    name: str
    dtype: type[pl.DataType] | pl.DataType
    required: bool
    kcs_name: str | None
    description: str


# Identifiers and codes stay text: leading zeros of HS codes and office codes are significant.
COLUMNS: tuple[Column, ...] = (
    Column("declaration_id", pl.String, True, "Declaration ID", "unique ID of the declaration"),
    Column("date", pl.Date, True, "Date", "declaration date, YYYY-MM-DD"),
    Column("importer_id", pl.String, True, "Importer ID", "importer of record"),
    Column("declarant_id", pl.String, False, "Declarant ID", "customs broker or declarant"),
    Column("seller_id", pl.String, False, "Seller ID", "foreign seller (often missing)"),
    Column("hs_code", pl.String, True, "HS6 Code", "tariff classification, 6+ digits"),
    Column("origin_country", pl.String, True, "Country of Origin", "ISO-2 country of origin"),
    Column("departure_country", pl.String, False, "Country of Departure", "ISO-2 country of departure"),
    Column("transport_mode", pl.String, False, "Mode of Transport", "10 sea, 40 air, ..."),
    Column("office_id", pl.String, False, "Office ID", "customs office of entry"),
    Column("customs_value", pl.Float64, True, "Item Price", "declared customs value"),
    Column("net_mass", pl.Float64, True, "Net Mass", "net mass in kg"),
    Column("tax_rate", pl.Float64, False, "Tax Rate", "duty rate in percent"),
    # Optional attributes: used as features when present, treated as unknown when absent.
    Column("tax_type", pl.String, False, "Tax Type", "duty regime code (FTA preference, ...)"),
    Column("origin_indicator", pl.String, False, "Country of Origin Indicator", "how origin was proven"),
    Column("import_type", pl.String, False, "Import Type", "import type code"),
    Column("import_use", pl.String, False, "Import Use", "import use code"),
    Column("payment_type", pl.String, False, "Payment Type", "payment type code"),
    Column("process_type", pl.String, False, "Process Type", "processing type code"),
    Column("courier_id", pl.String, False, "Courier ID", "express courier, if any"),
)

# Outcomes of an examination; optional on input (a file to score has none).
OUTCOMES: tuple[Column, ...] = (
    Column("inspected", pl.Boolean, False, None, "1 when the declaration was examined"),
    Column("fraud", pl.Boolean, False, "Fraud", "1 when the examination found a violation"),
    Column("critical", pl.Boolean, False, "Critical Fraud", "1 when the violation was a public-safety case"),
)

REQUIRED_CANONICAL: tuple[str, ...] = (
    "declaration_id",
    "date",
    "importer_id",
    "declarant_id",
    "seller_id",
    "hs_code",
    "origin_country",
    "departure_country",
    "transport_mode",
    "office_id",
    "customs_value",
    "net_mass",
    "tax_rate",
)
"""Columns a canonical file's header must name (values of the non-required ones may be empty)."""

KCS_TO_CANONICAL: dict[str, str] = {
    column.kcs_name: column.name for column in (*COLUMNS, *OUTCOMES) if column.kcs_name is not None
}
REQUIRED_KCS: tuple[str, ...] = tuple(
    column.kcs_name for column in COLUMNS if column.kcs_name is not None and column.name in REQUIRED_CANONICAL
)
COLUMN_BY_NAME: dict[str, Column] = {column.name: column for column in (*COLUMNS, *OUTCOMES)}
OUTCOME_NAMES: tuple[str, ...] = tuple(column.name for column in OUTCOMES)


class MissingColumnsError(ValueError):
    """The header does not carry the columns of either layout."""

    def __init__(self, *, layout: Layout, missing: Sequence[str]) -> None:
        self.layout = layout
        self.missing = tuple(missing)
        super().__init__(f"missing column(s) for the {layout} layout: {', '.join(self.missing)}")


def layout_recognise(header: Sequence[str]) -> Layout:
    """Tell the layout of a file from its header; raise :class:`MissingColumnsError` if neither fits.

    >>> layout_recognise(["Declaration ID", "Date", "Importer ID"] + list(REQUIRED_KCS))
    <Layout.KCS: 'kcs'>
    """
    names = {name.strip() for name in header}
    missing_canonical = [name for name in REQUIRED_CANONICAL if name not in names]
    missing_kcs = [name for name in REQUIRED_KCS if name not in names]
    if not missing_canonical:
        return Layout.CANONICAL
    if not missing_kcs:
        return Layout.KCS
    # Report against the layout the header resembles most.
    if len(missing_kcs) < len(missing_canonical):
        raise MissingColumnsError(layout=Layout.KCS, missing=missing_kcs)
    raise MissingColumnsError(layout=Layout.CANONICAL, missing=missing_canonical)


def canonical_names(header: Sequence[str], *, layout: Layout) -> dict[str, str]:
    """Map the header's column names to canonical ones, dropping columns the schema does not know."""
    if layout is Layout.KCS:
        return {name: KCS_TO_CANONICAL[name.strip()] for name in header if name.strip() in KCS_TO_CANONICAL}
    return {name: name.strip() for name in header if name.strip() in COLUMN_BY_NAME}
