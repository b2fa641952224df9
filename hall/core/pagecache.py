"""Whole-page caching of public pages for visitors without a session.

A page is cached under its path, the language and a content generation token
(a new token on every change of what the page shows), in the shared cache.
Visitors with a session or pending messages always get a fresh page, so
nothing personal is ever served from the cache.
"""

import hashlib
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.utils.translation import get_language


def cacheable(request) -> bool:
    return (
        request.method == "GET"
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "messages" not in request.COOKIES
    )


def cache_public_page(generation, timeout: int = 300):
    """Cache the view's 200 responses; `generation()` returns the content token."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not cacheable(request):
                return view(request, *args, **kwargs)
            path = hashlib.sha256(request.get_full_path().encode()).hexdigest()[:32]
            key = f"page:{view.__name__}:{generation()}:{get_language()}:{path}"
            body = cache.get(key)
            if body is not None:
                response = HttpResponse(body)
                response["X-Page-Cache"] = "hit"
                return response
            response = view(request, *args, **kwargs)
            if response.status_code == 200 and not response.cookies:
                cache.set(key, response.content, timeout)
            return response

        return wrapped

    return decorator
