"""好差评: ratings/s of the rating service, in-process and sequential.

    .venv/bin/python bench/rating_submit.py [--cases 20000] [--ratings 3000]

A fresh hall (var/bench/rating_submit.sqlite3, or DATABASE_URL for
PostgreSQL) with the demo catalogue and `--cases` generated past cases; then
`--ratings` finished cases are rated one after the other through
ratings.services.rating_submit (the case's row lock, the uniqueness check,
the counters' upsert, the audit entry, the rating_given signal with whatever
receivers it has), as the status page, the SMS link and the API call it.
Prints ratings/s and the p50/p99 of one submission. The issue asks ≥ 200/s on
SQLite. The counters are checked against a recount at the end.
"""

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from applications import django_ready, setup_env  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=20000)
    parser.add_argument("--ratings", type=int, default=3000)
    args = parser.parse_args()
    setup_env("rating_submit", fresh=True)
    django_ready()

    from hall.catalogue import demo as catalogue_demo
    from hall.org import demo as org_demo
    from hall.workdays.services import calendar_seed_from_chinesecalendar

    org_demo.load()
    calendar_seed_from_chinesecalendar()
    catalogue_demo.load()
    from django.db import connection

    from hall.cases.history import generate_history
    from hall.cases.models import Case
    from hall.ratings import stats
    from hall.ratings.constants import TAGS, Channel, Kind
    from hall.ratings.services import rating_submit

    started = time.perf_counter()
    generate_history(count=args.cases, seed=1)
    print(f"{args.cases} cases generated in {time.perf_counter() - started:.1f}s")
    cases = list(
        Case.objects.filter(status__in=stats.FINISHED_STATUSES)
        .select_related("item")
        .order_by("pk")[: args.ratings]
    )
    levels = [5, 5, 4, 5, 3, 4, 5, 2, 5, 1]
    times = []
    started = time.perf_counter()
    for n, case in enumerate(cases):
        level = levels[n % len(levels)]
        t = time.perf_counter()
        rating_submit(
            case=case,
            kind=Kind.FINISHED,
            level=level,
            tags=[TAGS[level][0][0]],
            comment="办理顺利" if level > 2 else "材料要求前后不一致",
            channel=Channel.WEB,
        )
        times.append(time.perf_counter() - t)
    took = time.perf_counter() - started
    times.sort()
    print(
        f"database: {connection.vendor}; {len(cases)} ratings in {took:.2f}s = "
        f"{len(cases) / took:.0f} ratings/s; one submission p50 "
        f"{statistics.median(times) * 1000:.2f} ms, p99 "
        f"{times[int(len(times) * 0.99) - 1] * 1000:.2f} ms"
    )
    assert stats.stored() == stats.recount(), "the counters differ from a recount"
    print("counters equal a recount")


if __name__ == "__main__":
    main()
