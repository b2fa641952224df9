"""Notification worker benchmarks against a local HTTP provider.

    .venv/bin/python bench/notifications.py throughput [--messages 5000]
    .venv/bin/python bench/notifications.py kill       [--messages 3000]
    .venv/bin/python bench/notifications.py outage     [--messages 3000] [--outage-seconds 60]
    .venv/bin/python bench/notifications.py drain      [--messages 10000]
    .venv/bin/python bench/notifications.py all

The provider is hall/notifications/tests/provider.py: a real HTTP server on
loopback speaking the HTTP gateway's protocol, deduping on the idempotency key.
Workers are real `manage.py run_notifications` processes.

`throughput`: messages/s with 1 and with 2 workers, counted at the provider from
its first to its last message (process start-up left out), and wall time.
`kill`: kill -9 the worker in the middle of a batch, restart it, wait for the
sending timeout to give the stuck rows back.
`outage`: the provider answers 500 for the first half of the outage and times
out for the second, then recovers; two workers keep retrying with back-off.
`drain`: two workers drain 10,000 messages together (meant for PostgreSQL).
Each reliability run ends in a reconciliation: every queued message delivered
exactly once at the provider and recorded as sent.

SQLite by default (var/bench/notifications.sqlite3, made afresh);
DATABASE_URL=postgres://… for PostgreSQL (an empty database you created).
"""

import argparse
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def setup_env() -> dict:
    from applications import setup_env as bench_env

    return bench_env(
        "notifications",
        fresh=True,
        extra={
            "NOTIFY_DIGEST_HOUR": "-1",
            "NOTIFY_GATEWAY": "http",
            "NOTIFY_BATCH_SIZE": "100",
            "NOTIFY_POLL_SECONDS": "0.2",
        },
    )


def django_ready():
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from hall.org import demo as org_demo

    org_demo.load()


def db_label() -> str:
    from django.db import connection

    return connection.vendor


def queue(n: int, prefix: str) -> list[str]:
    from hall.notifications.models import Notification
    from hall.org.models import Department

    Notification.objects.all().delete()
    department = Department.objects.get(center__region_code="330800", code="SCJG")
    keys = [f"{prefix}:{i}" for i in range(n)]
    Notification.objects.bulk_create(
        [
            Notification(
                center_id=department.center_id,
                department=department,
                channel="sms",
                event="accepted",
                recipient=f"138{i:08d}",
                text=f"【衢州市行政服务中心】您申请的“食品经营许可”已受理，查询号{i:08d}。",
                idempotency_key=key,
            )
            for i, key in enumerate(keys)
        ],
        batch_size=1000,
    )
    return keys


class Stamped:
    """Wraps the provider to note when the first and the last new message came."""

    def __init__(self, provider):
        self.provider = provider
        self.first = self.last = None
        keep = provider._keep

        def stamped(key, data):
            result = keep(key, data)
            now = time.perf_counter()
            if self.first is None:
                self.first = now
            self.last = now
            return result

        provider._keep = stamped


def start_provider(env: dict, **kwargs):
    from hall.notifications.tests.provider import API_KEY, Provider

    provider = Provider(**kwargs)
    env["NOTIFY_HTTP_URL"] = provider.start()
    env["NOTIFY_HTTP_API_KEY"] = API_KEY
    return provider, Stamped(provider)


def worker(env: dict, name: str, *, drain: bool, extra: dict | None = None):
    args = [sys.executable, "manage.py", "run_notifications", "--name", name]
    if drain:
        args.append("--drain")
    return subprocess.Popen(args, cwd=ROOT, env={**env, **(extra or {})}, stdout=subprocess.DEVNULL)


def counts() -> dict:
    from django.db.models import Count

    from hall.notifications.models import Notification

    return dict(Notification.objects.values_list("status").annotate(n=Count("id")).order_by())


def wait_all_sent(n: int, timeout: float) -> float:
    start = time.perf_counter()
    while time.perf_counter() - start < timeout:
        c = counts()
        if c.get("sent", 0) + c.get("delivered", 0) + c.get("failed", 0) >= n:
            break
        time.sleep(0.5)
    return time.perf_counter() - start


def reconcile(title: str, provider, keys: list[str]) -> bool:
    from hall.notifications.models import Notification

    c = counts()
    delivered = provider.delivered_keys()
    missing = set(keys) - delivered
    extra = delivered - set(keys)
    asked_again = sum(v - 1 for v in provider.requests.values() if v > 1)
    mismatched = 0
    for key, pid in Notification.objects.values_list("idempotency_key", "provider_message_id"):
        if provider.messages.get(key, {}).get("message_id") != pid:
            mismatched += 1
    ok = not missing and not extra and c.get("sent", 0) == len(keys) and mismatched == 0
    print(f"  reconciliation [{title}]: queued {len(keys)}, rows {c}")
    print(
        f"    provider: {len(delivered)} messages delivered (each key once), "
        f"{len(missing)} missing, {len(extra)} unexpected, "
        f"{asked_again} repeated requests absorbed by the idempotency key, "
        f"{mismatched} rows whose provider id differs"
    )
    print(f"    EXACTLY ONCE: {'yes' if ok else 'NO'}")
    return ok


def throughput(env, n):
    results = []
    for workers in (1, 2):
        keys = queue(n, f"tp{workers}")
        provider, stamp = start_provider(env)
        start = time.perf_counter()
        procs = [worker(env, f"tp{workers}-{i}", drain=True) for i in range(workers)]
        for p in procs:
            p.wait()
        wall = time.perf_counter() - start
        done = len(provider.delivered_keys())
        busy = (stamp.last - stamp.first) if stamp.first else float("nan")
        rate = done / busy if busy else float("nan")
        print(
            f"  {workers} worker(s): {done}/{n} messages, {rate:,.0f} messages/s at the provider "
            f"({busy:.2f} s), {done / wall:,.0f} messages/s wall clock incl. start-up ({wall:.2f} s)"
        )
        results.append(reconcile(f"throughput, {workers} worker(s)", provider, keys))
        provider.stop()
    return all(results)


def kill(env, n):
    keys = queue(n, "kill")
    provider, _ = start_provider(env, delay=0.002)
    extra = {"NOTIFY_SENDING_TIMEOUT": "3"}
    doomed = worker(env, "doomed", drain=False, extra=extra)
    while len(provider.delivered_keys()) < n // 3:
        time.sleep(0.01)
    os.kill(doomed.pid, signal.SIGKILL)
    doomed.wait()
    c = counts()
    print(
        f"  killed -9 after {len(provider.delivered_keys())} of {n} delivered; "
        f"{c.get('sending', 0)} rows left in 'sending'"
    )
    provider.delay = 0
    restarted = worker(env, "restarted", drain=False, extra=extra)
    took = wait_all_sent(n, timeout=300)
    restarted.send_signal(signal.SIGTERM)
    restarted.wait()
    print(f"  restarted worker finished in {took:.1f} s (sending timeout 3 s)")
    ok = reconcile("kill -9 and restart", provider, keys)
    provider.stop()
    return ok


def outage(env, n, seconds):
    keys = queue(n, "outage")
    provider, _ = start_provider(env, hang=2.0)
    half = seconds / 2
    provider.outage("500", half)
    threading.Timer(half, lambda: provider.outage("timeout", half)).start()
    extra = {
        "NOTIFY_HTTP_TIMEOUT": "1",
        "NOTIFY_RETRY_BASE_SECONDS": "1",
        "NOTIFY_RETRY_MAX_SECONDS": "8",
    }
    start = time.perf_counter()
    procs = [worker(env, f"outage-{i}", drain=False, extra=extra) for i in range(2)]
    took = wait_all_sent(n, timeout=seconds + 600)
    for p in procs:
        p.send_signal(signal.SIGTERM)
    for p in procs:
        p.wait()
    from django.db.models import Max, Sum

    from hall.notifications.models import Notification

    agg = Notification.objects.aggregate(tries=Sum("attempts"), most=Max("attempts"))
    print(
        f"  outage of {seconds:.0f} s (500 for {half:.0f} s, then timeouts for {half:.0f} s): "
        f"all done {took:.1f} s after start, {took - seconds:.1f} s after recovery; "
        f"{agg['tries']} tries for {n} messages, at most {agg['most']} for one"
    )
    ok = reconcile("provider outage", provider, keys)
    provider.stop()
    return ok and time.perf_counter() - start > 0


def drain(env, n):
    if db_label() != "postgresql":
        print("  (meant for PostgreSQL: running on SQLite anyway)")
    keys = queue(n, "drain")
    provider, stamp = start_provider(env)
    start = time.perf_counter()
    procs = [worker(env, f"drain-{i}", drain=True) for i in range(2)]
    for p in procs:
        p.wait()
    wall = time.perf_counter() - start
    busy = stamp.last - stamp.first
    print(
        f"  two workers drained {len(provider.delivered_keys())}/{n} in {wall:.1f} s "
        f"({n / busy:,.0f} messages/s at the provider)"
    )
    from django.db.models import Count

    from hall.notifications.models import Notification

    split = Notification.objects.values_list("claimed_by").annotate(n=Count("id")).order_by()
    shares = {}
    for claimed_by, count in split:
        name = claimed_by.split(":", 1)[0]
        shares[name] = shares.get(name, 0) + count
    print(f"  share per worker: {shares}")
    ok = reconcile("two workers, 10,000 messages", provider, keys)
    provider.stop()
    return ok


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("what", choices=["throughput", "kill", "outage", "drain", "all"])
    parser.add_argument("--messages", type=int, default=0)
    parser.add_argument("--outage-seconds", type=float, default=60)
    args = parser.parse_args()
    env = setup_env()
    django_ready()
    print(f"database: {db_label()}")
    ok = True
    if args.what in ("throughput", "all"):
        print("throughput")
        ok &= throughput(env, args.messages or 5000)
    if args.what in ("kill", "all"):
        print("kill -9 in the middle of a batch")
        ok &= kill(env, args.messages or 3000)
    if args.what in ("outage", "all"):
        print("provider outage")
        ok &= outage(env, args.messages or 3000, args.outage_seconds)
    if args.what in ("drain", "all"):
        print("two workers drain")
        ok &= drain(env, args.messages or 10000)
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
