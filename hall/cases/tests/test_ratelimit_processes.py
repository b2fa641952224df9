"""The lookup limit is shared by every server process (it lives in the shared cache)."""

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from hall.cases import querynumbers

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _organisation(transactional_db):
    """Transactional tests empty the database afterwards; load the organisation first."""
    from hall.org import demo

    demo.load()


ROOT = Path(settings.BASE_DIR)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _database_url() -> str:
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    return f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def _serve(port: int) -> subprocess.Popen:
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "DEBUG": "0",
        "DEMO_MODE": "1",
        "HTTPS_ONLY": "0",
        "SECRET_KEY": "ratelimit-test-" + "x" * 40,
        "ALLOWED_HOSTS": "127.0.0.1",
        "LOG_LEVEL": "WARNING",
        # A day-long window: the test never straddles a window boundary.
        "LOOKUP_LIMIT_PER_CLIENT": "20/86400",
    }
    gunicorn = str(Path(sys.executable).parent / "gunicorn")
    return subprocess.Popen(
        [
            gunicorn,
            "hall.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )


def _get(port: int, path: str) -> int:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=10) as r:  # noqa: S310
            return r.status
    except urllib.error.HTTPError as exc:
        return exc.code


def _wait(port: int) -> None:
    deadline = time.time() + 30
    while time.time() < deadline:
        try:
            if _get(port, "/healthz") == 200:
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("server did not start")


def test_two_server_processes_share_one_limit(make_case):
    make_case()
    ports = [_free_port(), _free_port()]
    servers = [_serve(p) for p in ports]
    try:
        for p in ports:
            _wait(p)
        codes = []
        for i in range(24):
            number = urllib.parse.quote(querynumbers.generate())
            codes.append(_get(ports[i % 2], f"/api/v1/applications/{number}?phone=1"))
        # 20 lookups a minute per client, counted across both processes
        assert codes[:20] == [404] * 20
        assert codes[20:] == [429] * 4
    finally:
        for s in servers:
            s.terminate()
        for s in servers:
            s.wait(timeout=20)
