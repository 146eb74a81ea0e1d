"""Shared fixtures: the list excerpts in ``fixtures/`` and one index built from all of them."""

from __future__ import annotations

from pathlib import Path

import pytest

from ctpat.screening import RestrictedPartyList, ScreeningIndex, build_index, read_list

FIXTURES = Path(__file__).parent / "fixtures"
LIST_SPECS = (
    ("ofac-csv", FIXTURES / "ofac_cons"),
    ("csl-csv", FIXTURES / "csl.csv"),
    ("csl-csv", FIXTURES / "consolidated.csv"),
    ("un-xml", FIXTURES / "un_consolidated.xml"),
    ("bis-dpl", FIXTURES / "dpl.txt"),
)


@pytest.fixture(scope="session")
def fixture_lists() -> list[RestrictedPartyList]:
    return [read_list(list_format, path, list_date="2024-05-01") for list_format, path in LIST_SPECS]


@pytest.fixture(scope="session")
def index(fixture_lists: list[RestrictedPartyList]) -> ScreeningIndex:
    return build_index(fixture_lists)
