"""Working-day arithmetic throughput with the real State Council schedules.

    .venv/bin/python bench/workdays.py [--seconds 2]

No database: the calendar is built straight from the chinesecalendar package,
as `seed_holidays` would store it. Prints computations per second of
add_working_days and working_days_between — plain, and with two suspensions —
over start dates spread through 2004–2027 and n from 1 to 60 (the target is
≥ 100,000/s each).
"""

import argparse
import random
import sys
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import chinese_calendar  # noqa: E402
from chinese_calendar import constants  # noqa: E402

from hall.workdays.calendar import WorkCalendar  # noqa: E402


def real_calendar() -> WorkCalendar:
    known = set()
    for year in range(2004, date.today().year + 2):
        try:
            chinese_calendar.is_workday(date(year, 1, 1))
            chinese_calendar.is_workday(date(year, 12, 31))
        except NotImplementedError:
            continue
        known.add(year)
    return WorkCalendar(
        holidays=frozenset(constants.holidays),
        workdays=frozenset(constants.workdays),
        known_years=frozenset(known),
    )


def measure(label: str, fn, args: list, seconds: float) -> float:
    done, started = 0, time.perf_counter()
    deadline = started + seconds
    while True:
        for a in args:
            fn(*a)
        done += len(args)
        now = time.perf_counter()
        if now >= deadline:
            break
    rate = done / (now - started)
    verdict = "ok" if rate >= 100_000 else "BELOW TARGET"
    print(f"{label:<48} {rate:>12,.0f} /s   {verdict}")
    return rate


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=2.0)
    args = parser.parse_args()

    t0 = time.perf_counter()
    cal = real_calendar()
    built = time.perf_counter() - t0
    years = sorted(cal.known_years)
    print(
        f"calendar: {len(cal.holidays)} holidays, {len(cal.workdays)} make-up workdays, "
        f"known years {years[0]}–{years[-1]}; built in {built * 1000:.1f} ms"
    )

    rng = random.Random(42)
    first, span = date(2004, 1, 1), (date(2027, 12, 31) - date(2004, 1, 1)).days
    starts = [first + timedelta(days=rng.randrange(span)) for _ in range(10_000)]
    ns = [rng.randint(1, 60) for _ in starts]
    dues = [cal.add_working_days(s, n) for s, n in zip(starts, ns, strict=True)]
    suspensions = [
        (
            (s + timedelta(days=3), s + timedelta(days=12)),
            (s + timedelta(days=20), s + timedelta(days=25)),
        )
        for s in starts
    ]

    add = cal.add_working_days
    between = cal.working_days_between
    measure(
        "add_working_days(start, n ≤ 60)", add, list(zip(starts, ns, strict=True)), args.seconds
    )
    measure(
        "working_days_between(start, due)",
        between,
        list(zip(starts, dues, strict=True)),
        args.seconds,
    )
    measure(
        "add_working_days(…, excluded=2 suspensions)",
        lambda s, n, e: add(s, n, excluded=e),
        list(zip(starts, ns, suspensions, strict=True)),
        args.seconds,
    )
    measure(
        "working_days_between(…, excluded=2 suspensions)",
        lambda s, d, e: between(s, d, excluded=e),
        list(zip(starts, dues, suspensions, strict=True)),
        args.seconds,
    )
    measure(
        "deadline(start, n) with provisional flag",
        cal.deadline,
        list(zip(starts, ns, strict=True)),
        args.seconds,
    )


if __name__ == "__main__":
    main()
