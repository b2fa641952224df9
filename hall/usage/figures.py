"""The usage figures of a period (R-9.2), computed from what the hall records.

Nothing is typed in and nothing is stored:
  登录天数 days logged in  the days (local dates) on which the staff member
                           signed in: the login sessions org keeps (StaffSession,
                           one row per sign-in).
  办理件数 cases handled   the cases in whose history the staff member made at
                           least one status change in the period; 状态变更 the
                           number of those changes.
  every measure of hall.core.measures: a share `done / total`, among them this
  app's own two (registered in apps.py):
  当日录入 walk-ins entered the same day
                           walk-in cases whose applicant came in the period
                           (Case.submitted_at) and whose entry into the hall (the
                           first row of their history) is on the same local date.
                           The walk-in form records both at the moment the clerk
                           enters the case, so a case typed in while the
                           applicant is at the window counts; one entered from a
                           paper register later, with the day the applicant came,
                           does not.
  按时预审 online applications pre-reviewed in time
                           online cases submitted in the period whose first
                           answer from staff (a status change or an approver's
                           reply) came within 1 working day of the submission
                           day, on the working-day calendar. A case not answered
                           yet counts only once its day has passed (late, with no
                           one to charge but its department); before, it is not
                           due and not counted, nor is one the applicant
                           withdrew before anyone answered.

Each query is one grouped aggregate over the period, never a loop per clerk:
a year of a million cases is a few queries.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time

from django.db.models import Count, F, OuterRef, Q, Subquery
from django.db.models.functions import TruncDate
from django.utils import timezone

from hall.cases.constants import CaseStatus, Channel
from hall.cases.models import Case, ReviewMessage, StatusChange
from hall.core import measures
from hall.core.measures import Row
from hall.org.models import Staff, StaffSession, Window

from .constants import FIRST_YEAR, LAST_YEAR, PREREVIEW_WORKING_DAYS

_MONTH = re.compile(r"(?P<year>[0-9]{4})-(?P<month>[0-9]{2})")


# ---- months --------------------------------------------------------------------------


def parse_month(raw) -> date | None:
    """`YYYY-MM` (ASCII digits, years FIRST_YEAR..LAST_YEAR) as its first day, or None."""
    found = _MONTH.fullmatch(str(raw if raw is not None else "").strip())
    if found is None:
        return None
    year, month = int(found["year"]), int(found["month"])
    if not (FIRST_YEAR <= year <= LAST_YEAR and 1 <= month <= 12):
        return None
    return date(year, month, 1)


def add_months(month: date, n: int) -> date:
    index = month.year * 12 + month.month - 1 + n
    return date(index // 12, index % 12 + 1, 1)


def _bounds(start: date, end: date) -> tuple[datetime, datetime]:
    """The period [start, end) as aware datetimes at local midnight."""
    tz = timezone.get_current_timezone()
    return (
        timezone.make_aware(datetime.combine(start, time.min), tz),
        timezone.make_aware(datetime.combine(end, time.min), tz),
    )


# ---- shares and figures ------------------------------------------------------------------


@dataclass
class Share:
    done: int = 0
    total: int = 0

    def add(self, done: int, total: int) -> None:
        self.done += done
        self.total += total

    @property
    def rate(self) -> float | None:
        """done / total; None when nothing was due (no share, not 0 %)."""
        return self.done / self.total if self.total else None

    @property
    def percent(self) -> str:
        return "—" if self.rate is None else f"{self.rate * 100:.1f}%"


@dataclass
class Figures:
    """The figures of one staff member or one unit (window, department, center)."""

    login_days: int = 0
    cases: int = 0
    changes: int = 0
    shares: dict[str, Share] = field(default_factory=lambda: defaultdict(Share))

    def share(self, code: str) -> Share:
        return self.shares[code]

    def mean_rate(self, codes: Iterable[str]) -> float | None:
        """The plain average of the shares this unit has (those with something due)."""
        rates = [
            r for r in (self.shares[c].rate for c in codes if c in self.shares) if r is not None
        ]
        return sum(rates) / len(rates) if rates else None


@dataclass
class Usage:
    """The figures of one period at every grain: per staff member (account id),
    window, department and center. A unit's figures are the sum of what was
    recorded for it: for a window, its clerks' (by their current window) and
    the rows a measure gave the window itself."""

    start: date
    end: date
    staff: dict[int, Figures] = field(default_factory=lambda: defaultdict(Figures))
    window: dict[int, Figures] = field(default_factory=lambda: defaultdict(Figures))
    department: dict[int, Figures] = field(default_factory=lambda: defaultdict(Figures))
    center: dict[int, Figures] = field(default_factory=lambda: defaultdict(Figures))
    # the staff of a department who belong to no window (department admins…)
    no_window: dict[int, Figures] = field(default_factory=lambda: defaultdict(Figures))
    codes: list[str] = field(default_factory=list)


class _Places:
    """Where each account and window belongs now (one query each)."""

    def __init__(self):
        self.of_user = {
            user: (center, department, window)
            for user, center, department, window in Staff.objects.values_list(
                "user_id", "center_id", "department_id", "window_id"
            )
        }
        self.of_window = {
            pk: (center, department)
            for pk, department, center in Window.objects.values_list(
                "pk", "department_id", "department__center_id"
            )
        }

    def resolve(self, *, user=None, window=None, department=None, center=None):
        if user is not None and user in self.of_user:
            u_center, u_department, u_window = self.of_user[user]
            window = window if window is not None else u_window
            department = department if department is not None else u_department
            center = center if center is not None else u_center
        if window is not None and window in self.of_window:
            w_center, w_department = self.of_window[window]
            department = department if department is not None else w_department
            center = center if center is not None else w_center
        return center, department, window


def _targets(usage: Usage, places: _Places, **where) -> list[Figures]:
    center, department, window = places.resolve(**where)
    user = where.get("user")
    found = []
    if user is not None:
        found.append(usage.staff[user])
    if window is not None:
        found.append(usage.window[window])
    elif user is not None and department is not None:
        found.append(usage.no_window[department])
    if department is not None:
        found.append(usage.department[department])
    if center is not None:
        found.append(usage.center[center])
    return found


# ---- the counts -----------------------------------------------------------------------


def login_days(start: date, end: date):
    """(account id, days signed in) of the period."""
    lo, hi = _bounds(start, end)
    return (
        StaffSession.objects.filter(created_at__gte=lo, created_at__lt=hi)
        .values("user_id")
        .annotate(days=Count(TruncDate("created_at"), distinct=True))
        .values_list("user_id", "days")
    )


def cases_handled(start: date, end: date):
    """(account id, cases, status changes) made by staff in the period."""
    lo, hi = _bounds(start, end)
    return (
        StatusChange.objects.filter(
            at__gte=lo, at__lt=hi, by_applicant=False, actor_id__isnull=False
        )
        .values("actor_id")
        .annotate(cases=Count("case_id", distinct=True), changes=Count("id"))
        .values_list("actor_id", "cases", "changes")
    )


def walkins_same_day(*, start: date, end: date) -> list[Row]:
    """The measure `walkins_same_day`: per clerk who entered them (and the
    case's department and center), walk-ins of the period entered that day."""
    lo, hi = _bounds(start, end)
    # From the cases of the period (their submission index), each one's entry
    # row found by its case: far fewer rows read than scanning the history.
    entry = StatusChange.objects.filter(case=OuterRef("pk"), from_status="").order_by("at", "pk")
    grouped = (
        Case.objects.filter(channel=Channel.WALK_IN, submitted_at__gte=lo, submitted_at__lt=hi)
        .annotate(
            entered=Subquery(entry.values("at")[:1]), clerk=Subquery(entry.values("actor_id")[:1])
        )
        .filter(entered__isnull=False)
        .values("clerk", "department_id", "center_id")
        .annotate(
            total=Count("id"),
            done=Count("id", filter=Q(entered__date=F("submitted_at__date"))),
        )
        .order_by()
    )
    return [
        Row(
            center_id=g["center_id"],
            department_id=g["department_id"],
            staff_id=g["clerk"],
            done=g["done"],
            total=g["total"],
        )
        for g in grouped
    ]


def _first_answer(model, time_field: str, who_field: str, **where):
    qs = model.objects.filter(case=OuterRef("pk"), **where).order_by(time_field, "pk")
    return Subquery(qs.values(time_field)[:1]), Subquery(qs.values(who_field)[:1])


def prereview_in_time(*, start: date, end: date, today: date | None = None) -> list[Row]:
    """The measure `prereview_in_time`: per staff member who first answered
    them, online cases of the period answered within 1 working day; the cases
    nobody answered by their day count for their department only."""
    from hall.workdays.services import current_calendar

    calendar = current_calendar()
    today = today or timezone.localdate()
    lo, hi = _bounds(start, end)
    move_at, move_by = _first_answer(
        StatusChange, "at", "actor_id", by_applicant=False, from_status__gt=""
    )
    reply_at, reply_by = _first_answer(ReviewMessage, "created_at", "author_id")
    # Grouped by the local days, so the calendar is asked once per day, not per case.
    grouped = (
        Case.objects.filter(channel=Channel.ONLINE, submitted_at__gte=lo, submitted_at__lt=hi)
        .annotate(move_at=move_at, move_by=move_by, reply_at=reply_at, reply_by=reply_by)
        .values(
            "center_id",
            "department_id",
            "move_by",
            "reply_by",
            withdrawn=Q(status=CaseStatus.WITHDRAWN),
            day=TruncDate("submitted_at"),
            moved=TruncDate("move_at"),
            replied=TruncDate("reply_at"),
        )
        .annotate(n=Count("id"))
        .order_by()
    )
    due_of: dict[date, date] = {}
    sums: dict[tuple, list[int]] = defaultdict(lambda: [0, 0])
    for g in grouped:
        day = g["day"]
        due = due_of.get(day)
        if due is None:
            due = due_of[day] = calendar.add_working_days(day, PREREVIEW_WORKING_DAYS)
        answers = [a for a in ((g["moved"], g["move_by"]), (g["replied"], g["reply_by"])) if a[0]]
        if answers:
            answered, who = min(answers, key=lambda a: a[0])
            in_time = answered <= due
        elif g["withdrawn"] or due >= today:
            continue  # withdrawn unanswered, or still within its day: nothing due
        else:
            who, in_time = None, False
        key = (g["center_id"], g["department_id"], who)
        sums[key][0] += g["n"] if in_time else 0
        sums[key][1] += g["n"]
    return [
        Row(center_id=c, department_id=d, staff_id=who, done=done, total=total)
        for (c, d, who), (done, total) in sums.items()
    ]


# ---- the period ---------------------------------------------------------------------------


def usage_of(start: date, end: date) -> Usage:
    """Every figure of the period [start, end) at every grain."""
    usage = Usage(start=start, end=end)
    places = _Places()
    for user, days in login_days(start, end):
        for target in _targets(usage, places, user=user):
            target.login_days += days
    for user, cases, changes in cases_handled(start, end):
        for target in _targets(usage, places, user=user):
            target.cases += cases
            target.changes += changes
    for measure in measures.all_measures():
        usage.codes.append(measure.code)
        for row in measure.compute(start=start, end=end):
            for target in _targets(
                usage,
                places,
                user=row.staff_id,
                window=row.window_id,
                department=row.department_id,
                center=row.center_id,
            ):
                target.share(measure.code).add(row.done, row.total)
    return usage


def month_usage(month: date) -> Usage:
    return usage_of(month, add_months(month, 1))
