"""The front door: send each person to where their work is."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from ctpat.accounts.access import request_membership
from ctpat.accounts.roles import AGENCY_ROLES, PARTNER_ROLES, OrganizationKind


@login_required
def home(request: HttpRequest) -> HttpResponse:
    membership = request_membership(request)
    if membership is not None and membership.role in PARTNER_ROLES:
        return redirect("applications:dashboard")
    if membership is not None and membership.role in AGENCY_ROLES:
        return redirect("agency:inbox")
    if membership is not None and membership.organization.kind == OrganizationKind.GOVERNMENT_AGENCY:
        return redirect("incidents:referrals")  # a partner agency sees the incidents referred to it
    return render(request, "no_role.html", status=403)
