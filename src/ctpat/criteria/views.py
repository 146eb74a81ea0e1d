"""The criteria catalogue, browsable by anyone logged in, filtered by entity type and grouped
by category or by the program description's six areas."""

from __future__ import annotations

from itertools import groupby

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from ctpat.core.entity_types import EntityType, entity_type_choices
from ctpat.criteria.selectors import catalogue_current, criteria_list

PROGRAM_AREAS = {
    "physical": "Physical security",
    "personnel": "Personnel security",
    "procedural": "Procedural security",
    "information": "Information security",
    "physical_access": "Physical access controls",
    "it": "IT security",
}


@login_required
def criteria_page(request: HttpRequest) -> HttpResponse:
    entity_type = request.GET.get("entity_type", "")
    if entity_type not in EntityType.__members__.values() and entity_type not in {
        e.value for e in EntityType
    }:
        entity_type = ""
    grouping = "area" if request.GET.get("group") == "area" else "category"
    version = catalogue_current()
    rows = criteria_list(catalogue=version, entity_type=entity_type or None)
    if grouping == "area":
        rows.sort(
            key=lambda c: (
                list(PROGRAM_AREAS).index(c.program_area) if c.program_area in PROGRAM_AREAS else 99,
                c.sort_key,
            )
        )
        groups = [(PROGRAM_AREAS.get(k, k), list(g)) for k, g in groupby(rows, key=lambda c: c.program_area)]
    else:
        groups = [
            (f"{num}. {items[0].category_name} — {items[0].focus_area}", items)
            for num, grouped in groupby(rows, key=lambda c: c.category_number)
            for items in [list(grouped)]
        ]
    return render(
        request,
        "criteria/list.html",
        {
            "version": version,
            "groups": groups,
            "count": len(rows),
            "entity_types": entity_type_choices(),
            "entity_type": entity_type,
            "grouping": grouping,
        },
    )
