"""Staff pages over a database of many past cases.

    .venv/bin/python bench/workbench.py [--cases 1000000] [--seconds 10]

Builds its own database (var/bench/workbench.sqlite3, or DATABASE_URL=postgres://…):
migrations, the demo organisation and catalogue, the holiday table, then N
generated cases with their history (hall.cases.history; only the missing ones
on a second run). Then gunicorn, and over HTTP with a logged-in session:
the clerk's queue (accepted, by deadline), a case page, the supervision
dashboard and a four-month period statistic — req/s, p50 and p99; then
the database time of one request of each page, measured in-process; finally
the export of a year's cases (a million rows at 1M cases), streamed.
"""

import argparse
import http.client
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import _http  # noqa: E402
from applications import setup_env, start_server, stop  # noqa: E402


def prepare(n: int) -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    from hall.catalogue import demo as catalogue_demo
    from hall.catalogue.models import ServiceItem
    from hall.org import demo as org_demo
    from hall.workdays.services import calendar_seed_from_chinesecalendar

    org_demo.load()
    calendar_seed_from_chinesecalendar()
    if not ServiceItem.objects.exists():
        started = time.perf_counter()
        catalogue_demo.load()
        print(f"catalogue loaded in {time.perf_counter() - started:.1f}s")
    from hall.cases.history import generate_history
    from hall.cases.models import Case

    have = Case.objects.count()
    if have < n:
        started = time.perf_counter()
        figures = generate_history(count=n - have, seed=have + 1)
        took = time.perf_counter() - started
        print(
            f"generated {figures['cases']} cases, {figures['status_changes']} status changes "
            f"in {took:.1f}s ({figures['cases'] / took:.0f} cases/s)"
        )
    from hall.supervision.models import CaseDayStat, CaseMonthStat
    from hall.supervision.services import stats_rebuild

    stale = not (CaseDayStat.objects.exists() and CaseMonthStat.objects.exists())
    if stale:  # generate_history rebuilds them; a database from before needs it
        started = time.perf_counter()
        rows = stats_rebuild()
        print(f"day statistics: {rows} rows in {time.perf_counter() - started:.1f}s")
    with connection.cursor() as cursor:
        # Planner statistics, as after any bulk load or new index; on PostgreSQL
        # also the visibility map that index-only scans need (autovacuum's work).
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    print(f"database: {connection.vendor}, cases: {Case.objects.count()}")


def session_cookie(username: str) -> str:
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    from hall.org.models import User

    user = User.objects.get(username=username)
    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "hall.org.backends.StaffBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    return f"{settings.SESSION_COOKIE_NAME}={store.session_key}"


def db_time(pages) -> list[tuple[str, int, float, float]]:
    """(name, queries, database ms, total ms) of one request of each page, in-process."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    out = []
    for name, paths, username in pages:
        from hall.org.models import User

        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(
            User.objects.get(username=username), backend="hall.org.backends.StaffBackend"
        )
        client.get(paths[0])  # warm
        with CaptureQueriesContext(connection) as ctx:
            started = time.perf_counter()
            response = client.get(paths[-1])
            total = (time.perf_counter() - started) * 1000
        assert response.status_code == 200, (name, response.status_code)
        ms = sum(float(q["time"]) for q in ctx.captured_queries) * 1000
        out.append((name, len(ctx.captured_queries), ms, total))
    return out


def _worker_peaks(master_pid: int) -> dict[int, int]:
    """Peak resident memory (kB) of each gunicorn worker, from /proc."""
    peaks = {}
    for child in Path(f"/proc/{master_pid}/task/{master_pid}/children").read_text().split():
        for line in Path(f"/proc/{child}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                peaks[int(child)] = int(line.split()[1])
    return peaks


def export(port: int, path: str, cookie: str, master_pid: int) -> dict:
    """One streamed export, read to the end: time to first byte, whole time,
    size, rows (counted in the workbook), and the serving worker's peak memory."""
    import io
    import zipfile

    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    started = time.perf_counter()
    conn.request("GET", path, headers={"Host": "127.0.0.1", "Cookie": cookie})
    response = conn.getresponse()
    body = io.BytesIO()
    first = None
    try:
        while chunk := response.read(65536):
            if first is None:
                first = time.perf_counter()
            body.write(chunk)
    except http.client.IncompleteRead:
        return {
            "status": "cut off",
            "rows": 0,
            "mb": body.tell() / 1e6,
            "first_ms": 0,
            "seconds": time.perf_counter() - started,
            "worker_peak_mb": 0,
        }
    seconds = time.perf_counter() - started
    rows = 0
    if response.status == 200:
        with zipfile.ZipFile(body) as zf, zf.open("xl/worksheets/sheet1.xml") as sheet:
            while block := sheet.read(1 << 20):
                rows += block.count(b"<row ")
    return {
        "status": response.status,
        "rows": rows - 1,  # the header
        "mb": body.tell() / 1e6,
        "first_ms": ((first or time.perf_counter()) - started) * 1000,
        "seconds": seconds,
        "worker_peak_mb": max(_worker_peaks(master_pid).values()) / 1024,
    }


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--port", type=int, default=8126)
    args = parser.parse_args()

    env = setup_env("workbench")
    prepare(args.cases)
    from django.db import connection
    from django.utils import timezone

    from hall.cases.models import Case
    from hall.org.models import Department

    scjg = Department.objects.get(center__region_code="330800", code="SCJG")
    case_ids = list(
        Case.objects.filter(department=scjg)
        .order_by("-submitted_at")
        .values_list("id", flat=True)[:2000]
    )
    today = timezone.localdate()
    period = (
        f"/staff/supervision/?date_from={(today - timedelta(days=122)).isoformat()}"
        f"&date_to={today.isoformat()}"
    )
    pages = [
        (
            "clerk queue (accepted, deadline)",
            ["/staff/cases/?tab=accepted&sort=deadline"],
            "scjg_clerk",
        ),
        ("case page", [f"/staff/cases/{pk}/" for pk in case_ids], "scjg_clerk"),
        ("supervision dashboard", ["/staff/supervision/"], "city_supervisor"),
        ("supervision, 4-month period", [period], "city_supervisor"),
    ]
    cookies = {u: session_cookie(u) for u in ("scjg_clerk", "city_supervisor")}
    in_process = db_time(pages)
    connection.close()

    year = (
        f"/staff/supervision/export/cases.xlsx?date_from={(today - timedelta(days=364)).isoformat()}"
        f"&date_to={today.isoformat()}"
    )
    server = start_server(env, args.port, args.workers)
    results = []
    try:
        for name, paths, username in pages:
            cookie = cookies[username]
            _http.load(args.port, paths, seconds=1, concurrency=args.concurrency, cookie=cookie)
            results.append(
                (
                    name,
                    _http.load(
                        args.port,
                        paths,
                        seconds=args.seconds,
                        concurrency=args.concurrency,
                        cookie=cookie,
                    ),
                )
            )
        exported = export(args.port, year, cookies["city_supervisor"], server.pid)
    finally:
        stop(server)
    print(
        f"{args.concurrency} clients, {args.workers} workers, {args.seconds:.0f}s per page, "
        f"{env['DATABASE_URL'].split(':')[0]}"
    )
    print(f"{'page':<34} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'errors':>7}")
    for name, r in results:
        print(
            f"{name:<34} {r['rps']:>8.1f} {r['p50_ms']:>8.1f} {r['p99_ms']:>8.1f} {r['errors']:>7}"
        )
    print(f"\n{'in-process, one request':<34} {'queries':>8} {'db ms':>8} {'total ms':>9}")
    for name, queries, ms, total in in_process:
        print(f"{name:<34} {queries:>8} {ms:>8.1f} {total:>9.1f}")
    e = exported
    print(
        f"\nexport of a year's cases over HTTP: status {e['status']}, {e['rows']} rows, "
        f"{e['mb']:.1f} MB; first byte {e['first_ms']:.0f} ms, whole {e['seconds']:.1f} s "
        f"({e['rows'] / max(e['seconds'], 1e-9):.0f} rows/s); server worker peak memory "
        f"{e['worker_peak_mb']:.0f} MB (after the page runs above)"
    )


if __name__ == "__main__":
    main()
