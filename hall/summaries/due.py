"""When a month's summary is due, as pure functions of dates and the
working-day calendar (hall.workdays.calendar): no database, no clock."""

from datetime import date, timedelta


def month_start(day: date) -> date:
    return day.replace(day=1)


def add_months(month: date, n: int) -> date:
    y, m = divmod(month.year * 12 + month.month - 1 + n, 12)
    return date(y, m + 1, 1)


def month_end(month: date) -> date:
    return add_months(month, 1) - timedelta(days=1)


def due_on(calendar, month: date, nth: int) -> date:
    """The nth working day of the month after `month`: counted from the last day
    of `month`, which a period of working days does not count itself."""
    return calendar.add_working_days(month_end(month), nth)


def months_between(first: date, last: date) -> list[date]:
    """The 1sts of the months from `first` to `last`, both included."""
    months, m = [], month_start(first)
    while m <= last:
        months.append(m)
        m = add_months(m, 1)
    return months


def months_due_by(calendar, today: date, nth: int, first: date) -> list[date]:
    """The months from `first` whose summary was due before `today`."""
    last = add_months(month_start(today), -1)
    return [m for m in months_between(first, last) if due_on(calendar, m, nth) < today]


def parse_month(raw: str) -> date | None:
    """'2026-09' → 2026-09-01; anything else → None."""
    raw = (raw or "").strip()
    if len(raw) != 7 or raw[4] != "-" or not (raw[:4].isdigit() and raw[5:].isdigit()):
        return None
    year, month = int(raw[:4]), int(raw[5:])
    if not (2000 <= year <= 2100 and 1 <= month <= 12):
        return None
    return date(year, month, 1)
