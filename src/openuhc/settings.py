"""Django settings for OpenUHC, read from environment variables (see README, "Configuration")."""

from __future__ import annotations

import secrets
import sys
from datetime import timedelta
from pathlib import Path

import dj_database_url

from openuhc.conf.env import env_bool, env_choice, env_int, env_list, env_networks, env_str
from openuhc.country import languages as country_languages
from openuhc.country import packs as country_packs

PACKAGE_DIR = Path(__file__).resolve().parent

# Everything the running system writes (SQLite file, uploads, reports, the generated secret key).
DATA_DIR = Path(env_str("OPENUHC_DATA_DIR", str(Path.cwd() / "data"))).resolve()

DEBUG = env_bool("OPENUHC_DEBUG", False)


def _secret_key() -> str:
    configured = env_str("OPENUHC_SECRET_KEY", "")
    if configured:
        return configured
    # No key configured: keep one per data folder so that sessions survive a restart.
    key_file = DATA_DIR / "secret_key"
    if key_file.exists():
        return key_file.read_text().strip()
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(50)
    key_file.write_text(key)
    key_file.chmod(0o600)
    return key


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env_list("OPENUHC_ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("OPENUHC_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "axes",
    "ninja",
    "openuhc.core",
    "openuhc.country",
    "openuhc.geo",
    "openuhc.providers",
    "openuhc.registry",
    "openuhc.localfund",
    "openuhc.rights",
    "openuhc.governance",
    "openuhc.accounts",
    "openuhc.engine",
    "openuhc.claims",
    "openuhc.drg",
    "openuhc.payment",
    "openuhc.budget",
    "openuhc.monitoring",
    "openuhc.fhir",
    "openuhc.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "openuhc.core.middleware.security_headers",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "openuhc.accounts.scope.scope_middleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "openuhc.core.middleware.BadParametersMiddleware",
    # before any view reads the body: refuses a declared body over the upload limit unread (core/uploads.py)
    "openuhc.core.uploads.UploadLimitMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "openuhc.urls"
WSGI_APPLICATION = "openuhc.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "openuhc.accounts.context_processors.scope",
            ],
            "builtins": ["openuhc.core.templatetags.uhc"],
        },
    },
]

# --- Database -------------------------------------------------------------------------------------
DATABASE_URL = env_str("OPENUHC_DATABASE_URL", f"sqlite:///{DATA_DIR / 'openuhc.sqlite3'}")
_db = dj_database_url.parse(DATABASE_URL, conn_max_age=env_int("OPENUHC_DB_CONN_MAX_AGE", 60, minimum=0))
if _db["ENGINE"] == "django.db.backends.sqlite3":
    _db["CONN_MAX_AGE"] = 0
    # WAL lets the web pages read while a background import writes; IMMEDIATE takes the write lock at
    # BEGIN so that two writers queue instead of failing half-way with "database is locked".
    _db["OPTIONS"] = {
        "timeout": 30,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
    }
    if _db["NAME"] not in ("", ":memory:"):
        Path(_db["NAME"]).parent.mkdir(parents=True, exist_ok=True)
elif env_bool("OPENUHC_DB_PREPARED_STATEMENTS", False):
    # Server-side binding with prepared statements: the eligibility check ran 3.5 times faster
    # (benchmarks/README.md). Off by default: it does not work behind PgBouncer in transaction mode.
    _db["OPTIONS"] = {**_db.get("OPTIONS", {}), "server_side_binding": True, "prepare_threshold": 5}
DATABASES = {"default": _db}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Authentication -------------------------------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:home"
LOGOUT_REDIRECT_URL = "accounts:login"
AXES_FAILURE_LIMIT = env_int("OPENUHC_LOGIN_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("OPENUHC_LOGIN_COOLOFF_MINUTES", 15, minimum=1))
# Lock the pair (username, client address), never a username alone or an address alone: with either alone,
# anyone who knows a username locks that person out, and five failures behind a shared proxy lock everyone.
# `openuhc users unlock USERNAME [--ip ADDRESS]` lifts a lock.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_CLIENT_IP_CALLABLE = "openuhc.core.clientip.client_ip"
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_ENABLED = env_bool("OPENUHC_AXES_ENABLED", True)

# The client's address behind a reverse proxy (core/clientip.py): the header is believed only on requests
# from these proxies.
OPENUHC_TRUSTED_PROXIES = env_networks("OPENUHC_TRUSTED_PROXIES")
OPENUHC_CLIENT_IP_HEADER = env_str("OPENUHC_CLIENT_IP_HEADER", "")

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("OPENUHC_SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_AGE = env_int("OPENUHC_SESSION_MINUTES", 8 * 60, minimum=5) * 60

# --- Country pack, languages, time ------------------------------------------------------------------
# The country pack (docs/country-pack.md) gives the languages, the time zone and the fiscal year; the variables
# below may still override each, as before. A pack that is missing or whose manifest is not valid stops start-up
# here, with a message naming the key.
OPENUHC_COUNTRY = env_str("OPENUHC_COUNTRY", "th")
_pack = country_packs.load_pack(OPENUHC_COUNTRY)
country_languages.register_extra_languages()
LANGUAGE_CODE = env_choice("OPENUHC_LANGUAGE_CODE", _pack["default_language"], tuple(_pack.languages))
LANGUAGES = country_languages.languages_of(_pack.languages)
# Each app keeps its own catalogue in <app>/locale; a pack's catalogue (a language of its own, terms that read
# differently there, e.g. "Sub-district" → "Barangay") comes first.
LOCALE_PATHS: list[Path] = [_pack.locale_dir] if _pack.locale_dir else []
TIME_ZONE = env_str("OPENUHC_TIME_ZONE", _pack["time_zone"])
USE_I18N = True
USE_TZ = True
# Off: a bare number in a template is shown as it is, so years (2569) and codes never get a separator; money
# and counts are shown through the `baht` and `number` filters (core/templatetags/uhc.py), which group digits.
USE_THOUSAND_SEPARATOR = False

# The fiscal year starts on the first day of this month and is named by the year in which it ends plus the
# pack's offset: in Thailand (10, BE), FY2569 runs from 1 Oct 2025 to 30 Sep 2026.
OPENUHC_FISCAL_YEAR_START_MONTH = env_int("OPENUHC_FISCAL_YEAR_START_MONTH",
                                          _pack["calendar"]["fiscal_year_start_month"], minimum=1, maximum=12)

# --- Static and uploaded files ----------------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise warns on every request when it is missing
MEDIA_ROOT = DATA_DIR / "media"
MEDIA_URL = "media/"  # never served directly: downloads go through scoped views
WHITENOISE_USE_FINDERS = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# The size limit is enforced as the upload arrives (core/uploads.py), before Django's own handlers store it.
FILE_UPLOAD_HANDLERS = [
    "openuhc.core.uploads.LimitedUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024
OPENUHC_MAX_UPLOAD_BYTES = env_int("OPENUHC_MAX_UPLOAD_MB", 2048, minimum=1) * 1024 * 1024

# --- Background work ----------------------------------------------------------------------------------
# "process": long work started from a page (imports, claim checks) runs in a worker process of its own
# (`openuhc jobs run`), so that what it reads never grows the web server's memory (core/jobs.py).
# "thread": in a thread of the web process. "inline": before the request returns (tests, debugging).
OPENUHC_JOBS_MODE = env_choice("OPENUHC_JOBS_MODE", "process", ("process", "thread", "inline"))

# --- Batch work, reference tables, analytics -------------------------------------------------------------
# Folders default to the data folder; an empty value means "the default".
OPENUHC_ENGINE_DIR = env_str("OPENUHC_ENGINE_DIR", "") or str(DATA_DIR / "runs")
OPENUHC_ENGINE_WORKERS = env_int("OPENUHC_ENGINE_WORKERS", 0, minimum=0) or None  # None: all cores
# Which runner computes engine runs when a caller does not say (docs/engine.md): "in-process" (this machine's
# cores) or "spark" (Apache Spark at OPENUHC_SPARK_MASTER; needs `pip install 'openuhc[spark]'` and Java 17+).
OPENUHC_ENGINE_RUNNER = env_choice("OPENUHC_ENGINE_RUNNER", "in-process", ("in-process", "spark"))
OPENUHC_SPARK_MASTER = env_str("OPENUHC_SPARK_MASTER", "") or "local[*]"
# A folder every executor reads and writes (s3://, gs://, hdfs://, or a shared mount); empty: the run's own folder
# (enough for local mode). OPENUHC_SPARK_CONF: more Spark settings as a JSON object.
OPENUHC_SPARK_STORAGE = env_str("OPENUHC_SPARK_STORAGE", "")
OPENUHC_SPARK_CONF = env_str("OPENUHC_SPARK_CONF", "")
OPENUHC_TABLES_DIR = env_str("OPENUHC_TABLES_DIR", "") or str(DATA_DIR / "tables")
OPENUHC_ANALYTICS_DIR = env_str("OPENUHC_ANALYTICS_DIR", "") or str(DATA_DIR / "analytics")
# A running job whose heartbeat is older than this is shown as interrupted.
OPENUHC_JOB_STALE_SECONDS = env_int("OPENUHC_JOB_STALE_SECONDS", 120, minimum=5)

# --- Logging ----------------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler", "stream": sys.stderr}},
    "root": {"handlers": ["console"], "level": env_str("OPENUHC_LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}, "axes": {"level": "WARNING"}},
}

# --- Security headers (docs/security.md) -------------------------------------------------------------------
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Behind HTTPS (secure cookies on): HSTS, and plain-HTTP requests redirected. A proxy that ends TLS must say
# so in a header (OPENUHC_PROXY_SSL_HEADER=X-Forwarded-Proto), or every request looks like plain HTTP.
_https = SESSION_COOKIE_SECURE
SECURE_HSTS_SECONDS = env_int("OPENUHC_HSTS_SECONDS", 31536000 if _https else 0, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("OPENUHC_HSTS_INCLUDE_SUBDOMAINS", _https)
SECURE_HSTS_PRELOAD = env_bool("OPENUHC_HSTS_PRELOAD", False)
SECURE_SSL_REDIRECT = env_bool("OPENUHC_SSL_REDIRECT", _https)
_proxy_ssl_header = env_str("OPENUHC_PROXY_SSL_HEADER", "")
if _proxy_ssl_header:
    SECURE_PROXY_SSL_HEADER = ("HTTP_" + _proxy_ssl_header.upper().replace("-", "_"), "https")
# The preload list is a promise made by the owner of the domain (hstspreload.org), not by this software:
# leave it off unless they decide to, and do not let `check --deploy` nag about it.
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD or not _https else ["security.W021"]
# Content-Security-Policy and Permissions-Policy: openuhc.core.middleware.security_headers. Pages load
# scripts and styles from this site only, and no inline script runs.
OPENUHC_CSP = env_str("OPENUHC_CSP", (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
    "connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"))
OPENUHC_PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), payment=(), "
    "usb=()")
