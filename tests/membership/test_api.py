"""Every ``/api/membership`` endpoint against every persona (each request rolled back), each
answer's status checked against the live OpenAPI spec, and what the review endpoint returns."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import date, timedelta
from functools import cache
from typing import Any

import pytest
from django.db import transaction
from django.test import Client

from ctpat.accounts.models import User
from ctpat.api.routes import api
from ctpat.applications.models import Partner
from ctpat.core.revalidation import ReviewState
from ctpat.membership import best_practices, selectors
from ctpat.membership.models import AnnualReview
from tests.conftest import Personas
from tests.membership.conftest import ACME, AGENCY, EDITORS, EVERYONE, pdf, validate

YESTERDAY = (date.today() - timedelta(days=1)).isoformat()
DECIDERS = ("sam", "sue", "pat")
Ask = Callable[..., dict[str, int]]


def table(default: int, **statuses: int) -> dict[str, int]:
    return dict.fromkeys(EVERYONE, default) | statuses | {"anonymous": 401}


READ = table(403, **dict.fromkeys((*ACME, *AGENCY), 200), erin=404)
AGENCY_ONLY = table(403, **dict.fromkeys(AGENCY, 200))


def edit(ok: int) -> dict[str, int]:
    return table(403, **dict.fromkeys(EDITORS, ok), erin=404)


@cache
def _documented() -> list[tuple[re.Pattern[str], dict[str, Any]]]:
    spec = api.get_openapi_schema()
    return [
        (re.compile("^" + re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(path)) + "$"), operations)
        for path, operations in spec["paths"].items()
    ]


def assert_documented(method: str, path: str, status: int) -> None:
    for pattern, operations in _documented():
        if pattern.match(path):
            codes = {int(code) for code in operations[method.lower()]["responses"]}
            assert status in codes, f"{method} {path} answered {status}, not in the spec ({sorted(codes)})"
            return
    raise AssertionError(f"{path} is not in the API spec")


@pytest.fixture
def ask(personas: Personas, stan: User) -> Ask:
    def run(
        method: str, path: str, body: dict[str, Any] | None = None, files: Callable[[], Any] | None = None
    ) -> dict[str, int]:
        answered = {}
        for name in EVERYONE:
            with transaction.atomic():
                client = Client()
                if name != "anonymous":
                    client.force_login(stan if name == "stan" else getattr(personas, name))
                call = getattr(client, method)
                if files is not None:
                    response = call(path, {"file": files()})
                elif body is not None:
                    response = call(path, json.dumps(body), content_type="application/json")
                else:
                    response = call(path)
                assert_documented(method, path, response.status_code)
                answered[name] = response.status_code
                transaction.set_rollback(True)
        return answered

    return run


def test_the_annual_review_endpoints(member: Partner, ask: Ask) -> None:
    base = f"/api/membership/partners/{member.pk}/annual-reviews"
    assert ask("get", base) == READ
    assert ask("post", base) == edit(201)


def test_one_reviews_endpoints(review: AnnualReview, ask: Ask) -> None:
    base = f"/api/membership/annual-reviews/{review.pk}"
    code = review.profile.answers.select_related("criterion").first().criterion.code  # type: ignore[union-attr]
    assert ask("get", base) == READ
    assert ask("put", f"{base}/answers/{code}", {"status": "partly", "narrative": "Partly."}) == edit(200)
    assert ask("put", f"{base}/risk-assessment", {"risk_assessment": "Mapped."}) == edit(200)
    AnnualReview.objects.filter(pk=review.pk).update(risk_assessment="Mapped.")
    assert ask("post", f"{base}/submit") == table(403, alice=200, erin=404)


def test_deciding_endpoints(submitted: AnnualReview, ask: Ask) -> None:
    base = f"/api/membership/annual-reviews/{submitted.pk}"
    expected = table(403, **dict.fromkeys(DECIDERS, 200))
    assert ask("post", f"{base}/accept") == expected
    assert ask("post", f"{base}/return", {"reason": "Fix 6.2."}) == expected


def test_full_revalidations(member: Partner, personas: Personas, ask: Ask, client_for: Any) -> None:
    assert ask("get", "/api/membership/full-revalidations") == AGENCY_ONLY
    validate(personas, member, days_ago=100)
    (row,) = client_for(personas.rita).get("/api/membership/full-revalidations").json()
    assert (row["partner_id"], row["plan_url"]) == (member.pk, f"/validation/partners/{member.pk}/plan/")
    assert 4 * 365 - 101 <= row["days_left"] <= 4 * 365 + 1 - 100  # four calendar years less 100 days


def test_best_practice_endpoints(member: Partner, personas: Personas, ask: Ask) -> None:
    base = f"/api/membership/partners/{member.pk}"
    scope = [c.code for c in selectors.assessment_criteria(member)[:2]]
    category_12 = [c.code for c in selectors.training_criteria()[:1]]
    assert ask("get", f"{base}/internal-assessments") == READ
    body = {"title": "Audit", "performed_on": YESTERDAY, "criteria": scope}
    assert ask("post", f"{base}/internal-assessments", body) == edit(201)
    assert ask("get", f"{base}/training-records") == READ
    body = {
        "course": "Seals",
        "held_on": YESTERDAY,
        "criteria": category_12,
        "attendee_names": ["Ana", "Tom"],
    }
    assert ask("post", f"{base}/training-records", body) == edit(201)
    record = best_practices.training_record_add(
        actor=personas.bob,
        partner=member,
        data=best_practices.TrainingInput(
            course="Seals", held_on=date.today(), criteria=selectors.training_criteria()[:1], attendee_count=2
        ),
    )
    assert ask("post", f"{base}/training-records/{record.pk}/evidence", files=pdf) == edit(200)
    assert ask("get", f"{base}/improvement-actions") == READ
    body = {"title": "Cabinet", "owner": "Maria", "due_on": YESTERDAY, "criterion": scope[0]}
    assert ask("post", f"{base}/improvement-actions", body) == edit(201)
    action = best_practices.improvement_action_save(
        actor=personas.bob,
        partner=member,
        data=best_practices.ActionInput(title="Log", owner="Tom", due_on=date.today()),
    )
    assert ask("put", f"{base}/improvement-actions/{action.pk}", {"status": "done"}) == edit(200)


def test_the_review_shows_what_changed(review: AnnualReview, personas: Personas, client_for: Any) -> None:
    alice = client_for(personas.alice)
    base = f"/api/membership/annual-reviews/{review.pk}"
    answer = review.profile.answers.select_related("criterion").order_by("criterion__sort_key")[2]
    code = answer.criterion.code
    response = alice.put(
        f"{base}/answers/{code}",
        json.dumps({"status": "partly", "narrative": answer.narrative}),
        content_type="application/json",
    )
    assert response.status_code == 200
    assert response.json()["status"] == "partly"
    refused = alice.post(f"{base}/submit")
    assert refused.status_code == 409
    assert refused.json()["reasons"] == ["Describe this year's risk assessment."]
    alice.put(
        f"{base}/risk-assessment", json.dumps({"risk_assessment": "Mapped."}), content_type="application/json"
    )
    assert alice.post(f"{base}/submit").json()["state"] == ReviewState.SUBMITTED
    detail = client_for(personas.sam).get(base).json()
    changed = [d for d in detail["diff"] if d["kind"] != "unchanged"]
    assert changed == [
        {
            "criterion": code,
            "kind": "changed",
            "changed_fields": ["status"],
            "old_status": "implemented",
            "new_status": "partly",
            "narrative_words": [],
            "evidence_added": [],
            "evidence_removed": [],
        }
    ]
    assert [e["action"] for e in detail["events"]] == ["open", "submit"]
    assert detail["window"]["cycle"] == 1


def test_refusals_answer_422(
    review: AnnualReview, member: Partner, personas: Personas, client_for: Any
) -> None:
    bob = client_for(personas.bob)
    unknown = bob.put(
        f"/api/membership/annual-reviews/{review.pk}/answers/99.9",
        json.dumps({}),
        content_type="application/json",
    )
    assert unknown.status_code == 404
    wrong = bob.post(
        f"/api/membership/partners/{member.pk}/training-records",
        json.dumps({"course": "X", "held_on": YESTERDAY, "criteria": ["1.1"], "attendee_count": 2}),
        content_type="application/json",
    )
    assert wrong.status_code == 422
    assert "1.1" in wrong.json()["detail"]
    early = client_for(personas.erin).post(f"/api/membership/partners/{personas.beta.pk}/annual-reviews")
    assert early.status_code == 404  # Beta is not certified: no window has opened
