"""The demo data command: every entity type and status, an event row for every status change,
repeatable, idempotent with --if-empty, and log-ins that really log in."""

from __future__ import annotations

import re
from collections.abc import Iterator
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.http import HttpRequest
from django.test import Client
from django.test.utils import override_settings
from pytest_django import DjangoDbBlocker

from ctpat.accounts.models import User
from ctpat.applications.models import Evidence, Partner, PartnerEvent
from ctpat.applications.selectors import agency_inbox, application_gaps_for
from ctpat.core.entity_types import EntityType
from ctpat.core.lifecycle import PartnerStatus
from ctpat.criteria.services import catalogue_import
from ctpat.demo.people import DEMO_PASSWORD, FEATURED_LOGINS

# 14 companies is the smallest demo that still shows every entity type and every status.
SMALL = ("--partners", "14")
LOGIN_LINE = re.compile(r"^\s+(\S+@\S+\.example)\s+(\S+)\s+(.+?)\s{2,}(.+)$")


def log_in_request() -> HttpRequest:
    """The request the log-in throttle (django-axes) needs to see beside the credentials."""
    request = HttpRequest()
    request.META["REMOTE_ADDR"] = "127.0.0.1"
    return request


def run_demo(*args: str) -> str:
    out = StringIO()
    call_command("demo_data", *args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_refused_until_the_catalogue_is_loaded() -> None:
    # Runs first, before the module's demo below exists.
    with pytest.raises(CommandError, match="catalogue_load"):
        run_demo(*SMALL)


@pytest.fixture(scope="module")
def demo(
    django_db_setup: None, django_db_blocker: DjangoDbBlocker, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """One small demo shared by the module's tests (building it takes seconds); its output."""
    # The same fast hasher as the function-scoped tests get from the root conftest.
    overrides = override_settings(
        MEDIA_ROOT=tmp_path_factory.mktemp("media"),
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
    )
    overrides.enable()
    with django_db_blocker.unblock():
        catalogue_import()
        output = run_demo(*SMALL)
    yield output
    with django_db_blocker.unblock():
        # Leave the database as empty as the other tests expect it.
        call_command("flush", interactive=False, verbosity=0)
    overrides.disable()


def test_every_entity_type_and_every_status_is_present(demo: str, db: None) -> None:
    assert set(Partner.objects.values_list("entity_type", flat=True)) == {t.value for t in EntityType}
    assert set(Partner.objects.values_list("status", flat=True)) == {s.value for s in PartnerStatus}
    assert Evidence.objects.filter(content_type="application/pdf").exists()
    assert Evidence.objects.filter(content_type="image/png").exists()


def test_every_status_change_has_its_event_row(demo: str, db: None) -> None:
    for partner in Partner.objects.all():
        status = PartnerStatus.PRE_APPLICANT.value
        for event in PartnerEvent.objects.filter(partner=partner).order_by("at", "id"):
            assert event.from_status == status, f"{partner}: {event.transition} does not follow {status}"
            assert event.actor is not None
            status = event.to_status
        assert partner.status == status, f"{partner} is {partner.status} but its events end at {status}"


def test_clocks_vary_with_one_overdue_and_some_near_due(demo: str, db: None) -> None:
    days_left = [row.days_left for row in agency_inbox() if row.days_left is not None]
    assert sum(1 for days in days_left if days < 0) == 1
    assert any(0 <= days <= 14 for days in days_left)
    assert len(set(days_left)) == len(days_left)


def test_the_featured_officer_has_a_draft_ready_to_complete(demo: str, db: None) -> None:
    acme = Partner.objects.get(organization__memberships__user__email="officer@acme-demo.example")
    gaps = application_gaps_for(acme)
    assert acme.status == PartnerStatus.PRE_APPLICANT
    assert gaps and {gap.section for gap in gaps} == {"security_profile"}
    assert acme.agreement_signed_at is None


def test_if_empty_adds_nothing_the_second_time(demo: str, db: None) -> None:
    counts = (Partner.objects.count(), User.objects.count(), PartnerEvent.objects.count())

    output = run_demo("--if-empty", *SMALL)

    assert "nothing added" in output
    assert (Partner.objects.count(), User.objects.count(), PartnerEvent.objects.count()) == counts


def test_reset_rebuilds_the_same_demo_from_the_same_seed(demo: str, db: None) -> None:
    first = sorted(Partner.objects.values_list("legal_name", "entity_type", "status"))

    run_demo("--reset", *SMALL)

    assert sorted(Partner.objects.values_list("legal_name", "entity_type", "status")) == first
    with pytest.raises(CommandError, match="--reset"):
        run_demo(*SMALL)


def test_printed_log_ins_work(demo: str, db: None) -> None:
    printed = {m.group(1): m for line in demo.splitlines() if (m := LOGIN_LINE.match(line))}
    assert set(printed) == set(FEATURED_LOGINS)
    for email, match in printed.items():
        assert match.group(2) == DEMO_PASSWORD
        client = Client()
        assert client.login(request=log_in_request(), username=email, password=match.group(2)), email
    roles = {match.group(3).strip() for match in printed.values()}
    assert {
        "Company Officer",
        "Employee",
        "Consultant",
        "Supply Chain Security Specialist",
        "Supervisor",
    } <= roles
    assert {"Program Director", "Read-only (partner)"} <= roles
