"""Index snapshots: the lists an index was built from, saved to disk with their dates and a hash.

A snapshot is a gzip-compressed JSON file holding every list's entities, format, source and date,
and a SHA-256 content hash of them. Loading rebuilds the index from it (a few seconds for the SDN's
size) and checks the hash, so a result can always be traced to the exact list content it came from.
JSON rather than pickle: a snapshot received from elsewhere can be read without running its code.
"""

from __future__ import annotations

import gzip
import hashlib
import json
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING, Any

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

if TYPE_CHECKING:
    from .index import ScreeningIndex

SNAPSHOT_FORMAT = "ctpat-screening-snapshot"
SNAPSHOT_VERSION = 1


def _list_record(party_list: RestrictedPartyList) -> dict[str, Any]:
    return asdict(party_list)


def content_hash(lists: Sequence[RestrictedPartyList]) -> str:
    """SHA-256 of the lists' content (entities, codes, dates), independent of where they were read."""
    records = [{**_list_record(party_list), "source": ""} for party_list in lists]
    canonical = json.dumps(records, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def _entity(record: dict[str, Any]) -> ListedEntity:
    return ListedEntity(
        list_code=record["list_code"],
        entity_id=record["entity_id"],
        party_type=PartyType(record["party_type"]),
        names=tuple(ListedName(n["text"], NameKind(n["kind"])) for n in record["names"]),
        programs=tuple(record["programs"]),
        birth_dates=tuple(BirthDate(**b) for b in record["birth_dates"]),
        places_of_birth=tuple(record["places_of_birth"]),
        nationalities=tuple(record["nationalities"]),
        countries=tuple(record["countries"]),
        addresses=tuple(Address(**a) for a in record["addresses"]),
        identifiers=tuple(Identifier(**i) for i in record["identifiers"]),
        gender=record["gender"],
        linked_to=tuple(record["linked_to"]),
        remarks=record["remarks"],
    )


def save_snapshot(index: ScreeningIndex, path: Path | str) -> Path:
    """Write the index's lists to ``path`` (gzip JSON); returns the path."""
    path = Path(path)
    document = {
        "format": SNAPSHOT_FORMAT,
        "version": SNAPSHOT_VERSION,
        "content_hash": index.snapshot_hash,
        "lists": [_list_record(party_list) for party_list in index.lists],
    }
    with gzip.open(path, "wt", encoding="utf-8") as handle:
        json.dump(document, handle, ensure_ascii=False)
    return path


def load_snapshot(path: Path | str) -> ScreeningIndex:
    """Rebuild an index from a snapshot written by :func:`save_snapshot`, checking its hash."""
    from .index import ScreeningIndex

    path = Path(path)
    try:
        with gzip.open(path, "rt", encoding="utf-8") as handle:
            document = json.load(handle)
    except (OSError, EOFError, json.JSONDecodeError) as error:
        raise ListFileError(path, None, f"not a screening snapshot ({error})") from error
    if not isinstance(document, dict) or document.get("format") != SNAPSHOT_FORMAT:
        raise ListFileError(path, None, "not a screening snapshot")
    lists = [
        RestrictedPartyList(
            code=record["code"],
            format=record["format"],
            source=record["source"],
            list_date=record["list_date"],
            entities=tuple(_entity(entity) for entity in record["entities"]),
        )
        for record in document["lists"]
    ]
    index = ScreeningIndex(lists)
    if index.snapshot_hash != document["content_hash"]:
        raise ListFileError(path, None, "content hash does not match: the snapshot was altered or damaged")
    return index
