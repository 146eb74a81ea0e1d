"""The 90-day certification clock through the review's returns and resubmissions (property
tests): each return pauses it, each resubmission resumes it, and only the agency's time counts."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from ctpat.core.clocks import ClockPolicy, LifecycleEvent, certification_clock, open_clocks, validation_clock

POLICY = ClockPolicy()
T0 = datetime(2026, 2, 1, 9, 30, tzinfo=UTC)
# (days with the agency before the return, days with the partner before resubmitting). At
# least a day each: recorded events never share a moment, and the clock orders them by time.
rounds = st.lists(st.tuples(st.integers(1, 40), st.integers(1, 60)), min_size=0, max_size=5)


def history(cycles: list[tuple[int, int]]) -> tuple[list[LifecycleEvent], timedelta, timedelta]:
    """Submit, then for each round: review, return, resubmit. Returns the events, the agency's
    time and the partner's time."""
    events = [LifecycleEvent("submit", T0)]
    at, agency, partner = T0, timedelta(), timedelta()
    for with_agency, with_partner in cycles:
        at += timedelta(days=with_agency)
        agency += timedelta(days=with_agency)
        events.append(LifecycleEvent("return_to_partner", at))
        at += timedelta(days=with_partner)
        partner += timedelta(days=with_partner)
        events.append(LifecycleEvent("submit", at))
    return events, agency, partner


@given(rounds)
def test_only_the_partners_time_extends_the_due_date(cycles: list[tuple[int, int]]) -> None:
    events, _agency, partner_time = history(cycles)
    clock = certification_clock(events, POLICY)
    assert clock is not None
    assert clock.started == T0
    assert clock.due == T0 + timedelta(days=90) + partner_time
    assert clock.paused_since is None


@given(rounds, st.integers(0, 40), st.integers(0, 400))
def test_a_returned_application_does_not_run_down(
    cycles: list[tuple[int, int]], review: int, later: int
) -> None:
    events, agency, _partner = history(cycles)
    returned_at = events[-1].at + timedelta(days=review)
    clock = certification_clock([*events, LifecycleEvent("return_to_partner", returned_at)], POLICY)
    assert clock is not None and clock.paused_since == returned_at
    used = agency + timedelta(days=review)
    assert clock.days_left(returned_at + timedelta(days=later)) == (timedelta(days=90) - used).days
    assert not clock.is_overdue(returned_at + timedelta(days=later))


@given(rounds, st.sampled_from(["certify", "reject", "withdraw"]))
def test_a_decision_stops_the_clock_and_certification_starts_validation(
    cycles: list[tuple[int, int]], decision: str
) -> None:
    events, _agency, _partner = history(cycles)
    decided_at = events[-1].at + timedelta(days=3)
    closed = [*events, LifecycleEvent("start_review", events[-1].at), LifecycleEvent(decision, decided_at)]
    assert certification_clock(closed, POLICY) is None
    validation = validation_clock(closed, POLICY)
    if decision == "certify":
        assert validation is not None and validation.due == decided_at.replace(year=decided_at.year + 1)
        assert [c.kind for c in open_clocks(closed, POLICY)] == ["validation"]
    else:
        assert validation is None and open_clocks(closed, POLICY) == []


@given(rounds)
def test_the_order_events_are_given_in_does_not_matter(cycles: list[tuple[int, int]]) -> None:
    events, _agency, _partner = history(cycles)
    assert certification_clock(list(reversed(events)), POLICY) == certification_clock(events, POLICY)
