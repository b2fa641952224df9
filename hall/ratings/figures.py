"""The figures of 好差评, read from the monthly counters (RatingStat): sums of a
few thousand rows, never a count over the ratings or the cases.

The rates, as written on the pages:
  参评率 participation  = rated / finished
  满意率 satisfaction   = (level 5 + 4 + 3) / rated
  差评率 bad rate       = (level 2 + 1) / rated
  按时整改率 on time    = tasks_on_time / tasks_closed
A zero denominator gives None (shown "—"), never 0 % or a division error.
"""

from __future__ import annotations

import re
from datetime import date

from django.db.models import QuerySet, Sum

from hall.core.generations import Generation
from hall.core.permissions import scoped

from .models import COUNTERS, RatingStat

FIRST_YEAR, LAST_YEAR = 2000, 2099
TREND_MONTHS = 12
MAX_RANGE_MONTHS = 36
LEVELS = (5, 4, 3, 2, 1)

_MONTH = re.compile(r"(?P<year>[0-9]{4})-(?P<month>[0-9]{2})")

# Part of the public page's cache token: what the page shows besides the
# ratings (the disclosure panel's rectifications) calls public_changed().
PUBLIC_GENERATION = Generation("ratings:public")


def public_changed() -> None:
    """Something the public 好差评 page shows changed: its cached copies are stale."""
    PUBLIC_GENERATION.bump()


# ---- months --------------------------------------------------------------------------


def add_months(month: date, n: int) -> date:
    index = month.year * 12 + month.month - 1 + n
    return date(index // 12, index % 12 + 1, 1)


def this_month(today: date) -> date:
    return today.replace(day=1)


def last_full_month(today: date) -> date:
    return add_months(this_month(today), -1)


def parse_month(raw) -> date | None:
    """`YYYY-MM` (ASCII digits, years FIRST_YEAR..LAST_YEAR) as its first day, or None."""
    found = _MONTH.fullmatch(str(raw if raw is not None else "").strip())
    if found is None:
        return None
    year, month = int(found["year"]), int(found["month"])
    if not (FIRST_YEAR <= year <= LAST_YEAR and 1 <= month <= 12):
        return None
    return date(year, month, 1)


def months_between(start: date, end: date) -> list[date]:
    out, month = [], start
    while month <= end:
        out.append(month)
        month = add_months(month, 1)
    return out


# ---- rates ---------------------------------------------------------------------------


def rate(part: int, whole: int) -> float | None:
    """Per cent, one decimal; None when there is nothing to divide by."""
    return round(100 * part / whole, 1) if whole else None


def with_rates(row: dict) -> dict:
    """`row` (the counters, None as 0) with the bad count, the levels in order
    and the four rates."""
    for c in COUNTERS:
        row[c] = row.get(c) or 0
    rated = row["rated"]
    row["satisfied"] = row["level_5"] + row["level_4"] + row["level_3"]
    row["bad"] = row["level_2"] + row["level_1"]
    row["levels"] = [row[f"level_{n}"] for n in LEVELS]
    row["participation"] = rate(rated, row["finished"])
    row["satisfaction"] = rate(row["satisfied"], rated)
    row["bad_rate"] = rate(row["bad"], rated)
    row["on_time_rate"] = rate(row["tasks_on_time"], row["tasks_closed"])
    return row


_SUMS = {c: Sum(c) for c in COUNTERS}


def total(qs: QuerySet[RatingStat]) -> dict:
    return with_rates(qs.aggregate(**_SUMS))


def grouped(qs: QuerySet[RatingStat], *keys: str, order: tuple[str, ...] = ()) -> list[dict]:
    """One row per distinct `keys`, with the summed counters and the rates."""
    rows = qs.values(*keys).annotate(**_SUMS).order_by(*(order or keys))
    return [with_rates(dict(r)) for r in rows]


def trend(qs: QuerySet[RatingStat], months: list[date]) -> list[dict]:
    """One row per month of `months` (zeros where nothing counted), newest first."""
    found = {
        r["month"]: r
        for r in grouped(qs.filter(month__gte=months[0], month__lte=months[-1]), "month")
    }
    return [found.get(m) or with_rates({"month": m}) for m in reversed(months)]


# ---- what the public sees ------------------------------------------------------------


def public(*, center=None, department=None, item=None) -> QuerySet[RatingStat]:
    """The counters of a center, department or item (every clerk summed: the
    public figures never name a clerk)."""
    qs = RatingStat.objects.all()
    if item is not None:
        return qs.filter(item=item)
    if department is not None:
        return qs.filter(department=department)
    if center is not None:
        return qs.filter(center=center)
    return qs


def department_rows(qs: QuerySet[RatingStat]) -> list[dict]:
    return grouped(
        qs,
        "department_id",
        "department__name",
        "center__short_name",
        order=("center__sort_order", "department__sort_order", "department_id"),
    )


def item_rows(qs: QuerySet[RatingStat]) -> list[dict]:
    return grouped(
        qs,
        "item_id",
        "item__name",
        "item__code",
        "department__name",
        order=("department__sort_order", "item__code", "item_id"),
    )


def center_rows(qs: QuerySet[RatingStat]) -> list[dict]:
    return grouped(
        qs,
        "center_id",
        "center__name",
        "center__short_name",
        order=("center__sort_order", "center_id"),
    )


def clerk_rows(qs: QuerySet[RatingStat]) -> list[dict]:
    """Per clerk, with their name (clerk 0: no clerk recorded)."""
    from hall.org.models import User

    rows = grouped(qs, "clerk")
    names = {
        u.pk: u.full_name or u.username
        for u in User.objects.filter(pk__in=[r["clerk"] for r in rows if r["clerk"]]).only(
            "full_name", "username"
        )
    }
    for r in rows:
        r["name"] = names.get(r["clerk"], "")
    rows.sort(key=lambda r: (r["clerk"] == 0, -r["finished"], r["clerk"]))
    return rows


# ---- what staff see ------------------------------------------------------------------


def supervised(user) -> QuerySet[RatingStat]:
    """The counters of the user's scope: a department-bound member their
    department's; a center member their center's and, for the city, its counties'."""
    return scoped(RatingStat.objects.all(), user)


def in_range(qs: QuerySet[RatingStat], start: date, end: date) -> QuerySet[RatingStat]:
    return qs.filter(month__gte=start, month__lte=end)
