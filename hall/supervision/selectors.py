"""Every read of the supervision pages.

Due soon and overdue are computed here at read time from promised_due and the
working-day calendar; nothing about them is stored. Every query starts from
`supervised_cases` or `supervised_stats` (the day and month counters kept
with each case change), which apply the organisation scope (`scoped`).
"""

from __future__ import annotations

from calendar import monthrange
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from hall.cases import querynumbers
from hall.cases.constants import CaseStatus
from hall.cases.models import Case
from hall.cases.selectors import DueClock as Clock
from hall.cases.selectors import due_soon, overdue
from hall.catalogue.models import ServiceItem
from hall.core.permissions import scoped
from hall.org.models import Center, Department
from hall.org.selectors import centers_visible_to, departments_visible_to

from .constants import (
    DEFAULT_PERIOD_MONTHS,
    EXPORT_CHUNK,
    IN_PROGRESS,
    TREND_MONTHS,
)
from .models import CaseDayStat, CaseMonthStat

# ---- dates -----------------------------------------------------------------------


def add_months(day: date, months: int) -> date:
    """The same day `months` later (or earlier), clamped to the month's last day."""
    years, month0 = divmod(day.month - 1 + months, 12)
    year, month = day.year + years, month0 + 1
    return date(year, month, min(day.day, monthrange(year, month)[1]))


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


@dataclass(frozen=True)
class Period:
    """A statistics period: whole local days, both ends included."""

    start: date
    end: date

    @classmethod
    def last_months(cls, end: date, months: int = DEFAULT_PERIOD_MONTHS) -> Period:
        """`months` whole months ending on `end`, e.g. 16 Jan – 15 May for four."""
        return cls(add_months(end, -months) + timedelta(days=1), end)

    @classmethod
    def year_to_date(cls, end: date) -> Period:
        return cls(date(end.year, 1, 1), end)

    def bounds(self) -> tuple[datetime, datetime]:
        """[start, end) as aware datetimes: a range the timestamp indexes can use."""
        return _start_of(self.start), _start_of(self.end + timedelta(days=1))

    def split(self) -> tuple[Q | None, Q | None]:
        """(day rows, month rows) that together cover the period exactly: the
        whole calendar months inside it from the month rows, the days before
        and after them from the day rows. None where there is nothing to read."""
        # first and last whole month inside the period, by their first days
        first = self.start if self.start.day == 1 else add_months(self.start.replace(day=1), 1)
        ends_a_month = (self.end + timedelta(days=1)).day == 1
        last = add_months(self.end.replace(day=1), 0 if ends_a_month else -1)
        if first > last:
            return Q(day__gte=self.start, day__lte=self.end), None
        days = Q()
        if self.start < first:
            days |= Q(day__gte=self.start, day__lt=first)
        tail = add_months(last, 1)
        if tail <= self.end:
            days |= Q(day__gte=tail, day__lte=self.end)
        return (days or None), Q(month__gte=first, month__lte=last)

    def within(self, field: str) -> Q:
        start, end = self.bounds()
        return Q(**{f"{field}__gte": start, f"{field}__lt": end})


def on_time_rate(on_time: int, finished: int) -> float | None:
    """Per cent of the finished cases decided on or before the promised date."""
    return round(100 * on_time / finished, 1) if finished else None


# ---- scope ---------------------------------------------------------------------


def _narrowed(qs: QuerySet, user, center: Center | None, department: Department | None):
    """The organisation scope of `user`, then the drill-down center or department."""
    qs = scoped(qs, user)
    if center is not None:
        qs = qs.filter(center=center)
    if department is not None:
        qs = qs.filter(department=department)
    return qs


def supervised_cases(
    user, *, center: Center | None = None, department: Department | None = None
) -> QuerySet[Case]:
    """The cases `user` supervises, narrowed to a drill-down center or department."""
    return _narrowed(Case.objects.all(), user, center, department)


@dataclass(frozen=True)
class Stats:
    """The day and month statistics of the cases a user supervises."""

    days: QuerySet[CaseDayStat]
    months: QuerySet[CaseMonthStat]

    def parts(self, period: Period) -> list[QuerySet]:
        """Querysets whose rows together cover `period` exactly once."""
        day_rows, month_rows = period.split()
        out = []
        if day_rows is not None:
            out.append(self.days.filter(day_rows))
        if month_rows is not None:
            out.append(self.months.filter(month_rows))
        return out


def supervised_stats(
    user, *, center: Center | None = None, department: Department | None = None
) -> Stats:
    """The statistics of the cases `user` supervises, same scope and drill-down."""
    return Stats(
        _narrowed(CaseDayStat.objects.all(), user, center, department),
        _narrowed(CaseMonthStat.objects.all(), user, center, department),
    )


def center_in_scope(user, pk: int) -> Center | None:
    return centers_visible_to(user).filter(pk=pk).first()


def department_in_scope(user, pk: int) -> Department | None:
    return departments_visible_to(user).filter(pk=pk).first()


# ---- live counts and group tables -------------------------------------------------

LIVE = ("in_progress", "due_soon", "overdue", "suspended")
DONE = ("finished", "on_time", "late")
MEASURES = (*LIVE, *DONE)


def _live_measures(clock: Clock) -> dict:
    return {
        "in_progress": Count("pk"),
        "due_soon": Count("pk", filter=clock.due_soon),
        "overdue": Count("pk", filter=clock.overdue),
        "suspended": Count("pk", filter=Q(status=CaseStatus.SUSPENDED)),
    }


def _with_rate(row: dict) -> dict:
    row["rate"] = on_time_rate(row["on_time"], row["finished"])
    return row


@dataclass
class Overview:
    """The measures in total and per center, department, item and clerk."""

    totals: dict
    centers: dict[int, dict]
    departments: dict[int, dict]
    items: dict[int, dict]
    clerks: dict[int | None, dict]


def _zero() -> dict:
    return dict.fromkeys(MEASURES, 0)


def overview(qs: QuerySet[Case], stats: Stats, clock: Clock, period: Period) -> Overview:
    """Live counts and every group table from a few grouped queries.

    The live measures come from the cases in progress (a small share of all
    cases, found by the status index), grouped by (center, department, item,
    clerk); the finished ones of the period from the statistics rows, grouped
    the same way. Either gives a few thousand rows at most, whatever the
    number of cases, and the four tables and the totals are rolled up from
    them in Python.
    """
    live = (
        qs.filter(status__in=IN_PROGRESS)
        .values_list("center_id", "department_id", "item_id", "handled_by_id")
        .annotate(**_live_measures(clock))
        .order_by()
    )
    done = [
        part.filter(finished__gt=0)
        .values_list("center_id", "department_id", "item_id", "clerk")
        .annotate(**{m: Sum(m) for m in DONE})
        .order_by()
        for part in stats.parts(period)
    ]
    o = Overview(_zero(), {}, {}, {}, {})
    for rows, names in ((live, LIVE), *((part, DONE) for part in done)):
        for center, department, item, clerk, *values in rows:
            targets = (
                o.totals,
                o.centers.setdefault(center, _zero()),
                o.departments.setdefault(department, _zero()),
                o.items.setdefault(item, _zero()),
                o.clerks.setdefault(clerk or None, _zero()),
            )
            for target in targets:
                for name, value in zip(names, values, strict=True):
                    target[name] += value
    for table in (o.centers, o.departments, o.items, o.clerks):
        for counts in table.values():
            _with_rate(counts)
    _with_rate(o.totals)
    return o


def _worst_first(row: dict):
    return (-row["overdue"], -row["due_soon"], -row["in_progress"], -row["finished"])


def group_rows(o: Overview, group: str, *, limit: int | None = None) -> list[dict]:
    """The rows of one group table, the most pressing first (overdue, then due
    soon, then workload), each with the names it is shown with."""
    if group == "departments":
        counts = o.departments
        names = {
            d["pk"]: {"department__name": d["name"], "center__short_name": d["center__short_name"]}
            for d in Department.objects.filter(pk__in=counts).values(
                "pk", "name", "center__short_name"
            )
        }
        key = "department_id"
    elif group == "items":
        counts = o.items
        names = {
            i["pk"]: {
                "item__code": i["code"],
                "item__name": i["name"],
                "department__name": i["department__name"],
            }
            for i in ServiceItem.objects.filter(pk__in=counts).values(
                "pk", "code", "name", "department__name"
            )
        }
        key = "item_id"
    elif group == "clerks":
        counts = o.clerks
        users = get_user_model().objects.filter(pk__in=[k for k in counts if k is not None])
        names = {
            u["pk"]: {
                "handled_by__full_name": u["full_name"],
                "handled_by__username": u["username"],
            }
            for u in users.values("pk", "full_name", "username")
        }
        names[None] = {"handled_by__full_name": "", "handled_by__username": ""}
        key = "handled_by_id"
    else:
        raise ValueError(group)
    rows = [{key: pk, **names.get(pk, {}), **c} for pk, c in counts.items() if pk in names]
    rows.sort(key=lambda r: (*_worst_first(r), str(r[key])))
    return rows[:limit] if limit is not None else rows


def center_rows(
    user,
    o: Overview,
    *,
    center: Center | None = None,
    department: Department | None = None,
) -> list[dict]:
    """Every center in scope (the city: itself and its counties; a county: itself),
    zeros included, in the tree's order."""
    centers = centers_visible_to(user)
    if center is not None:
        centers = centers.filter(pk=center.pk)
    if department is not None:
        centers = centers.filter(pk=department.center_id)
    return [
        {"center": c, **o.centers.get(c.pk, _with_rate(_zero()))}
        for c in centers.order_by("sort_order", "region_code")
    ]


# ---- the yellow and red lists -------------------------------------------------------

LIST_FIELDS = (
    "pk",
    "query_number",
    "item__name",
    "department__name",
    "center__short_name",
    "handled_by__full_name",
    "handled_by__username",
    "accepted_at",
    "promised_due",
)


def due_soon_cases(qs: QuerySet[Case], clock: Clock) -> QuerySet[Case]:
    return due_soon(qs, clock)


def overdue_cases(qs: QuerySet[Case], clock: Clock) -> QuerySet[Case]:
    return overdue(qs, clock)


@dataclass(frozen=True)
class ListedCase:
    pk: int
    number: str
    item: str
    department: str
    center: str
    clerk: str
    accepted_at: datetime | None
    promised_due: date
    # Working days left (due soon) or past (overdue) the promised date.
    days: int


def iter_listed(
    qs: QuerySet[Case], calendar, today: date, *, overdue: bool, limit: int | None = None
) -> Iterator[ListedCase]:
    rows = qs.values_list(*LIST_FIELDS)
    if limit is not None:
        rows = rows[:limit]
    for pk, number, item, dept, center, full_name, username, accepted_at, due in rows.iterator(
        chunk_size=EXPORT_CHUNK
    ):
        days = (
            calendar.working_days_between(due, today)
            if overdue
            else calendar.working_days_between(today, due)
        )
        yield ListedCase(
            pk,
            querynumbers.display(number),
            item,
            dept,
            center,
            full_name or username or "",
            accepted_at,
            due,
            days,
        )


# ---- the cases of a period ------------------------------------------------------------

PERIOD_CASE_FIELDS = (
    "query_number",
    "item_id",
    "department_id",
    "center_id",
    "handled_by_id",
    "channel",
    "status",
    "accepted_at",
    "promised_due",
    "decided_at",
    "completed_at",
)


@dataclass
class PeriodCase:
    number: str
    item_code: str
    item: str
    department: str
    center: str
    clerk: str
    channel: str
    status: str
    accepted_at: datetime | None
    promised_due: date | None
    decided_at: datetime | None
    completed_at: datetime | None


def period_cases(qs: QuerySet[Case], period: Period) -> Iterator[PeriodCase]:
    """Every case accepted, decided or completed in the period, oldest first,
    fetched in chunks (a server-side cursor on PostgreSQL) without joins: the
    names come from small maps read once. An export of a million rows never
    holds them all."""
    items = {
        pk: (code, name)
        for pk, code, name in ServiceItem.objects.values_list("pk", "code", "name").iterator()
    }
    departments = dict(Department.objects.values_list("pk", "name"))
    centers = dict(Center.objects.values_list("pk", "short_name"))
    clerks: dict[int, str] = {}
    touched = period.within("accepted_at") | period.within("decided_at")
    touched |= period.within("completed_at")
    rows = qs.filter(touched).order_by("pk").values_list(*PERIOD_CASE_FIELDS)
    for number, item, dept, center, clerk, *rest in rows.iterator(chunk_size=EXPORT_CHUNK):
        if clerk is not None and clerk not in clerks:
            user = get_user_model().objects.filter(pk=clerk).values("full_name", "username")
            clerks[clerk] = next((u["full_name"] or u["username"] for u in user), "")
        code, name = items.get(item, ("", ""))
        yield PeriodCase(
            querynumbers.display(number),
            code,
            name,
            departments.get(dept, ""),
            centers.get(center, ""),
            clerks.get(clerk, "") if clerk is not None else "",
            *rest,
        )


# ---- period statistics --------------------------------------------------------------

PERIOD_COUNTERS = ("accepted", "approved", "rejected", "not_accepted", "completed", *DONE)


def period_stats(stats: Stats, period: Period) -> dict:
    """The figures of a period from the statistics rows ("how many approved in
    these four months"): accepted, approved, rejected, not accepted,
    completed, decided on time and late, the on-time rate and the average
    working days from acceptance to decision."""
    names = (*PERIOD_COUNTERS, "working_days")
    totals = dict.fromkeys(names, 0)
    for part in stats.parts(period):
        sums = part.aggregate(**{c: Sum(c) for c in names})
        for c in names:
            totals[c] += sums[c] or 0
    figures = {c: totals[c] for c in PERIOD_COUNTERS}
    _with_rate(figures)
    finished = figures["finished"]
    figures["average_days"] = round(totals["working_days"] / finished, 1) if finished else None
    return figures


# ---- trend ----------------------------------------------------------------------


def monthly_trend(stats: Stats, today: date, months: int = TREND_MONTHS) -> list[dict]:
    """Cases accepted and cases decided (approved or rejected) per month, the
    current month last, from the month rows."""
    this_month = today.replace(day=1)
    firsts = [add_months(this_month, -n) for n in range(months - 1, -1, -1)]
    per_month = {first: {"month": first, "accepted": 0, "decided": 0} for first in firsts}
    rows = (
        stats.months.filter(month__gte=firsts[0], month__lte=this_month)
        .values_list("month")
        .annotate(accepted=Sum("accepted"), decided=Sum("finished"))
        .order_by()
    )
    for month, accepted, decided in rows:
        per_month[month]["accepted"] += accepted
        per_month[month]["decided"] += decided
    return list(per_month.values())
