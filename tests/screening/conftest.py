"""Shared fixtures: the list excerpts in ``fixtures/`` and one index built from all of them; small
test lists and the check that the index scores as the reference comparison does."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

from ctpat.screening import (
    DEFAULT_ALERT_THRESHOLD,
    RestrictedPartyList,
    ScreeningIndex,
    build_index,
    read_list,
)
from ctpat.screening.model import ListedEntity, ListedName, PartyType
from ctpat.screening.name_matching import prepare_name

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


def list_index(*entries: tuple[str, PartyType]) -> ScreeningIndex:
    """An index of one test list: one entity per (name, party type), numbered from 1."""
    entities = tuple(
        ListedEntity("TEST", str(number), party_type, (ListedName(name),))
        for number, (name, party_type) in enumerate(entries, start=1)
    )
    return build_index([RestrictedPartyList("TEST", "test list", "test", "2026-01-01", entities)])


def assert_first_alert(index: ScreeningIndex, query: str, listed: str, *, because: str = "") -> None:
    """``query``'s first hit is ``listed``, at or above the alert threshold, and its explanation says
    ``because``."""
    hit = index.search(query)[0]
    assert (hit.matched_name, hit.score >= DEFAULT_ALERT_THRESHOLD) == (listed, True)
    assert because in hit.explanation


def assert_index_scores_like_the_reference(index: ScreeningIndex, probe: str, rows: Sequence[int]) -> None:
    """The vectorised scoring of ``probe`` against the listed names ``rows`` gives exactly the score
    of :func:`compare_names` (through :meth:`ScreeningIndex.compare`)."""
    prepared = prepare_name(probe)
    weights = index._query_weights(prepared, [index._token_matches(token) for token in prepared.tokens])
    fast = index._score_names(prepared, weights, np.arange(len(index.names)))
    for row in rows:
        reference = index.compare(prepared, weights, row)
        assert fast[row] == pytest.approx(reference.score, abs=1e-9), (probe, index.names[row].text)


# Distinct words for names that crowd a query's candidates.
WORDS = [
    "ALPHA", "BRAVO", "CEDAR", "DELTA", "EMBER", "FJORD", "GAMMA", "HAVEN", "IVORY", "JUNIPER",
    "KAPPA", "LUNAR", "MAPLE", "NORTH", "OMEGA", "PRISM", "QUARTZ", "RAVEN", "SIGMA", "TUNDRA",
    "UMBRA", "VIOLET", "WILLOW", "XENON", "YONDER", "ZEPHYR", "AMBER", "BASALT", "COBALT", "DUNE",
]  # fmt: skip
