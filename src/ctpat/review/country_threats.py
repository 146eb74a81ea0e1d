"""The agency's country threat table (``data/country_threats.yaml``), read once per process.

The table is illustrative policy data that the agency maintains; the rules that check and use
it live in ``ctpat.core.risk``.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import yaml

from ctpat.core.risk import CountryThreat, threat_table

TABLE_PATH = Path(__file__).parent / "data" / "country_threats.yaml"


@cache
def country_threats(path: Path = TABLE_PATH) -> dict[str, CountryThreat]:
    """The table keyed by ISO-2 code; ThreatTableError names a bad row."""
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return threat_table(data.get("countries", []))


@cache
def country_threats_version(path: Path = TABLE_PATH) -> str:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return str(data.get("version", ""))
