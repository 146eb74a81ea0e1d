"""Compliance pages. The partner's: its letters (and their PDFs), plans and progress, the
window to appeal, its appeals, consent to visits and withdrawal. The agency's: the work list, a
partner's compliance file, a case with its letters, plans and recommendations, and appeals.

Views are thin: they fetch through ``compliance.access``, call the services and render; a
refusal from the rules becomes messages on the page.
"""

from ctpat.compliance.views.agency import (
    case,
    case_close,
    case_open,
    letter_issue,
    partner_file,
    plan_decide,
    recommend,
    recommendation_decide,
    reinstate,
    remove,
    worklist,
)
from ctpat.compliance.views.partner import (
    appeal,
    appeal_decide,
    appeal_new,
    consent,
    letter,
    letter_pdf,
    mine,
    objective_progress,
    plan,
    withdraw,
)

__all__ = [
    "appeal",
    "appeal_decide",
    "appeal_new",
    "case",
    "case_close",
    "case_open",
    "consent",
    "letter",
    "letter_issue",
    "letter_pdf",
    "mine",
    "objective_progress",
    "partner_file",
    "plan",
    "plan_decide",
    "recommend",
    "recommendation_decide",
    "reinstate",
    "remove",
    "withdraw",
    "worklist",
]
