"""Working-day arithmetic: properties over generated calendars, checked against
a day-by-day reference implementation. No database."""

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hall.workdays.calendar import Deadline, WorkCalendar

ONE = timedelta(days=1)
YEARS = (2023, 2024, 2025)
FIRST, LAST = date(2023, 1, 1), date(2025, 12, 31)

days = st.dates(min_value=FIRST, max_value=LAST)


def to_weekend(d: date, sunday: bool) -> date:
    saturday = d + timedelta(days=(5 - d.weekday()) % 7)
    return saturday + ONE if sunday else saturday


def runs(draw, max_runs: int, max_len: int) -> set[date]:
    """Holidays come in runs (春节 is seven days): a few runs of consecutive days."""
    out = set()
    for start, length in draw(
        st.lists(st.tuples(days, st.integers(1, max_len)), max_size=max_runs)
    ):
        out.update(start + timedelta(days=i) for i in range(length))
    return {d for d in out if d <= LAST}


@st.composite
def raw_calendars(draw):
    """(holidays, workdays, known_years) as the holiday table could hold them:
    make-up workdays on weekends, never on a holiday's date; some years unknown."""
    holidays = runs(draw, 12, 8) | draw(st.sets(days, max_size=15))
    workdays = {
        to_weekend(d, sunday)
        for d, sunday in draw(st.lists(st.tuples(days, st.booleans()), max_size=20))
    }
    workdays = {d for d in workdays if d <= LAST} - holidays
    known = draw(st.frozensets(st.sampled_from(YEARS)))
    return frozenset(holidays), frozenset(workdays), known


def calendar_of(raw) -> WorkCalendar:
    holidays, workdays, known = raw
    return WorkCalendar(holidays=holidays, workdays=workdays, known_years=known)


@st.composite
def exclusions(draw, max_size=3):
    """Suspensions: inclusive (first, last) periods, possibly overlapping."""
    periods = draw(
        st.lists(
            st.tuples(st.dates(date(2022, 12, 1), LAST), st.integers(0, 30)), max_size=max_size
        )
    )
    return tuple((first, first + timedelta(days=length)) for first, length in periods)


starts = st.dates(min_value=date(2022, 12, 1), max_value=LAST)
periods = st.integers(min_value=0, max_value=60)


# --- the reference: one day at a time, straight from the rules -----------------------


def ref_is_workday(raw, d: date) -> bool:
    holidays, workdays, known = raw
    if d.year not in known:
        return d.weekday() < 5
    if d in workdays:
        return True
    return d.weekday() < 5 and d not in holidays


def excluded_day(excluded, d: date) -> bool:
    return any(first <= d <= last for first, last in excluded)


def ref_add(raw, start: date, n: int, excluded=()) -> date:
    d, counted = start, 0
    while counted < n:
        d += ONE
        if ref_is_workday(raw, d) and not excluded_day(excluded, d):
            counted += 1
    return d


def ref_between(raw, start: date, end: date, excluded=()) -> int:
    count, d = 0, start + ONE
    while d <= end:
        count += ref_is_workday(raw, d) and not excluded_day(excluded, d)
        d += ONE
    return count


# --- properties -------------------------------------------------------------------------


@settings(max_examples=300)
@given(raw_calendars(), starts, periods, exclusions())
def test_add_working_days_matches_the_day_by_day_rule(raw, start, n, excluded):
    cal = calendar_of(raw)
    assert cal.add_working_days(start, n, excluded=excluded) == ref_add(raw, start, n, excluded)


@settings(max_examples=300)
@given(raw_calendars(), starts, st.dates(date(2022, 11, 1), date(2026, 3, 1)), exclusions())
def test_working_days_between_matches_the_day_by_day_rule(raw, start, end, excluded):
    cal = calendar_of(raw)
    assert cal.working_days_between(start, end, excluded=excluded) == ref_between(
        raw, start, end, excluded
    )


@settings(max_examples=300)
@given(raw_calendars(), starts, periods, exclusions())
def test_working_days_between_is_the_inverse_of_add(raw, start, n, excluded):
    cal = calendar_of(raw)
    due = cal.add_working_days(start, n, excluded=excluded)
    assert cal.working_days_between(start, due, excluded=excluded) == n
    assert cal.remaining_working_days(start, due, excluded=excluded) == n


@given(raw_calendars(), starts, st.integers(1, 60), exclusions())
def test_due_date_is_a_working_day_outside_every_suspension(raw, start, n, excluded):
    cal = calendar_of(raw)
    due = cal.add_working_days(start, n, excluded=excluded)
    assert due > start
    assert cal.is_workday(due)
    assert ref_is_workday(raw, due)
    assert not excluded_day(excluded, due)


@given(raw_calendars(), starts, periods, exclusions())
def test_more_working_days_give_a_strictly_later_due_date(raw, start, n, excluded):
    cal = calendar_of(raw)
    assert cal.add_working_days(start, n, excluded=excluded) < cal.add_working_days(
        start, n + 1, excluded=excluded
    )


@given(raw_calendars(), starts, periods, exclusions(), exclusions(max_size=1))
def test_a_suspension_never_makes_the_due_date_earlier(raw, start, n, excluded, extra):
    cal = calendar_of(raw)
    before = cal.add_working_days(start, n, excluded=excluded)
    after = cal.add_working_days(start, n, excluded=excluded + extra)
    assert after >= before


@given(raw_calendars(), starts, st.integers(1, 60), st.data())
def test_a_holiday_inside_the_period_is_skipped(raw, start, n, data):
    holidays, workdays, known = raw
    cal = calendar_of(raw)
    due = cal.add_working_days(start, n)
    # A day that counted: a working weekday inside (start, due] of a known year.
    counted = [
        start + timedelta(days=i)
        for i in range(1, (due - start).days + 1)
        if (d := start + timedelta(days=i)).year in known
        and d.weekday() < 5
        and d not in workdays
        and cal.is_workday(d)
    ]
    if not counted:
        return
    day = data.draw(st.sampled_from(counted))
    later = WorkCalendar(holidays=holidays | {day}, workdays=workdays, known_years=known)
    assert not later.is_workday(day)
    assert later.add_working_days(start, n) > due
    assert later.add_working_days(start, n) == ref_add(
        (holidays | {day}, workdays, known), start, n
    )


@given(raw_calendars(), starts, st.integers(1, 60), st.data())
def test_a_make_up_workday_inside_the_period_is_counted(raw, start, n, data):
    holidays, workdays, known = raw
    cal = calendar_of(raw)
    due = cal.add_working_days(start, n)
    weekend_days = [
        d
        for i in range(1, (due - start).days)
        if (d := start + timedelta(days=i)).year in known
        and d.weekday() >= 5
        and not cal.is_workday(d)
    ]
    if not weekend_days:
        return
    day = data.draw(st.sampled_from(weekend_days))
    earlier = WorkCalendar(holidays=holidays, workdays=workdays | {day}, known_years=known)
    assert earlier.is_workday(day)
    assert earlier.add_working_days(start, n) < due
    assert earlier.working_days_between(start, day) == cal.working_days_between(start, day) + 1


@given(raw_calendars(), starts, periods, exclusions())
def test_deadline_is_provisional_exactly_when_it_touches_an_unknown_year(raw, start, n, excluded):
    cal = calendar_of(raw)
    result = cal.deadline(start, n, excluded=excluded)
    assert result.due == cal.add_working_days(start, n, excluded=excluded)
    touched = set(range(start.year, result.due.year + 1))
    assert result.provisional == (not touched <= raw[2])
    assert cal.is_provisional(result.due, start) == result.provisional


@given(raw_calendars(), starts, st.integers(0, 60), st.integers(0, 40), exclusions())
def test_remaining_working_days_counts_down_then_goes_negative(raw, start, n, late, excluded):
    cal = calendar_of(raw)
    due = cal.add_working_days(start, n, excluded=excluded)
    assert cal.remaining_working_days(due, due, excluded=excluded) == 0
    overdue_day = cal.add_working_days(due, late, excluded=excluded)
    assert cal.remaining_working_days(overdue_day, due, excluded=excluded) == -late


@given(raw_calendars())
def test_entries_of_an_unpublished_year_are_ignored(raw):
    holidays, workdays, known = raw
    cal = calendar_of(raw)
    for d in holidays | workdays:
        if d.year not in known:
            assert cal.is_workday(d) == (d.weekday() < 5)


# --- plain cases --------------------------------------------------------------------------

WEEKENDS_ONLY = WorkCalendar()


def test_weekends_only_rules():
    friday = date(2031, 9, 26)
    assert WEEKENDS_ONLY.add_working_days(friday, 0) == friday
    assert WEEKENDS_ONLY.add_working_days(friday, 1) == date(2031, 9, 29)
    assert WEEKENDS_ONLY.add_working_days(friday, 5) == date(2031, 10, 3)
    # Accepted on a Saturday (online): Monday is the first working day.
    assert WEEKENDS_ONLY.add_working_days(date(2031, 9, 27), 1) == date(2031, 9, 29)
    assert WEEKENDS_ONLY.working_days_between(friday, friday) == 0
    assert WEEKENDS_ONLY.working_days_between(friday, date(2031, 9, 1)) == 0
    assert WEEKENDS_ONLY.deadline(friday, 5) == Deadline(date(2031, 10, 3), provisional=True)


def test_suspension_pushes_the_due_date_by_its_working_days():
    monday = date(2031, 9, 1)
    assert WEEKENDS_ONLY.add_working_days(monday, 5) == date(2031, 9, 8)
    # Suspended Wednesday 3 to Tuesday 9 (5 working days: 3, 4, 5, 8, 9): counted are
    # Tue 2, Wed 10, Thu 11, Fri 12, Mon 15 → five working days later than without.
    excluded = ((date(2031, 9, 3), date(2031, 9, 9)),)
    assert WEEKENDS_ONLY.add_working_days(monday, 5, excluded=excluded) == date(2031, 9, 15)
    assert WEEKENDS_ONLY.working_days_between(monday, date(2031, 9, 15), excluded=excluded) == 5
    # Overlapping and reversed (empty) periods are harmless.
    messy = excluded + ((date(2031, 9, 5), date(2031, 9, 4)), (date(2031, 9, 8), date(2031, 9, 9)))
    assert WEEKENDS_ONLY.add_working_days(monday, 5, excluded=messy) == date(2031, 9, 15)


def test_a_listed_workday_wins_over_a_listed_holiday():
    saturday = date(2024, 10, 12)
    cal = WorkCalendar(holidays={saturday}, workdays={saturday}, known_years={2024})
    assert cal.is_workday(saturday)


def test_negative_periods_are_refused():
    with pytest.raises(ValueError):
        WEEKENDS_ONLY.add_working_days(date(2031, 1, 1), -1)


def test_the_calendar_is_immutable_and_hashable():
    cal = WorkCalendar(holidays={date(2024, 10, 1)}, known_years={2024})
    with pytest.raises(AttributeError):
        cal.known_years = frozenset()
    assert cal == WorkCalendar(
        holidays=frozenset({date(2024, 10, 1)}), known_years=frozenset({2024})
    )
    assert hash(cal) == hash(WorkCalendar(holidays={date(2024, 10, 1)}, known_years={2024}))
