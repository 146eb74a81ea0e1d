"""Writes of compliance: cases, warning letters, corrective action plans and their progress,
sanction recommendations and decisions, removal for false information, consent to visits,
reinstatement, withdrawal, and appeals.

Each service takes the acting user and membership and runs in one transaction. A record's state
changes only through ``compliance_step`` (the step table of ``core.sanctions`` plus an event
row); a partner's status only through ``applications.services.partner_transition``. People are
told through ``notify``, whose e-mails leave after the commit.
"""

from ctpat.compliance.services.appeals import appeal_decide, appeal_file
from ctpat.compliance.services.cases import (
    ObjectiveInput,
    case_close,
    case_open,
    corrective_plan_accept,
    corrective_plan_return,
    corrective_plan_submit,
    objective_progress,
    warning_letter_issue,
)
from ctpat.compliance.services.sanctions import (
    partner_reinstate,
    partner_remove_for_false_information,
    partner_withdraw,
    sanction_decide,
    sanction_recommend,
    visit_consent_record,
)
from ctpat.compliance.services.steps import ROLE_OFFICIALS, compliance_step, official_for

__all__ = [
    "ROLE_OFFICIALS",
    "ObjectiveInput",
    "appeal_decide",
    "appeal_file",
    "case_close",
    "case_open",
    "compliance_step",
    "corrective_plan_accept",
    "corrective_plan_return",
    "corrective_plan_submit",
    "objective_progress",
    "official_for",
    "partner_reinstate",
    "partner_remove_for_false_information",
    "partner_withdraw",
    "sanction_decide",
    "sanction_recommend",
    "visit_consent_record",
    "warning_letter_issue",
]
