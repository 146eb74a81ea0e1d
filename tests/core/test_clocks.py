"""Clocks are derived from events; property tests cover dates, time zones and returns."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given
from hypothesis import strategies as st

from ctpat.core.clocks import (
    ClockKind,
    ClockPolicy,
    LifecycleEvent,
    add_years,
    certification_clock,
    open_clocks,
    validation_clock,
)

POLICY = ClockPolicy()
T0 = datetime(2026, 1, 10, 15, 0, tzinfo=UTC)


def ev(name: str, days: float) -> LifecycleEvent:
    return LifecycleEvent(name, T0 + timedelta(days=days))


def test_certification_clock_starts_at_submission() -> None:
    clock = certification_clock([ev("submit", 0)], POLICY)
    assert clock is not None
    assert clock.due == T0 + timedelta(days=90)
    assert clock.days_left(T0 + timedelta(days=30)) == 60
    assert not clock.is_overdue(T0 + timedelta(days=90))
    assert clock.is_overdue(T0 + timedelta(days=90, seconds=1))


def test_no_clock_before_submission_and_none_after_a_decision() -> None:
    assert certification_clock([], POLICY) is None
    assert certification_clock([ev("submit", 0), ev("certify", 40)], POLICY) is None
    assert certification_clock([ev("submit", 0), ev("reject", 40)], POLICY) is None


def test_a_return_pauses_the_clock_and_resubmission_resumes_it() -> None:
    events = [ev("submit", 0), ev("start_review", 5), ev("return_to_partner", 20)]
    paused = certification_clock(events, POLICY)
    assert paused is not None and paused.paused_since == T0 + timedelta(days=20)
    # While paused, the days left do not run down.
    assert paused.days_left(T0 + timedelta(days=200)) == 70
    assert not paused.is_overdue(T0 + timedelta(days=200))
    resumed = certification_clock([*events, ev("submit", 50)], POLICY)
    assert resumed is not None
    assert resumed.due == T0 + timedelta(days=120)  # 30 days with the partner are not counted
    assert resumed.started == T0


def test_validation_due_a_year_after_certification() -> None:
    clock = validation_clock([ev("submit", 0), ev("certify", 60)], POLICY)
    assert clock is not None and clock.kind is ClockKind.VALIDATION
    assert clock.due == (T0 + timedelta(days=60)).replace(year=2027)
    assert validation_clock([ev("certify", 60), ev("validate", 200)], POLICY) is None


def test_a_year_after_a_leap_day_is_the_28th_of_february() -> None:
    leap = datetime(2028, 2, 29, 12, tzinfo=UTC)
    assert add_years(leap, 365) == datetime(2029, 2, 28, 12, tzinfo=UTC)
    assert add_years(leap, 4 * 365) == datetime(2032, 2, 29, 12, tzinfo=UTC)


moments = st.datetimes(
    min_value=datetime(2000, 1, 1),
    max_value=datetime(2090, 1, 1),
    timezones=st.sampled_from([UTC, ZoneInfo("America/New_York"), ZoneInfo("Asia/Tokyo")]),
)


@given(start=moments)
def test_validation_year_is_a_calendar_year_in_any_zone(start: datetime) -> None:
    due = add_years(start, 365)
    assert due.year == start.year + 1
    assert due.month == start.month
    assert due.day == start.day or (start.month, start.day, due.day) == (2, 29, 28)
    assert due > start


@given(
    start=moments,
    gaps=st.lists(st.tuples(st.integers(1, 40), st.integers(1, 40)), max_size=4),
)
def test_returns_only_add_the_partners_time(start: datetime, gaps: list[tuple[int, int]]) -> None:
    """However many returns and resubmissions, the due date is 90 days of agency time."""
    events = [LifecycleEvent("submit", start)]
    moment = start
    partner_days = 0
    for agency_days, with_partner in gaps:
        moment += timedelta(days=agency_days)
        events.append(LifecycleEvent("return_to_partner", moment))
        moment += timedelta(days=with_partner)
        events.append(LifecycleEvent("submit", moment))
        partner_days += with_partner
    clock = certification_clock(events, POLICY)
    assert clock is not None
    assert clock.paused_since is None
    assert clock.due == start + timedelta(days=90 + partner_days)


@given(start=moments, shuffle_seed=st.randoms())
def test_event_order_in_the_input_does_not_matter(start: datetime, shuffle_seed) -> None:  # type: ignore[no-untyped-def]
    events = [
        LifecycleEvent("submit", start),
        LifecycleEvent("return_to_partner", start + timedelta(days=3)),
        LifecycleEvent("submit", start + timedelta(days=9)),
        LifecycleEvent("certify", start + timedelta(days=30)),
    ]
    shuffled = list(events)
    shuffle_seed.shuffle(shuffled)
    assert open_clocks(shuffled, POLICY) == open_clocks(events, POLICY)
