"""Fixtures for the business-partner tests: isolated list storage, the bundled OFAC excerpt
loaded, and list files written in the official layouts (a DPL file is one tab-separated file)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from ctpat.business_partners.demo import demo_lists_load
from ctpat.business_partners.models import RestrictedListVersion

DPL_HEADER = "Name\tStreet_Address\tCity\tState\tCountry\tPostal_Code\tEffective_Date\tExpiration_Date\tStandard_Order\tLast_Update\tAction\tFR_Citation"


def dpl_text(names: list[str]) -> str:
    rows = [
        f'"{name}"\t"1 Harbour Road"\t"Karachi"\t""\t"PK"\t""\t"2020-01-01"\t""\t"Y"\t"2020-01-01"\t"FR NOTICE ADDED"\t"85 F.R. 1"'
        for name in names
    ]
    return "\n".join([DPL_HEADER, *rows]) + "\n"


@pytest.fixture(autouse=True)
def _isolated_storage(settings: Any, tmp_path: Path) -> None:
    settings.VAR_DIR = tmp_path
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.DEMO_RELAX_2FA = True


@pytest.fixture
def sdn_loaded(db: None) -> RestrictedListVersion:
    """The bundled OFAC SDN excerpt (Banco Nacional de Cuba, Aerocaribbean Airlines, Anglo-Caribbean Co.)."""
    demo_lists_load()
    return RestrictedListVersion.objects.get(code="OFAC-SDN")


@pytest.fixture
def dpl_file(tmp_path: Path) -> Callable[..., Path]:
    def write(names: list[str], *, name: str = "dpl.txt") -> Path:
        path = tmp_path / name
        path.write_text(dpl_text(names), encoding="utf-8")
        return path

    return write
