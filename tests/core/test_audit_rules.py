"""The audit cooperation rules without a database: item steps, the request's state from its
items, the overdue rule, the checks on a new request, and the deadline replayed from the steps."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ctpat.core.audit_rules import (
    AuditStepError,
    AuditStepRecord,
    ItemState,
    RequestState,
    audit_clock,
    is_overdue,
    item_state_after,
    request_errors,
    request_state_for,
)
from ctpat.core.incident_rules import Party

TODAY = date(2024, 6, 1)
NOW = datetime(2024, 6, 1, 9, 0, tzinfo=UTC)
Item = ItemState


def test_item_steps() -> None:
    assert (
        item_state_after("answer", current=Item.OPEN, party=Party.PARTNER, text="Attached.") is Item.ANSWERED
    )
    assert (
        item_state_after("answer", current=Item.ANSWERED, party=Party.PARTNER, documents=1) is Item.ANSWERED
    )
    assert item_state_after("accept", current=Item.ANSWERED, party=Party.AGENCY) is Item.ACCEPTED
    assert (
        item_state_after("ask_again", current=Item.ANSWERED, party=Party.AGENCY, text="Page 2?") is Item.OPEN
    )


def test_an_empty_answer_and_a_silent_ask_again_are_refused() -> None:
    with pytest.raises(AuditStepError, match="Write an answer or attach a document"):
        item_state_after("answer", current=Item.OPEN, party=Party.PARTNER, text="  ")
    with pytest.raises(AuditStepError, match="Say what is still missing"):
        item_state_after("ask_again", current=Item.ANSWERED, party=Party.AGENCY)


def test_wrong_party_and_state_are_both_reported() -> None:
    with pytest.raises(AuditStepError) as refused:
        item_state_after("accept", current=Item.OPEN, party=Party.PARTNER)
    assert len(refused.value.reasons) == 2


def test_an_accepted_item_is_final() -> None:
    for step, party in (("answer", Party.PARTNER), ("accept", Party.AGENCY), ("ask_again", Party.AGENCY)):
        with pytest.raises(AuditStepError):
            item_state_after(step, current=Item.ACCEPTED, party=party, text="x")


def test_unknown_step() -> None:
    with pytest.raises(AuditStepError, match="Unknown step"):
        item_state_after("withdraw", current=Item.OPEN, party=Party.AGENCY)


@given(st.lists(st.sampled_from(list(ItemState)), min_size=1))
def test_request_state_follows_the_items(items: list[ItemState]) -> None:
    state = request_state_for(items)
    if all(s is Item.ACCEPTED for s in items):
        assert state is RequestState.CLOSED
    elif Item.OPEN in items:
        assert state is RequestState.OPEN
    else:
        assert state is RequestState.ANSWERED


def test_overdue_rule() -> None:
    deadline = date(2024, 5, 31)
    assert is_overdue(state=RequestState.OPEN, deadline=deadline, today=TODAY)
    assert not is_overdue(state=RequestState.OPEN, deadline=TODAY, today=TODAY)
    assert not is_overdue(state=RequestState.ANSWERED, deadline=deadline, today=TODAY)
    assert not is_overdue(state=RequestState.CLOSED, deadline=deadline, today=TODAY)


@given(deadline=st.dates(), today=st.dates(), state=st.sampled_from(list(RequestState)))
def test_overdue_needs_an_open_request_past_its_deadline(
    deadline: date, today: date, state: RequestState
) -> None:
    assert is_overdue(state=state, deadline=deadline, today=today) == (
        state is RequestState.OPEN and today > deadline
    )


def test_a_sound_request_has_no_errors() -> None:
    errors = request_errors(
        subject="Seal logs",
        items=["Seal log, March"],
        deadline=TODAY + timedelta(days=14),
        today=TODAY,
        site_access=True,
        site_date=TODAY + timedelta(days=20),
        site="Laredo yard",
    )
    assert errors == {}


def test_a_bad_request_names_every_field() -> None:
    errors = request_errors(
        subject=" ",
        items=["", "  "],
        deadline=TODAY,
        today=TODAY,
        site_access=True,
        site_date=TODAY - timedelta(days=1),
        site="",
    )
    assert set(errors) == {"subject", "items", "deadline", "site_date", "site"}
    assert errors["deadline"] == ["The deadline must be after today."]
    missing = request_errors(subject="x", items=["y"], deadline=None, today=TODAY, site_access=True)
    assert missing["deadline"] == ["Give the deadline."]
    assert missing["site_date"] == ["Give the date of the site visit."]


def test_site_fields_are_ignored_without_site_access() -> None:
    assert request_errors(subject="x", items=["y"], deadline=TODAY + timedelta(days=1), today=TODAY) == {}


# --- The deadline from the steps ---------------------------------------------------------------


def _at(hours: int) -> datetime:
    return NOW + timedelta(hours=hours)


def test_the_clock_runs_while_an_item_awaits_the_partner() -> None:
    sent = AuditStepRecord("send", _at(0), items=(1, 2), deadline=date(2024, 6, 15))
    clock = audit_clock([sent])
    assert clock is not None and clock.deadline == date(2024, 6, 15) and clock.started == _at(0)
    one = AuditStepRecord("answer", _at(1), item=1)
    assert audit_clock([sent, one]) is not None
    both = [sent, one, AuditStepRecord("answer", _at(2), item=2)]
    assert audit_clock(both) is None


def test_asking_again_reopens_the_clock_with_the_new_deadline() -> None:
    steps = [
        AuditStepRecord("send", _at(0), items=(1,), deadline=date(2024, 6, 15)),
        AuditStepRecord("answer", _at(1), item=1),
        AuditStepRecord("ask_again", _at(2), item=1, deadline=date(2024, 6, 30)),
    ]
    clock = audit_clock(steps)
    assert clock is not None and clock.deadline == date(2024, 6, 30) and clock.started == _at(2)
    same_deadline = [*steps[:2], AuditStepRecord("ask_again", _at(2), item=1)]
    clock = audit_clock(same_deadline)
    assert clock is not None and clock.deadline == date(2024, 6, 15)


def test_a_closed_request_has_no_clock() -> None:
    steps = [
        AuditStepRecord("send", _at(0), items=(1,), deadline=date(2024, 6, 15)),
        AuditStepRecord("answer", _at(1), item=1),
        AuditStepRecord("accept", _at(2), item=1),
        AuditStepRecord("close", _at(2)),
    ]
    assert audit_clock(steps) is None
    assert audit_clock([]) is None


def test_overdue_clock() -> None:
    clock = audit_clock([AuditStepRecord("send", _at(0), items=(1,), deadline=date(2024, 6, 15))])
    assert clock is not None
    assert not clock.is_overdue(date(2024, 6, 15))
    assert clock.is_overdue(date(2024, 6, 16))


@given(st.permutations(range(4)))
def test_the_clock_does_not_depend_on_the_order_rows_are_read(order: list[int]) -> None:
    steps = [
        AuditStepRecord("send", _at(0), items=(1, 2), deadline=date(2024, 6, 15)),
        AuditStepRecord("answer", _at(1), item=1),
        AuditStepRecord("answer", _at(2), item=2),
        AuditStepRecord("ask_again", _at(3), item=2, deadline=date(2024, 7, 1)),
    ]
    clock = audit_clock([steps[i] for i in order])
    assert clock is not None and clock.deadline == date(2024, 7, 1)
