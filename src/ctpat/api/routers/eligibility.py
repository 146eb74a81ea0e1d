"""The eligibility questionnaire and a dry-run check: the pure core's rules, nothing is stored."""

from __future__ import annotations

from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Router

from ctpat.api.schemas import AUTH_ERRORS, EligibilityCheckIn, EligibilityOut, InvalidOut, QuestionnaireOut
from ctpat.core.eligibility import evaluate_eligibility, questions_for
from ctpat.core.entity_types import EntityType

router = Router(tags=["eligibility"])


def unknown_questions_refuse(entity_type: EntityType, answers: Mapping[str, bool]) -> None:
    """A misspelt question key would silently count as "no"; refuse it with the keys that exist."""
    known = [q.key for q in questions_for(entity_type)]
    unknown = sorted(set(answers) - set(known))
    if unknown:
        raise ValidationError(
            {
                "answers": (
                    f"Unknown question(s) for {entity_type.label}: {', '.join(unknown)}. "
                    f"The questions are: {', '.join(known)}."
                )
            }
        )


@router.get(
    "/eligibility/questions/{entity_type}", response={200: QuestionnaireOut, 422: InvalidOut, **AUTH_ERRORS}
)
def eligibility_questions(request: HttpRequest, entity_type: EntityType) -> dict[str, object]:
    """The questionnaire for one entity type: its own questions, then the common ones."""
    return {"entity_type": entity_type, "label": entity_type.label, "questions": questions_for(entity_type)}


@router.post("/eligibility/check", response={200: EligibilityOut, 422: InvalidOut, **AUTH_ERRORS})
def eligibility_check(request: HttpRequest, payload: EligibilityCheckIn) -> dict[str, object]:
    """Would these answers pass? Unanswered questions count as "no". Nothing is stored."""
    unknown_questions_refuse(payload.entity_type, payload.answers)
    result = evaluate_eligibility(payload.entity_type, payload.answers)
    return {"eligible": result.eligible, "reasons": list(result.reasons)}
