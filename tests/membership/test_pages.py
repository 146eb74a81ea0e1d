"""Every keeping-membership page against every persona (each request rolled back, so a write does
not change what the next persona sees), the partner's isolation, and what the pages show: the
diff a specialist reviews, the agency's queue with the full revalidations due."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ctpat.applications.models import Partner
from ctpat.core.revalidation import ReviewState
from ctpat.membership import best_practices, selectors, services
from ctpat.membership.models import AnnualReview, TrainingRecord
from tests.conftest import Personas
from tests.membership.conftest import ACME, AGENCY, EDITORS, EVERYONE, pdf, validate

Statuses = Callable[..., dict[str, int]]
DECIDERS = ("sam", "sue", "pat")  # Sam is Acme's specialist; Stan is not
YESTERDAY = date.today() - timedelta(days=1)


def table(default: int, **statuses: int) -> dict[str, int]:
    """Expected status per persona; anonymous visitors are sent to the log-in page."""
    return dict.fromkeys(EVERYONE, default) | statuses | {"anonymous": 302}


READ = table(403, **dict.fromkeys((*ACME, *AGENCY), 200), erin=404)
EDIT_PAGE = table(403, **dict.fromkeys(EDITORS, 200), erin=404)
EDIT_POST = table(403, **dict.fromkeys(EDITORS, 302), erin=404)
AGENCY_ONLY = table(403, **dict.fromkeys(AGENCY, 200))


@pytest.fixture
def records(personas: Personas) -> dict[str, Any]:
    """One of each best-practice record at Acme."""
    acme = personas.acme
    scope = selectors.assessment_criteria(acme)[:2]
    assessment = best_practices.internal_assessment_record(
        actor=personas.bob, partner=acme, performed_on=YESTERDAY, title="Audit", summary="", criteria=scope
    )
    training = best_practices.training_record_add(
        actor=personas.bob,
        partner=acme,
        upload=pdf("sheet.pdf"),
        data=best_practices.TrainingInput(
            course="Seals", held_on=YESTERDAY, criteria=selectors.training_criteria()[:1], attendee_count=4
        ),
    )
    action = best_practices.improvement_action_save(
        actor=personas.bob,
        partner=acme,
        data=best_practices.ActionInput(title="Cabinet", owner="Maria", due_on=YESTERDAY),
    )
    return {
        "assessment": assessment,
        "finding": assessment.findings.first(),
        "training": training,
        "action": action,
    }


# --- Who may open what ---------------------------------------------------------------------------


def test_the_entry_and_the_queue(member: Partner, statuses: Statuses) -> None:
    assert statuses("get", reverse("membership:home")) == table(302, liam=403, nora=403)
    assert statuses("get", reverse("membership:agency")) == AGENCY_ONLY


def test_the_partner_page_and_opening_the_review(member: Partner, statuses: Statuses) -> None:
    assert statuses("get", reverse("membership:partner", args=[member.pk])) == READ
    assert statuses("post", reverse("membership:review_open", args=[member.pk])) == EDIT_POST


def test_the_review_pages(review: AnnualReview, personas: Personas, statuses: Statuses) -> None:
    answer = review.profile.answers.first()
    assert answer is not None
    evidence = services.review_evidence_add(actor=personas.alice, review=review, answer=answer, upload=pdf())
    args = [review.pk]
    assert statuses("get", reverse("membership:review", args=args)) == READ
    assert statuses("get", reverse("membership:review_answer", args=[review.pk, answer.pk])) == EDIT_PAGE
    saved = statuses(
        "post",
        reverse("membership:review_answer", args=[review.pk, answer.pk]),
        lambda: {"status": "implemented", "narrative": "Changed."},
    )
    assert saved == EDIT_POST
    upload = reverse("membership:review_evidence_upload", args=[review.pk, answer.pk])
    assert statuses("post", upload, lambda: {"file": pdf()}) == EDIT_POST
    assert statuses("get", reverse("membership:review_evidence", args=[review.pk, evidence.pk])) == READ
    remove = reverse("membership:review_evidence_remove", args=[review.pk, evidence.pk])
    assert statuses("post", remove) == EDIT_POST
    risk = reverse("membership:review_risk", args=args)
    assert statuses("post", risk, lambda: {"risk_assessment": "Mapped."}) == EDIT_POST


def test_resubmitting(review: AnnualReview, statuses: Statuses) -> None:
    AnnualReview.objects.filter(pk=review.pk).update(risk_assessment="Mapped.")
    expected = table(403, alice=302, erin=404)
    assert statuses("post", reverse("membership:review_submit", args=[review.pk])) == expected


def test_deciding(submitted: AnnualReview, statuses: Statuses) -> None:
    expected = table(403, **dict.fromkeys(DECIDERS, 302))
    assert statuses("post", reverse("membership:review_accept", args=[submitted.pk])) == expected
    returned = statuses(
        "post", reverse("membership:review_return", args=[submitted.pk]), lambda: {"reason": "Fix 6.2."}
    )
    assert returned == expected


def test_the_best_practice_pages(member: Partner, records: dict[str, Any], statuses: Statuses) -> None:
    pid = member.pk
    assessment, finding = records["assessment"], records["finding"]
    assert statuses("get", reverse("membership:practices", args=[pid])) == READ
    assert statuses("get", reverse("membership:assessment_new", args=[pid])) == EDIT_PAGE
    scope = [str(c.pk) for c in selectors.assessment_criteria(member)[:2]]
    new = {"title": "Audit", "performed_on": YESTERDAY.isoformat(), "summary": "", "criteria": scope}
    assert statuses("post", reverse("membership:assessment_new", args=[pid]), lambda: new) == EDIT_POST
    assert statuses("get", reverse("membership:assessment", args=[pid, assessment.pk])) == READ
    finding_url = reverse("membership:finding_save", args=[pid, assessment.pk, finding.pk])
    assert statuses("post", finding_url, lambda: {f"f{finding.pk}-result": "meets"}) == EDIT_POST
    assert statuses("get", reverse("membership:training_new", args=[pid])) == EDIT_PAGE
    category_12 = [str(c.pk) for c in selectors.training_criteria()[:1]]
    course = {
        "course": "Seals",
        "held_on": YESTERDAY.isoformat(),
        "criteria": category_12,
        "attendee_count": "3",
    }
    assert statuses("post", reverse("membership:training_new", args=[pid]), lambda: course) == EDIT_POST
    assert (
        statuses("get", reverse("membership:training_evidence", args=[pid, records["training"].pk])) == READ
    )
    assert statuses("get", reverse("membership:actions", args=[pid])) == READ
    action = {"title": "Log", "owner": "Tom", "due_on": YESTERDAY.isoformat()}
    assert statuses("post", reverse("membership:actions", args=[pid]), lambda: action) == EDIT_POST
    status_url = reverse("membership:action_status", args=[pid, records["action"].pk])
    assert statuses("post", status_url, lambda: {"status": "done"}) == EDIT_POST


# --- Isolation ------------------------------------------------------------------------------------


def test_another_companys_records_are_not_found(
    review: AnnualReview, records: dict[str, Any], personas: Personas, client_for: Any
) -> None:
    erin = client_for(personas.erin)
    acme = personas.acme.pk
    for url in (
        reverse("membership:partner", args=[acme]),
        reverse("membership:review", args=[review.pk]),
        reverse("membership:practices", args=[acme]),
        reverse("membership:assessment", args=[acme, records["assessment"].pk]),
        reverse("membership:training_evidence", args=[acme, records["training"].pk]),
    ):
        assert erin.get(url).status_code == 404, url
    beta = personas.beta.pk
    alice = client_for(personas.alice)
    # Acme's IDs under Beta's partner page are not found either.
    assert (
        alice.get(reverse("membership:assessment", args=[beta, records["assessment"].pk])).status_code == 404
    )
    assert client_for(personas.erin).get(reverse("membership:practices", args=[beta])).status_code == 200


def test_evidence_of_another_review_is_not_found(
    review: AnnualReview, personas: Personas, client_for: Any
) -> None:
    other = Partner.objects.get(pk=personas.beta.pk)
    other_answer = other.security_profiles.get().answers.first()
    assert other_answer is not None
    foreign = other_answer.evidence.create(
        file="evidence/beta/x", original_name="x.pdf", content_type="application/pdf", size=1, sha256="f" * 64
    )
    response = client_for(personas.sam).get(
        reverse("membership:review_evidence", args=[review.pk, foreign.pk])
    )
    assert response.status_code == 404


# --- What the pages show --------------------------------------------------------------------------


def test_the_specialist_sees_exactly_the_changed_answer(
    review: AnnualReview, personas: Personas, client_for: Any
) -> None:
    answer = review.profile.answers.select_related("criterion").order_by("criterion__sort_key")[3]
    alice = client_for(personas.alice)
    response = alice.post(
        reverse("membership:review_answer", args=[review.pk, answer.pk]),
        {"status": "implemented", "narrative": answer.narrative + " Checked weekly."},
    )
    assert response.status_code == 302
    alice.post(reverse("membership:review_risk", args=[review.pk]), {"risk_assessment": "Mapped per lane."})
    alice.post(reverse("membership:review_submit", args=[review.pk]))
    review.refresh_from_db()
    assert review.state == ReviewState.SUBMITTED

    page = client_for(personas.sam).get(reverse("membership:review", args=[review.pk])).content.decode()
    changed_table = page.split('data-testid="diff-changed"')[1].split("</table>")[0]
    assert changed_table.count('data-testid="diff-row"') == 1
    assert f'data-criterion="{answer.criterion.code}" data-kind="changed"' in changed_table
    assert '<ins class="bg-success-lighter"> Checked weekly.</ins>' in changed_table
    assert "Accept the annual review" in page


def test_a_refused_resubmission_says_why(review: AnnualReview, personas: Personas, client_for: Any) -> None:
    response = client_for(personas.alice).post(
        reverse("membership:review_submit", args=[review.pk]), follow=True
    )
    assert "Describe this year&#x27;s risk assessment." in response.content.decode()


def test_the_partner_page_offers_to_start_the_review(
    member: Partner, personas: Personas, client_for: Any
) -> None:
    page = client_for(personas.bob).get(reverse("membership:partner", args=[member.pk])).content.decode()
    assert "Start this year's review" in page
    response = client_for(personas.bob).post(reverse("membership:review_open", args=[member.pk]))
    review = AnnualReview.objects.get()
    assert response["Location"] == reverse("membership:review", args=[review.pk])
    page = client_for(personas.dave).get(reverse("membership:partner", args=[member.pk])).content.decode()
    assert "Start this year" not in page
    assert "Year 1" in page


def test_the_queue_lists_reviews_and_full_revalidations_due(
    submitted: AnnualReview, personas: Personas, client_for: Any
) -> None:
    validate(personas, submitted.partner, days_ago=1400)
    page = client_for(personas.sam).get(reverse("membership:agency")).content.decode()
    to_decide = page.split('data-testid="to-decide"')[1].split("</table>")[0]
    assert reverse("membership:review", args=[submitted.pk]) in to_decide
    due = page.split('data-testid="full-revalidations"')[1].split("</table>")[0]
    assert "Acme Imports LLC" in due
    assert reverse("validation:plan", args=[submitted.partner_id]) in due
    rita = client_for(personas.rita).get(reverse("membership:agency")).content.decode()
    assert "Plan the revalidation" not in rita  # read-only staff do not plan


def test_the_answer_page_shows_last_years_answer_and_saving_returns_to_the_review(
    review: AnnualReview, personas: Personas, client_for: Any
) -> None:
    answer = review.profile.answers.select_related("criterion").first()
    assert answer is not None
    url = reverse("membership:review_answer", args=[review.pk, answer.pk])
    page = client_for(personas.carol).get(url).content.decode()
    assert "Last year's answer" in page
    assert "Documented in our security manual" in page
    response = client_for(personas.carol).post(url, {"status": "bogus"})
    assert response.status_code == 422


def test_a_training_with_a_refused_file_shows_the_reason(
    member: Partner, personas: Personas, client_for: Any
) -> None:
    data = {
        "course": "Seals",
        "held_on": YESTERDAY.isoformat(),
        "criteria": [str(selectors.training_criteria()[0].pk)],
        "attendee_count": "3",
        "file": SimpleUploadedFile("virus.exe", b"MZ\x90\x00" * 30),
    }
    response = client_for(personas.alice).post(reverse("membership:training_new", args=[member.pk]), data)
    assert response.status_code == 422
    assert "not an allowed type" in response.content.decode()
    assert not TrainingRecord.objects.exists()


def test_the_dashboard_and_the_agency_page_link_to_membership(
    review: AnnualReview, personas: Personas, client_for: Any
) -> None:
    link = reverse("membership:partner", args=[review.partner_id])
    dashboard = client_for(personas.alice).get(reverse("applications:dashboard")).content.decode()
    panel = dashboard.split('data-testid="membership-panel"')[1].split("</section>")[0]
    assert "Annual review, year 1: Open for the partner" in panel
    assert link in panel
    agency = (
        client_for(personas.sam).get(reverse("agency:application", args=[review.partner_id])).content.decode()
    )
    assert link in agency.split('data-testid="membership-panel"')[1]
