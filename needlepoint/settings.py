"""Settings, read from the environment with safe development defaults.

Production is any run with ``DEBUG`` off: it refuses to start with the development
secret key. Every variable is listed in docs/configuration.md.
"""

from __future__ import annotations

import os
import re
from datetime import timedelta
from pathlib import Path
from typing import Any

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from needlepoint.core.email_url import parse_email_url

BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(os.environ.get("NEEDLEPOINT_DATA_DIR", BASE_DIR.parent / "var")).resolve()
# Where `needlepoint backup` writes and `needlepoint doctor` looks; None: DATA_DIR/backups.
_backup_dir = os.environ.get("NEEDLEPOINT_BACKUP_DIR")
BACKUP_DIR = Path(_backup_dir).resolve() if _backup_dir else None

DEVELOPMENT_SECRET_KEY = "development-only-secret-key-never-use-in-production"


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}.")


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_rate(name: str, default: str) -> str:
    """A rate limit such as ``5/hour``: a count per second, minute, hour or day."""
    value = os.environ.get(name) or default
    if not re.fullmatch(r"\d+/(second|minute|hour|day)", value):
        raise ImproperlyConfigured(
            f"{name} must be a count per second, minute, hour or day, like 5/hour; not {value!r}."
        )
    return value


DEBUG = env_bool("DEBUG", True)
SECRET_KEY = os.environ.get("SECRET_KEY") or DEVELOPMENT_SECRET_KEY
if not DEBUG and SECRET_KEY == DEVELOPMENT_SECRET_KEY:
    raise ImproperlyConfigured(
        "SECRET_KEY is the development key. Set SECRET_KEY to a long random value "
        "(for example: python -c 'import secrets; print(secrets.token_urlsafe(50))')."
    )

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")
# Addresses of the reverse proxy: a request from one of them is from the client its
# X-Forwarded-For names last (logs, audit, sign-in lockouts).
TRUSTED_PROXIES = env_list("NEEDLEPOINT_TRUSTED_PROXIES", "")

INSTALLED_APPS = [
    "needlepoint.core.emergency_admin.EmergencyAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",  # backup codes (accounts/two_factor.py)
    "axes",
    "django_tasks",
    "django_tasks_db",
    "needlepoint.core",
    "needlepoint.operations",
    "needlepoint.audit",
    "needlepoint.accounts",
    "needlepoint.clinics",
    "needlepoint.clients",
    "needlepoint.treatments",
    "needlepoint.scheduling",
    "needlepoint.consents",
    "needlepoint.public",
    "needlepoint.notifications",
    "needlepoint.imports",
    "needlepoint.webhooks",
    "needlepoint.payments",
    "needlepoint.packages",
    "needlepoint.vouchers",
    "needlepoint.memberships",
    "needlepoint.reports",
    "ninja",  # its Swagger UI files, served from here: no CDN (docs/api.md)
    "needlepoint.api",
]

MIDDLEWARE = [
    "needlepoint.core.request_log.RequestLogMiddleware",  # first: its timing covers the rest
    "django.middleware.security.SecurityMiddleware",
    "needlepoint.core.request_hygiene.TextCharsetMiddleware",  # every text/* names its charset
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "needlepoint.core.request_hygiene.StripNulMiddleware",  # before any view or query
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "needlepoint.accounts.otp.DeviceMiddleware",  # django-otp's, with a plain read
    # After sign-in: staff pages in the staff member's language, public pages in the client's.
    "needlepoint.public.language.LanguageMiddleware",
    "needlepoint.accounts.middleware.TwoFactorRequiredMiddleware",
    "needlepoint.accounts.middleware.IdleSessionMiddleware",
    "needlepoint.public.kiosk.KioskMiddleware",  # a tablet handed to a client stays on its pages
    "django.contrib.messages.middleware.MessageMiddleware",
    "needlepoint.audit.log.AuditMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",  # last, as django-axes asks
]

ROOT_URLCONF = "needlepoint.urls"
WSGI_APPLICATION = "needlepoint.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]


# DATABASE_POOLING=transaction: PostgreSQL is reached through a pooler in transaction mode
# (PgBouncer's pool_mode = transaction), where each transaction may meet another server
# connection: nothing may outlive a transaction (docs/scaling.md#pgbouncer).
DATABASE_POOLING = os.environ.get("DATABASE_POOLING", "").strip().lower() or "none"
if DATABASE_POOLING not in {"none", "transaction"}:
    raise ImproperlyConfigured(
        f"DATABASE_POOLING must be transaction or empty, not {DATABASE_POOLING!r}."
    )


def database_settings(url: str | None = None, *, pooling: str = DATABASE_POOLING) -> dict[str, Any]:
    url = url or os.environ.get("DATABASE_URL") or f"sqlite:///{DATA_DIR / 'needlepoint.sqlite3'}"
    config: dict[str, Any] = dict(dj_database_url.parse(url, conn_max_age=600))
    if config["ENGINE"] == "django.db.backends.sqlite3":
        # IMMEDIATE: a transaction that reads then writes takes the write lock up
        # front, so concurrent writers queue on the timeout instead of failing.
        config["OPTIONS"] = {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
        # Tests use a file too, so concurrent connections (race tests) really compete; one
        # file per test run (xdist's workers then add their own suffix), so two runs in
        # one checkout never share it.
        run = os.environ.get("PYTEST_XDIST_TESTRUNUID") or str(os.getpid())
        config["TEST"] = {"NAME": str(DATA_DIR / f"test-{run}.sqlite3")}
    elif pooling == "transaction":
        # No server-side prepared statements or cursors (each lives in one server
        # connection), and no startup parameters, which PgBouncer refuses: the database
        # itself holds max_parallel_workers_per_gather = 0 (ALTER DATABASE, docs/deploy.md).
        config.setdefault("OPTIONS", {})["prepare_threshold"] = None
        config["DISABLE_SERVER_SIDE_CURSORS"] = True
    else:
        # Parallel workers take ~10 ms to start, longer than any of this app's reads take
        # on one core; the planner would still pick them for the calendar's hold reads.
        options = config.setdefault("OPTIONS", {})
        options["options"] = f"{options.get('options', '')} -c max_parallel_workers_per_gather=0"
        # Parameters travel apart from the statement, and a statement a connection has run
        # five times is prepared: the server then stops planning it afresh on every request.
        # Planning was most of the database's time on the pages' reads (the chart's biggest:
        # 3.2 ms to plan, 0.2 ms to run). PgBouncer's transaction mode can't keep them (above).
        options["server_side_binding"] = True
        options["prepare_threshold"] = 5
    return config


DATABASES = {"default": database_settings()}
# A streaming replica of the primary: reports, exports, the audit log search and calendar
# feeds read it (core/replica.py); tests give it the primary's test database.
if os.environ.get("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = database_settings(os.environ["DATABASE_REPLICA_URL"])
    DATABASES["replica"]["OPTIONS"].setdefault("connect_timeout", 3)
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["needlepoint.core.replica.ReplicaRouter"]
# Further behind than this, the replica is passed over and reports read the primary.
REPLICA_MAX_LAG_SECONDS = float(os.environ.get("NEEDLEPOINT_REPLICA_MAX_LAG_SECONDS", "30"))
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "staff:home"
LOGOUT_REDIRECT_URL = "accounts:login"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # refuses sign-in while an account is locked out
    # Django's ModelBackend, loading the user with their staff member (accounts/backends.py)
    "needlepoint.accounts.backends.StaffBackend",
]
# Five wrong passwords for one account from one address lock that pair out for 15
# minutes. Guesses spread over many accounts meet the sign-in rate limit per address
# (THROTTLE_RATES["sign_in"]) instead: a lockout per address would shut a whole clinic's
# shared network out after five typos, and one good sign-in would clear it.
AXES_FAILURE_LIMIT = int(os.environ.get("NEEDLEPOINT_LOGIN_FAILURES", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("NEEDLEPOINT_LOCKOUT_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "username"  # the sign-in form's field (it holds the email)
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
# Staff sessions end after this long without a request; the portal's after 30 minutes.
SESSION_COOKIE_AGE = 60 * int(os.environ.get("NEEDLEPOINT_IDLE_MINUTES", "15"))
OTP_TOTP_ISSUER = "Needlepoint"
# The emergency admin never shows anyone's authenticator key or QR code.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True
# Rate limits per key, each a count per second, minute, hour or day (core/throttle.py).
THROTTLE_RATES = {
    "sign_in": env_rate("NEEDLEPOINT_RATE_SIGN_IN", "40/hour"),
    "portal_link_email": env_rate("NEEDLEPOINT_RATE_PORTAL_LINK_EMAIL", "5/hour"),
    "portal_link_address": env_rate("NEEDLEPOINT_RATE_PORTAL_LINK_ADDRESS", "20/hour"),
    "password_reset_email": env_rate("NEEDLEPOINT_RATE_PASSWORD_RESET_EMAIL", "5/hour"),
    "password_reset_address": env_rate("NEEDLEPOINT_RATE_PASSWORD_RESET_ADDRESS", "20/hour"),
    "newsletter": env_rate("NEEDLEPOINT_RATE_NEWSLETTER", "10/hour"),
    "booking": env_rate("NEEDLEPOINT_RATE_BOOKING", "60/hour"),
    "email_code": env_rate("NEEDLEPOINT_RATE_EMAIL_CODE", "5/hour"),
    "voucher_check": env_rate("NEEDLEPOINT_RATE_VOUCHER_CHECK", "10/hour"),
    "api": env_rate("NEEDLEPOINT_RATE_API", "600/minute"),
}


def cache_settings() -> dict[str, Any]:
    """The cache from ``CACHE_URL``: unset, the database; ``redis://host:port/db``, Redis.

    Every web server must name the same cache. Rate limits count in Redis when it is
    configured, and in the database when it is not or while it does not answer
    (core/throttle.py); nothing else is kept only there.
    """
    url = os.environ.get("CACHE_URL", "")
    if url.startswith(("redis://", "rediss://")):
        return {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": url,
            "KEY_PREFIX": "needlepoint",
            # A Redis that stops answering costs a request at most this long, once: the
            # rate limits then count in the database for a while (core/throttle.py).
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    if url in {"", "db:"}:
        # Rows in the database: shared by every worker and web server with no service to
        # add; `migrate` makes the table (core/migrations/0001_cache_table.py).
        return {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "needlepoint_cache",
            "OPTIONS": {"MAX_ENTRIES": 10_000},
        }
    raise ImproperlyConfigured(
        f"CACHE_URL must be redis://host:port/db (or unset, for the database); not {url!r}."
    )


CACHES = {"default": cache_settings()}
PASSWORD_RESET_TIMEOUT = 60 * 60  # a reset link works for an hour, once
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
LANGUAGES = [("en-gb", "English"), ("es", "Español"), ("de", "Deutsch")]
# Each package keeps its own catalogue (needlepoint/core/translations.py); some packages
# (setup, staff, the clinical core) are not installed apps, so every locale folder is listed.
LOCALE_PATHS = sorted(str(path) for path in BASE_DIR.glob("*/locale"))
PHONE_REGION = os.environ.get("PHONE_REGION", "GB")
TIME_ZONE = os.environ.get("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
MEDIA_ROOT = DATA_DIR / "media"
# Clients' photos: never under a web-served directory; a permission-checked view reads them.
PHOTO_ROOT = Path(os.environ.get("NEEDLEPOINT_PHOTO_DIR", DATA_DIR / "private" / "photos"))
PHOTO_MAX_BYTES = 20 * 1024 * 1024  # a full-size phone photo is 3 to 12 MB
PHOTO_MAX_PIXELS = 50_000_000  # larger claims are refused before decoding (decompression bombs)
# A JPEG over this is decoded at 1/2, 1/4 or 1/8 scale; a PNG or WebP over it is refused.
# It bounds an upload's memory (docs/deploy.md).
PHOTO_DECODE_PIXELS = 24_000_000
# Clinical files (photos, reviewers' letters): the "private" storage. A folder (PHOTO_ROOT)
# unless NEEDLEPOINT_S3_BUCKET names a bucket of their own on S3 or an S3-compatible server;
# credentials from AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (docs/configuration.md).
S3_BUCKET = os.environ.get("NEEDLEPOINT_S3_BUCKET", "")


def s3_storage(bucket: str, endpoint_url: str = "", region: str = "") -> dict[str, Any]:
    """The "private" storage entry for a bucket (tests build one for their own server)."""
    from botocore.config import Config

    return {
        "BACKEND": "needlepoint.core.storage.PrivateS3Storage",
        "OPTIONS": {
            "bucket_name": bucket,
            "endpoint_url": endpoint_url or None,
            "region_name": region or None,
            # A store that fails answers within seconds; two retries, then the user is told.
            "client_config": Config(
                connect_timeout=5,
                read_timeout=30,
                retries={"mode": "standard", "max_attempts": 3},
                s3={"addressing_style": "path" if endpoint_url else "auto"},
            ),
        },
    }


STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "private": (
        s3_storage(
            S3_BUCKET,
            os.environ.get("NEEDLEPOINT_S3_ENDPOINT_URL", ""),
            os.environ.get("NEEDLEPOINT_S3_REGION", ""),
        )
        if S3_BUCKET
        else {"BACKEND": "needlepoint.core.storage.PrivateFileStorage"}
    ),
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# Backup archives: NEEDLEPOINT_BACKUP_DIR, unless NEEDLEPOINT_BACKUP_BUCKET names a bucket on
# the same server and credentials as the photos' (operations/backup.py).
BACKUP_BUCKET = os.environ.get("NEEDLEPOINT_BACKUP_BUCKET", "")
if BACKUP_BUCKET:
    if BACKUP_BUCKET == S3_BUCKET:
        # A restore removes what its archive does not hold, and a backup copies the whole
        # photo bucket: archives there would be deleted, or copied into each other.
        raise ImproperlyConfigured(
            "NEEDLEPOINT_BACKUP_BUCKET must not be the photos' NEEDLEPOINT_S3_BUCKET: "
            "give the archives a bucket of their own."
        )
    STORAGES["backups"] = s3_storage(
        BACKUP_BUCKET,
        os.environ.get("NEEDLEPOINT_S3_ENDPOINT_URL", ""),
        os.environ.get("NEEDLEPOINT_S3_REGION", ""),
    )

globals().update(parse_email_url(os.environ.get("EMAIL_URL", "console:")))
SMS_URL = os.environ.get("SMS_URL", "console:")
# The address clients reach this site at: links in messages sent by the worker use it.
SITE_URL = os.environ.get("NEEDLEPOINT_SITE_URL", "http://127.0.0.1:8000")

# Background work: the tasks framework's database backend, run by `needlepoint worker`.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
if os.environ.get("NEEDLEPOINT_TASKS") == "immediate":  # run in-process (tests, one-off scripts)
    TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
MESSAGE_LEASE_SECONDS = int(os.environ.get("NEEDLEPOINT_MESSAGE_LEASE_SECONDS", "300"))
SCHEDULER_SECONDS = float(os.environ.get("NEEDLEPOINT_SCHEDULER_SECONDS", "60"))
# Webhooks go only to https addresses on the public internet; these allow http and
# private/loopback addresses, for local testing only (docs/webhooks.md).
WEBHOOK_ALLOW_HTTP = env_bool("NEEDLEPOINT_WEBHOOK_ALLOW_HTTP", False)
WEBHOOK_ALLOW_PRIVATE = env_bool("NEEDLEPOINT_WEBHOOK_ALLOW_PRIVATE", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Needlepoint <clinic@localhost>")

# Django's database sessions, read in one plain statement (accounts/sessions.py)
SESSION_ENGINE = "needlepoint.accounts.sessions"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Content Security Policy (django-csp): only this site's own files run or style a page, so
# no inline <script>, onclick=, <style> or style="" anywhere (docs/security.md). The card
# step of online booking adds Stripe's origins for itself only, made at each response from
# STRIPE_JS_URL and STRIPE_API_BASE below (payments/gateway.card_page_csp), so the tests'
# localstripe is allowed there too.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", "blob:"],  # photos are previewed from the camera
        "connect-src": ["'self'"],
        "font-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_REDIRECT_EXEMPT = [r"^health/$"]  # load balancers check the app over plain HTTP
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    # No script reads the CSRF cookie: htmx sends the token from base.html's hx-headers.
    CSRF_COOKIE_HTTPONLY = True

LOG_FORMAT = os.environ.get("LOG_FORMAT") or ("text" if DEBUG else "json")
if LOG_FORMAT not in {"json", "text"}:
    raise ImproperlyConfigured(f"LOG_FORMAT must be json or text, not {LOG_FORMAT!r}.")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "request_id": {"()": "needlepoint.core.request_log.RequestIdFilter"},
        "link_tokens": {"()": "needlepoint.core.request_log.LinkTokenFilter"},
    },
    "formatters": {
        "json": {"()": "needlepoint.core.request_log.JsonFormatter"},
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id", "link_tokens"],
            "formatter": LOG_FORMAT,
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"axes": {"level": "WARNING"}},  # it logs every sign-in at INFO
}

# Stripe: each organisation's keys are kept in the database, encrypted with a key derived
# from NEEDLEPOINT_KEYS_SECRET (SECRET_KEY when unset). STRIPE_API_BASE points the SDK at
# another server (the tests' localstripe); STRIPE_JS_URL is where the card form's script
# comes from (Stripe's own in production). A call to Stripe waits at most
# STRIPE_TIMEOUT_SECONDS to connect and as long for the answer; then the payment is
# "unknown — check" and the worker asks again with the same idempotency key.
NEEDLEPOINT_KEYS_SECRET = os.environ.get("NEEDLEPOINT_KEYS_SECRET") or SECRET_KEY
STRIPE_API_BASE = os.environ.get("STRIPE_API_BASE", "")
STRIPE_JS_URL = os.environ.get("STRIPE_JS_URL", "https://js.stripe.com/v3/")
STRIPE_TIMEOUT_SECONDS = float(os.environ.get("STRIPE_TIMEOUT_SECONDS", "20"))
