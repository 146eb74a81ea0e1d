"""Every review page against every persona, and what the pages show.

Who may: every agency role reads the queues and review files; deciders write, a specialist only
on the files in their portfolio; supervisors and the program director assign and decide.
Partners see their own tier and certificates only; liaisons and users with no role nothing.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from ctpat.accounts.models import Membership, User
from ctpat.accounts.roles import Role
from ctpat.applications.models import Partner
from ctpat.core.decisions import VettingCheckKind
from ctpat.core.risk import AssessmentStep
from ctpat.review.models import Assignment, Certificate, RiskAssessment, VettingCheck
from tests.conftest import PASSWORD, Personas
from tests.review.conftest import assign, recommend, start_review, vet_and_assess

ClientFor = Callable[[User | None], Client]
AGENCY = {"sam", "sue", "pat", "rita", "adam"}
ACME = {"alice", "bob", "carol", "dave"}
EVERYONE = AGENCY | ACME | {"erin", "liam", "nora", "stan"}
DECIDERS_ON_FILE = {"sam", "sue", "pat"}  # Sam holds Acme's file; Stan (a specialist) does not
SUPERVISING = {"sue", "pat"}


@pytest.fixture
def stan(personas: Personas) -> User:
    """A second specialist, who does not hold Acme's file."""
    user = User.objects.create_user(email="stan@example.com", password=PASSWORD, full_name="Stan")
    agency = Membership.objects.get(user=personas.sam).organization
    Membership.objects.create(user=user, organization=agency, role=Role.SPECIALIST)
    return user


def person(personas: Personas, stan: User, name: str) -> User:
    return stan if name == "stan" else getattr(personas, name)


def expected(name: str, allowed: set[str], success: int, *, other: int = 403) -> int:
    return success if name in allowed else other


@pytest.mark.parametrize("name", sorted(EVERYONE))
def test_read_pages_by_persona(
    name: str, personas: Personas, stan: User, ready: Partner, client_for: ClientFor
) -> None:
    client = client_for(person(personas, stan, name))
    pid = ready.pk
    check = VettingCheck.objects.filter(partner=ready).first()
    assert check is not None
    for url in [
        reverse("review:queues"),
        reverse("review:portfolio"),
        reverse("review:portfolio_of", args=[personas.sam.pk]),
        reverse("review:team"),
        reverse("review:file", args=[pid]),
        reverse("review:vetting", args=[pid]),
        reverse("review:risk", args=[pid]),
        reverse("review:decision", args=[pid]),
    ]:
        assert client.get(url).status_code == expected(name, AGENCY | {"stan"}, 200), url
    assert client.get(reverse("review:file", args=[999999])).status_code == expected(
        name, AGENCY | {"stan"}, 404
    )
    assert client.get(reverse("review:portfolio_of", args=[personas.alice.pk])).status_code == expected(
        name, AGENCY | {"stan"}, 404
    )


def test_anonymous_visitors_are_sent_to_log_in(ready: Partner, client_for: ClientFor) -> None:
    for url in [
        reverse("review:queues"),
        reverse("review:file", args=[ready.pk]),
        reverse("review:my_standing"),
    ]:
        response = client_for(None).get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("name", sorted(EVERYONE))
def test_write_pages_by_persona(
    name: str, personas: Personas, stan: User, assigned: Partner, client_for: ClientFor
) -> None:
    client = client_for(person(personas, stan, name))
    pid = assigned.pk
    kind = VettingCheckKind.IDENTIFIERS.value
    step = AssessmentStep.CARGO_FLOW.value
    posts = [
        (
            reverse("review:vetting_record", args=[pid, kind]),
            {"result": "Matches.", "derogatory": "no"},
            DECIDERS_ON_FILE,
        ),
        (reverse("review:risk_step", args=[pid, step]), {"text": f"Written by {name}."}, DECIDERS_ON_FILE),
        (reverse("review:risk_record", args=[pid]), {}, DECIDERS_ON_FILE),
        (reverse("review:recommend", args=[pid]), {"kind": "reject", "reason": ""}, DECIDERS_ON_FILE),
        (reverse("review:decide", args=[pid]), {"action": "agree"}, SUPERVISING),
        (reverse("review:assign", args=[pid]), {"specialist": personas.sue.pk}, SUPERVISING),
    ]
    for url, data, allowed in posts:
        assert client.post(url, data).status_code == expected(name, allowed, 302), url
    recorded = VettingCheck.objects.filter(partner=assigned).exists()
    assert recorded == (name in DECIDERS_ON_FILE)
    assert Assignment.objects.filter(specialist=personas.sue).exists() == (name in SUPERVISING)


@pytest.mark.parametrize("name", sorted(EVERYONE))
def test_certificates_and_standing_by_persona(
    name: str, personas: Personas, stan: User, certificate: Certificate, client_for: ClientFor
) -> None:
    client = client_for(person(personas, stan, name))
    download = client.get(reverse("review:certificate", args=[certificate.pk]))
    # Another company's certificate is "not found"; outsiders hold no role that reads any.
    assert download.status_code == expected(
        name, ACME | AGENCY | {"stan"}, 200, other=404 if name == "erin" else 403
    )
    if download.status_code == 200:
        assert download["Content-Type"] == "application/pdf"
        assert download.content.startswith(b"%PDF")
        assert certificate.number in download["Content-Disposition"]
    standing = client.get(reverse("review:standing", args=[certificate.partner_id]))
    assert standing.status_code == expected(
        name, ACME | AGENCY | {"stan"}, 200, other=404 if name == "erin" else 403
    )
    mine = client.get(reverse("review:my_standing"))
    assert mine.status_code == expected(name, ACME | {"erin"}, 200)


def test_vetting_evidence_download_by_persona(
    personas: Personas, stan: User, assigned: Partner, client_for: ClientFor
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = client_for(personas.sam)
    pdf = SimpleUploadedFile("registry-extract.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    url = reverse("review:vetting_record", args=[assigned.pk, VettingCheckKind.OPEN_SOURCE.value])
    client.post(url, {"result": "Registry extract attached.", "derogatory": "no", "evidence": pdf})
    check = VettingCheck.objects.get()
    evidence = reverse("review:vetting_evidence", args=[assigned.pk, check.pk])
    for name in sorted(EVERYONE):
        response = client_for(person(personas, stan, name)).get(evidence)
        assert response.status_code == expected(name, AGENCY | {"stan"}, 200), name
    plain = VettingCheck.objects.create(
        partner=assigned, kind="law_enforcement", result="None.", derogatory=False
    )
    assert client.get(reverse("review:vetting_evidence", args=[assigned.pk, plain.pk])).status_code == 404
    assert (
        client.get(reverse("review:vetting_evidence", args=[personas.beta.pk, check.pk])).status_code == 404
    )


# --- What the pages show ---------------------------------------------------------------------


def test_the_queue_shows_the_unassigned_application_until_it_is_assigned(
    personas: Personas, submitted: Partner, client_for: ClientFor
) -> None:
    sue = client_for(personas.sue)
    page = sue.get(reverse("review:queues")).content.decode()
    assert (
        'data-testid="unassigned"' in page
        and "Acme Imports LLC" in page.split('data-testid="clock-board"')[0]
    )
    assert "Certification decision (90 days from submission)" in page
    detail = sue.get(reverse("review:file", args=[submitted.pk])).content.decode()
    assert "2 points per earlier file of this entity type" in detail  # the suggestion explained
    assert 'data-testid="suggestions"' in detail and "suggested" in detail
    response = sue.post(
        reverse("review:assign", args=[submitted.pk]), {"specialist": personas.sam.pk, "note": "Yours."}
    )
    assert response.status_code == 302
    after = sue.get(reverse("review:queues")).content.decode()
    assert "Every submitted application is assigned." in after
    portfolio = client_for(personas.sam).get(reverse("review:portfolio")).content.decode()
    assert "Portfolio of Sam" in portfolio and "Acme Imports LLC" in portfolio
    team = sue.get(reverse("review:team")).content.decode()
    assert "Specialists in no team" in team and "Sam" in team


def test_the_file_page_refuses_a_bad_assignment_with_a_message(
    personas: Personas, submitted: Partner, client_for: ClientFor
) -> None:
    sue = client_for(personas.sue)
    response = sue.post(
        reverse("review:assign", args=[submitted.pk]), {"specialist": personas.alice.pk}, follow=True
    )
    assert "Select a valid choice" in response.content.decode()
    assert not Assignment.objects.exists()


def test_the_specialist_works_the_file_on_the_pages(
    personas: Personas, submitted: Partner, client_for: ClientFor
) -> None:
    assign(submitted, by=personas.sue, to=personas.sam)
    sam = client_for(personas.sam)
    started = sam.post(reverse("review:start_review", args=[submitted.pk]), follow=True)
    assert "Review started." in started.content.decode()
    for kind in VettingCheckKind:
        sam.post(
            reverse("review:vetting_record", args=[submitted.pk, kind.value]),
            {"result": "Clear.", "derogatory": "no"},
        )
    vetting = sam.get(reverse("review:vetting", args=[submitted.pk])).content.decode()
    assert "Every check has a recorded result." in vetting
    for step in AssessmentStep:
        saved = sam.post(
            reverse("review:risk_step", args=[submitted.pk, step.value]),
            {"text": f"{step.label}: written."},
            HTTP_HX_REQUEST="true",
        )
        assert saved.status_code == 200 and "Saved" in saved.content.decode()
    sam.post(reverse("review:risk_record", args=[submitted.pk]))
    risk = sam.get(reverse("review:risk", args=[submitted.pk])).content.decode()
    assert "Risk assessed" in risk and 'data-testid="contributions"' in risk
    assert "CN: Medium threat" in risk and "Importer: inherent exposure" in risk
    assessment = RiskAssessment.objects.get()
    assert assessment.action_plan == "4. Action plan: written."
    recommended = sam.post(reverse("review:recommend", args=[submitted.pk]), {"kind": "certify"}, follow=True)
    assert "Recommendation recorded: Certify (Tier 1)." in recommended.content.decode()
    decided = client_for(personas.sue).post(
        reverse("review:decide", args=[submitted.pk]), {"action": "agree"}, follow=True
    )
    assert "Decision recorded: Agree with the recommendation." in decided.content.decode()
    submitted.refresh_from_db()
    assert submitted.status == "certified"


def test_refusals_show_as_messages(personas: Personas, assigned: Partner, client_for: ClientFor) -> None:
    sam = client_for(personas.sam)
    page = sam.post(
        reverse("review:recommend", args=[assigned.pk]), {"kind": "certify"}, follow=True
    ).content.decode()
    assert "Vetting must be complete: record a result for every check." in page
    blank = sam.post(
        reverse("review:vetting_record", args=[assigned.pk, "open_source"]),
        {"result": "", "derogatory": "no"},
        follow=True,
    ).content.decode()
    assert "This field is required." in blank
    assert (
        sam.post(
            reverse("review:vetting_record", args=[assigned.pk, "astrology"]),
            {"result": "x", "derogatory": "no"},
        ).status_code
        == 404
    )
    assert (
        sam.post(reverse("review:risk_step", args=[assigned.pk, "step_six"]), {"text": "x"}).status_code
        == 404
    )


def test_autosave_on_a_closed_file_says_why(
    personas: Personas, certified: Partner, client_for: ClientFor
) -> None:
    response = client_for(personas.sue).post(
        reverse("review:risk_step", args=[certified.pk, "cargo_flow"]),
        {"text": "Late."},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 409
    assert "the review is recorded while it is submitted or under review" in response.content.decode()


def test_separation_of_duties_on_the_decision_page(
    personas: Personas, submitted: Partner, client_for: ClientFor
) -> None:
    assign(submitted, by=personas.pat, to=personas.sue)
    start_review(submitted, personas.sue)
    vet_and_assess(submitted, personas.sue)
    recommend(submitted, personas.sue)
    sue = client_for(personas.sue)
    page = sue.get(reverse("review:decision", args=[submitted.pk])).content.decode()
    assert 'data-testid="separation-of-duties"' in page
    forced = sue.post(
        reverse("review:decide", args=[submitted.pk]), {"action": "agree"}, follow=True
    ).content.decode()
    assert "Separation of duties: you made this recommendation" in forced
    submitted.refresh_from_db()
    assert submitted.status == "under_review"
    pat = client_for(personas.pat).get(reverse("review:decision", args=[submitted.pk])).content.decode()
    assert "separation-of-duties" not in pat and "Record the decision" in pat


def test_the_partner_sees_tier_one_and_its_certificate(
    personas: Personas, certificate: Certificate, client_for: ClientFor
) -> None:
    alice = client_for(personas.alice)
    dashboard = alice.get(reverse("applications:dashboard")).content.decode()
    assert "Tier 1" in dashboard and certificate.number in dashboard
    assert reverse("review:certificate", args=[certificate.pk]) in dashboard
    standing = alice.get(reverse("review:my_standing")).content.decode()
    assert "Tier 1" in standing and "Certified." in standing
    assert "Access to FAST lanes" in standing and "10%" in standing  # BENEFITS as data
    beta = client_for(personas.erin).get(reverse("applications:dashboard")).content.decode()
    assert 'data-testid="standing-summary"' not in beta


def test_the_agency_application_page_links_the_review(
    personas: Personas, recommended: Partner, client_for: ClientFor
) -> None:
    page = (
        client_for(personas.rita).get(reverse("agency:application", args=[recommended.pk])).content.decode()
    )
    assert 'data-testid="review-summary"' in page
    assert "Vetting 6/6." in page and "Risk assessed." in page
    assert "Recommended: Certify (Tier 1) (waiting for a supervisor)." in page
    assert reverse("review:decision", args=[recommended.pk]) in page


def test_the_work_queues_link_is_in_the_agency_menu(personas: Personas, client_for: ClientFor) -> None:
    link = f'href="{reverse("review:queues")}"'
    assert link in client_for(personas.rita).get(reverse("agency:inbox")).content.decode()
    assert link not in client_for(personas.alice).get(reverse("applications:dashboard")).content.decode()


def test_a_read_only_agency_user_sees_no_forms(
    personas: Personas, ready: Partner, client_for: ClientFor
) -> None:
    rita = client_for(personas.rita)
    for name in ["review:file", "review:vetting", "review:risk", "review:decision"]:
        page = rita.get(reverse(name, args=[ready.pk])).content.decode()
        assert 'method="post"' not in page.split('id="main-content"')[1].replace(
            'action="/accounts/logout/"', ""
        ), name
