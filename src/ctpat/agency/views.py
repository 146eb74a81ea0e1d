"""Agency pages: the inbox of submitted applications with their 90-day clocks."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from ctpat.accounts.access import request_membership, require_agency
from ctpat.applications.selectors import agency_inbox


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    require_agency(request_membership(request))
    return render(request, "agency/inbox.html", {"rows": agency_inbox(), "now": timezone.now()})


@login_required
def application_detail(request: HttpRequest, partner_id: int) -> HttpResponse:
    raise NotImplementedError
