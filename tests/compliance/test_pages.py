"""Every compliance page against every persona, and what the pages show.

Who may: a partner's people read their own letters, plans and appeals (another company's are
"not found"); its editors submit plans and report progress; its Company Officer appeals,
consents to visits and withdraws. Agency staff read cases and files; deciders (Sam, Sue, Pat,
Paula) write; only the program directors (Pat, Paula) decide sanctions and appeals, and not
their own decisions. Liaisons and users with no role get nothing.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from ctpat.accounts.models import User
from ctpat.applications.models import PartnerEvent
from ctpat.compliance.models import Appeal, CorrectiveActionPlan
from ctpat.compliance.views import partner as partner_views
from tests.compliance.conftest import submit_plan
from tests.conftest import Personas

ClientFor = Callable[[User | None], Client]
AGENCY = {"sam", "sue", "pat", "paula", "rita", "adam"}
DECIDERS = {"sam", "sue", "pat", "paula"}
DIRECTORS = {"pat", "paula"}
ACME = {"alice", "bob", "carol", "dave"}
ACME_EDITORS = {"alice", "bob", "carol"}
EVERYONE = sorted(AGENCY | ACME | {"erin", "liam", "nora"})


@pytest.fixture
def scene(personas: Personas, paula: User, appeal: Appeal) -> tuple[Appeal, CorrectiveActionPlan]:
    """Acme suspended by Pat, its appeal filed, and a plan answering the letter."""
    letter = appeal.partner.compliance_cases.get().letters.get()
    return appeal, submit_plan(letter, personas.alice)


@pytest.fixture(autouse=True)
def _no_pdf_rendering(monkeypatch: pytest.MonkeyPatch) -> None:
    # Rendering is tested in test_letters.py; here only who may download counts.
    monkeypatch.setattr(partner_views, "warning_letter_pdf", lambda letter: b"%PDF-1.7 test")


def person(personas: Personas, paula: User, name: str) -> User:
    return paula if name == "paula" else getattr(personas, name)


def expected(name: str, allowed: set[str], success: int, *, others: dict[str, int] | None = None) -> int:
    if name in allowed:
        return success
    return (others or {}).get(name, 403)


@pytest.mark.parametrize("name", EVERYONE)
def test_read_pages_by_persona(
    name: str,
    personas: Personas,
    paula: User,
    scene: tuple[Appeal, CorrectiveActionPlan],
    client_for: ClientFor,
) -> None:
    appeal, plan = scene
    client = client_for(person(personas, paula, name))
    letter, case = plan.letter, plan.letter.case
    beta = {"erin": 404}
    pages = [
        (reverse("compliance:mine"), ACME | {"erin"}, {}),
        (reverse("compliance:letter", args=[letter.pk]), ACME | AGENCY, beta),
        (reverse("compliance:letter_pdf", args=[letter.pk]), ACME | AGENCY, beta),
        (reverse("compliance:plan", args=[letter.pk]), ACME_EDITORS, beta),
        (reverse("compliance:appeal_new", args=[appeal.decision_event_id]), {"alice"}, beta),
        (reverse("compliance:withdraw"), {"alice", "erin"}, {}),
        (reverse("compliance:appeal", args=[appeal.pk]), ACME | AGENCY, beta),
        (reverse("compliance:worklist"), AGENCY, {}),
        (reverse("compliance:partner", args=[case.partner_id]), AGENCY, {}),
        (reverse("compliance:case", args=[case.pk]), AGENCY, {}),
    ]
    for url, allowed, others in pages:
        assert client.get(url).status_code == expected(name, allowed, 200, others=others), url


@pytest.mark.parametrize("name", EVERYONE)
def test_unknown_ids_are_not_found_for_those_who_may_look(
    name: str, personas: Personas, paula: User, scene: object, client_for: ClientFor
) -> None:
    client = client_for(person(personas, paula, name))
    for route, allowed in [
        ("compliance:letter", ACME | AGENCY | {"erin"}),
        ("compliance:appeal", ACME | AGENCY | {"erin"}),
        ("compliance:case", AGENCY),
        ("compliance:partner", AGENCY),
    ]:
        url = reverse(route, args=[999999])
        assert client.get(url).status_code == expected(name, allowed, 404), url


def test_anonymous_visitors_are_sent_to_log_in(
    scene: tuple[Appeal, CorrectiveActionPlan], client_for: ClientFor
) -> None:
    appeal, _plan = scene
    client = client_for(None)
    for url in [
        reverse("compliance:mine"),
        reverse("compliance:appeal", args=[appeal.pk]),
        reverse("compliance:worklist"),
    ]:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize("name", EVERYONE)
def test_write_pages_by_persona(
    name: str,
    personas: Personas,
    paula: User,
    scene: tuple[Appeal, CorrectiveActionPlan],
    client_for: ClientFor,
) -> None:
    """Those allowed reach the service (a redirect, or the form again when it refuses); the
    others are refused before it. The withdrawal comes last: it ends the membership."""
    appeal, plan = scene
    client = client_for(person(personas, paula, name))
    case = plan.letter.case
    objective = plan.objectives.first()
    assert objective is not None
    recommendation_id = case.recommendations.get().pk
    reason = {"reason": "Reasons.", "reasons": "Reasons.", "statement": "In writing.", "note": "Progress."}
    beta = {"erin": 404}
    posts = [
        (reverse("compliance:objective_progress", args=[objective.pk]), ACME_EDITORS, beta),
        (reverse("compliance:plan", args=[plan.letter_id]), ACME_EDITORS, beta),
        (reverse("compliance:appeal_new", args=[appeal.decision_event_id]), {"alice"}, beta),
        (reverse("compliance:consent"), {"alice", "erin"}, {}),
        (reverse("compliance:appeal_decide", args=[appeal.pk]), DIRECTORS, {}),
        (reverse("compliance:case_open", args=[case.partner_id]), DECIDERS, {}),
        (reverse("compliance:letter_issue", args=[case.pk]), DECIDERS, {}),
        (reverse("compliance:recommend", args=[case.pk]), DECIDERS, {}),
        (reverse("compliance:plan_decide", args=[plan.pk]), DECIDERS, {}),
        (reverse("compliance:recommendation_decide", args=[recommendation_id]), DIRECTORS, {}),
        (reverse("compliance:reinstate", args=[case.partner_id]), DIRECTORS, {}),
        (reverse("compliance:case_close", args=[case.pk]), DECIDERS, {}),
        (reverse("compliance:remove", args=[case.partner_id]), DIRECTORS, {}),
        (reverse("compliance:withdraw"), {"alice", "erin"}, {}),
    ]
    for url, allowed, others in posts:
        status = client.post(url, reason).status_code
        if name in allowed:
            assert status in {200, 302}, url
        else:
            assert status == expected(name, allowed, 0, others=others), url


def test_write_pages_refuse_get(
    personas: Personas, scene: tuple[Appeal, CorrectiveActionPlan], client_for: ClientFor
) -> None:
    appeal, _plan = scene
    client = client_for(personas.pat)
    assert client.get(reverse("compliance:appeal_decide", args=[appeal.pk])).status_code == 405


def test_the_partner_sees_its_letter_deadline_and_appeal(
    personas: Personas, scene: tuple[Appeal, CorrectiveActionPlan], client_for: ClientFor
) -> None:
    appeal, plan = scene
    page = client_for(personas.alice).get(reverse("compliance:mine")).content.decode()
    assert plan.letter.number in page
    assert appeal.number in page
    assert 'data-testid="benefits"' in page
    letter_page = (
        client_for(personas.bob).get(reverse("compliance:letter", args=[plan.letter_id])).content.decode()
    )
    assert "Seal logs incomplete for the last quarter" in letter_page
    dashboard = client_for(personas.alice).get(reverse("applications:dashboard")).content.decode()
    assert 'data-testid="compliance-summary"' in dashboard


def test_the_deciding_director_sees_the_separation_of_duties_and_another_the_form(
    personas: Personas, paula: User, scene: tuple[Appeal, CorrectiveActionPlan], client_for: ClientFor
) -> None:
    appeal, _plan = scene
    url = reverse("compliance:appeal", args=[appeal.pk])
    pat_page = client_for(personas.pat).get(url).content.decode()
    assert 'data-testid="separation-of-duties"' in pat_page
    assert reverse("compliance:appeal_decide", args=[appeal.pk]) not in pat_page
    assert (
        reverse("compliance:appeal_decide", args=[appeal.pk]) in client_for(paula).get(url).content.decode()
    )
    assert (
        reverse("compliance:appeal_decide", args=[appeal.pk])
        not in client_for(personas.sam).get(url).content.decode()
    )


def test_a_director_granting_through_the_page_restores_the_partner(
    personas: Personas, paula: User, scene: tuple[Appeal, CorrectiveActionPlan], client_for: ClientFor
) -> None:
    appeal, _plan = scene
    url = reverse("compliance:appeal_decide", args=[appeal.pk])
    refused = client_for(personas.pat).post(url, {"outcome": "granted", "reasons": "Mine."}, follow=True)
    assert "separation of duties" in refused.content.decode()
    client_for(paula).post(url, {"outcome": "granted", "reasons": "Logs were complete."})
    appeal.partner.refresh_from_db()
    assert appeal.partner.status == "certified"
    assert PartnerEvent.objects.filter(transition="restore", actor=paula).exists()


def test_the_agency_application_page_links_the_compliance_file(
    personas: Personas, scene: tuple[Appeal, CorrectiveActionPlan], client_for: ClientFor
) -> None:
    appeal, _plan = scene
    page = (
        client_for(personas.rita)
        .get(reverse("agency:application", args=[appeal.partner_id]))
        .content.decode()
    )
    assert reverse("compliance:partner", args=[appeal.partner_id]) in page
