"""Reading the criteria catalogue."""

from __future__ import annotations

from django.http import Http404

from ctpat.criteria.models import CatalogueVersion, Criterion


def catalogue_current() -> CatalogueVersion:
    version = CatalogueVersion.objects.filter(is_current=True).first()
    if version is None:
        raise Http404("No criteria catalogue is loaded: run `ctpat manage catalogue_load`.")
    return version


def criteria_list(
    *,
    catalogue: CatalogueVersion | None = None,
    entity_type: str | None = None,
    program_area: str | None = None,
    category: int | None = None,
) -> list[Criterion]:
    """Criteria of one version in ID order, optionally for one entity type / area / category.

    Entity types are filtered here rather than in SQL because SQLite has no JSON containment.
    """
    version = catalogue or catalogue_current()
    rows = Criterion.objects.filter(catalogue=version)
    if program_area:
        rows = rows.filter(program_area=program_area)
    if category:
        rows = rows.filter(category_number=category)
    return [c for c in rows if not entity_type or entity_type in c.entity_types]
