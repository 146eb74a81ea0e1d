"""The incident rules without a database: the late-report rule, the checks on the reporter's
times, the step table, and the post-incident analysis clock."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ctpat.core.incident_rules import (
    OPEN_STATES,
    STEPS,
    IncidentState,
    IncidentStepError,
    IncidentStepRecord,
    LateReportPolicy,
    Party,
    agency_steps,
    analysis_clock,
    analysis_due_error,
    check_step,
    end_of_day,
    incident_time_errors,
    is_late,
    report_delay_hours,
)
from ctpat.core.lifecycle import TransitionError

NOW = datetime(2024, 6, 1, 12, 0, tzinfo=UTC)
S = IncidentState
moments = st.datetimes(min_value=datetime(2020, 1, 1), max_value=datetime(2030, 1, 1), timezones=st.just(UTC))


# --- Late reports ------------------------------------------------------------------------------


def test_a_report_exactly_at_the_limit_is_on_time_and_a_minute_later_is_late() -> None:
    found = NOW - timedelta(hours=24)
    assert not is_late(found_at=found, reported_at=NOW, policy=LateReportPolicy(24))
    assert is_late(found_at=found - timedelta(minutes=1), reported_at=NOW, policy=LateReportPolicy(24))


def test_the_limit_is_policy() -> None:
    found = NOW - timedelta(hours=30)
    assert is_late(found_at=found, reported_at=NOW, policy=LateReportPolicy(24))
    assert not is_late(found_at=found, reported_at=NOW, policy=LateReportPolicy(48))


@given(
    found=moments,
    delay=st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=30)),
    hours=st.integers(0, 720),
)
def test_late_means_the_delay_exceeds_the_policy(found: datetime, delay: timedelta, hours: int) -> None:
    assert is_late(found_at=found, reported_at=found + delay, policy=LateReportPolicy(hours)) == (
        delay > timedelta(hours=hours)
    )


@given(found=moments, reported=moments, hours=st.integers(0, 720))
def test_a_longer_limit_never_makes_a_report_late(found: datetime, reported: datetime, hours: int) -> None:
    if is_late(found_at=found, reported_at=reported, policy=LateReportPolicy(hours + 1)):
        assert is_late(found_at=found, reported_at=reported, policy=LateReportPolicy(hours))


def test_delay_is_whole_hours_and_never_negative() -> None:
    assert report_delay_hours(found_at=NOW - timedelta(hours=5, minutes=59), reported_at=NOW) == 5
    assert report_delay_hours(found_at=NOW + timedelta(hours=1), reported_at=NOW) == 0


# --- The reporter's times ----------------------------------------------------------------------


def test_sound_times_have_no_errors() -> None:
    errors = incident_time_errors(
        happened_at=NOW - timedelta(days=2), found_at=NOW - timedelta(days=1), now=NOW
    )
    assert errors == {}


def test_times_in_the_future_are_refused() -> None:
    later = NOW + timedelta(minutes=1)
    errors = incident_time_errors(happened_at=later, found_at=later, now=NOW)
    assert errors["happened_at"] == ["The incident cannot have happened in the future."]
    assert errors["found_at"] == ["The incident cannot have been found in the future."]


def test_found_before_it_happened_is_refused() -> None:
    errors = incident_time_errors(
        happened_at=NOW - timedelta(hours=1), found_at=NOW - timedelta(hours=2), now=NOW
    )
    assert errors == {"found_at": ["The incident cannot have been found before it happened."]}


def test_missing_times_are_named() -> None:
    assert set(incident_time_errors(happened_at=None, found_at=None, now=NOW)) == {"happened_at", "found_at"}


@given(happened=moments, found=moments, now=moments)
def test_accepted_times_are_ordered_and_not_in_the_future(
    happened: datetime, found: datetime, now: datetime
) -> None:
    if not incident_time_errors(happened_at=happened, found_at=found, now=now):
        assert happened <= found <= now


def test_analysis_due_must_be_after_today() -> None:
    today = date(2024, 6, 1)
    assert analysis_due_error(today + timedelta(days=1), today=today) is None
    assert analysis_due_error(today, today=today) == "The analysis must be due after today."
    assert analysis_due_error(None, today=today) == "Give the date the analysis is due."


# --- Steps -------------------------------------------------------------------------------------


def test_the_happy_path_reported_triaged_referred_analysis_closed() -> None:
    state = check_step("report", current=None, party=Party.PARTNER, facts={})
    assert state is S.REPORTED
    state = check_step("triage", current=state, party=Party.AGENCY, facts={"reason": "Seal cut at the yard."})
    assert state is S.TRIAGED
    refer_facts = {"reason": "Narcotics found.", "government_agency": True, "not_yet_referred": True}
    state = check_step("refer", current=state, party=Party.AGENCY, facts=refer_facts)
    assert state is S.REFERRED
    state = check_step(
        "request_analysis", current=state, party=Party.AGENCY, facts={"reason": "Root cause?", "due_ok": True}
    )
    assert state is S.ANALYSIS_REQUESTED
    state = check_step(
        "submit_analysis", current=state, party=Party.PARTNER, facts={"reason": "…", "analysis_open": True}
    )
    assert state is S.ANALYSIS_RECEIVED
    assert check_step("close", current=state, party=Party.AGENCY, facts={"reason": "Resolved."}) is S.CLOSED


def test_a_referral_while_the_analysis_is_awaited_keeps_the_incident_waiting() -> None:
    facts = {"reason": "For ICE.", "government_agency": True, "not_yet_referred": True}
    assert (
        check_step("refer", current=S.ANALYSIS_REQUESTED, party=Party.AGENCY, facts=facts)
        is S.ANALYSIS_REQUESTED
    )


def test_every_refusal_reason_is_listed() -> None:
    with pytest.raises(IncidentStepError) as refused:
        check_step("refer", current=S.REPORTED, party=Party.PARTNER, facts={})
    assert len(refused.value.reasons) == 5  # state, party, agency, already referred, reason
    assert isinstance(refused.value, TransitionError)  # the API answers it with 409


def test_a_closed_incident_takes_no_step() -> None:
    for name, step in STEPS.items():
        assert S.CLOSED not in step.sources, name
    assert agency_steps(S.CLOSED) == []


def test_the_partner_cannot_triage_and_the_agency_cannot_report() -> None:
    with pytest.raises(IncidentStepError):
        check_step("triage", current=S.REPORTED, party=Party.PARTNER, facts={"reason": "x"})
    with pytest.raises(IncidentStepError):
        check_step("report", current=None, party=Party.AGENCY, facts={})


def test_unknown_step() -> None:
    with pytest.raises(IncidentStepError, match="Unknown step"):
        check_step("suspend", current=S.REPORTED, party=Party.AGENCY, facts={})


def test_agency_steps_offered_on_a_new_report() -> None:
    assert agency_steps(S.REPORTED) == ["triage", "close"]


@given(current=st.sampled_from(sorted(OPEN_STATES)))
def test_partner_updates_never_change_the_state(current: IncidentState) -> None:
    for name in ("update_investigation", "attach_evidence"):
        assert check_step(name, current=current, party=Party.PARTNER, facts={}) is current


@given(
    path=st.lists(
        st.sampled_from(["triage", "refer", "request_analysis", "submit_analysis", "escalate", "close"]),
        max_size=12,
    )
)
def test_any_sequence_of_allowed_steps_stays_in_known_states(path: list[str]) -> None:
    facts = {
        "reason": "r",
        "government_agency": True,
        "not_yet_referred": True,
        "due_ok": True,
        "analysis_open": True,
    }
    state = check_step("report", current=None, party=Party.PARTNER, facts={})
    for name in path:
        party = Party.PARTNER if name == "submit_analysis" else Party.AGENCY
        try:
            state = check_step(name, current=state, party=party, facts=facts)
        except IncidentStepError:
            continue
        assert state in set(IncidentState)
        if name == "close":
            assert state is S.CLOSED


# --- The analysis clock ------------------------------------------------------------------------


def _at(days: int) -> datetime:
    return NOW + timedelta(days=days)


def test_no_request_no_clock() -> None:
    assert (
        analysis_clock([IncidentStepRecord("report", _at(0)), IncidentStepRecord("triage", _at(1))]) is None
    )


def test_a_request_opens_the_clock_and_an_answer_stops_it() -> None:
    due = date(2024, 7, 1)
    steps = [IncidentStepRecord("report", _at(0)), IncidentStepRecord("request_analysis", _at(1), due)]
    clock = analysis_clock(steps)
    assert clock is not None
    assert (clock.started, clock.due_date) == (_at(1), due)
    assert analysis_clock([*steps, IncidentStepRecord("submit_analysis", _at(3))]) is None
    assert analysis_clock([*steps, IncidentStepRecord("close", _at(3))]) is None


def test_a_second_request_after_an_answer_reopens_it_in_any_order_given() -> None:
    steps = [
        IncidentStepRecord("request_analysis", _at(1), date(2024, 7, 1)),
        IncidentStepRecord("submit_analysis", _at(2)),
        IncidentStepRecord("request_analysis", _at(3), date(2024, 8, 1)),
    ]
    clock = analysis_clock(reversed(steps))
    assert clock is not None and clock.due_date == date(2024, 8, 1)


def test_overdue_only_after_the_due_day() -> None:
    clock = analysis_clock([IncidentStepRecord("request_analysis", _at(0), date(2024, 7, 1))])
    assert clock is not None
    assert not clock.is_overdue(date(2024, 7, 1))
    assert clock.is_overdue(date(2024, 7, 2))
    assert clock.due(UTC) == end_of_day(date(2024, 7, 1), UTC) == datetime(2024, 7, 2, tzinfo=UTC)
