"""The database and cache the settings build from the environment."""

import os
import subprocess
import sys
import uuid

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection

from hall.org.models import User

pytestmark = pytest.mark.django_db


def _database_url() -> str:
    """The URL of the database this test run uses (pytest-django's test database)."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    host, port = db["HOST"] or "127.0.0.1", db["PORT"] or 5432
    return f"postgres://{db['USER']}{password}@{host}:{port}/{db['NAME']}"


def _hall_shell(code: str, tmp_path) -> str:
    """Run `code` in another process of the hall (manage.py shell), configured
    from the environment like a server process; its standard output."""
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        # Nothing else to fall back on: a default database here would be empty.
        "HALL_VAR_DIR": str(tmp_path),
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", code],
        env=env,
        capture_output=True,
        text=True,
        cwd=settings.BASE_DIR,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


@pytest.mark.django_db(transaction=True)
def test_another_process_writes_to_the_database_the_environment_names(tmp_path):
    username = f"written-elsewhere-{uuid.uuid4().hex[:8]}"
    _hall_shell(
        f"from hall.org.models import User; User.objects.create(username={username!r})", tmp_path
    )
    assert User.objects.filter(username=username).exists()


def test_sqlite_runs_in_wal_with_immediate_transactions():
    if connection.vendor != "sqlite":
        pytest.skip("SQLite-only pragmas; this run is on PostgreSQL")
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        assert cursor.fetchone()[0] == "wal"
        cursor.execute("PRAGMA synchronous")
        assert cursor.fetchone()[0] == 1  # NORMAL
        cursor.execute("PRAGMA foreign_keys")
        assert cursor.fetchone()[0] == 1
    assert settings.DATABASES["default"]["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    assert settings.DATABASES["default"]["NAME"] != ":memory:"


@pytest.mark.django_db(transaction=True)
def test_separate_processes_share_the_cache(tmp_path):
    """What one server process caches (rate-limit counters, the catalogue's
    generation token, cached pages) the others see."""
    key = f"probe-{uuid.uuid4().hex[:8]}"
    _hall_shell(f"from django.core.cache import cache; cache.set({key!r}, '甲', 300)", tmp_path)
    seen = _hall_shell(
        "from django.core.cache import cache;"
        f"print(cache.get({key!r}, '未见')); cache.set({key!r} + '-reply', '乙', 300)",
        tmp_path,
    )
    assert seen == "甲"
    assert cache.get(key + "-reply") == "乙"
    if "CACHE_URL" not in os.environ:
        # By default the shared place is the database's cache table.
        table = settings.CACHES["default"]["LOCATION"]
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)} WHERE cache_key = %s",  # noqa: S608
                [cache.make_key(key)],
            )
            assert cursor.fetchone()[0] == 1


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    env = {
        "PATH": "/usr/bin:/bin",
        "DEBUG": "0",
        "DEMO_MODE": "0",
        "HALL_VAR_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "hall.settings",
    }
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        env=env,
        capture_output=True,
        text=True,
        cwd=settings.BASE_DIR,
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_cookies_are_secure(tmp_path):
    env = {
        "PATH": "/usr/bin:/bin",
        "DEBUG": "0",
        "SECRET_KEY": "x" * 60,
        "HALL_VAR_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "hall.settings",
    }
    code = (
        "from django.conf import settings as s;"
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT,"
        " s.SESSION_COOKIE_HTTPONLY, s.SESSION_COOKIE_SAMESITE, s.SECURE_HSTS_SECONDS > 0, s.DEMO_MODE)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, cwd=settings.BASE_DIR
    )
    assert result.stdout.split() == ["True", "True", "True", "True", "Lax", "True", "False"], (
        result.stderr
    )


def test_a_redis_cache_url_selects_djangos_redis_backend(tmp_path):
    env = {
        "PATH": "/usr/bin:/bin",
        "DEBUG": "1",
        "CACHE_URL": "redis://127.0.0.1:6379/1",
        "HALL_VAR_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "hall.settings",
    }
    code = "from django.conf import settings as s; c = s.CACHES['default']; print(c['BACKEND'], c['LOCATION'])"
    result = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, cwd=settings.BASE_DIR
    )
    assert result.stdout.split() == [
        "django.core.cache.backends.redis.RedisCache",
        "redis://127.0.0.1:6379/1",
    ], result.stderr
