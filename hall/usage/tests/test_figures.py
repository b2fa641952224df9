"""The figures of the known month (tests/conftest.py), worked out by hand."""

from datetime import date

from hall.core import measures
from hall.usage.constants import PREREVIEW_IN_TIME, WALKINS_SAME_DAY
from hall.usage.figures import month_usage, parse_month, prereview_in_time, walkins_same_day

from .conftest import MONTH


def shares(figures, code):
    s = figures.shares.get(code)
    return (s.done, s.total) if s else None


def test_days_logged_in_count_local_dates_once(month):
    usage = month_usage(MONTH)
    # a: 1 Sep (twice), 2 Sep, 30 Sep 23:30; not 31 Aug 23:59 nor 1 Oct 00:10
    assert usage.staff[month.a.pk].login_days == 3
    assert usage.staff[month.b.pk].login_days == 1
    assert usage.window[month.window.pk].login_days == 4
    assert usage.no_window[month.window.department_id].login_days == 1  # the admin
    assert usage.department[month.window.department_id].login_days == 5


def test_cases_handled_are_the_staff_status_changes_of_the_month(month):
    usage = month_usage(MONTH)
    a, b = usage.staff[month.a.pk], usage.staff[month.b.pk]
    # a: w1, w2, o1 (accepted and approved), o2; the reply to o5 is not a status change
    assert (a.cases, a.changes) == (4, 5)
    # b: w3; o3 and o4 were answered in October
    assert (b.cases, b.changes) == (1, 1)
    w = usage.window[month.window.pk]
    assert (w.cases, w.changes) == (5, 6)


def test_a_walk_in_entered_the_next_day_does_not_count(month):
    usage = month_usage(MONTH)
    assert shares(usage.staff[month.a.pk], WALKINS_SAME_DAY) == (1, 2)  # w2 the next morning
    assert shares(usage.staff[month.b.pk], WALKINS_SAME_DAY) == (1, 1)
    assert shares(usage.window[month.window.pk], WALKINS_SAME_DAY) == (2, 3)


def test_pre_review_over_a_weekend_and_over_a_holiday(month):
    usage = month_usage(MONTH)
    # a: o1 on Monday after a Friday ✓, o2 on Tuesday ✗, o5 replied the next day ✓
    assert shares(usage.staff[month.a.pk], PREREVIEW_IN_TIME) == (2, 3)
    # b: o3 on Monday 6 Oct after 国庆 and the weekend ✓, o4 on Tuesday 7 Oct ✗
    assert shares(usage.staff[month.b.pk], PREREVIEW_IN_TIME) == (1, 2)
    assert shares(usage.window[month.window.pk], PREREVIEW_IN_TIME) == (3, 5)
    # the department also carries o6, never answered; o7 was withdrawn unanswered
    assert shares(usage.department[month.window.department_id], PREREVIEW_IN_TIME) == (3, 6)


def test_an_unanswered_application_is_not_due_before_its_day(month):
    # Seen on 12 September, o6 and o7 (submitted that day) are not due yet.
    rows = prereview_in_time(start=MONTH, end=date(2025, 10, 1), today=date(2025, 9, 12))
    assert sum(r.total for r in rows if r.staff_id is None) == 0
    rows = prereview_in_time(start=MONTH, end=date(2025, 10, 1), today=date(2025, 9, 16))
    assert sum(r.total for r in rows if r.staff_id is None) == 1


def test_a_measure_of_another_app_is_summed_at_every_grain(month, test_measure):
    usage = month_usage(MONTH)
    assert shares(usage.staff[month.a.pk], test_measure) == (1, 2)
    assert shares(usage.staff[month.b.pk], test_measure) is None
    assert shares(usage.window[month.window.pk], test_measure) == (2, 3)
    assert shares(usage.department[month.window.department_id], test_measure) == (2, 4)
    assert shares(usage.center[month.window.department.center_id], test_measure) == (2, 4)
    assert usage.codes == [WALKINS_SAME_DAY, PREREVIEW_IN_TIME, test_measure]


def test_both_shares_are_registered_for_the_assessment(month):
    found = {m.code: m for m in measures.all_measures()}
    assert found[WALKINS_SAME_DAY].compute is walkins_same_day
    assert found[PREREVIEW_IN_TIME].compute is prereview_in_time
    rows = measures.compute(WALKINS_SAME_DAY, start=MONTH, end=date(2025, 10, 1))
    assert sum(r.done for r in rows) == 2 and sum(r.total for r in rows) == 3
    # another month has none of them
    assert measures.compute(WALKINS_SAME_DAY, start=date(2025, 8, 1), end=MONTH) == []


def test_month_parsing():
    assert parse_month("2025-09") == date(2025, 9, 1)
    for bad in ("2025-13", "1900-01", "2025-9", "２０２５-09", "abc", "", None, "x" * 10_000):
        assert parse_month(bad) is None
