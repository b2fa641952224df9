"""Public columns benchmark: the grouped search in-process, and every public list
page over HTTP with wrk, as a ratio to /healthz measured in the same run.

    .venv/bin/python bench/columns.py [--seconds 10] [--connections 8] [--workers 2]

Volumes (options of the same names): 5,000 items, 2,000 policies, 5,000 Q&As,
20,000 results, 1,000 agencies — each column's `demo.bulk(n)` makes its rows.
A SQLite file under var/bench/ (made once, reused while the volumes agree), or
PostgreSQL with DATABASE_URL=postgres://… (an empty database, see README.md).
"""

import argparse
import importlib
import re
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import search as item_bench  # noqa: E402  (bench/search.py: the 5,000-item seed)

# (app, option, default volume, the column index counting them): each app's
# demo.bulk(n) makes n more published rows.
COLUMNS = [
    ("hall.policies", "policies", 2000, "policies"),
    ("hall.qa", "questions", 5000, "qa"),
    ("hall.announcements", "results", 20000, "results"),
    ("hall.agencies", "agencies", 1000, "agencies"),
]
# One- and two-character queries (the hardest: they match most), a pinyin and initials.
QUERIES = ["市", "证", "许可", "食品", "公司", "登记", "yyzz", "shipin"]


def seed(args) -> None:
    item_bench.seed(args.items)
    have = volumes()
    for app, option, _default, slug in COLUMNS:
        wanted = getattr(args, option)
        if have.get(slug, 0) < wanted:
            importlib.import_module(f"{app}.demo").bulk(wanted - have.get(slug, 0))


def volumes() -> dict:
    from hall.catalogue.search import published_index
    from hall.core import textsearch

    figures = {"items": len(published_index())}
    for index in textsearch.indexes():
        figures[index.slug] = len(index.entries())
    return figures


def in_process(rounds: int) -> None:
    from hall.portal.selectors import grouped_search

    grouped_search("预热")  # build every index of this process before timing
    print(f"\nGrouped search in-process ({rounds} rounds per query)")
    print(f"{'query':<10} {'found':>8} {'p50 ms':>8} {'p99 ms':>8}")
    worst = 0.0
    for query in QUERIES:
        times, found = [], 0
        for _ in range(rounds):
            start = time.perf_counter()
            _q, groups = grouped_search(query)
            times.append((time.perf_counter() - start) * 1000)
            found = sum(g.total for g in groups)
        times.sort()
        p99 = times[int(0.99 * (len(times) - 1))]
        worst = max(worst, p99) if len(query) <= 2 else worst
        print(f"{query:<10} {found:>8} {statistics.median(times):>8.2f} {p99:>8.2f}")
    print(f"worst p99 of the one- and two-character queries: {worst:.2f} ms")


_UNIT = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def _ms(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", text).groups()
    return float(number) * _UNIT[unit]


def wrk(port: int, path: str, *, seconds: float, connections: int) -> dict:
    out = subprocess.run(
        [
            "wrk",
            "-t2",
            f"-c{connections}",
            f"-d{int(seconds)}s",
            "--latency",
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


def public_pages() -> list[tuple[str, str]]:
    """The home page, the grouped search, and each column's list (first page, a
    filtered search) as an anonymous visitor opens them."""
    from django.urls import reverse

    from hall.core import textsearch

    pages = [("home", "/"), ("grouped search 许可", "/search/all/?q=" + quote("许可"))]
    for index in textsearch.indexes():
        if index.list_url:
            url = index.list_url if index.list_url.startswith("/") else reverse(index.list_url)
            pages += [(index.slug, url), (f"{index.slug} ?q=市", f"{url}?q={quote('市')}")]
    return pages


def over_http(env: dict, args) -> None:
    import _http

    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    pages = public_pages()
    server = _http.start_gunicorn(env, args.port, args.workers)
    results = []
    try:
        for _name, path in pages:  # warm every page (and each worker's indexes)
            wrk(args.port, path, seconds=1, connections=args.connections)
        health = wrk(args.port, "/healthz", seconds=args.seconds, connections=args.connections)
        for name, path in pages:
            results.append(
                (name, wrk(args.port, path, seconds=args.seconds, connections=args.connections))
            )
        health_after = wrk(
            args.port, "/healthz", seconds=args.seconds, connections=args.connections
        )
    finally:
        server.terminate()
        server.wait(timeout=30)
    print(
        f"\nOver HTTP (wrk, {args.connections} connections, gunicorn {args.workers} workers, "
        f"{args.seconds:.0f}s each, anonymous visitors)"
    )
    print(f"{'page':<24} {'req/s':>8} {'ratio':>6} {'p50 ms':>8} {'p99 ms':>8} {'non-2xx':>8}")
    base = (health["rps"] + health_after["rps"]) / 2
    for name, r in [("/healthz (before)", health), *results, ("/healthz (after)", health_after)]:
        print(
            f"{name:<24} {r['rps']:>8.1f} {r['rps'] / base:>6.2f} {r['p50']:>8.2f} "
            f"{r['p99']:>8.2f} {r['errors']:>8}"
        )
    low = min(r["rps"] / base for _n, r in results)
    print(f"lowest list page / healthz ratio: {low:.2f} (healthz {base:.1f} req/s, mean of both)")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--items", type=int, default=5000)
    for _app, option, default, _slug in COLUMNS:
        parser.add_argument(f"--{option}", type=int, default=default)
    parser.add_argument("--rounds", type=int, default=100)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--port", type=int, default=8124)
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is needed (apt-get install wrk)")
    env = item_bench.setup_env(args)
    seed(args)
    from django.db import connection

    print(f"database: {connection.vendor}; rows: {volumes()}")
    in_process(args.rounds)
    connection.close()
    over_http(env, args)


if __name__ == "__main__":
    main()
