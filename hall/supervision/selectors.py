"""Every read of the supervision pages.

Due soon and overdue are computed here at read time from promised_due and the
working-day calendar; nothing about them is stored. Every query starts from
`supervised_cases`, which applies the organisation scope (`scoped`).
"""

from __future__ import annotations

from calendar import monthrange
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone

from hall.cases import querynumbers
from hall.cases.constants import CaseStatus
from hall.cases.models import Case
from hall.catalogue.models import ServiceItem
from hall.core.permissions import scoped
from hall.org.models import Center, Department
from hall.org.selectors import centers_visible_to, departments_visible_to

from .constants import (
    APPROVED,
    DEFAULT_PERIOD_MONTHS,
    DUE_SOON_WORKING_DAYS,
    EXPORT_CHUNK,
    FINISHED,
    IN_PROGRESS,
    TREND_MONTHS,
)

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

    def within(self, field: str) -> Q:
        start, end = self.bounds()
        return Q(**{f"{field}__gte": start, f"{field}__lt": end})


@dataclass(frozen=True)
class Clock:
    """Today and the last date that still counts as due soon."""

    today: date
    due_soon_until: date

    @classmethod
    def at(cls, calendar, today: date) -> Clock:
        return cls(today, calendar.add_working_days(today, DUE_SOON_WORKING_DAYS))


def on_time_rate(on_time: int, finished: int) -> float | None:
    """Per cent of the finished cases decided on or before the promised date."""
    return round(100 * on_time / finished, 1) if finished else None


# ---- scope ---------------------------------------------------------------------


def supervised_cases(
    user, *, center: Center | None = None, department: Department | None = None
) -> QuerySet[Case]:
    """The cases `user` supervises, narrowed to a drill-down center or department."""
    qs = scoped(Case.objects.all(), user)
    if center is not None:
        qs = qs.filter(center=center)
    if department is not None:
        qs = qs.filter(department=department)
    return qs


def center_in_scope(user, pk: int) -> Center | None:
    return centers_visible_to(user).filter(pk=pk).first()


def department_in_scope(user, pk: int) -> Department | None:
    return departments_visible_to(user).filter(pk=pk).first()


# ---- live counts and group tables -------------------------------------------------

MEASURES = ("in_progress", "due_soon", "overdue", "suspended", "finished", "on_time", "late")


def _finished_in(period: Period) -> Q:
    return Q(status__in=FINISHED) & period.within("decided_at")


def _measures(clock: Clock, period: Period) -> dict:
    finished = _finished_in(period)
    running = Q(status=CaseStatus.ACCEPTED)
    return {
        "in_progress": Count("pk", filter=Q(status__in=IN_PROGRESS)),
        "due_soon": Count(
            "pk",
            filter=running
            & Q(promised_due__gte=clock.today, promised_due__lte=clock.due_soon_until),
        ),
        "overdue": Count("pk", filter=running & Q(promised_due__lt=clock.today)),
        "suspended": Count("pk", filter=Q(status=CaseStatus.SUSPENDED)),
        "finished": Count("pk", filter=finished),
        "on_time": Count("pk", filter=finished & Q(decided_at__date__lte=F("promised_due"))),
        "late": Count("pk", filter=finished & Q(decided_at__date__gt=F("promised_due"))),
    }


def _relevant(qs: QuerySet[Case], period: Period) -> QuerySet[Case]:
    """Only rows that count somewhere: in progress, or finished in the period."""
    return qs.filter(Q(status__in=IN_PROGRESS) | _finished_in(period))


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


def overview(qs: QuerySet[Case], clock: Clock, period: Period) -> Overview:
    """Live counts and every group table from ONE grouped query.

    The database groups by (center, department, item, clerk) — a few thousand
    combinations at most, whatever the number of cases — and the four tables
    and the totals are rolled up from those rows in Python. One scan of the
    cases instead of five.
    """
    rows = (
        _relevant(qs, period)
        .values("center_id", "department_id", "item_id", "handled_by_id")
        .annotate(**_measures(clock, period))
        .order_by()
    )
    o = Overview(_zero(), {}, {}, {}, {})
    for row in rows.iterator(chunk_size=EXPORT_CHUNK):
        targets = (
            o.totals,
            o.centers.setdefault(row["center_id"], _zero()),
            o.departments.setdefault(row["department_id"], _zero()),
            o.items.setdefault(row["item_id"], _zero()),
            o.clerks.setdefault(row["handled_by_id"], _zero()),
        )
        for target in targets:
            for m in MEASURES:
                target[m] += row[m]
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
    return qs.filter(
        status=CaseStatus.ACCEPTED,
        promised_due__gte=clock.today,
        promised_due__lte=clock.due_soon_until,
    ).order_by("promised_due", "pk")


def overdue_cases(qs: QuerySet[Case], clock: Clock) -> QuerySet[Case]:
    return qs.filter(status=CaseStatus.ACCEPTED, promised_due__lt=clock.today).order_by(
        "promised_due", "pk"
    )


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


# ---- period statistics --------------------------------------------------------------


def finished_counts(qs: QuerySet[Case], period: Period) -> dict:
    """Decisions (approved or rejected) of the period: all, on time, late."""
    finished = _finished_in(period)
    return _with_rate(
        qs.filter(finished).aggregate(
            finished=Count("pk"),
            on_time=Count("pk", filter=Q(decided_at__date__lte=F("promised_due"))),
            late=Count("pk", filter=Q(decided_at__date__gt=F("promised_due"))),
        )
    )


def period_stats(
    qs: QuerySet[Case], period: Period, calendar, *, finished: dict | None = None
) -> dict:
    """The figures of a period in one query ("how many approved in these four
    months"), plus the on-time rate and the average working days from
    acceptance to decision. `finished`: the period's finished, on_time and late
    counts when the caller has them already (the dashboard's overview)."""
    decided = period.within("decided_at")
    touched = period.within("accepted_at") | decided | period.within("completed_at")
    stats = qs.filter(touched).aggregate(
        accepted=Count("pk", filter=period.within("accepted_at")),
        approved=Count("pk", filter=decided & Q(status__in=APPROVED)),
        rejected=Count("pk", filter=decided & Q(status=CaseStatus.REJECTED)),
        not_accepted=Count("pk", filter=decided & Q(status=CaseStatus.NOT_ACCEPTED)),
        completed=Count("pk", filter=period.within("completed_at")),
    )
    if finished is None:
        finished = finished_counts(qs, period)
    stats.update({k: finished[k] for k in ("finished", "on_time", "late", "rate")})
    stats["average_days"] = average_working_days(
        qs.filter(_finished_in(period), accepted_at__isnull=False), calendar
    )
    return stats


def average_working_days(qs: QuerySet[Case], calendar) -> float | None:
    """Mean working days from acceptance to decision over every row of `qs`.

    All decided cases of the period, never a sample. It stays fast because only
    the two timestamps of each row are fetched (values_list, in chunks) and
    working_days_between is two rank look-ups: 100,000 rows take about half a
    second in Python (measured on SQLite), cheaper than having the database
    convert each timestamp to a local date.
    """
    tz = timezone.get_current_timezone()
    rows = qs.order_by().values_list("accepted_at", "decided_at")
    total = count = 0
    for accepted_at, decided_at in rows.iterator(chunk_size=EXPORT_CHUNK):
        total += calendar.working_days_between(
            accepted_at.astimezone(tz).date(), decided_at.astimezone(tz).date()
        )
        count += 1
    return round(total / count, 1) if count else None


# ---- trend ----------------------------------------------------------------------


def monthly_trend(qs: QuerySet[Case], today: date, months: int = TREND_MONTHS) -> list[dict]:
    """Cases accepted and cases decided (approved or rejected) per month, the
    current month last. One query of conditional counts over plain timestamp
    ranges: no per-row date function, so the timestamp columns stay cheap."""
    this_month = today.replace(day=1)
    firsts = [add_months(this_month, -n) for n in range(months - 1, -1, -1)]
    spans = [Period(first, add_months(first, 1) - timedelta(days=1)) for first in firsts]
    whole = Period(firsts[0], spans[-1].end)
    decided = Q(status__in=FINISHED)
    counts = qs.filter(
        whole.within("accepted_at") | (decided & whole.within("decided_at"))
    ).aggregate(
        **{f"a{i}": Count("pk", filter=span.within("accepted_at")) for i, span in enumerate(spans)},
        **{
            f"d{i}": Count("pk", filter=decided & span.within("decided_at"))
            for i, span in enumerate(spans)
        },
    )
    return [
        {"month": first, "accepted": counts[f"a{i}"], "decided": counts[f"d{i}"]}
        for i, first in enumerate(firsts)
    ]
