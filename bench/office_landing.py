"""The staff landing page with its unread counts, over HTTP.

    .venv/bin/python bench/office_landing.py [--seconds 10] [--connections 2] [--workers 2]

Builds its own demo database (var/bench/office_landing.sqlite3, or
DATABASE_URL=postgres://… for PostgreSQL): migrations and `load_demo` when the
database holds no center yet, then the messages' demo (idempotent). Then
gunicorn with --workers, and with wrk (--connections) `/staff/` for a signed-in
demo clerk who has unread threads (the menu with its badges, the landing
panels), `/staff/messages/` (the clerk's threads, unread first) and `/healthz`
before and after in the same run: requests/s, the ratio to /healthz, p50 and
p99. Last, in-process: the queries of one landing page and the time of the
unread count. The clerk's read marks are not moved: only GETs of pages that
do not open a thread.
"""

import argparse
import http.client
import shutil
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from applications import setup_env, start_server, stop  # noqa: E402
from ratings import wrk  # noqa: E402
from workbench import session_cookie  # noqa: E402

CLERK = "scjg_clerk"


def prepare() -> None:
    import django

    django.setup()
    from django.core.management import call_command

    from hall.messaging import demo as messaging_demo

    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    started = time.perf_counter()
    call_command("load_demo", if_empty=True, verbosity=0)
    figures = messaging_demo.load()
    print(f"demo ready in {time.perf_counter() - started:.1f}s; messages: {figures}")


def fetch(port: int, path: str, cookie: str) -> tuple[int, str]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", path, headers={"Host": "127.0.0.1", "Cookie": cookie})
    response = conn.getresponse()
    return response.status, response.read().decode()


def _landing_p50(client, rounds: int) -> float:
    client.get("/staff/")
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        client.get("/staff/")
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return times[len(times) // 2]


def in_process(rounds: int = 200) -> dict:
    """In-process figures: the queries of one landing page, its p50 with and
    without the messages' badge and panel, the unread count's p50 and p99."""
    from django.db import connection
    from django.test import Client

    from hall.core import navigation
    from hall.messaging.selectors import unread_count
    from hall.org.models import User

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(User.objects.get(username=CLERK), backend="hall.org.backends.StaffBackend")
    client.get("/staff/")
    seen = []

    def count(execute, sql, params, many, context):
        seen.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        assert client.get("/staff/").status_code == 200
    figures = {"queries": len(seen), "page": _landing_p50(client, 50)}
    # The same page without the messages' part: what the badge and panel add.
    entry = navigation._ENTRIES["messaging:list"]
    panels = navigation._PANELS["staff_landing"]
    navigation._ENTRIES["messaging:list"] = entry.__class__(
        entry.url_name, entry.perm, entry.title, entry.text, entry.order, None
    )
    navigation._PANELS["staff_landing"] = [p for p in panels if "messaging" not in p.template]
    try:
        figures["page_without"] = _landing_p50(client, 50)
    finally:
        navigation._ENTRIES["messaging:list"] = entry
        navigation._PANELS["staff_landing"] = panels
    times = []
    for _ in range(rounds):
        user = User.objects.select_related("staff").get(username=CLERK)
        user.has_perm("messaging.use_messages")
        started = time.perf_counter()
        unread_count(user)
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    figures["count_p50"] = times[len(times) // 2]
    figures["count_p99"] = times[int(len(times) * 0.99)]
    return figures


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--connections", type=int, default=2)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--port", type=int, default=8133)
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is needed (apt-get install wrk)")
    env = setup_env("office_landing")
    prepare()
    from django.db import connection

    from hall.messaging.selectors import unread_count
    from hall.org.models import User

    unread = unread_count(User.objects.select_related("staff").get(username=CLERK))
    cookie = session_cookie(CLERK)
    figures = in_process()
    connection.close()
    pages = [("/staff/ (landing)", "/staff/"), ("/staff/messages/", "/staff/messages/")]
    server = start_server(env, args.port, args.workers)
    results = []
    try:
        # wrk counts a redirect as a success: the pages must answer 200, with the badge.
        for _name, path in pages:
            status, body = fetch(args.port, path, cookie)
            if status != 200 or "条未读" not in body:
                sys.exit(f"{path} answered {status} without the unread badge")
            wrk(args.port, path, seconds=1, connections=args.connections, cookie=cookie)
        health = wrk(args.port, "/healthz", seconds=args.seconds, connections=args.connections)
        for name, path in pages:
            r = wrk(
                args.port, path, seconds=args.seconds, connections=args.connections, cookie=cookie
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
        f"{args.seconds:.0f}s each; database {env['DATABASE_URL'].split(':')[0]}; "
        f"{CLERK} with {unread} unread threads)"
    )
    print(
        f"| {'page':<22} | {'req/s':>8} | {'ratio':>6} | {'p50 ms':>8} | {'p99 ms':>8} | non-2xx |"
    )
    print(f"|{'-' * 24}|{'-' * 10}|{'-' * 8}|{'-' * 10}|{'-' * 10}|---------|")
    for name, r in [("/healthz (before)", health), *results, ("/healthz (after)", health_after)]:
        print(
            f"| {name:<22} | {r['rps']:>8.1f} | {r['rps'] / base:>6.2f} | {r['p50']:>8.2f} "
            f"| {r['p99']:>8.2f} | {r['errors']:>7} |"
        )
    print(
        f"\nIn-process: the landing page makes {figures['queries']} queries, p50 "
        f"{figures['page']:.1f} ms ({figures['page_without']:.1f} ms without the messages' "
        f"badge and panel); the unread count (one query) p50 {figures['count_p50']:.2f} ms, "
        f"p99 {figures['count_p99']:.2f} ms"
    )
    landing = results[0][1]
    verdict = "met" if landing["p99"] <= 100 else "NOT met"
    print(f"landing p99 {landing['p99']:.1f} ms (target ≤ 100 ms: {verdict})")


if __name__ == "__main__":
    main()
