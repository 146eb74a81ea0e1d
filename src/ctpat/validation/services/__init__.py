"""Writes to validations. Each service takes the acting user and membership, runs in one
transaction, checks the step against ``core.validation_rules``, writes a ``ValidationEvent``
for every change of stage, and tells people only after the commit (``notify``).

The approval of a decision is the one place a validation changes the partner's lifecycle: it
takes ``validate`` (with the tier) or ``require_corrective_action`` through
``partner_transition``, in the same transaction as the validation's own records.
"""

from ctpat.validation.services.decision import (
    decision_approve,
    decision_propose,
    decision_return,
    report_send,
    response_submit,
)
from ctpat.validation.services.fieldwork import finding_evidence_add, finding_save, worksheet_save
from ctpat.validation.services.planning import site_remove, site_save, validation_plan, validation_plan_update

__all__ = [
    "decision_approve",
    "decision_propose",
    "decision_return",
    "finding_evidence_add",
    "finding_save",
    "report_send",
    "response_submit",
    "site_remove",
    "site_save",
    "validation_plan",
    "validation_plan_update",
    "worksheet_save",
]
