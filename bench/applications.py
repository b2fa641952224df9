"""Online application benchmarks.

    .venv/bin/python bench/applications.py lookup  [--cases 100000] [--seconds 10]
    .venv/bin/python bench/applications.py submit  [--seconds 30] [--concurrency 16]

`lookup`: status lookups over HTTP (GET /api/v1/applications/{number}?phone=…)
against a database of 100,000 cases, as a ratio to /healthz in the same run,
p50/p99 at full and at half concurrency. The per-client lookup limit is
raised for the run (every request comes from 127.0.0.1).

`submit`: multipart submissions (a small PDF each) by N concurrent clients for
T seconds, then a reconciliation: cases in the database = 201 answers, every
file on disk and readable with its recorded checksum, no "database is locked".

SQLite by default (a file under var/bench/); DATABASE_URL=postgres://… for PostgreSQL.
"""

import argparse
import hashlib
import http.client
import multiprocessing as mp
import os
import random
import signal
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))


def _bench_pdf() -> bytes:
    """A one-page PDF the upload check parses and accepts (about 2 kB)."""
    from hall.core.tests.hostile import _PAGES, _page, raw_pdf

    return raw_pdf(b"<</Type/Catalog/Pages 2 0 R/Pad(%s)>>" % (b"x" * 1800), _PAGES, _page())


PDF = _bench_pdf()


def setup_env(name: str, *, fresh: bool = False, extra: dict | None = None) -> dict:
    """The environment of a bench run: its own SQLite file under var/bench/
    (emptied first when `fresh`) unless DATABASE_URL points at PostgreSQL."""
    env = dict(os.environ)
    bench_dir = ROOT / "var" / "bench"
    bench_dir.mkdir(parents=True, exist_ok=True)
    if not env.get("DATABASE_URL", "").startswith("postgres"):
        db = bench_dir / f"{name}.sqlite3"
        if fresh:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{db}{suffix}").unlink(missing_ok=True)
        env["DATABASE_URL"] = f"sqlite:///{db}"
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "hall.settings",
            "DEBUG": "0",
            "DEMO_MODE": "1",
            "HTTPS_ONLY": "0",
            "SECRET_KEY": "bench-" + "x" * 50,
            "HALL_VAR_DIR": str(bench_dir),
            "MEDIA_ROOT": str(bench_dir / f"media-{name}"),
            "LOG_LEVEL": "WARNING",
            "LOOKUP_LIMIT_PER_CLIENT": "100000000/60",
            "LOOKUP_LIMIT_PER_NUMBER": "100000000/3600",
            "LOOKUP_MISSES_PER_CLIENT": "100000000/3600",
            "LOOKUP_MISSES_PER_CLIENT_NUMBER": "100000000/3600",
            **(extra or {}),
        }
    )
    os.environ.update(env)
    return env


def django_ready():
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    from hall.org import demo as org_demo

    org_demo.load()


def bench_item():
    from hall.catalogue.models import Material, ServiceItem
    from hall.catalogue.services import item_next_code, item_refresh_search_text
    from hall.org.models import Department

    item = ServiceItem.objects.filter(name="基准测试事项").first()
    if item:
        return item
    department = Department.objects.get(center__region_code="330800", code="SCJG")
    item = ServiceItem.objects.create(
        center=department.center,
        department=department,
        code=item_next_code(department=department, item_type="xk"),
        name="基准测试事项",
        item_type="xk",
        applicant_type="both",
        online_depth=4,
        statutory_days=20,
        promised_days=5,
    )
    Material.objects.create(item=item, name="申请书", submission="online")
    item_refresh_search_text(item)
    return item


def seed_cases(n: int) -> list[tuple[str, str]]:
    from django.db import connection

    from hall.cases import querynumbers
    from hall.cases.models import Case, StatusChange

    item = bench_item()
    have = Case.objects.count()
    rng = random.Random(7)
    batch = []
    for i in range(have, n):
        batch.append(
            Case(
                query_number=querynumbers.generate(),
                item=item,
                center_id=item.center_id,
                department_id=item.department_id,
                channel="online",
                status=rng.choice(["submitted", "correction_requested", "accepted", "completed"]),
                applicant_kind="person",
                applicant_name=f"申请人{i}",
                id_type="resident_id",
                id_number="11010519491231002X",
                phone=f"138{i:08d}",
            )
        )
        if len(batch) == 5000:
            Case.objects.bulk_create(batch)
            batch = []
    if batch:
        Case.objects.bulk_create(batch)
    if StatusChange.objects.count() < n:
        ids = Case.objects.filter(history__isnull=True).values_list("id", "status")
        StatusChange.objects.bulk_create(
            (StatusChange(case_id=i, from_status="", to_status=s) for i, s in ids), batch_size=5000
        )
    sample = list(Case.objects.order_by("?").values_list("query_number", "phone")[:2000])
    connection.close()
    return sample


def start_server(env, port, workers):
    import _http

    return _http.start_gunicorn(env, port, workers)


def stop(server):
    server.send_signal(signal.SIGTERM)
    server.wait(timeout=30)


# ---- lookup ------------------------------------------------------------------


def lookup(args):
    import _http

    env = setup_env("applications")
    django_ready()
    sample = seed_cases(args.cases)
    from hall.cases.models import Case

    print(f"database: {env['DATABASE_URL'].split(':')[0]}, cases: {Case.objects.count()}")
    server = start_server(env, args.port, args.workers)
    try:
        paths = [f"/api/v1/applications/{number}?phone={phone[-4:]}" for number, phone in sample]
        _http.load(args.port, paths, seconds=2, concurrency=args.concurrency)  # warm-up
        health = _http.load(
            args.port, "/healthz", seconds=args.seconds, concurrency=args.concurrency
        )
        full = _http.load(args.port, paths, seconds=args.seconds, concurrency=args.concurrency)
        half_c = max(1, args.concurrency // 2)
        half = _http.load(args.port, paths, seconds=args.seconds, concurrency=half_c)
    finally:
        stop(server)
    print(f"{'endpoint':<34} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'errors':>7}")
    for name, r in (
        ("/healthz", health),
        ("status lookup", full),
        (f"status lookup ({half_c} clients)", half),
    ):
        print(
            f"{name:<34} {r['rps']:>8.1f} {r['p50_ms']:>8.2f} {r['p99_ms']:>8.2f} {r['errors']:>7}"
        )
    print(f"lookup / healthz throughput ratio: {full['rps'] / health['rps']:.2f}")


# ---- submit ------------------------------------------------------------------


def _submit_worker(port, item_code, material_id, seconds, out):
    import _http

    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    created, statuses, latencies, locked = [], {}, [], 0
    end = time.perf_counter() + seconds
    n = 0
    while time.perf_counter() < end:
        n += 1
        body, ctype = _http.multipart(
            {
                "item_code": item_code,
                "applicant_kind": "person",
                "applicant_name": "基准申请人",
                "id_number": "11010519491231002X",
                "phone": "13857012345",
            },
            {f"m_{material_id}": [(f"申请书{n}.pdf", PDF, "application/pdf")]},
        )
        start = time.perf_counter()
        try:
            conn.request("POST", "/api/v1/applications", body=body, headers={"Content-Type": ctype})
            r = conn.getresponse()
            data = r.read()
        except (OSError, http.client.HTTPException):
            statuses["conn-error"] = statuses.get("conn-error", 0) + 1
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            continue
        latencies.append(time.perf_counter() - start)
        statuses[r.status] = statuses.get(r.status, 0) + 1
        if b"database is locked" in data:
            locked += 1
        if r.status == 201:
            import json

            created.append(json.loads(data)["query_number"])
    out.put((created, statuses, latencies, locked))


def submit(args):
    import _http

    env = setup_env("submissions")
    django_ready()
    from hall.cases.models import Case, CaseFile

    CaseFile.objects.all().delete()
    Case.objects.all().delete()
    item = bench_item()
    material_id = item.materials.get().pk
    from django.db import connection

    connection.close()
    server = start_server(env, args.port, args.workers)
    try:
        q = mp.Queue()
        procs = [
            mp.Process(
                target=_submit_worker, args=(args.port, item.code, material_id, args.seconds, q)
            )
            for _ in range(args.concurrency)
        ]
        for p in procs:
            p.start()
        created, statuses, latencies, locked = [], {}, [], 0
        for _ in procs:
            c, s, lat, lk = q.get()
            created += c
            latencies += lat
            locked += lk
            for k, v in s.items():
                statuses[k] = statuses.get(k, 0) + v
        for p in procs:
            p.join()
    finally:
        stop(server)
    summary = _http.summarise(latencies, 0, args.seconds)
    ok = statuses.get(201, 0)
    print(
        f"database: {env['DATABASE_URL'].split(':')[0]}, {args.concurrency} clients, {args.seconds}s, {args.workers} workers"
    )
    print(f"answers: {statuses}")
    print(
        f"accepted/s: {ok / args.seconds:.1f}   p50 {summary['p50_ms']:.1f} ms   p99 {summary['p99_ms']:.1f} ms"
    )
    print(f'"database is locked" answers: {locked}')
    # reconciliation
    in_db = Case.objects.count()
    files = list(CaseFile.objects.all())
    bad = 0
    for f in files:
        try:
            with f.file.open("rb") as handle:
                if hashlib.sha256(handle.read()).hexdigest() != f.sha256:
                    bad += 1
        except OSError:
            bad += 1
    numbers = {n.replace("-", "") for n in created}
    db_numbers = set(Case.objects.values_list("query_number", flat=True))
    print(
        f"reconciliation: 201 answers {ok}, cases in database {in_db}, files {len(files)}, "
        f"unreadable or mismatched files {bad}, numbers answered but missing {len(numbers - db_numbers)}"
    )
    print(
        "RECONCILED"
        if 0 < ok == in_db and len(files) == in_db and bad == 0 and numbers == db_numbers
        else "MISMATCH"
    )


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("what", choices=["lookup", "submit"])
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--port", type=int, default=8124)
    args = parser.parse_args()
    if args.what == "lookup":
        lookup(args)
    else:
        submit(args)


if __name__ == "__main__":
    main()
