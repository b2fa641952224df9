"""The 好差评 figures over a database of many cases and ratings.

    .venv/bin/python bench/ratings.py [--cases 1000000] [--ratings 500000] [--seconds 10]

Builds its own database (var/bench/ratings.sqlite3, or DATABASE_URL=postgres://…)
as bench/workbench.py does (migrations, the demo organisation and catalogue,
N generated cases with their history; only the missing ones on a second
run), then rates finished cases up to --ratings with one bulk insert and
rebuilds the counters (hall.ratings.demo.bulk). Then gunicorn, and with wrk
(--connections, 2) every page as a ratio to /healthz measured before and
after in the same run, with p50/p99: the public 好差评 page cached (an
anonymous visitor: the page cache answers) and uncached (a visitor with a
session cookie always gets a fresh page), a department's items, the stats
API, the staff figures page and a department's drill-down, and the
supervision dashboard that holds the satisfaction panel; then the database
time of the panel and of the staff figures, in-process.
"""

import argparse
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from applications import setup_env, start_server, stop  # noqa: E402
from columns import _ms  # noqa: E402
from workbench import prepare, session_cookie  # noqa: E402


def wrk(port: int, path: str, *, seconds: float, connections: int, cookie: str = "") -> dict:
    """wrk on one URL (as bench/columns.py, with a Cookie header when given)."""
    headers = ["-H", f"Cookie: {cookie}"] if cookie else []
    out = subprocess.run(
        [
            "wrk",
            f"-t{min(2, connections)}",
            f"-c{connections}",
            f"-d{int(seconds)}s",
            "--latency",
            *headers,
            f"http://127.0.0.1:{port}{path}",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p50 = _ms(re.search(r"^\s+50%\s+(\S+)", out, re.M).group(1))
    p99 = _ms(re.search(r"^\s+99%\s+(\S+)", out, re.M).group(1))
    errors = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    return {"rps": rps, "p50": p50, "p99": p99, "errors": int(errors.group(1)) if errors else 0}


def seed_ratings(n: int) -> None:
    from django.db import connection

    from hall.ratings import demo
    from hall.ratings.models import Rating, RatingStat

    have = Rating.objects.count()
    if have < n:
        started = time.perf_counter()
        made = demo.bulk(n - have)
        took = time.perf_counter() - started
        print(f"rated {made} cases and rebuilt the counters in {took:.1f}s")
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    print(f"ratings: {Rating.objects.count()}, counter rows: {RatingStat.objects.count()}")


def panel_times(rounds: int = 100) -> list[tuple[str, float, float, int]]:
    """(what, p50 ms, p99 ms, queries) in-process: the supervision panel's
    context and the staff figures' tables for the city's supervisor."""
    from django.db import connection
    from django.test import RequestFactory
    from django.test.utils import CaptureQueriesContext

    from hall.org.models import User
    from hall.ratings import staff_views

    user = User.objects.get(username="city_supervisor")
    request = RequestFactory().get("/staff/supervision/")
    request.user = user
    figures_request = RequestFactory().get("/staff/ratings/figures/")
    figures_request.user = user
    out = []
    for name, call in (
        ("satisfaction panel", lambda: staff_views.supervision_panel(request)),
        (
            "staff figures (12 months)",
            lambda: staff_views.tables(user, staff_views.drill_of(figures_request)),
        ),
    ):
        call()
        times = []
        for _ in range(rounds):
            started = time.perf_counter()
            call()
            times.append((time.perf_counter() - started) * 1000)
        with CaptureQueriesContext(connection) as ctx:
            call()
        times.sort()
        out.append((name, times[len(times) // 2], times[int(len(times) * 0.99)], len(ctx)))
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--ratings", type=int, default=500_000)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--connections", type=int, default=2)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--port", type=int, default=8131)
    parser.add_argument("--prepare-only", action="store_true")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is needed (apt-get install wrk)")
    env = setup_env("ratings")
    prepare(args.cases)
    seed_ratings(args.ratings)
    if args.prepare_only:
        return
    from django.db import connection
    from django.utils import timezone

    from hall.org.models import Department
    from hall.ratings import figures

    department = Department.objects.get(center__region_code="330800", code="SCJG").pk
    month = f"{figures.last_full_month(timezone.localdate()):%Y-%m}"
    cookie = session_cookie("city_supervisor")
    in_process = panel_times()
    connection.close()
    anonymous_fresh = "sessionid=bench-no-such-session"
    pages = [
        ("public 好差评 (cached)", "/ratings/", ""),
        ("public 好差评 (uncached)", "/ratings/", anonymous_fresh),
        ("public department (uncached)", f"/ratings/?department={department}", anonymous_fresh),
        ("public month (uncached)", f"/ratings/?month={month}", anonymous_fresh),
        ("API ratings/stats", f"/api/v1/ratings/stats?department={department}", ""),
        ("staff figures", "/staff/ratings/figures/", cookie),
        ("staff figures department", f"/staff/ratings/figures/?department={department}", cookie),
        ("supervision dashboard+panel", "/staff/supervision/", cookie),
    ]
    server = start_server(env, args.port, args.workers)
    results = []
    try:
        for _name, path, cookie_header in pages:  # warm every page in every worker
            wrk(args.port, path, seconds=1, connections=args.connections, cookie=cookie_header)
        health = wrk(args.port, "/healthz", seconds=args.seconds, connections=args.connections)
        for name, path, cookie_header in pages:
            r = wrk(
                args.port,
                path,
                seconds=args.seconds,
                connections=args.connections,
                cookie=cookie_header,
            )
            results.append((name, r))
        health_after = wrk(
            args.port, "/healthz", seconds=args.seconds, connections=args.connections
        )
    finally:
        stop(server)
    base = (health["rps"] + health_after["rps"]) / 2
    print(
        f"\nOver HTTP (wrk, {args.connections} connections, gunicorn {args.workers} workers, "
        f"{args.seconds:.0f}s each; database {env['DATABASE_URL'].split(':')[0]})"
    )
    print(
        f"| {'page':<30} | {'req/s':>8} | {'ratio':>6} | {'p50 ms':>8} | {'p99 ms':>8} | non-2xx |"
    )
    print(f"|{'-' * 32}|{'-' * 10}|{'-' * 8}|{'-' * 10}|{'-' * 10}|---------|")
    for name, r in [("/healthz (before)", health), *results, ("/healthz (after)", health_after)]:
        print(
            f"| {name:<30} | {r['rps']:>8.1f} | {r['rps'] / base:>6.2f} | {r['p50']:>8.2f} "
            f"| {r['p99']:>8.2f} | {r['errors']:>7} |"
        )
    print("\nIn-process (city supervisor), 100 rounds")
    print(f"| {'what':<28} | {'p50 ms':>8} | {'p99 ms':>8} | queries |")
    for name, p50, p99, queries in in_process:
        print(f"| {name:<28} | {p50:>8.2f} | {p99:>8.2f} | {queries:>7} |")
    worst = max(r["p99"] for _n, r in results)
    print(f"\nworst p99 {worst:.1f} ms (target ≤ 300 ms)")


if __name__ == "__main__":
    main()
