"""Status changes go through the transition table and write their event row in one transaction;
clocks are recomputed from those rows."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from ctpat.accounts.models import Membership
from ctpat.applications.models import PartnerEvent
from ctpat.applications.selectors import agency_inbox, application_gaps_for, partner_clocks
from ctpat.applications.services import (
    AnswerInput,
    ApplicationLocked,
    answer_save,
    application_return,
    application_submit,
    partner_transition,
)
from ctpat.core.clocks import ClockKind
from ctpat.core.lifecycle import TransitionError
from tests.builders import complete_application
from tests.conftest import Personas

pytestmark = pytest.mark.django_db


def membership(personas: Personas, name: str) -> Membership:
    return Membership.objects.get(user=getattr(personas, name))


def officer_of_acme(personas: Personas) -> Membership:
    return Membership.objects.get(user=personas.alice, organization=personas.acme.organization)


def test_an_incomplete_application_is_refused_with_reasons_and_nothing_written(personas: Personas) -> None:
    assert application_gaps_for(personas.acme)
    with pytest.raises(TransitionError) as caught:
        application_submit(actor=personas.alice, membership=officer_of_acme(personas), partner=personas.acme)
    assert "not complete" in str(caught.value)
    personas.acme.refresh_from_db()
    assert personas.acme.status == "pre_applicant"
    assert not PartnerEvent.objects.exists()


def test_submission_writes_the_event_and_mails_after_commit(
    personas: Personas, django_capture_on_commit_callbacks: Any
) -> None:
    complete_application(personas.acme, personas.alice)
    assert application_gaps_for(personas.acme) == []
    with django_capture_on_commit_callbacks(execute=True):
        event = application_submit(
            actor=personas.alice, membership=officer_of_acme(personas), partner=personas.acme
        )
    assert personas.alice.notifications.get().subject == "CTPAT application received: Acme Imports LLC"
    assert (event.transition, event.from_status, event.to_status) == ("submit", "pre_applicant", "applicant")
    assert (event.actor, event.actor_role) == (personas.alice, "company_officer")
    personas.acme.refresh_from_db()
    assert personas.acme.status == "applicant"
    assert mail.outbox[0].to == ["alice@example.com"]


def test_only_the_company_officer_submits(personas: Personas) -> None:
    complete_application(personas.acme, personas.alice)
    with pytest.raises(ValidationError, match="Only a Company Officer"):
        application_submit(actor=personas.bob, membership=membership(personas, "bob"), partner=personas.acme)
    assert not PartnerEvent.objects.exists()


def test_a_submitted_application_is_locked_until_returned(personas: Personas) -> None:
    complete_application(personas.acme, personas.alice)
    application_submit(actor=personas.alice, membership=officer_of_acme(personas), partner=personas.acme)
    answer = personas.acme.security_profiles.get().answers.first()
    assert answer is not None
    with pytest.raises(ApplicationLocked):
        answer_save(
            actor=personas.bob, partner=personas.acme, answer=answer, data=AnswerInput(status="partly")
        )
    sam = membership(personas, "sam")
    partner_transition(actor=personas.sam, membership=sam, partner=personas.acme, name="start_review")
    application_return(
        actor=personas.sam, membership=sam, partner=personas.acme, reason="Facility list incomplete."
    )
    personas.acme.refresh_from_db()
    assert personas.acme.status == "pre_applicant"
    assert personas.acme.agreement_signed_at is None  # a new signature is needed
    answer_save(
        actor=personas.bob,
        partner=personas.acme,
        answer=answer,
        data=AnswerInput(status="partly", narrative="x"),
    )
    assert list(PartnerEvent.objects.values_list("transition", flat=True)) == [
        "submit",
        "start_review",
        "return_to_partner",
    ]


def test_a_partner_cannot_take_agency_transitions(personas: Personas) -> None:
    complete_application(personas.acme, personas.alice)
    application_submit(actor=personas.alice, membership=officer_of_acme(personas), partner=personas.acme)
    with pytest.raises(ValidationError):
        partner_transition(
            actor=personas.bob,
            membership=membership(personas, "bob"),
            partner=personas.acme,
            name="start_review",
        )
    with pytest.raises(TransitionError, match="cannot be done by"):
        partner_transition(
            actor=personas.alice,
            membership=officer_of_acme(personas),
            partner=personas.acme,
            name="start_review",
        )
    assert PartnerEvent.objects.count() == 1


def test_inbox_clock_is_recomputed_from_the_event_rows(personas: Personas) -> None:
    complete_application(personas.acme, personas.alice)
    event = application_submit(
        actor=personas.alice, membership=officer_of_acme(personas), partner=personas.acme
    )
    PartnerEvent.objects.filter(pk=event.pk).update(at=timezone.now() - timedelta(days=80))
    [row] = agency_inbox()
    clock = partner_clocks(personas.acme)[0]
    assert clock.kind is ClockKind.CERTIFICATION
    assert row.clock == clock
    assert row.days_left == 9  # 90 days less 80 and a few seconds
