import secrets

from django.conf import settings
from django.http import HttpResponseNotAllowed
from django.utils import translation
from django.utils.cache import patch_cache_control

from . import proxies


class LanguageMiddleware:
    """Chinese unless the visitor chose another language.

    Unlike Django's LocaleMiddleware this ignores the browser's Accept-Language:
    a government hall answers in Chinese by default, English only on request.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.supported = {code for code, _ in settings.LANGUAGES}

    def __call__(self, request):
        lang = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if lang not in self.supported:
            lang = settings.LANGUAGE_CODE
        translation.activate(lang)
        request.LANGUAGE_CODE = lang
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", lang)
        patch_vary = response.get("Vary")
        response["Vary"] = f"{patch_vary}, Cookie" if patch_vary else "Cookie"
        return response


class ProxyHeadersMiddleware:
    """Drop the forwarding headers (X-Forwarded-Proto, -For, …) unless the peer
    is one of TRUSTED_PROXIES, before anything reads them: a visitor cannot
    claim https (SECURE_PROXY_SSL_HEADER) or another client address."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not proxies.is_trusted_proxy(request.META.get("REMOTE_ADDR")):
            for header in proxies.FORWARDED_HEADERS:
                request.META.pop(header, None)
        return self.get_response(request)


# The methods some view of the hall answers; anything else (TRACE, CONNECT,
# PROPFIND, PUT, DELETE, …) is refused on every URL before any view runs.
ALLOWED_METHODS = ("GET", "HEAD", "POST", "OPTIONS")


class MethodFilterMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method not in ALLOWED_METHODS:
            return HttpResponseNotAllowed(ALLOWED_METHODS)
        return self.get_response(request)


def _policy(directives: dict[str, str]) -> str:
    return "; ".join(f"{name} {value}" for name, value in directives.items())


# Every page: scripts, styles, images and fonts from the hall itself only, no
# inline code, no plugins, never framed, forms posted only back to the hall.
CSP = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self'",
    "font-src": "'self'",
    "connect-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}
# Pages with their own policy, by view name. The API docs (Swagger UI, served
# from the static files) run only the scripts carrying this request's nonce;
# its style sheet draws icons from data: URLs.
CSP_NONCE_VIEWS = {"api:openapi-view"}

# Public pages that anyone may see and a browser or proxy may keep. Every other
# page of the URLconf is answered `Cache-Control: private, no-store` (window PCs
# are shared): staff and back-office pages, applications and status lookups,
# exports and file downloads, the API answers with personal data.
CACHEABLE_VIEWS = {
    "portal:home",
    "portal:column",
    "portal:search",
    "catalogue:browse",
    "catalogue:search",
    "catalogue:item",
    "catalogue:item_print",
    "catalogue:regulations",
    "catalogue:regulation",
    "agencies:list",
    "policies:list",
    "policies:feed",
    "policies:detail",
    "announcements:index",
    "announcements:feed",
    "announcements:detail",
    "announcements:results",
    "announcements:results_feed",
    "announcements:result",
    "api:list_policies",
    "api:policy_detail",
    "api:list_announcements",
    "api:list_results",
    "agencies:detail",
    "api:api-root",
    "api:list_items",
    "api:item_detail",
    "api:list_agencies",
    "api:agency_detail",
    "api:openapi-json",
    "api:openapi-view",
    # ratings figures: the public 好差评 page and its API
    "ratings:public",
    "api:rating_stats",
}
PRIVATE_PREFIXES = ("/staff/", "/admin/")


def _view_name(request) -> str | None:
    match = getattr(request, "resolver_match", None)
    return match.view_name if match else None


def must_not_store(request, response) -> bool:
    if request.path.startswith(PRIVATE_PREFIXES):
        return True
    if response.has_header("Content-Disposition"):
        return True  # a file download or export
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return True
    name = _view_name(request)
    return name is not None and name not in CACHEABLE_VIEWS


class SecurityHeadersMiddleware:
    """Content-Security-Policy, Permissions-Policy and no-store on private pages."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.csp_nonce = secrets.token_urlsafe(16)
        response = self.get_response(request)
        if "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = self.policy(request)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        if must_not_store(request, response):
            patch_cache_control(response, private=True, no_store=True)
        return response

    @staticmethod
    def policy(request) -> str:
        if _view_name(request) in CSP_NONCE_VIEWS:
            nonce = f"'nonce-{request.csp_nonce}'"
            return _policy(
                {
                    **CSP,
                    "script-src": nonce,
                    "style-src": f"'self' {nonce}",
                    "img-src": "'self' data:",
                }
            )
        return _policy(CSP)
