"""The hall's one settings module: every value comes from the environment.

Each variable has a safe development default; `.env.example` documents them all.
Production is any run with DEBUG off: then SECRET_KEY must be given.
"""

import ipaddress
from datetime import timedelta
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.core.management.utils import get_random_secret_key
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(environ.Env().str("HALL_VAR_DIR", default=str(BASE_DIR / "var")))

env = environ.Env()
env_file = BASE_DIR / ".env"
if env_file.exists():
    environ.Env.read_env(str(env_file))

DEBUG = env.bool("DEBUG", default=False)
# Demo mode: the demo accounts of `load_demo` may log in. Never on in production.
DEMO_MODE = env.bool("DEMO_MODE", default=DEBUG)
# HTTPS_ONLY: secure cookies, HSTS and the redirect to https. On unless DEBUG.
HTTPS_ONLY = env.bool("HTTPS_ONLY", default=not DEBUG)

SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG and not DEMO_MODE:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    # A fresh key per process would log everyone out on every restart and break
    # sessions shared by several server workers, so development keeps one on disk.
    key_file = VAR_DIR / "secret_key"
    if key_file.exists():
        SECRET_KEY = key_file.read_text().strip()
    else:
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        SECRET_KEY = get_random_secret_key()
        key_file.write_text(SECRET_KEY)
        key_file.chmod(0o600)

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "hall.core.admin_config.HallAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "ninja",
    "hall.core",
    "hall.org",
    "hall.workdays",
    "hall.catalogue",
    "hall.agencies",
    "hall.cases",
    "hall.notifications",
    "hall.supervision",
    "hall.policies",
    "hall.announcements",
    "hall.portal",
    "hall.qa",
    "hall.ratings",
    "hall.rectification",
    "hall.feedback",
    "hall.manual",
    "hall.summaries",
    "hall.notices",  # 中心布置工作
    "hall.practice",
    "hall.assessment",
    "hall.messaging",
    "hall.usage",
    "hall.api",
]

MIDDLEWARE = [
    "hall.core.middleware.ProxyHeadersMiddleware",
    "hall.core.middleware.MethodFilterMiddleware",
    "hall.core.uploads.RequestSizeLimitMiddleware",
    "hall.core.urlcheck.RefuseNulPathMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "hall.core.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "hall.core.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "hall.org.middleware.StaffSessionMiddleware",
    "hall.core.practice.PracticeModeMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "hall.urls"
WSGI_APPLICATION = "hall.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "hall" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "hall.core.context_processors.hall",
                "hall.portal.context_processors.nav",
                "hall.core.navigation.staff_menu",
                "hall.manual.context_processors.help_link",
                "hall.core.practice.context_processor",
            ],
        },
    },
]

# --- database -----------------------------------------------------------------
DATABASE_URL = env.str("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'hall.sqlite3'}")
DATABASES = {"default": env.db_url_config(DATABASE_URL)}
_db = DATABASES["default"]
if _db["ENGINE"] == "django.db.backends.sqlite3":
    Path(_db["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    _db["OPTIONS"] = {
        # IMMEDIATE takes the write lock at BEGIN, so two writers queue on the
        # busy timeout instead of failing with "database is locked" mid-transaction.
        "transaction_mode": "IMMEDIATE",
        "timeout": env.int("SQLITE_BUSY_TIMEOUT", default=20),
        "init_command": (
            "PRAGMA journal_mode=WAL;"
            "PRAGMA synchronous=NORMAL;"
            "PRAGMA foreign_keys=ON;"
            "PRAGMA cache_size=-64000;"
            "PRAGMA mmap_size=268435456;"
        ),
    }
    # Keep connections between requests: reopening runs the PRAGMAs every time.
    _db["CONN_MAX_AGE"] = env.int("DB_CONN_MAX_AGE", default=600)
    # Tests use a real file too, never an in-memory database.
    _db["TEST"] = {"NAME": str(Path(_db["NAME"]).with_name("test_" + Path(_db["NAME"]).name))}
else:
    _db.setdefault("CONN_MAX_AGE", env.int("DB_CONN_MAX_AGE", default=60))
    _db.setdefault("CONN_HEALTH_CHECKS", True)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- cache (shared by every server process) ------------------------------------
CACHES = {"default": env.cache_url("CACHE_URL", default="dbcache://hall_cache")}
if CACHES["default"]["BACKEND"].endswith("DatabaseCache"):
    # Rate-limit counters and cached pages are many small entries; the default
    # of 300 entries would cull them (and the catalogue's generation token) early.
    CACHES["default"].setdefault("OPTIONS", {}).update(
        {"MAX_ENTRIES": 200_000, "CULL_FREQUENCY": 4}
    )

# --- auth -----------------------------------------------------------------------
AUTH_USER_MODEL = "org.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "hall.org.backends.StaffBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "org:login"
LOGIN_REDIRECT_URL = "org:landing"
LOGOUT_REDIRECT_URL = "org:login"

AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
# Lock the pair (user name, address): someone elsewhere cannot lock a clerk out,
# and failing again during the lockout does not extend it.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "hall.org.views.lockout_response"
AXES_VERBOSE = False
# The client's address as the hall sees it: behind a trusted proxy, from X-Forwarded-For.
AXES_CLIENT_IP_CALLABLE = "hall.core.proxies.client_ip"
# The pair above leaves many addresses many guesses; this caps an account:
# "failures/seconds" for one user name from all addresses locks it (the right
# password too) for the cool-off, and its owner gets one e-mail per lock.
ACCOUNT_LOCKOUT_FAILURES = tuple(
    int(x) for x in env.str("ACCOUNT_LOCKOUT_FAILURES", default="20/900").split("/")
)
ACCOUNT_LOCKOUT_COOLOFF = timedelta(minutes=env.int("ACCOUNT_LOCKOUT_COOLOFF_MINUTES", default=15))

# --- sessions and security ------------------------------------------------------
# A signed-in session ends after this many minutes without a request.
STAFF_IDLE_MINUTES = env.int("STAFF_IDLE_MINUTES", default=30)
# Two-factor login (TOTP): the issuer name authenticator apps show; required for
# center administrators and superusers when HTTPS_ONLY is on.
OTP_TOTP_ISSUER = env.str("OTP_TOTP_ISSUER", default="衢州市行政服务中心")
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=8 * 3600)
SESSION_COOKIE_SECURE = HTTPS_ONLY
CSRF_COOKIE_SECURE = HTTPS_ONLY
CSRF_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "hall.core.views.csrf_failure"
SECURE_SSL_REDIRECT = HTTPS_ONLY
SECURE_HSTS_SECONDS = env.int("HSTS_SECONDS", default=31536000 if HTTPS_ONLY else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS_ONLY
SECURE_HSTS_PRELOAD = HTTPS_ONLY
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
X_FRAME_OPTIONS = "DENY"
# The reverse proxies (addresses or networks, e.g. 10.0.0.5,10.1.0.0/24) whose
# X-Forwarded-Proto and X-Forwarded-For are believed; from any other address those
# headers are dropped before the hall reads them (ProxyHeadersMiddleware). start.sh
# gives gunicorn the same list. Empty: no proxy is trusted.
TRUSTED_PROXIES = env.list("TRUSTED_PROXIES", default=[])
for _proxy in TRUSTED_PROXIES:
    try:
        ipaddress.ip_network(_proxy, strict=False)
    except ValueError as exc:
        raise ImproperlyConfigured(f"TRUSTED_PROXIES: {exc}") from exc
if env.bool("BEHIND_PROXY", default=False) and not TRUSTED_PROXIES:
    raise ImproperlyConfigured("BEHIND_PROXY needs TRUSTED_PROXIES, the proxies' addresses.")
if TRUSTED_PROXIES:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Browser features no page of the hall uses (Permissions-Policy).
PERMISSIONS_POLICY = (
    "accelerometer=(), autoplay=(), camera=(), display-capture=(), encrypted-media=(), "
    "fullscreen=(), geolocation=(), gyroscope=(), hid=(), magnetometer=(), microphone=(), "
    "midi=(), payment=(), picture-in-picture=(), publickey-credentials-get=(), "
    "screen-wake-lock=(), serial=(), usb=(), xr-spatial-tracking=()"
)

# --- language, time -------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Date formats per language (Chinese dates in Chinese, no 年月日 in English).
FORMAT_MODULE_PATH = ["hall.formats"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- files ----------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(VAR_DIR / "static")))
STATICFILES_DIRS = [BASE_DIR / "hall" / "static"]
# Uploaded files live outside the web root and are served only through views
# that check permissions; there is deliberately no MEDIA_URL route.
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(VAR_DIR / "media")))
MEDIA_URL = "/media-not-served/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
FILE_UPLOAD_HANDLERS = ["hall.core.uploads.LimitedUploadHandler"]
FILE_UPLOAD_PERMISSIONS = 0o640
# The largest request body accepted (one application's files, 50 MB, and its form).
UPLOAD_MAX_REQUEST_BYTES = env.int("UPLOAD_MAX_REQUEST_BYTES", default=51 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 2000
DATA_UPLOAD_MAX_NUMBER_FILES = 50

# --- logging --------------------------------------------------------------------
LOG_DIR = Path(env.str("LOG_DIR", default=str(VAR_DIR / "log")))
LOG_LEVEL = env.str("LOG_LEVEL", default="INFO")
LOG_DIR.mkdir(parents=True, exist_ok=True)
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain"},
        "file": {
            "class": "logging.handlers.WatchedFileHandler",
            "filename": str(LOG_DIR / "hall.log"),
            "formatter": "plain",
        },
    },
    "root": {"handlers": ["console", "file"], "level": LOG_LEVEL},
    "loggers": {"django.db.backends": {"level": "WARNING"}, "axes": {"level": "WARNING"}},
}

# --- the hall -------------------------------------------------------------------
# Shown in every page's header and footer; translated when the text is one of
# the defaults (hall/core/constants.py), shown as given otherwise.
HALL_NAME = env.str("HALL_NAME", default="衢州市行政服务中心网上办事大厅")
HALL_ADDRESS = env.str("HALL_ADDRESS", default="衢州市柯城区荷花中路 行政服务中心")
HALL_HOURS = env.str("HALL_HOURS", default="周一至周五 8:30—12:00，14:30—17:30（法定节假日除外）")
HALL_PHONE = env.str("HALL_PHONE", default="0570-3058123")


# Status lookups by query number, each "count/seconds": every lookup per client
# address; failed tries per client, and per client on one number (over either,
# the client gets 429); failed tries on a number from all clients, after which
# the number is guarded: it needs the whole phone number, never refuses it.
# Benchmarks raise the first; production keeps it low.
def _per(name: str, default: str) -> tuple[int, int]:
    count, seconds = (int(x) for x in env.str(name, default=default).split("/"))
    return count, seconds


LOOKUP_LIMIT_PER_CLIENT = _per("LOOKUP_LIMIT_PER_CLIENT", "20/60")
LOOKUP_MISSES_PER_CLIENT = _per("LOOKUP_MISSES_PER_CLIENT", "30/3600")
LOOKUP_MISSES_PER_CLIENT_NUMBER = _per("LOOKUP_MISSES_PER_CLIENT_NUMBER", "5/3600")
LOOKUP_LIMIT_PER_NUMBER = _per("LOOKUP_LIMIT_PER_NUMBER", "10/3600")

# 好差评 (ratings): ratings posted through the API per client address ("count/seconds").
RATING_API_LIMIT = _per("RATING_API_LIMIT", "30/600")

# 网上答疑: questions asked per client address ("count/seconds"), the least
# seconds a person takes to fill the form, the days within which the same text
# is refused, and subject suggestions per client.
QA_ASK_LIMIT_PER_CLIENT = _per("QA_ASK_LIMIT_PER_CLIENT", "5/3600")
QA_MIN_FILL_SECONDS = env.int("QA_MIN_FILL_SECONDS", default=4)
QA_MAX_FILL_SECONDS = env.int("QA_MAX_FILL_SECONDS", default=86400)
QA_DUPLICATE_DAYS = env.int("QA_DUPLICATE_DAYS", default=30)
QA_SUGGEST_LIMIT_PER_CLIENT = _per("QA_SUGGEST_LIMIT_PER_CLIENT", "120/60")

# --- complaints hall (投诉大厅): filings per client per hour, tighter when anonymous --
COMPLAINT_LIMIT_PER_CLIENT = _per("COMPLAINT_LIMIT_PER_CLIENT", "5/3600")
COMPLAINT_ANONYMOUS_LIMIT_PER_CLIENT = _per("COMPLAINT_ANONYMOUS_LIMIT_PER_CLIENT", "2/3600")
COMPLAINT_DUPLICATE_DAYS = env.int("COMPLAINT_DUPLICATE_DAYS", default=30)

# --- notifications (SMS and e-mail, sent by `manage.py run_notifications`) -------
# SMS gateway: console (prints), file (JSON lines in NOTIFY_FILE_PATH), http (a
# provider, see hall/notifications/gateways.py) or the dotted path of a class.
NOTIFY_GATEWAY = env.str("NOTIFY_GATEWAY", default="console")
NOTIFY_EMAIL_GATEWAY = env.str("NOTIFY_EMAIL_GATEWAY", default="email")
NOTIFY_FILE_PATH = env.str("NOTIFY_FILE_PATH", default=str(VAR_DIR / "notifications.jsonl"))
NOTIFY_HTTP_URL = env.str("NOTIFY_HTTP_URL", default="")
NOTIFY_HTTP_API_KEY = env.str("NOTIFY_HTTP_API_KEY", default="")
NOTIFY_HTTP_TIMEOUT = env.float("NOTIFY_HTTP_TIMEOUT", default=5.0)
# Delivery receipts are refused unless signed with this secret (HMAC-SHA256).
NOTIFY_CALLBACK_SECRET = env.str("NOTIFY_CALLBACK_SECRET", default="")
NOTIFY_CALLBACK_MAX_SKEW = env.int("NOTIFY_CALLBACK_MAX_SKEW", default=300)
# The signature at the head of every SMS, as the provider registered it.
NOTIFY_SMS_SIGNATURE = env.str("NOTIFY_SMS_SIGNATURE", default="【衢州市行政服务中心】")
# Retries: doubling from the base up to the cap, then failed after MAX_ATTEMPTS
# tries (the defaults: 48 tries over about 4 hours).
NOTIFY_MAX_ATTEMPTS = env.int("NOTIFY_MAX_ATTEMPTS", default=48)
NOTIFY_RETRY_BASE_SECONDS = env.float("NOTIFY_RETRY_BASE_SECONDS", default=5.0)
NOTIFY_RETRY_MAX_SECONDS = env.float("NOTIFY_RETRY_MAX_SECONDS", default=300.0)
# A message "sending" longer than this (its worker died) is taken up again.
NOTIFY_SENDING_TIMEOUT = env.int("NOTIFY_SENDING_TIMEOUT", default=120)
NOTIFY_BATCH_SIZE = env.int("NOTIFY_BATCH_SIZE", default=50)
NOTIFY_POLL_SECONDS = env.float("NOTIFY_POLL_SECONDS", default=1.0)
# Local hour after which the worker queues the staff's daily digest; -1: never
# (then run `manage.py send_staff_digest` from cron).
NOTIFY_DIGEST_HOUR = env.int("NOTIFY_DIGEST_HOUR", default=8)
# The intranet's address, for the links in the digest e-mail.
NOTIFY_SITE_URL = env.str("NOTIFY_SITE_URL", default="http://127.0.0.1:8000")
# E-mail: console in development, e.g. smtp+tls://user:password@smtp.example.gov.cn:587
_email = env.email_url("EMAIL_URL", default="consolemail://")
EMAIL_BACKEND = _email["EMAIL_BACKEND"]
EMAIL_HOST = _email.get("EMAIL_HOST") or "localhost"
EMAIL_PORT = _email.get("EMAIL_PORT") or 25
EMAIL_HOST_USER = _email.get("EMAIL_HOST_USER") or ""
EMAIL_HOST_PASSWORD = _email.get("EMAIL_HOST_PASSWORD") or ""
EMAIL_USE_TLS = bool(_email.get("EMAIL_USE_TLS"))
EMAIL_USE_SSL = bool(_email.get("EMAIL_USE_SSL"))
EMAIL_TIMEOUT = 20
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="hall@localhost")

# 双公示: an approval result publishes itself this many working days after the
# decision (0: at once), unless the center set its own hold; the law's limit is 7.
RESULTS_HOLD_DAYS = env.int("RESULTS_HOLD_DAYS", default=1)
