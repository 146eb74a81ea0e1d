"""Loading a catalogue version from the data files into the database."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from django.db import transaction

from ctpat.criteria.catalogue import catalogue_as_records, criterion_sort_key, load_catalogue
from ctpat.criteria.models import CatalogueVersion, Criterion


class CatalogueConflict(Exception):
    """A version that is already loaded with different content: versions are immutable."""


def _sort_key(code: str) -> str:
    return ".".join(f"{part:04d}" for part in criterion_sort_key(code))


@transaction.atomic
def catalogue_import(*, path: Path | None = None) -> tuple[CatalogueVersion, bool]:
    """Load one catalogue file; returns the version and whether it was new.

    Loading the same version twice changes nothing. A new version gets its own criterion rows
    and becomes current when it is the latest effective one; answers given against older
    versions keep pointing at the rows they answered.
    """
    catalogue = load_catalogue(path)
    records = catalogue_as_records(catalogue)
    content_hash = hashlib.sha256(json.dumps(records, sort_keys=True, default=str).encode()).hexdigest()
    existing = CatalogueVersion.objects.filter(version=catalogue.version).first()
    if existing is not None:
        if existing.content_hash != content_hash:
            raise CatalogueConflict(
                f"Catalogue version {catalogue.version} is already loaded with other content; "
                "give the changed file a new version."
            )
        return existing, False
    version = CatalogueVersion.objects.create(
        version=catalogue.version, effective=catalogue.effective, content_hash=content_hash
    )
    Criterion.objects.bulk_create(
        Criterion(
            catalogue=version,
            code=record["id"],
            sort_key=_sort_key(record["id"]),
            category_number=record["category"],
            category_name=record["category_name"],
            focus_area=record["focus_area"],
            program_area=record["program_area"],
            requirement=record["requirement"],
            statement=record["text"],
            guidance=record.get("guidance", ""),
            entity_types=list(record["entity_types"]),
        )
        for record in records
    )
    latest = CatalogueVersion.objects.order_by("-effective", "-loaded_at").first()
    CatalogueVersion.objects.update(is_current=False)
    CatalogueVersion.objects.filter(pk=latest.pk if latest else version.pk).update(is_current=True)
    version.refresh_from_db()
    return version, True
