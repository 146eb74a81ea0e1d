"""The demo data command: every entity type and status, an event row for every status change,
repeatable, idempotent with --if-empty, and log-ins that really log in."""

from __future__ import annotations

import re
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.http import HttpRequest
from django.test import Client
from pytest_django.fixtures import Settings as SettingsWrapper

from ctpat.accounts.models import User
from ctpat.applications.models import Evidence, Partner, PartnerEvent
from ctpat.applications.selectors import agency_inbox, application_gaps_for
from ctpat.core.entity_types import EntityType
from ctpat.core.lifecycle import PartnerStatus
from ctpat.demo.people import DEMO_PASSWORD, FEATURED_LOGINS

# 14 companies is the smallest demo that still shows every entity type and every status.
SMALL = ("--partners", "14")
LOGIN_LINE = re.compile(r"^\s+(\S+@\S+\.example)\s+(\S+)\s+(.+?)\s{2,}(.+)$")


@pytest.fixture(autouse=True)
def media_in_tmp(settings: SettingsWrapper, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


def run_demo(*args: str) -> str:
    out = StringIO()
    call_command("demo_data", *args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_refused_until_the_catalogue_is_loaded() -> None:
    with pytest.raises(CommandError, match="catalogue_load"):
        run_demo(*SMALL)


def test_every_entity_type_and_every_status_is_present(catalogue: None) -> None:
    run_demo(*SMALL)

    assert set(Partner.objects.values_list("entity_type", flat=True)) == {t.value for t in EntityType}
    assert set(Partner.objects.values_list("status", flat=True)) == {s.value for s in PartnerStatus}
    assert Evidence.objects.filter(content_type="application/pdf").exists()
    assert Evidence.objects.filter(content_type="image/png").exists()


def test_every_status_change_has_its_event_row(catalogue: None) -> None:
    run_demo(*SMALL)

    for partner in Partner.objects.all():
        status = PartnerStatus.PRE_APPLICANT.value
        for event in PartnerEvent.objects.filter(partner=partner).order_by("at", "id"):
            assert event.from_status == status, f"{partner}: {event.transition} does not follow {status}"
            assert event.actor is not None
            status = event.to_status
        assert partner.status == status, f"{partner} is {partner.status} but its events end at {status}"


def test_clocks_vary_with_one_overdue_and_some_near_due(catalogue: None) -> None:
    run_demo(*SMALL)

    days_left = [row.days_left for row in agency_inbox() if row.days_left is not None]
    assert sum(1 for days in days_left if days < 0) == 1
    assert any(0 <= days <= 14 for days in days_left)
    assert len(set(days_left)) == len(days_left)


def test_the_featured_officer_has_a_draft_ready_to_complete(catalogue: None) -> None:
    run_demo(*SMALL)

    acme = Partner.objects.get(organization__memberships__user__email="officer@acme-demo.example")
    gaps = application_gaps_for(acme)
    assert acme.status == PartnerStatus.PRE_APPLICANT
    assert gaps and {gap.section for gap in gaps} == {"security_profile"}
    assert acme.agreement_signed_at is None


def test_if_empty_adds_nothing_the_second_time(catalogue: None) -> None:
    run_demo("--if-empty", *SMALL)
    counts = (Partner.objects.count(), User.objects.count(), PartnerEvent.objects.count())

    output = run_demo("--if-empty", *SMALL)

    assert "nothing added" in output
    assert (Partner.objects.count(), User.objects.count(), PartnerEvent.objects.count()) == counts


def test_reset_rebuilds_the_same_demo_from_the_same_seed(catalogue: None) -> None:
    run_demo(*SMALL)
    first = sorted(Partner.objects.values_list("legal_name", "entity_type", "status"))

    run_demo("--reset", *SMALL)

    assert sorted(Partner.objects.values_list("legal_name", "entity_type", "status")) == first
    with pytest.raises(CommandError, match="--reset"):
        run_demo(*SMALL)


def test_printed_log_ins_work(catalogue: None) -> None:
    output = run_demo(*SMALL)

    printed = {m.group(1): m for line in output.splitlines() if (m := LOGIN_LINE.match(line))}
    assert set(printed) == set(FEATURED_LOGINS)
    for email, match in printed.items():
        assert match.group(2) == DEMO_PASSWORD
        client = Client()
        assert client.login(request=HttpRequest(), username=email, password=match.group(2)), email
    roles = {match.group(3).strip() for match in printed.values()}
    assert {"Company Officer", "Employee", "Consultant", "Supply Chain Security Specialist", "Supervisor"} <= roles
    assert {"Program Director", "Read-only (partner)"} <= roles
