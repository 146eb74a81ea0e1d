"""Restricted-party list versions on disk and the active screening index.

Each loaded version is kept as an engine snapshot (gzip JSON with a content hash) under
``VAR_DIR/screening``. We keep snapshots rather than the uploaded files because a snapshot is
the normalised, hash-checked content that was actually screened against: it does not depend on
the upload's file names or encoding, it stays readable if a reader changes, and the hash ties
every stored hit to the exact list content it came from.

The active index is the latest version of each list code, rebuilt once per process and cached
under the versions' content hashes, so a list loaded by another process is picked up on the next
screening.
"""

from __future__ import annotations

import dataclasses
import tempfile
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile

from ctpat.business_partners.models import RestrictedListVersion
from ctpat.screening import (
    Hit,
    ListFileError,
    RestrictedPartyList,
    ScreeningIndex,
    build_index,
    load_snapshot,
    read_list,
    save_snapshot,
)


@dataclass(frozen=True)
class ActiveIndex:
    """The index of the latest version of every list code, and which version each entity is from."""

    index: ScreeningIndex | None
    versions: tuple[RestrictedListVersion, ...]
    version_of_entity: dict[tuple[str, str], str] = field(default_factory=dict)

    @property
    def version_facts(self) -> dict[str, dict[str, str]]:
        """What a screening run records: each list code's date and content hash."""
        return {v.code: {"list_date": v.list_date, "content_hash": v.content_hash} for v in self.versions}

    def search(self, name: str, **facts: object) -> list[Hit]:
        if self.index is None or not name.strip():
            return []
        return self.index.search(name, **facts)  # type: ignore[arg-type]

    def list_code_of(self, hit: Hit) -> str:
        return self.version_of_entity.get((hit.entity.list_code, hit.entity_id), hit.list_code)


_cache: dict[tuple[str, ...], ActiveIndex] = {}
_cache_lock = threading.Lock()


def screening_dir() -> Path:
    folder = Path(settings.VAR_DIR) / "screening"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def latest_versions() -> list[RestrictedListVersion]:
    """The latest version of each list code, ordered by code."""
    latest: dict[str, RestrictedListVersion] = {}
    for version in RestrictedListVersion.objects.order_by("code", "-loaded_at", "-id"):
        latest.setdefault(version.code, version)
    return [latest[code] for code in sorted(latest)]


def version_list(version: RestrictedListVersion) -> RestrictedPartyList:
    """The list content of a stored version, read back from its snapshot."""
    return load_snapshot(screening_dir() / version.snapshot_name).lists[0]


def active_index() -> ActiveIndex:
    """The index to screen against now (cached per process by the versions' hashes)."""
    versions = tuple(latest_versions())
    key = tuple(f"{settings.VAR_DIR}|{v.code}:{v.content_hash}" for v in versions)
    with _cache_lock:
        if key not in _cache:
            _cache.clear()
            _cache[key] = _build(versions)
        return _cache[key]


def _build(versions: Sequence[RestrictedListVersion]) -> ActiveIndex:
    if not versions:
        return ActiveIndex(index=None, versions=())
    lists = [version_list(version) for version in versions]
    owners = {
        (e.list_code, e.entity_id): v.code
        for v, lst in zip(versions, lists, strict=True)
        for e in lst.entities
    }
    return ActiveIndex(index=build_index(lists), versions=tuple(versions), version_of_entity=owners)


def list_read(list_format: str, target: Path, *, code: str, list_date: str | None) -> RestrictedPartyList:
    """Read a list from disk (a file, or for ``ofac-csv`` the folder of its CSVs); ``ListFileError``
    when a file is malformed or empty. The list takes the administrator's ``code``."""
    party_list = read_list(list_format, target, list_date=list_date)
    if not party_list.entities:
        raise ListFileError(target, None, "the file holds no listed entries")
    return dataclasses.replace(party_list, code=code)


def list_read_from_uploads(
    list_format: str, uploads: Iterable[UploadedFile[Any]], *, code: str, list_date: str | None
) -> RestrictedPartyList:
    """Read uploaded list files: they are written to a temporary folder under their own names
    (OFAC's reader finds ``sdn.csv``, ``alt.csv``... by name) and read from there."""
    with tempfile.TemporaryDirectory(dir=screening_dir()) as folder:
        paths = []
        for upload in uploads:
            path = Path(folder) / Path(upload.name or "list").name
            with path.open("wb") as handle:
                for chunk in upload.chunks():
                    handle.write(chunk)
            paths.append(path)
        target = Path(folder) if list_format == "ofac-csv" else paths[0]
        return list_read(list_format, target, code=code, list_date=list_date)


def snapshot_write(party_list: RestrictedPartyList) -> tuple[str, str]:
    """Save the list as a one-list snapshot; returns (file name, content hash)."""
    index = build_index([party_list])
    name = f"{party_list.code}-{index.snapshot_hash[:16]}.json.gz"
    save_snapshot(index, screening_dir() / name)
    return name, index.snapshot_hash
