"""Fixed-window counters in the database, shared by every server process.

One atomic upsert per counted request (INSERT … ON CONFLICT DO UPDATE …
RETURNING, on SQLite ≥ 3.35 and PostgreSQL alike), so counting never loses an
increment between processes and costs a single short write.
"""

import random
import time
from datetime import UTC, datetime, timedelta

from django.db import connection, transaction

from . import proxies
from .models import RateCounter

_TABLE = RateCounter._meta.db_table


def _key(scope: str, ident: str, window: int) -> tuple[str, datetime]:
    slot = int(time.time() // window)
    expires = datetime.fromtimestamp((slot + 1) * window, tz=UTC)
    return f"{scope}:{ident}:{window}:{slot}"[:200], expires


def hit(scope: str, ident: str, *, limit: int, window: int) -> bool:
    """Count one use; False once more than `limit` uses were counted in this window."""
    key, expires = _key(scope, ident, window)
    expires_value = connection.ops.adapt_datetimefield_value(expires)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {_TABLE} (key, count, expires_at) VALUES (%s, 1, %s) "  # noqa: S608
            f"ON CONFLICT (key) DO UPDATE SET count = {_TABLE}.count + 1 RETURNING count",
            [key, expires_value],
        )
        count = cursor.fetchone()[0]
    if random.random() < 0.001:  # noqa: S311  (housekeeping, not security)
        RateCounter.objects.filter(
            expires_at__lt=datetime.now(tz=UTC) - timedelta(minutes=5)
        ).delete()
    return count <= limit


def exceeded(scope: str, ident: str, *, limit: int, window: int) -> bool:
    """Whether this window's count already reached `limit`, without counting."""
    key, _expires = _key(scope, ident, window)
    count = RateCounter.objects.filter(key=key).values_list("count", flat=True).first() or 0
    return count >= limit


def retry_after(window: int) -> int:
    """Seconds until this fixed window ends and its counts start again."""
    return max(1, window - int(time.time()) % window)


def lock(scope: str, ident: str, *, seconds: int) -> bool:
    """Hold a lock on `ident` for `seconds`. True only for the call that set it:
    while a lock holds, further calls change nothing, so whatever the lock
    causes (an audit entry, a notice) happens once per lock, in every process."""
    key = f"{scope}:{ident}"[:200]
    now = datetime.now(tz=UTC)
    until = connection.ops.adapt_datetimefield_value(now + timedelta(seconds=seconds))
    now_value = connection.ops.adapt_datetimefield_value(now)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {_TABLE} (key, count, expires_at) VALUES (%s, 1, %s) "  # noqa: S608
            f"ON CONFLICT (key) DO UPDATE SET count = {_TABLE}.count + 1, "
            f"expires_at = excluded.expires_at WHERE {_TABLE}.expires_at <= %s RETURNING count",
            [key, until, now_value],
        )
        return cursor.fetchone() is not None


def locked_until(scope: str, ident: str) -> datetime | None:
    """When the lock set by `lock` ends, or None when there is none."""
    return (
        RateCounter.objects.filter(
            key=f"{scope}:{ident}"[:200], expires_at__gt=datetime.now(tz=UTC)
        )
        .values_list("expires_at", flat=True)
        .first()
    )


def client_ip(request) -> str:
    """The client's address, through the proxies the operator trusts."""
    return proxies.client_ip(request) or "unknown"
