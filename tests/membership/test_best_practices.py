"""Best practices' services: an internal assessment's scope and findings, training records mapped to
category 12 with their attendees and evidence, improvement actions and their events."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from ctpat.applications.evidence import EvidenceRejected
from ctpat.criteria.models import Criterion
from ctpat.membership import best_practices, selectors
from ctpat.membership.models import BestPracticeEvent, TrainingRecord
from tests.conftest import Personas
from tests.membership.conftest import pdf

YESTERDAY = date.today() - timedelta(days=1)


def test_an_assessment_covers_the_chosen_criteria_with_a_finding_each(personas: Personas) -> None:
    scope = selectors.assessment_criteria(personas.acme)[:3]
    assessment = best_practices.internal_assessment_record(
        actor=personas.bob,
        partner=personas.acme,
        performed_on=YESTERDAY,
        title=" Yearly audit ",
        summary="",
        criteria=scope,
    )
    assert assessment.title == "Yearly audit"
    findings = list(assessment.findings.select_related("criterion"))
    assert [f.criterion for f in findings] == scope
    best_practices.assessment_finding_save(
        actor=personas.bob, finding=findings[0], result="gap", note="Log unsigned."
    )
    with pytest.raises(ValidationError, match="Say what was found"):
        best_practices.assessment_finding_save(
            actor=personas.bob, finding=findings[1], result="partly", note=" "
        )
    events = list(BestPracticeEvent.objects.values_list("subject", "action", "actor"))
    assert events == [
        ("internal_assessment", "record", personas.bob.pk),
        ("internal_assessment", "finding", personas.bob.pk),
    ]


def test_an_assessment_needs_a_scope_of_applicable_criteria_and_a_past_date(personas: Personas) -> None:
    record = best_practices.internal_assessment_record
    with pytest.raises(ValidationError, match="at least one"):
        record(
            actor=personas.bob,
            partner=personas.acme,
            performed_on=YESTERDAY,
            title="A",
            summary="",
            criteria=[],
        )
    carrier_only = [c for c in Criterion.objects.all() if "importer" not in c.entity_types][:1]
    with pytest.raises(ValidationError, match="apply to your company"):
        record(
            actor=personas.bob,
            partner=personas.acme,
            performed_on=YESTERDAY,
            title="A",
            summary="",
            criteria=carrier_only,
        )
    tomorrow = timezone.localdate() + timedelta(days=1)
    scope = selectors.assessment_criteria(personas.acme)[:1]
    with pytest.raises(ValidationError, match="took place"):
        record(
            actor=personas.bob,
            partner=personas.acme,
            performed_on=tomorrow,
            title="A",
            summary="",
            criteria=scope,
        )


def training(**changes: object) -> best_practices.TrainingInput:
    values: dict[str, object] = {
        "course": "Seal verification",
        "held_on": YESTERDAY,
        "criteria": selectors.training_criteria()[:2],
        "attendee_names": "Ana Ruiz\n\nTom Baker\n",
    }
    return best_practices.TrainingInput(**(values | changes))  # type: ignore[arg-type]


def test_a_training_record_maps_to_category_12_and_keeps_its_evidence(personas: Personas) -> None:
    record = best_practices.training_record_add(
        actor=personas.carol, partner=personas.acme, data=training(), upload=pdf("attendance.pdf")
    )
    assert all(c.category_number == 12 for c in record.criteria.all())
    assert (record.attendee_names, record.attendee_count) == ("Ana Ruiz\nTom Baker", 2)
    assert record.evidence_name == "attendance.pdf"
    assert len(record.evidence_sha256) == 64
    assert record.evidence.name == f"training/{personas.acme.pk}/{record.evidence_sha256}"
    assert record.evidence.read().startswith(b"%PDF")


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"attendee_names": "", "attendee_count": None}, "Name the attendees"),
        ({"attendee_count": 1}, "cannot be lower"),
        ({"criteria": []}, "at least one"),
        ({"held_on": date.today() + timedelta(days=2)}, "took place"),
    ],
)
def test_a_training_record_is_refused(personas: Personas, changes: dict[str, object], message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        best_practices.training_record_add(
            actor=personas.bob, partner=personas.acme, data=training(**changes)
        )
    assert not TrainingRecord.objects.exists()


def test_a_training_maps_only_to_category_12(personas: Personas) -> None:
    other = Criterion.objects.filter(catalogue__is_current=True).exclude(category_number=12).first()
    with pytest.raises(ValidationError, match="category 12"):
        best_practices.training_record_add(
            actor=personas.bob, partner=personas.acme, data=training(criteria=[other])
        )


def test_a_count_without_names_and_a_refused_file(personas: Personas) -> None:
    record = best_practices.training_record_add(
        actor=personas.bob, partner=personas.acme, data=training(attendee_names="", attendee_count=30)
    )
    assert record.attendee_count == 30
    with pytest.raises(EvidenceRejected):
        best_practices.training_evidence_attach(
            actor=personas.bob, record=record, upload=SimpleUploadedFile("x.exe", b"MZ\x90\x00" * 20)
        )
    best_practices.training_evidence_attach(actor=personas.bob, record=record, upload=pdf("sheet.pdf"))
    assert record.evidence_name == "sheet.pdf"


def test_improvement_actions_record_update_done_and_reopen(personas: Personas) -> None:
    scope = selectors.assessment_criteria(personas.acme)[:1]
    assessment = best_practices.internal_assessment_record(
        actor=personas.bob,
        partner=personas.acme,
        performed_on=YESTERDAY,
        title="A",
        summary="",
        criteria=scope,
    )
    data = best_practices.ActionInput(
        title="Seal cabinet",
        owner="Maria",
        due_on=date(2026, 1, 10),
        criterion=scope[0],
        assessment=assessment,
    )
    action = best_practices.improvement_action_save(actor=personas.bob, partner=personas.acme, data=data)
    assert (action.status, action.assessment, action.criterion) == ("open", assessment, scope[0])
    best_practices.improvement_action_set_status(actor=personas.bob, action=action, status="done")
    best_practices.improvement_action_set_status(
        actor=personas.bob, action=action, status="done"
    )  # no change
    best_practices.improvement_action_set_status(actor=personas.bob, action=action, status="open")
    with pytest.raises(ValidationError):
        best_practices.improvement_action_set_status(actor=personas.bob, action=action, status="later")
    actions = BestPracticeEvent.objects.filter(subject="improvement_action").values_list("action", flat=True)
    assert list(actions) == ["record", "done", "reopen"]


def test_an_action_cannot_point_at_another_companys_assessment(personas: Personas) -> None:
    beta_scope = selectors.assessment_criteria(personas.beta)[:1]
    beta = best_practices.internal_assessment_record(
        actor=personas.erin,
        partner=personas.beta,
        performed_on=YESTERDAY,
        title="B",
        summary="",
        criteria=beta_scope,
    )
    data = best_practices.ActionInput(title="X", owner="Y", due_on=YESTERDAY, assessment=beta)
    with pytest.raises(ValidationError, match="your company"):
        best_practices.improvement_action_save(actor=personas.bob, partner=personas.acme, data=data)
