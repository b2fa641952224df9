"""Exactly once under the three faults: a worker killed (kill -9) in the middle
of a batch, a provider that fails and times out for a while, and two workers
draining the outbox together. Each ends with a reconciliation: every queued
message delivered once at the provider, every row recorded as sent."""

import os
import signal
import subprocess
import sys
import threading
import time

import pytest
from django.conf import settings as django_settings
from django.db import connection

from hall.notifications.constants import Status
from hall.notifications.models import Notification
from hall.notifications.worker import Worker

from .helpers import queue_messages

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _organisation(transactional_db):
    from hall.org import demo

    demo.load()


def reconcile(provider, keys):
    rows = Notification.objects.filter(idempotency_key__in=keys)
    assert set(rows.values_list("status", flat=True)) == {Status.SENT}
    assert provider.delivered_keys() == set(keys)
    for row in rows:
        assert row.provider_message_id == provider.messages[row.idempotency_key]["message_id"]


def database_url() -> str:
    s = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{s['NAME']}"
    auth = s["USER"] + (f":{s['PASSWORD']}" if s["PASSWORD"] else "")
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


def test_a_worker_killed_mid_batch_loses_nothing_and_sends_nothing_twice(
    city_scjg, provider, settings, tmp_path
):
    keys = queue_messages(city_scjg, 30)
    provider.delay = 0.05  # slow enough that the kill lands inside a batch
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "NOTIFY_GATEWAY": "http",
        "NOTIFY_HTTP_URL": settings.NOTIFY_HTTP_URL,
        "NOTIFY_HTTP_API_KEY": settings.NOTIFY_HTTP_API_KEY,
        "NOTIFY_BATCH_SIZE": "20",
        "NOTIFY_DIGEST_HOUR": "-1",
    }
    # The worker's log goes to a file: a pipe nobody reads would fill and stall it.
    log = tmp_path / "worker.log"
    with log.open("wb") as err:
        worker = subprocess.Popen(
            [sys.executable, "manage.py", "run_notifications", "--name", "doomed"],
            cwd=django_settings.BASE_DIR,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=err,
        )
    deadline = time.monotonic() + 60
    try:
        while len(provider.delivered_keys()) < 5:
            assert worker.poll() is None, log.read_text()[-2000:]
            assert time.monotonic() < deadline, log.read_text()[-2000:]
            time.sleep(0.02)
    finally:
        os.kill(worker.pid, signal.SIGKILL)
        worker.wait()
    stuck = Notification.objects.filter(status=Status.SENDING)
    assert stuck.exists() and set(stuck.values_list("claimed_by", flat=True)) != {""}
    # a new worker, once the sending timeout has passed, takes the stuck rows up
    settings.NOTIFY_SENDING_TIMEOUT = 0
    provider.delay = 0
    Worker("restarted").run(drain=True)
    reconcile(provider, keys)
    resent = [k for k in keys if provider.requests[k] > 1]
    assert resent, "the killed batch's messages were asked for again"
    assert all(Notification.objects.get(idempotency_key=k).attempts >= 2 for k in resent)


def test_a_provider_failing_then_timing_out_then_recovering(city_scjg, provider, settings):
    settings.NOTIFY_RETRY_BASE_SECONDS = 0  # retry at once: the test does not wait
    settings.NOTIFY_HTTP_TIMEOUT = 0.3
    provider.hang = 0.8
    keys = queue_messages(city_scjg, 30)
    provider.fail_next("500", 12)
    provider.fail_next("timeout", 3)  # the provider takes these, but answers too late
    provider.fail_next("notjson", 2)
    Worker("w").run(drain=True)
    reconcile(provider, keys)
    retried = Notification.objects.filter(attempts__gt=1).count()
    assert retried >= 12
    assert sum(provider.requests.values()) == len(keys) + 5  # 3 timeouts, 2 not JSON
    assert max(provider.requests.values()) >= 2


def test_two_workers_drain_the_outbox_together_without_sending_twice(city_scjg, provider, settings):
    settings.NOTIFY_BATCH_SIZE = 10
    keys = queue_messages(city_scjg, 200)
    handled = {}
    errors = []

    def run(name):
        try:
            handled[name] = Worker(name).run(drain=True)
        except Exception as exc:  # reported below, in the test's thread
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(f"w{i}",)) for i in (1, 2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert errors == []
    assert sum(handled.values()) == len(keys)
    reconcile(provider, keys)
    assert set(provider.requests.values()) == {1}  # no message was even claimed twice
