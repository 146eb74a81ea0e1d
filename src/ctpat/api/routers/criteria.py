"""The Minimum Security Criteria catalogue: readable by anyone logged in, like the criteria page."""

from __future__ import annotations

from django.db.models import Count
from django.http import HttpRequest
from ninja import Query, Router, Schema

from ctpat.api.schemas import AUTH_ERRORS, CatalogueOut, CatalogueVersionOut, ErrorOut, InvalidOut
from ctpat.core.entity_types import EntityType
from ctpat.criteria.catalogue import ProgramArea
from ctpat.criteria.models import CatalogueVersion
from ctpat.criteria.selectors import catalogue_current, criteria_list

router = Router(tags=["criteria"])


class CriteriaFilter(Schema):
    entity_type: EntityType | None = None
    program_area: ProgramArea | None = None
    category: int | None = None


@router.get("/criteria", response={200: CatalogueOut, 404: ErrorOut, 422: InvalidOut, **AUTH_ERRORS})
def criteria_catalogue(request: HttpRequest, filters: Query[CriteriaFilter]) -> dict[str, object]:
    """The current catalogue version's criteria in ID order, optionally filtered."""
    version = catalogue_current()
    rows = criteria_list(
        catalogue=version,
        entity_type=filters.entity_type,
        program_area=filters.program_area,
        category=filters.category,
    )
    return {"version": version.version, "effective": version.effective, "criteria": rows}


@router.get("/criteria/versions", response={200: list[CatalogueVersionOut], **AUTH_ERRORS})
def criteria_versions(request: HttpRequest) -> list[CatalogueVersion]:
    """Every loaded catalogue version, newest first; answers keep pointing at the version they answered."""
    return list(CatalogueVersion.objects.annotate(criteria_count=Count("criteria")).order_by("-effective"))
