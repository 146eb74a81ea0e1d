"""Who may call what, as tables: persona name -> expected status.

``OK`` stands for the endpoint's own success status (200, 201 or 204). The personas are those
of ``tests/conftest.py``, plus ``carol_for_beta`` (Carol choosing Beta with ``X-Organization``)
and ``anonymous`` (no session, no token). Every endpoint is checked against every persona.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

OK = 0
PERSONAS = [
    "alice",  # Company Officer of Acme
    "bob",  # Employee of Acme
    "carol",  # Consultant; acts for Acme (her first company) unless she chooses Beta
    "dave",  # Read-only at Acme
    "erin",  # Company Officer of Beta
    "carol_for_beta",  # Carol with X-Organization: Beta
    "sam",  # Specialist
    "sue",  # Supervisor
    "pat",  # Program Director
    "rita",  # Agency read-only
    "adam",  # Agency administrator
    "liam",  # Foreign customs liaison
    "nora",  # Logged in, no role anywhere
    "anonymous",
]
AGENCY = ("sam", "sue", "pat", "rita", "adam")


def _table(default: int, **statuses: int) -> dict[str, int]:
    table = dict.fromkeys(PERSONAS, default) | statuses
    table["anonymous"] = 401
    return table


# Anyone logged in, with or without a role (the catalogue, the eligibility questionnaire).
ANY_USER = _table(OK)
# The account of the company one acts for: partner roles only.
OWN_COMPANY = _table(403, alice=OK, bob=OK, carol=OK, dave=OK, erin=OK, carol_for_beta=OK)
# Reading Acme's account: Acme's people and all agency staff; another company is "not found".
ACME_READ = _table(
    403, alice=OK, bob=OK, carol=OK, dave=OK, erin=404, carol_for_beta=404, **dict.fromkeys(AGENCY, OK)
)
# Editing Acme's application: Acme's editors; read-only roles and the agency are refused.
ACME_WRITE = _table(403, alice=OK, bob=OK, carol=OK, erin=404, carol_for_beta=404)
# Signing and submitting: Acme's Company Officer only.
ACME_OFFICER = _table(403, alice=OK, erin=404, carol_for_beta=404)
# The agency inbox: every agency role.
AGENCY_READ = _table(403, **dict.fromkeys(AGENCY, OK))
# Review steps: specialist, supervisor, program director.
AGENCY_DECIDE = _table(403, sam=OK, sue=OK, pat=OK)


class Answer(Protocol):
    status_code: int


# (label, who may, the success status, the request)
Call = tuple[str, dict[str, int], int, Callable[[], Answer]]


def statuses_by_call(persona: str, calls: list[Call]) -> tuple[dict[str, int], dict[str, int]]:
    """Make the calls in order; return (what each answered, what it should have answered)."""
    actual = {label: call().status_code for label, _table, _success, call in calls}
    expected = {label: table[persona] or success for label, table, success, _call in calls}
    return actual, expected
