"""What changed between two versions of a restricted-party list. No Django: plain entities in,
a JSON-ready summary out (stored on the version row and shown on the lists page)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ctpat.screening import ListedEntity


def list_changes(previous: Iterable[ListedEntity] | None, current: Iterable[ListedEntity]) -> dict[str, Any]:
    """Entities added, removed, and those whose names changed, keyed by the list's entity id.

    >>> from ctpat.screening import ListedName, PartyType
    >>> a = ListedEntity("X", "1", PartyType.PERSON, (ListedName("Ann"),))
    >>> b = ListedEntity("X", "2", PartyType.PERSON, (ListedName("Bob"),))
    >>> list_changes([a], [b])["counts"]
    {'added': 1, 'removed': 1, 'renamed': 0}
    """
    new = {entity.entity_id: entity for entity in current}
    if previous is None:
        return {"first_version": True, "counts": {"added": len(new), "removed": 0, "renamed": 0},
                "added": [], "removed": [], "renamed": []}  # fmt: skip
    old = {entity.entity_id: entity for entity in previous}
    added = [_brief(new[key]) for key in sorted(new.keys() - old.keys())]
    removed = [_brief(old[key]) for key in sorted(old.keys() - new.keys())]
    renamed = [
        {"id": key, "before": _names(old[key]), "after": _names(new[key])}
        for key in sorted(new.keys() & old.keys())
        if _names(old[key]) != _names(new[key])
    ]
    counts = {"added": len(added), "removed": len(removed), "renamed": len(renamed)}
    return {"first_version": False, "counts": counts, "added": added, "removed": removed, "renamed": renamed}


def _names(entity: ListedEntity) -> list[str]:
    return [name.text for name in entity.names]


def _brief(entity: ListedEntity) -> dict[str, str]:
    return {"id": entity.entity_id, "name": entity.primary_name}
