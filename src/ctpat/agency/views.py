"""Agency pages: the inbox of submitted applications with their 90-day clocks, and the whole
application of one partner, read-only, with the decisions an agency decider takes on it."""

from __future__ import annotations

from itertools import groupby

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ctpat.accounts.access import request_membership, require_agency, require_role
from ctpat.accounts.models import Membership, User
from ctpat.accounts.roles import AGENCY_DECIDERS, ROLE_ACTORS, Role
from ctpat.applications.access import access_evidence_by_id, access_partner_by_id
from ctpat.applications.models import Partner
from ctpat.applications.selectors import (
    agency_inbox,
    application_gaps_for,
    application_progress,
    partner_clocks,
    partner_events,
    profile_answers,
    profile_current,
)
from ctpat.applications.services import application_return, partner_transition
from ctpat.applications.views import evidence_response
from ctpat.core.lifecycle import PartnerStatus, TransitionError, available_transitions


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    require_agency(request_membership(request))
    return render(request, "agency/inbox.html", {"rows": agency_inbox(), "now": timezone.now()})


def _decisions(membership: Membership, partner: Partner) -> set[str]:
    """The transitions of this page the user's role could take from the partner's status."""
    actor = ROLE_ACTORS.get(Role(membership.role))
    if actor is None:
        return set()
    return {t.name for t in available_transitions(PartnerStatus(partner.status), actor)}


@login_required
def application_detail(request: HttpRequest, partner_id: int) -> HttpResponse:
    membership = require_agency(request_membership(request))
    partner = access_partner_by_id(membership, partner_id)
    answers = list(profile_answers(profile_current(partner)))
    names = {a.criterion.category_number: a.criterion.category_name for a in answers}
    now = timezone.now()
    return render(
        request,
        "agency/application_detail.html",
        {
            "partner": partner,
            "identifiers": partner.identifiers.order_by("kind"),
            "contacts": partner.contacts.order_by("contact_type", "full_name"),
            "origins": partner.origin_countries.order_by("-share_percent"),
            "facilities": partner.facilities.order_by("name"),
            "answer_groups": [
                (number, names[number], list(rows))
                for number, rows in groupby(answers, key=lambda a: a.criterion.category_number)
            ],
            "categories": [
                {"progress": p, "name": names.get(p.category, "")} for p in application_progress(partner)
            ],
            "gap_rows": [{"gap": gap, "url": ""} for gap in application_gaps_for(partner)],
            "events": partner_events(partner),
            "clocks": [(clock, clock.days_left(now)) for clock in partner_clocks(partner)],
            "decisions": _decisions(membership, partner),
        },
    )


def _decider(request: HttpRequest, partner_id: int) -> tuple[User, Membership, Partner]:
    membership = require_role(request_membership(request), AGENCY_DECIDERS)
    partner = access_partner_by_id(membership, partner_id)
    assert isinstance(request.user, User)
    return request.user, membership, partner


@login_required
@require_POST
def start_review(request: HttpRequest, partner_id: int) -> HttpResponse:
    user, membership, partner = _decider(request, partner_id)
    try:
        partner_transition(actor=user, membership=membership, partner=partner, name="start_review")
    except TransitionError as exc:
        for reason in exc.reasons:
            messages.error(request, reason)
    else:
        messages.success(request, _("Review started."))
    return redirect("agency:application", partner_id=partner.pk)


@login_required
@require_POST
def return_to_partner(request: HttpRequest, partner_id: int) -> HttpResponse:
    user, membership, partner = _decider(request, partner_id)
    reason = request.POST.get("reason", "").strip()
    try:
        application_return(actor=user, membership=membership, partner=partner, reason=reason)
    except TransitionError as exc:
        for message in exc.reasons:
            messages.error(request, message)
    else:
        messages.success(request, _("The application was returned to the partner."))
    return redirect("agency:application", partner_id=partner.pk)


@login_required
def evidence_download(request: HttpRequest, partner_id: int, evidence_id: int) -> HttpResponseBase:
    membership = require_agency(request_membership(request))
    partner = access_partner_by_id(membership, partner_id)
    return evidence_response(access_evidence_by_id(partner, evidence_id))
