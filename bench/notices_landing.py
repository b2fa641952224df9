"""The staff landing page with the notices' sections and the menu's unread
badge: p50/p99 over N requests by 2 clients in-process (Django test clients on
two threads) against the database of DATABASE_URL (load the demo first), and
the queries the notices add to one request.

    python bench/notices_landing.py [--requests 200] [--users city_admin,scjg_clerk]
"""

import argparse
import os
import statistics
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hall.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from hall.org.models import User  # noqa: E402


def client_for(username):
    c = Client(HTTP_HOST="127.0.0.1")
    c.force_login(User.objects.get(username=username), backend="hall.org.backends.StaffBackend")
    c.get("/staff/")  # warm the middleware and the calendar
    return c


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--requests", type=int, default=200)
    ap.add_argument("--users", default="city_admin,scjg_clerk")
    a = ap.parse_args()
    for username in a.users.split(","):
        c = client_for(username)
        with CaptureQueriesContext(connection) as q:
            c.get("/staff/")
        mine = [x["sql"] for x in q.captured_queries if "notices_" in x["sql"]]
        total_queries = len(q.captured_queries)
        times: list[float] = []
        lock = threading.Lock()

        def run(client, n, times=times, lock=lock):
            for _ in range(n):
                t = time.perf_counter()
                assert client.get("/staff/").status_code == 200
                with lock:
                    times.append((time.perf_counter() - t) * 1000)

        clients = [client_for(username) for _ in range(2)]
        threads = [threading.Thread(target=run, args=(cl, a.requests // 2)) for cl in clients]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        times.sort()
        p99 = times[min(len(times) - 1, int(len(times) * 0.99))]
        print(
            f"{username}: landing page, 2 clients, {len(times)} requests: "
            f"p50 {statistics.median(times):.1f} ms, p99 {p99:.1f} ms; "
            f"{total_queries} queries, {len(mine)} of them the notices'"
        )


if __name__ == "__main__":
    main()
