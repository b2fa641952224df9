"""Fixed-window counters in the shared cache, so every server process sees them."""

import time

from django.core.cache import cache


def _key(scope: str, ident: str, window: int) -> str:
    return f"rl:{scope}:{ident}:{int(time.time() // window)}"


def hit(scope: str, ident: str, *, limit: int, window: int) -> bool:
    """Count one use; False once `limit` uses were counted in this window."""
    key = _key(scope, ident, window)
    if cache.add(key, 1, timeout=window + 5):
        return True
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=window + 5)
        return True
    return count <= limit


def exceeded(scope: str, ident: str, *, limit: int, window: int) -> bool:
    """Whether the window's count is already over `limit`, without counting."""
    return (cache.get(_key(scope, ident, window)) or 0) >= limit


def client_ip(request) -> str:
    return request.META.get("REMOTE_ADDR") or "unknown"
