"""The rules of keeping membership, without a database: the diff between two years' security
profiles, the annual review's transitions, the window dates (leap days, time zones), the missed
window's consequence, the full revalidation and improvement actions' due dates."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ctpat.core.clocks import LifecycleEvent
from ctpat.core.lifecycle import Actor, PartnerStatus, TransitionError
from ctpat.core.revalidation import (
    ActionEvent,
    AnswerSnapshot,
    DiffKind,
    MissedConsequence,
    ReviewEventFacts,
    ReviewState,
    WordChange,
    anniversary,
    annual_review_clocks,
    annual_window,
    available_review_transitions,
    certification_date,
    check_review_transition,
    check_window_days,
    criterion_sort_key,
    diff_counts,
    full_revalidation_due,
    improvement_action_due,
    latest_opened_window,
    missed_window_steps,
    next_window,
    profile_diff,
    review_state,
    window_missed,
    word_diff,
)

NEW_YORK = ZoneInfo("America/New_York")
ZONES = [UTC, NEW_YORK, ZoneInfo("Asia/Tokyo"), ZoneInfo("Pacific/Kiritimati"), ZoneInfo("Pacific/Pago_Pago")]
PDF_A, PDF_B, PNG_C = "a" * 64, "b" * 64, "c" * 64


def at(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)  # type: ignore[misc]


# --- The diff between two years' security profiles --------------------------------------------


def test_the_diff_between_two_years_security_profiles() -> None:
    last_year = [
        AnswerSnapshot("1.1", "implemented", "Security policy reviewed yearly.", evidence=frozenset({PDF_A})),
        AnswerSnapshot("3.4", "implemented", "We check partners' CTPAT status.", evidence=frozenset({PDF_A})),
        AnswerSnapshot("6.2", "partly", "High-security seals at the main plant."),
        AnswerSnapshot("7.23", "implemented", "Incident procedure IR-1.", evidence=frozenset({PDF_A, PNG_C})),
        AnswerSnapshot("9.1", "not_applicable", "", "We own no premises."),
        AnswerSnapshot("12.1", "implemented", "Yearly awareness training."),
    ]
    this_year = [
        AnswerSnapshot("1.1", "implemented", "Security policy reviewed yearly.", evidence=frozenset({PDF_A})),
        AnswerSnapshot("3.4", "implemented", "We check partners' CTPAT status.", evidence=frozenset({PDF_B})),
        AnswerSnapshot("6.2", "implemented", "High-security seals at every plant."),
        AnswerSnapshot("7.23", "implemented", "Incident procedure IR-1.", evidence=frozenset({PNG_C, PDF_A})),
        AnswerSnapshot("9.1", "not_applicable", "", "We lease no premises."),
        AnswerSnapshot("4.8", "implemented", "MFA on every account."),
    ]
    diff = {d.criterion: d for d in profile_diff(last_year, this_year)}

    assert [d.criterion for d in profile_diff(last_year, this_year)] == [
        "1.1",
        "3.4",
        "4.8",
        "6.2",
        "7.23",
        "9.1",
        "12.1",
    ]
    assert diff["1.1"].kind is DiffKind.UNCHANGED
    assert diff["7.23"].kind is DiffKind.UNCHANGED  # the same files in another order
    assert diff["3.4"].kind is DiffKind.EVIDENCE_REPLACED
    assert (diff["3.4"].evidence_added, diff["3.4"].evidence_removed) == ({PDF_B}, {PDF_A})
    assert diff["6.2"].kind is DiffKind.CHANGED
    assert diff["6.2"].changed_fields == ("status", "narrative")
    assert [(w.op, w.text) for w in diff["6.2"].narrative_words] == [
        ("equal", "High-security seals at "),
        ("delete", "the main"),
        ("insert", "every"),
        ("equal", " plant."),
    ]
    assert diff["9.1"].kind is DiffKind.CHANGED
    assert diff["9.1"].changed_fields == ("not_applicable_reason",)
    assert diff["9.1"].narrative_words == ()
    assert diff["4.8"].kind is DiffKind.ADDED
    assert diff["4.8"].old is None
    assert diff["12.1"].kind is DiffKind.REMOVED
    assert diff["12.1"].new is None
    assert diff_counts(diff.values()) == {
        DiffKind.ADDED: 1,
        DiffKind.REMOVED: 1,
        DiffKind.CHANGED: 2,
        DiffKind.EVIDENCE_REPLACED: 1,
        DiffKind.UNCHANGED: 2,
    }


def test_a_changed_answer_also_lists_its_evidence_changes() -> None:
    old = [AnswerSnapshot("2.3", "partly", "Reviewed when needed.", evidence=frozenset({PDF_A}))]
    new = [AnswerSnapshot("2.3", "implemented", "Reviewed when needed.", evidence=frozenset({PDF_A, PDF_B}))]
    (only,) = profile_diff(old, new)
    assert only.kind is DiffKind.CHANGED
    assert only.evidence_changed
    assert only.evidence_added == {PDF_B}


def test_surrounding_spaces_are_no_change_and_identical_profiles_are_all_unchanged() -> None:
    answers = [AnswerSnapshot("1.1", "implemented", "Text."), AnswerSnapshot("1.2", "", "")]
    padded = [AnswerSnapshot("1.1", "implemented", "  Text. "), AnswerSnapshot("1.2", "", "")]
    assert {d.kind for d in profile_diff(answers, padded)} == {DiffKind.UNCHANGED}
    assert profile_diff([], []) == []


def test_criteria_sort_by_number_not_text() -> None:
    assert sorted(["3.10", "3.9", "12.1", "3.4"], key=criterion_sort_key) == ["3.4", "3.9", "3.10", "12.1"]


words = st.text(alphabet=st.sampled_from("ab \n"), max_size=30)


@given(old=words, new=words)
def test_the_word_diff_rebuilds_both_texts(old: str, new: str) -> None:
    changes = word_diff(old, new)
    assert "".join(c.text for c in changes if c.op != "insert") == old
    assert "".join(c.text for c in changes if c.op != "delete") == new
    assert all(a.op != b.op for a, b in itertools.pairwise(changes))  # merged runs


def test_an_unchanged_narrative_is_one_equal_piece() -> None:
    assert word_diff("Same words.", "Same words.") == (WordChange("equal", "Same words."),)


# --- The review's transitions -----------------------------------------------------------------


def test_the_review_goes_open_submitted_returned_submitted_accepted() -> None:
    facts = {"profile_complete": True, "risk_assessment_written": True}
    state: ReviewState | None = None
    steps = [
        ("open", Actor.SYSTEM, {}),
        ("submit", Actor.COMPANY_OFFICER, facts),
        ("return", Actor.SPECIALIST, {"reason": "Attach the new seal procedure."}),
        ("submit", Actor.COMPANY_OFFICER, facts),
        ("accept", Actor.SUPERVISOR, {}),
    ]
    for name, actor, step_facts in steps:
        state = check_review_transition(name, current=state, actor=actor, facts=step_facts).target
    assert state is ReviewState.ACCEPTED


def test_every_reason_a_step_is_refused_is_given() -> None:
    with pytest.raises(TransitionError) as refused:
        check_review_transition("submit", current=ReviewState.ACCEPTED, actor=Actor.SPECIALIST, facts={})
    assert len(refused.value.reasons) == 4  # state, actor, incomplete profile, no risk assessment


@pytest.mark.parametrize(
    ("name", "current", "actor", "facts"),
    [
        ("open", ReviewState.OPEN, Actor.SYSTEM, {}),  # opened once
        ("open", None, Actor.COMPANY_OFFICER, {}),  # the window opens by the calendar, not a person
        ("accept", ReviewState.OPEN, Actor.SPECIALIST, {}),  # nothing submitted yet
        ("accept", ReviewState.SUBMITTED, Actor.COMPANY_OFFICER, {}),
        ("return", ReviewState.SUBMITTED, Actor.SPECIALIST, {"reason": "  "}),
        ("miss", ReviewState.SUBMITTED, Actor.SYSTEM, {"window_missed": True}),
        ("miss", ReviewState.OPEN, Actor.SYSTEM, {"window_missed": False}),
        ("miss", ReviewState.OPEN, Actor.SYSTEM, {"window_missed": True, "already_missed": True}),
        ("withdraw", ReviewState.OPEN, Actor.COMPANY_OFFICER, {}),
    ],
)
def test_steps_that_are_refused(
    name: str, current: ReviewState | None, actor: Actor, facts: dict[str, object]
) -> None:
    with pytest.raises(TransitionError):
        check_review_transition(name, current=current, actor=actor, facts=facts)


def test_a_missed_window_is_recorded_without_moving_the_review() -> None:
    miss = check_review_transition(
        "miss", current=ReviewState.RETURNED, actor=Actor.SYSTEM, facts={"window_missed": True}
    )
    assert miss.target is None
    events = [ReviewEventFacts("open", at(2025, 1, 1)), ReviewEventFacts("miss", at(2025, 4, 2))]
    assert review_state(events) is ReviewState.OPEN
    assert review_state([]) is None


def test_the_state_follows_the_events_in_time_order() -> None:
    events = [
        ReviewEventFacts("accept", at(2025, 3, 1)),
        ReviewEventFacts("open", at(2025, 1, 1)),
        ReviewEventFacts("submit", at(2025, 2, 1)),
    ]
    assert review_state(events) is ReviewState.ACCEPTED


def test_the_specialist_is_offered_accept_and_return_on_a_submitted_review() -> None:
    offered = {t.name for t in available_review_transitions(ReviewState.SUBMITTED, Actor.SPECIALIST)}
    assert offered == {"accept", "return"}
    assert available_review_transitions(ReviewState.SUBMITTED, Actor.COMPANY_OFFICER) == []


# --- Window dates --------------------------------------------------------------------------------


def test_a_leap_day_members_anniversaries() -> None:
    leap = date(2024, 2, 29)
    assert [anniversary(leap, n) for n in (1, 2, 3, 4, 8)] == [
        date(2025, 2, 28),
        date(2026, 2, 28),
        date(2027, 2, 28),
        date(2028, 2, 29),
        date(2032, 2, 29),
    ]
    with pytest.raises(ValueError, match="cycle 1"):
        anniversary(leap, 0)


def test_the_window_opens_ninety_days_before_the_anniversary() -> None:
    window = annual_window(date(2024, 6, 30), 1, window_days=90)
    assert (window.opens_on, window.anniversary) == (date(2025, 4, 1), date(2025, 6, 30))
    assert window.is_open(date(2025, 4, 1))
    assert window.is_open(date(2025, 6, 30))
    assert not window.is_open(date(2025, 3, 31))
    assert not window.is_open(date(2025, 7, 1))


@pytest.mark.parametrize("days", [0, 365, -5])
def test_a_window_as_long_as_a_year_or_empty_is_refused(days: int) -> None:
    with pytest.raises(ValueError, match="1 to 364"):
        check_window_days(days)


certified_days = st.dates(min_value=date(2000, 1, 1), max_value=date(2060, 12, 31))
window_lengths = st.integers(min_value=1, max_value=364)


@given(certified=certified_days, cycle=st.integers(min_value=1, max_value=30), days=window_lengths)
def test_every_anniversary_keeps_the_month_and_day(certified: date, cycle: int, days: int) -> None:
    window = annual_window(certified, cycle, window_days=days)
    assert window.anniversary.year == certified.year + cycle
    assert window.anniversary.month == certified.month
    leap_day_in_common_year = (certified.month, certified.day) == (2, 29) and window.anniversary.day == 28
    assert window.anniversary.day == certified.day or leap_day_in_common_year
    assert (window.anniversary - window.opens_on).days == days


@given(certified=certified_days, offset=st.integers(min_value=0, max_value=3000), days=window_lengths)
def test_the_latest_opened_window_is_the_last_one_to_have_opened(
    certified: date, offset: int, days: int
) -> None:
    today = certified + timedelta(days=offset)
    window = latest_opened_window(certified, today, window_days=days)
    if window is None:
        assert annual_window(certified, 1, window_days=days).opens_on > today
        return
    assert window.opens_on <= today
    assert annual_window(certified, window.cycle + 1, window_days=days).opens_on > today
    coming = next_window(certified, today, window_days=days)
    assert coming.anniversary >= today
    assert coming.cycle in {window.cycle, window.cycle + 1}


@given(
    moment=st.datetimes(
        min_value=datetime(2001, 1, 1), max_value=datetime(2060, 1, 1), timezones=st.just(UTC)
    )
)
def test_the_certification_day_is_the_day_where_the_program_keeps_its_dates(moment: datetime) -> None:
    for zone in ZONES:
        day = certification_date(moment, zone)
        start = datetime.combine(day, datetime.min.time(), tzinfo=zone)
        assert start <= moment < start + timedelta(days=1, hours=1)  # one hour of slack for DST days


def test_a_late_evening_leap_day_certification_in_new_york() -> None:
    # 03:00 UTC on 29 February is 22:00 on 28 February in New York.
    assert certification_date(at(2024, 2, 29, 3), NEW_YORK) == date(2024, 2, 28)
    assert certification_date(at(2024, 2, 29, 12), NEW_YORK) == date(2024, 2, 29)
    assert anniversary(certification_date(at(2024, 2, 29, 3), NEW_YORK), 4) == date(2028, 2, 28)


@given(
    certified=certified_days,
    cycle=st.integers(min_value=1, max_value=10),
    zone=st.sampled_from(ZONES),
)
def test_a_submission_on_the_anniversary_is_in_time_in_every_time_zone(
    certified: date, cycle: int, zone: ZoneInfo
) -> None:
    window = annual_window(certified, cycle, window_days=90)
    closes = window.closes_at(zone)
    last_moment = closes - timedelta(microseconds=1)
    assert last_moment.astimezone(zone).date() == window.anniversary
    assert not window_missed(closes, [last_moment], closes)
    assert window_missed(closes, [closes], closes)
    assert window_missed(closes, [], closes)
    assert not window_missed(closes, [], last_moment)  # not closed yet
    assert window.opens_at(zone).astimezone(zone).date() == window.opens_on


# --- The partner's deadline per cycle -----------------------------------------------------------


def test_the_latest_window_is_owed_until_the_partner_submits() -> None:
    certified = datetime(2024, 3, 15, 15, tzinfo=UTC)
    inside = datetime(2025, 2, 1, 12, tzinfo=UTC)
    (clock,) = annual_review_clocks(certified, {}, now=inside, tz=NEW_YORK, window_days=90)
    assert clock.cycle == 1
    assert clock.due == datetime(2025, 3, 16, tzinfo=NEW_YORK)
    assert not clock.missed
    submitted = {
        1: [ReviewEventFacts("open", inside), ReviewEventFacts("submit", inside + timedelta(days=1))]
    }
    assert (
        annual_review_clocks(
            certified, submitted, now=inside + timedelta(days=2), tz=NEW_YORK, window_days=90
        )
        == []
    )


def test_a_window_that_closed_unsubmitted_is_missed_and_a_returned_review_stays_owed() -> None:
    certified = datetime(2024, 3, 15, 15, tzinfo=UTC)
    after = datetime(2025, 4, 1, tzinfo=UTC)
    (clock,) = annual_review_clocks(certified, {}, now=after, tz=NEW_YORK, window_days=90)
    assert clock.missed
    returned = {
        1: [
            ReviewEventFacts("open", datetime(2025, 1, 1, tzinfo=UTC)),
            ReviewEventFacts("submit", datetime(2025, 3, 1, tzinfo=UTC)),
            ReviewEventFacts("return", datetime(2025, 3, 20, tzinfo=UTC)),
        ]
    }
    much_later = datetime(2026, 1, 1, tzinfo=UTC)  # the second window is open too
    clocks = annual_review_clocks(certified, returned, now=much_later, tz=NEW_YORK, window_days=90)
    assert [(c.cycle, c.missed) for c in clocks] == [(1, False), (2, False)]
    assert annual_review_clocks(None, {}, now=much_later, tz=NEW_YORK, window_days=90) == []


# --- The missed window's consequence ------------------------------------------------------------


@pytest.mark.parametrize(
    ("policy", "status", "corrective"),
    [
        (MissedConsequence.WARNING, PartnerStatus.CERTIFIED, False),
        (MissedConsequence.WARNING, PartnerStatus.VALIDATED, False),
        (MissedConsequence.CORRECTIVE_ACTION, PartnerStatus.CERTIFIED, True),
        (MissedConsequence.CORRECTIVE_ACTION, PartnerStatus.VALIDATED, True),
        (MissedConsequence.CORRECTIVE_ACTION, PartnerStatus.CORRECTIVE_ACTION, False),  # already there
        (MissedConsequence.CORRECTIVE_ACTION, PartnerStatus.SUSPENDED, False),
    ],
)
def test_the_missed_window_consequence(
    policy: MissedConsequence, status: PartnerStatus, corrective: bool
) -> None:
    steps = missed_window_steps(policy, status)
    assert steps.notify_officers
    assert steps.notify_specialist
    assert steps.require_corrective_action is corrective


# --- Full revalidation ----------------------------------------------------------------------------


def test_the_full_revalidation_is_due_four_years_after_the_last_validation() -> None:
    events = [
        LifecycleEvent("certify", at(2020, 1, 10)),
        LifecycleEvent("validate", at(2020, 11, 3)),
        LifecycleEvent("validate", at(2024, 2, 29, 14)),
    ]
    clock = full_revalidation_due(events, years=4)
    assert clock is not None
    assert (clock.last_validated, clock.due) == (at(2024, 2, 29, 14), at(2028, 2, 29, 14))
    assert clock.days_left(at(2028, 2, 28, 14)) == 1
    assert full_revalidation_due(events, years=3) == full_revalidation_due(events, years=3)
    assert full_revalidation_due(events, years=3).due == at(2027, 2, 28, 14)  # type: ignore[union-attr]


def test_no_full_revalidation_before_a_validation_or_while_suspended() -> None:
    certified = [LifecycleEvent("certify", at(2022, 1, 1))]
    assert full_revalidation_due(certified, years=4) is None
    suspended = [
        *certified,
        LifecycleEvent("validate", at(2022, 6, 1)),
        LifecycleEvent("suspend", at(2023, 1, 1)),
    ]
    assert full_revalidation_due(suspended, years=4) is None
    reinstated = [*suspended, LifecycleEvent("reinstate", at(2023, 5, 1))]
    assert full_revalidation_due(reinstated, years=4).due == at(2026, 6, 1)  # type: ignore[union-attr]
    restored = [*suspended, LifecycleEvent("restore", at(2023, 5, 1))]
    assert full_revalidation_due(restored, years=4) == full_revalidation_due(reinstated, years=4)
    removed = [*reinstated, LifecycleEvent("remove", at(2024, 1, 1))]
    assert full_revalidation_due(removed, years=4) is None


# --- Improvement actions --------------------------------------------------------------------------


def test_an_open_actions_due_date_comes_from_its_events() -> None:
    recorded = ActionEvent("record", at(2025, 1, 1), date(2025, 3, 1))
    moved = ActionEvent("update", at(2025, 2, 1), date(2025, 4, 1))
    done = ActionEvent("done", at(2025, 3, 15))
    reopened = ActionEvent("reopen", at(2025, 3, 20))
    assert improvement_action_due([recorded]) == date(2025, 3, 1)
    assert improvement_action_due([moved, recorded]) == date(2025, 4, 1)
    assert improvement_action_due([recorded, moved, done]) is None
    assert improvement_action_due([recorded, moved, done, reopened]) == date(2025, 4, 1)
    assert improvement_action_due([]) is None
