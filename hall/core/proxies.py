"""Which reverse proxies the hall believes, and the client address behind them.

Only a request whose peer (REMOTE_ADDR) is one of TRUSTED_PROXIES may tell the
hall the original scheme (X-Forwarded-Proto) and client (X-Forwarded-For); from
anyone else those headers are dropped (ProxyHeadersMiddleware), so a visitor
cannot make the hall build https links or pose as another address.
"""

import ipaddress
from functools import lru_cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

FORWARDED_HEADERS = (
    "HTTP_X_FORWARDED_PROTO",
    "HTTP_X_FORWARDED_FOR",
    "HTTP_X_FORWARDED_HOST",
    "HTTP_X_FORWARDED_PORT",
    "HTTP_FORWARDED",
)


@lru_cache(maxsize=8)
def _networks(entries: tuple[str, ...]):
    try:
        return tuple(ipaddress.ip_network(e.strip(), strict=False) for e in entries if e.strip())
    except ValueError as exc:
        raise ImproperlyConfigured(f"TRUSTED_PROXIES: {exc}") from exc


def _address(value: str):
    try:
        return ipaddress.ip_address(value.strip().strip("[]"))
    except ValueError:
        return None


def is_trusted_proxy(addr: str | None) -> bool:
    networks = _networks(tuple(settings.TRUSTED_PROXIES))
    ip = _address(addr or "")
    return ip is not None and any(ip in net for net in networks)


def client_ip(request) -> str | None:
    """The client's address: REMOTE_ADDR, or behind trusted proxies the last
    address of X-Forwarded-For that is not itself a trusted proxy. None when
    the request carries no valid address (a login made by a script)."""
    remote = _address(request.META.get("REMOTE_ADDR") or "")
    if remote is None:
        return None
    if not is_trusted_proxy(str(remote)):
        return str(remote)
    chain = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    for hop in reversed(chain):
        address = _address(hop)
        if address is None:
            break  # a malformed hop: believe nothing before it
        if not is_trusted_proxy(hop):
            return str(address)
    return str(remote)
