"""The usage sheets (使用情况考核) over a database of many cases.

    .venv/bin/python bench/usage.py [--cases 1000000]

Builds its own database (var/bench/usage.sqlite3, or DATABASE_URL=postgres://…)
as bench/workbench.py does (migrations, the demo organisation and catalogue,
N generated cases with their history), adds the demo sign-ins, then times in
process: each of the twelve months of the last year as the sheets compute it
(every grain at once), the whole year in one call, and each registered measure
over the year as the annual assessment reads it. Prints seconds and queries.
"""

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from applications import setup_env  # noqa: E402
from workbench import prepare  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--cases", type=int, default=1_000_000)
    args = ap.parse_args()
    import os

    os.environ.update(setup_env("usage"))
    prepare(args.cases)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from hall.cases.models import Case, StatusChange
    from hall.core import measures
    from hall.org.models import StaffSession
    from hall.usage import demo as usage_demo
    from hall.usage.figures import add_months, month_usage, usage_of

    started = time.perf_counter()
    made = usage_demo.load()["sessions"]
    print(f"demo sign-ins: {made} added in {time.perf_counter() - started:.1f}s")
    print(
        f"database: {connection.vendor}, {Case.objects.count()} cases, "
        f"{StatusChange.objects.count()} status changes, {StaffSession.objects.count()} sign-ins"
    )
    this = timezone.localdate().replace(day=1)
    first = add_months(this, -12)
    total = 0.0
    for i in range(12):
        month = add_months(first, i)
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            usage = month_usage(month)
            took = time.perf_counter() - started
        total += took
        cases = sum(f.cases for f in usage.center.values())
        print(f"month {month:%Y-%m}: {took:.2f}s, {len(queries)} queries, {cases} cases handled")
    print(f"twelve months one by one: {total:.1f}s")
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        usage_of(first, this)
        print(f"the year in one call: {time.perf_counter() - started:.1f}s, {len(queries)} queries")
    for m in measures.all_measures():
        started = time.perf_counter()
        rows = measures.compute(m.code, start=first, end=this)
        print(
            f"measure {m.code} over the year: {time.perf_counter() - started:.1f}s, "
            f"{len(rows)} rows, {sum(r.done for r in rows)}/{sum(r.total for r in rows)}"
        )


if __name__ == "__main__":
    main()
