"""Search benchmark: 5,000 items; in-process per query kind and over HTTP.

    .venv/bin/python bench/search.py [--items 5000] [--seconds 10] [--concurrency 4]

With DATABASE_URL=postgres://… it runs on PostgreSQL (database `hall_bench`
is created and dropped by the script's own migrations run); otherwise on a
SQLite file under var/bench/.
"""

import argparse
import os
import signal
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

QUERIES = {
    "1 char": "证",
    "2 chars": "营业",
    "4 chars": "营业执照",
    "pinyin": "yingyezhizhao",
    "initials": "yyzz",
    "no match": "qqqqxx",
}


def setup_env(args) -> dict:
    env = dict(os.environ)
    bench_dir = ROOT / "var" / "bench"
    bench_dir.mkdir(parents=True, exist_ok=True)
    if not env.get("DATABASE_URL", "").startswith("postgres"):
        env["DATABASE_URL"] = f"sqlite:///{bench_dir / 'search.sqlite3'}"
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "hall.settings",
            "DEBUG": "0",
            "DEMO_MODE": "1",
            "HTTPS_ONLY": "0",
            "SECRET_KEY": "bench-" + "x" * 50,
            "HALL_VAR_DIR": str(bench_dir),
            "LOG_LEVEL": "WARNING",
        }
    )
    os.environ.update(env)
    return env


def seed(n_items: int) -> None:
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    from hall.catalogue.demo import demo_data
    from hall.catalogue.models import ServiceItem
    from hall.catalogue.search import build_search_text
    from hall.org import demo as org_demo
    from hall.org.models import Department

    org_demo.load()
    if ServiceItem.objects.count() >= n_items:
        return
    ServiceItem.objects.all().delete()
    departments = {
        (d.center.region_code, d.code): d for d in Department.objects.select_related("center")
    }
    specs = [(code, s) for code, items in demo_data("city_items").items() for s in items]
    variants = [
        "",
        "（新办）",
        "（变更）",
        "（延续）",
        "（注销）",
        "（补证）",
        "（迁入）",
        "（迁出）",
        "（首次）",
        "（换发）",
    ]
    rows, seq = [], {}
    regions = ["330800", "330802", "330803", "330825", "330881", "330822", "330824"]
    i = 0
    while len(rows) < n_items:
        code, spec = specs[i % len(specs)]
        variant = variants[(i // len(specs)) % len(variants)]
        region = regions[(i // (len(specs) * len(variants))) % len(regions)]
        department = departments.get((region, code)) or departments[("330800", code)]
        key = (department.pk, spec["type"])
        seq[key] = seq.get(key, 0) + 1
        name = spec["name"] + variant
        rows.append(
            ServiceItem(
                center=department.center,
                department=department,
                code=f"{department.center.region_code}-{department.code}-{spec['type'].upper()}-{seq[key]:04d}",
                name=name,
                aliases="、".join(spec.get("aliases", [])),
                item_type=spec["type"],
                applicant_type=spec["applicant"],
                online_depth=spec["depth"],
                statutory_days=spec["statutory_days"],
                promised_days=spec["promised_days"],
                view_count=(i * 7919) % 5000,
                search_text=build_search_text(
                    name=name, aliases=spec.get("aliases", []), department=department.name
                ),
            )
        )
        i += 1
    ServiceItem.objects.bulk_create(rows, batch_size=500)


def in_process(rounds: int) -> None:
    from hall.catalogue.search import search_items

    search_items("预热")  # build the process's index before timing
    print(f"\nIn-process search ({rounds} rounds per query kind)")
    print(f"{'kind':<10} {'query':<15} {'hits':>6} {'p50 ms':>8} {'p99 ms':>8}")
    for kind, query in QUERIES.items():
        times, hits = [], 0
        for _ in range(rounds):
            start = time.perf_counter()
            result = search_items(query)
            hits = len(result.hits)
            times.append((time.perf_counter() - start) * 1000)
        times.sort()
        print(
            f"{kind:<10} {query:<15} {hits:>6} {statistics.median(times):>8.2f} "
            f"{times[int(0.99 * (len(times) - 1))]:>8.2f}"
        )


def over_http(env: dict, args) -> None:
    from urllib.parse import quote

    import _http

    port = args.port
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    server = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "hall.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(args.workers),
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        _http.wait_until_up(port)
        path = "/search/?q=" + quote("营业")
        _http.load(port, path, seconds=2, concurrency=args.concurrency)  # warm-up
        health = _http.load(port, "/healthz", seconds=args.seconds, concurrency=args.concurrency)
        search = _http.load(port, path, seconds=args.seconds, concurrency=args.concurrency)
        half = max(1, args.concurrency // 2)
        search_half = _http.load(port, path, seconds=args.seconds, concurrency=half)
        # Every request a different URL: no page-cache hit, the full search and render.
        cold = _http.load(
            port, path, seconds=args.seconds, concurrency=args.concurrency, unique=True
        )
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=20)
    print(
        f"\nOver HTTP (gunicorn, {args.workers} workers, {args.concurrency} clients, {args.seconds}s each)"
    )
    print(f"{'endpoint':<28} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'errors':>7}")
    for name, r in (
        ("/healthz", health),
        ("/search/?q=营业", search),
        (f"/search/?q=营业 ({half} clients)", search_half),
        ("/search/?q=营业 uncached", cold),
    ):
        print(
            f"{name:<28} {r['rps']:>8.1f} {r['p50_ms']:>8.2f} {r['p99_ms']:>8.2f} {r['errors']:>7}"
        )
    print(f"search / healthz throughput ratio: {search['rps'] / health['rps']:.2f}")
    print(f"uncached search / healthz throughput ratio: {cold['rps'] / health['rps']:.2f}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--items", type=int, default=5000)
    parser.add_argument("--rounds", type=int, default=200)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--port", type=int, default=8123)
    args = parser.parse_args()
    env = setup_env(args)
    seed(args.items)
    from django.db import connection

    from hall.catalogue.models import ServiceItem

    print(f"database: {connection.vendor}, items: {ServiceItem.objects.count()}")
    in_process(args.rounds)
    connection.close()
    over_http(env, args)


if __name__ == "__main__":
    main()
