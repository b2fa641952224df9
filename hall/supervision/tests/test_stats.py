"""The day statistics kept beside the cases agree with the cases themselves."""

from datetime import date

import pytest
from django.db.models import Sum
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from hall.cases.constants import CaseStatus
from hall.cases.models import Case
from hall.cases.services import (
    Applicant,
    case_complete,
    case_resume,
    case_suspend,
    case_walk_in,
)
from hall.supervision import selectors
from hall.supervision.models import COUNTERS, CaseDayStat, CaseMonthStat
from hall.supervision.selectors import Period
from hall.supervision.services import stats_rebuild
from hall.workdays.services import current_calendar

from .conftest import accept_on, at, move_on


def _everything() -> selectors.Stats:
    return selectors.Stats(CaseDayStat.objects.all(), CaseMonthStat.objects.all())


def _table(model=CaseDayStat, period="day") -> dict:
    """Every counter per (day or month, item), clerks summed: what the rows say."""
    rows = (
        model.objects.values_list(period, "item_id")
        .annotate(**{c: Sum(c) for c in COUNTERS})
        .order_by(period, "item_id")
    )
    return {(when, item): tuple(values) for when, item, *values in rows}


def _months_of(days: dict) -> dict:
    months = {}
    for (day, item), values in days.items():
        key = (day.replace(day=1), item)
        months[key] = tuple(
            a + b for a, b in zip(months.get(key, (0,) * len(values)), values, strict=True)
        )
    return months


def _from_cases(period: Period, cases) -> dict:
    """The period figures counted straight from the cases, the slow way."""
    tz = timezone.get_current_timezone()

    def local(moment):
        return moment.astimezone(tz).date() if moment else None

    def inside(moment):
        day = local(moment)
        return day is not None and period.start <= day <= period.end

    calendar = current_calendar()
    decided = [c for c in cases if inside(c.decided_at)]
    finished = [
        c
        for c in decided
        if c.status in (CaseStatus.APPROVED, CaseStatus.COMPLETED, CaseStatus.REJECTED)
    ]
    on_time = sum(local(c.decided_at) <= c.promised_due for c in finished)
    days = sum(
        calendar.working_days_between(local(c.accepted_at), local(c.decided_at)) for c in finished
    )
    return {
        "accepted": sum(inside(c.accepted_at) for c in cases),
        "approved": sum(c.status in (CaseStatus.APPROVED, CaseStatus.COMPLETED) for c in decided),
        "rejected": sum(c.status == CaseStatus.REJECTED for c in decided),
        "not_accepted": sum(c.status == CaseStatus.NOT_ACCEPTED for c in decided),
        "completed": sum(inside(c.completed_at) for c in cases),
        "finished": len(finished),
        "on_time": on_time,
        "late": len(finished) - on_time,
        "average_days": round(days / len(finished), 1) if finished else None,
    }


@pytest.fixture
def lifecycle(scenario, make_case, online_item, user_named):
    """The supervision scenario, plus a completion, a resumed special
    procedure, a refusal at the window and a walk-in accepted on a Saturday."""
    clerk = user_named("scjg_clerk")
    with at(2032, 2, 6):
        case_complete(
            case=scenario["on_time"], actor=clerk, certificate_number="JY1", delivery="onsite"
        )
    with at(2032, 3, 1):
        case_resume(case=scenario["suspended"], actor=clerk)
    refused = make_case()
    move_on(refused, clerk, (2032, 2, 11), CaseStatus.NOT_ACCEPTED, reason="不属于本部门职权")
    resumed = accept_on(make_case(), clerk, (2032, 1, 12))
    with at(2032, 1, 13):
        case_suspend(case=resumed, actor=clerk, kind="hearing", reason="听证", expected_days=5)
    with at(2032, 1, 20):
        case_resume(case=resumed, actor=clerk)
    move_on(resumed, clerk, (2032, 1, 21), CaseStatus.APPROVED)
    with at(2032, 2, 28):  # a Saturday, at the window
        case_walk_in(
            item=online_item,
            applicant=Applicant(
                "person", "王五", "resident_id", "11010519491231002X", "13900002222"
            ),
            actor=clerk,
            received=[],
            originals=[],
            scans={},
            accept=True,
        )
    return scenario


def test_rows_kept_with_each_change_equal_a_rebuild_from_the_cases(lifecycle):
    kept = _table()
    assert kept, "the changes above wrote day rows"
    # a resumed special procedure is not a second acceptance
    assert (
        sum(v[COUNTERS.index("accepted")] for v in kept.values())
        == Case.objects.filter(accepted_at__isnull=False).count()
    )
    # the month rows are the day rows added up
    assert _table(CaseMonthStat, "month") == _months_of(kept)
    written = stats_rebuild()
    assert written == CaseDayStat.objects.count()
    assert _table() == kept
    assert _table(CaseMonthStat, "month") == _months_of(kept)


def test_period_figures_equal_counting_the_cases(lifecycle):
    cases = list(Case.objects.all())
    for period in (
        Period(date(2032, 1, 1), date(2032, 3, 4)),
        Period(date(2032, 2, 1), date(2032, 2, 29)),
        Period(date(2032, 2, 5), date(2032, 2, 5)),
        Period(date(2031, 1, 1), date(2031, 12, 31)),
    ):
        figures = selectors.period_stats(_everything(), period)
        expected = _from_cases(period, cases)
        assert {k: figures[k] for k in expected} == expected, period
    whole = selectors.period_stats(_everything(), Period(date(2032, 1, 1), date(2032, 3, 4)))
    # on time (approved 5 Feb) and late (rejected 20 Feb) and the resumed one
    assert (whole["finished"], whole["on_time"], whole["late"]) == (3, 2, 1)
    assert (whole["approved"], whole["rejected"], whole["not_accepted"]) == (2, 1, 1)
    assert whole["completed"] == 1


def test_a_failed_change_leaves_no_count(scenario, user_named, django_capture_on_commit_callbacks):
    """The counters are written inside the change's transaction: when a later step
    of the change fails after they ran, the count goes with it."""
    from hall.cases.services import CaseError, case_transition
    from hall.cases.signals import case_event

    before = _table()
    case = scenario["submitted"]
    counted_inside = []

    def fail_after_counting(sender, **kwargs):
        counted_inside.append(_table() != before)
        raise RuntimeError("a later side effect failed")

    case_event.connect(fail_after_counting, weak=False, dispatch_uid="test_fail_after_counting")
    try:
        clerk = user_named("scjg_clerk")
        with (
            django_capture_on_commit_callbacks(execute=True),
            at(2032, 3, 4),
            pytest.raises(CaseError),
        ):
            case_transition(case=case, to=CaseStatus.ACCEPTED, actor=clerk)
    finally:
        case_event.disconnect(dispatch_uid="test_fail_after_counting")
    assert counted_inside == [True]  # the acceptance was counted, in the transaction
    assert _table() == before  # and the failure took the count back with the change
    assert Case.objects.get(pk=case.pk).status == CaseStatus.SUBMITTED


def test_the_trend_sums_the_months(lifecycle):
    trend = selectors.monthly_trend(_everything(), date(2032, 3, 4), months=3)
    assert [r["month"] for r in trend] == [date(2032, 1, 1), date(2032, 2, 1), date(2032, 3, 1)]
    cases = list(Case.objects.all())
    for row in trend:
        month = Period(row["month"], selectors.add_months(row["month"], 1).replace(day=1))
        month = Period(month.start, date.fromordinal(month.end.toordinal() - 1))
        expected = _from_cases(month, cases)
        assert (row["accepted"], row["decided"]) == (expected["accepted"], expected["finished"])


def _ranges(q) -> list[dict]:
    """The lookups of each range in a Q of the split: one range, or an OR of two."""
    if q is None:
        return []
    if q.connector == "OR":
        return [dict(child.children) for child in q.children]
    return [dict(q.children)]


def _covered(period: Period) -> list[date]:
    """The days the split reads, each as often as it is read."""
    day_rows, month_rows = period.split()
    days = []
    for r in _ranges(day_rows):
        lo = r["day__gte"]
        hi = r.get("day__lte") or date.fromordinal(r["day__lt"].toordinal() - 1)
        days += [date.fromordinal(o) for o in range(lo.toordinal(), hi.toordinal() + 1)]
    for r in _ranges(month_rows):
        month = r["month__gte"]
        while month <= r["month__lte"]:
            following = selectors.add_months(month, 1)
            days += [date.fromordinal(o) for o in range(month.toordinal(), following.toordinal())]
            month = following
    return sorted(days)


@given(
    start=st.dates(min_value=date(2030, 1, 1), max_value=date(2033, 12, 31)),
    length=st.integers(min_value=0, max_value=800),
)
@settings(max_examples=300, deadline=None)
def test_the_split_reads_every_day_of_the_period_exactly_once(start, length):
    period = Period(start, date.fromordinal(start.toordinal() + length))
    expected = [date.fromordinal(o) for o in range(start.toordinal(), period.end.toordinal() + 1)]
    assert _covered(period) == expected


def test_whole_months_come_from_the_month_rows():
    day_rows, month_rows = Period(date(2032, 1, 1), date(2032, 4, 30)).split()
    assert day_rows is None and dict(month_rows.children) == {
        "month__gte": date(2032, 1, 1),
        "month__lte": date(2032, 4, 1),
    }
    day_rows, month_rows = Period(date(2032, 1, 16), date(2032, 2, 15)).split()
    assert month_rows is None


def test_the_command_recounts_only_what_is_missing_when_asked(lifecycle):
    from io import StringIO

    from django.core.management import call_command

    kept = _table()
    out = StringIO()
    call_command("rebuild_case_stats", "--if-missing", stdout=out)
    assert out.getvalue() == ""  # statistics exist: nothing done
    CaseDayStat.objects.all().delete()
    CaseMonthStat.objects.all().delete()
    call_command("rebuild_case_stats", "--if-missing", stdout=out)
    assert "day rows" in out.getvalue()
    assert _table() == kept
