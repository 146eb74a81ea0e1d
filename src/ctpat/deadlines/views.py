"""Every open clock: program-wide for the agency, one partner's for that partner (and the agency)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from ctpat.accounts.access import request_membership, require_agency
from ctpat.applications.access import access_own_partner, access_partner_by_id
from ctpat.applications.models import Partner
from ctpat.deadlines.registry import OpenDeadline, open_deadlines


def _rows(deadlines: list[OpenDeadline]) -> list[dict[str, object]]:
    now = timezone.now()
    return [
        {"deadline": d, "days_left": (d.due - now).days, "overdue": not d.paused and now > d.due}
        for d in deadlines
    ]


@login_required
def program_clocks(request: HttpRequest) -> HttpResponse:
    require_agency(request_membership(request))
    deadlines = open_deadlines()
    return render(request, "deadlines/clocks.html", {"rows": _rows(deadlines), "partner": None})


@login_required
def my_clocks(request: HttpRequest) -> HttpResponse:
    partner = access_own_partner(request_membership(request))
    return _partner_page(request, partner)


@login_required
def partner_clocks(request: HttpRequest, partner_id: int) -> HttpResponse:
    partner = access_partner_by_id(request_membership(request), partner_id)
    return _partner_page(request, partner)


def _partner_page(request: HttpRequest, partner: Partner) -> HttpResponse:
    deadlines = open_deadlines(partner_ids=[partner.pk])
    return render(request, "deadlines/clocks.html", {"rows": _rows(deadlines), "partner": partner})
