"""Restricted-party screening: list readers, a name-matching engine and its command line.

Importable without Django. The portal calls it like this::

    from ctpat.screening import build_index, read_list, score_pair

    index = build_index([read_list("ofac-csv", "lists/sdn"), read_list("un-xml", "lists/un.xml")])
    hits = index.search("Ismail Haniya", type="person", country="PS", dob="1962")
    for hit in hits:
        print(hit.score, hit.list_code, hit.entity_id, hit.matched_name, hit.explanation)
"""

from __future__ import annotations

from .backends import DaskBackend, LocalBackend, screen_queries
from .index import DEFAULT_ALERT_THRESHOLD, Hit, ScreeningIndex, ScreeningQuery, build_index
from .model import (
    Address,
    BirthDate,
    Identifier,
    ListedEntity,
    ListedName,
    ListFileError,
    NameKind,
    PartyType,
    RestrictedPartyList,
)
from .name_matching import score_pair
from .readers import LIST_FORMATS, read_list
from .snapshot import load_snapshot, save_snapshot


def load_index(path: str) -> ScreeningIndex:
    """Load an index snapshot written by :func:`save_snapshot` (alias of :func:`load_snapshot`)."""
    return load_snapshot(path)


__all__ = [
    "DEFAULT_ALERT_THRESHOLD",
    "LIST_FORMATS",
    "Address",
    "BirthDate",
    "DaskBackend",
    "Hit",
    "Identifier",
    "ListFileError",
    "ListedEntity",
    "ListedName",
    "LocalBackend",
    "NameKind",
    "PartyType",
    "RestrictedPartyList",
    "ScreeningIndex",
    "ScreeningQuery",
    "build_index",
    "load_index",
    "load_snapshot",
    "read_list",
    "save_snapshot",
    "score_pair",
    "screen_queries",
]
