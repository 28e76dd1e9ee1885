"""Django settings for Ortswandel.

Everything that differs between a laptop demo and production comes from the environment, read
through the one typed reader :mod:`ortswandel.core.env`; the defaults live here, in one place. A
value that cannot be parsed stops start-up with a message naming the variable (a bad value never
falls back silently). Apps read the settings below, never ``os.environ``. Every variable is
described in docs/operator-guide.md, section 3.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from ortswandel.core.env import base_dir, content_dir, data_dir, env

PACKAGE_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = base_dir()
VAR_DIR = env.path("ORTSWANDEL_VAR_DIR", BASE_DIR / "var")

ENVIRONMENT = env.choice("ORTSWANDEL_ENV", "development", ("development", "production"))
PRODUCTION = ENVIRONMENT == "production"
DEBUG = env.boolean("DEBUG", default=False)

_DEV_SECRET = "dev-only-insecure-secret-key-do-not-use-in-production-0123456789abcdef"
SECRET_KEY = env.string("SECRET_KEY", "" if PRODUCTION else _DEV_SECRET)
if PRODUCTION and (not SECRET_KEY or SECRET_KEY == _DEV_SECRET):
    raise ImproperlyConfigured("SECRET_KEY must be set in production (ORTSWANDEL_ENV=production).")
# Key rotation: the previous key(s), comma-separated. Signed links and sessions made with them stay
# valid while they are listed here; new ones are signed with SECRET_KEY.
SECRET_KEY_FALLBACKS = env.strings("SECRET_KEY_FALLBACKS")

ALLOWED_HOSTS = env.strings(
    "ALLOWED_HOSTS", () if PRODUCTION else ("127.0.0.1", "localhost", "testserver")
)
CSRF_TRUSTED_ORIGINS = env.strings("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "ortswandel.core.apps.OrtswandelAdminConfig",  # django.contrib.admin with our admin site
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "ninja",
    "django_q",  # background jobs and schedules (before core: core re-registers its admin)
    "rules.apps.AutodiscoverRulesConfig",  # loads every app's rules.py (object permissions)
    "django_prose_editor",  # the admin's rich-text editor (static files only)
    "reversion",  # revision history with restore (catalogue admin)
    "ortswandel.core",
    "ortswandel.accounts",
    "ortswandel.municipalities",
    "ortswandel.catalogue",
    "ortswandel.search",
    "ortswandel.events",
    "ortswandel.datapool",
    "ortswandel.calls",
    "ortswandel.participation",
    "ortswandel.newsletter",
    "ortswandel.planning",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "ortswandel.core.middleware.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "ortswandel.core.middleware.QueryStringGuardMiddleware",
    "ortswandel.core.middleware.OrtswandelErrorMiddleware",
    # Turns a throttled login (site or admin) into a 429 page with a German message.
    "ortswandel.accounts.throttle.LoginThrottleMiddleware",
]

ROOT_URLCONF = "ortswandel.config.urls"
WSGI_APPLICATION = "ortswandel.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "ortswandel.core.context_processors.site",
            ],
        },
    },
]

try:
    DATABASES = {
        "default": dj_database_url.parse(
            env.string("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'ortswandel.sqlite3'}",
            conn_max_age=env.integer("DB_CONN_MAX_AGE", 60, minimum=0),
        )
    }
except ValueError as exc:  # unknown scheme, bad port …
    raise ImproperlyConfigured(f"Environment variable DATABASE_URL is not valid: {exc}") from None
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL + a busy timeout let parallel requests queue on the write lock instead of failing;
    # IMMEDIATE transactions take the write lock at BEGIN, so check-then-write is serialised.
    # Connections are kept (DB_CONN_MAX_AGE) as on PostgreSQL: a new SQLite connection parses the
    # whole schema on first use, about 8 ms of CPU per request (measured, bench/bench_events.py).
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": 30,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
    # A file (not :memory:) so that live-server tests see real parallel connections; one file per
    # test process so that parallel test runs never share a database.
    DATABASES["default"].setdefault("TEST", {})["NAME"] = env.string(
        "ORTSWANDEL_TEST_SQLITE", str(VAR_DIR / f"test-ortswandel-{os.getpid()}.sqlite3")
    )
else:
    DATABASES["default"].setdefault("TEST", {})["NAME"] = env.string(
        "ORTSWANDEL_TEST_DBNAME", f"test_ortswandel_{os.getpid()}"
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Django's ModelBackend with login throttling per account and per client
# (ortswandel.accounts.throttle); it guards the site login and the admin login alike. Object
# permissions: each app declares its rules in rules.py (``user.has_perm(name, obj)``); the rules
# backend never authenticates.
AUTHENTICATION_BACKENDS = [
    "ortswandel.accounts.throttle.ThrottledModelBackend",
    "rules.permissions.ObjectPermissionBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:profile"
LOGOUT_REDIRECT_URL = "catalogue:home"

LANGUAGE_CODE = "de"
LANGUAGES = [("de", _("Deutsch")), ("en", _("Englisch"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Europe/Berlin"
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["ortswandel.config.formats"]

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", VAR_DIR / "media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = not PRODUCTION
if not PRODUCTION:
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise warns about a missing root
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# Email: file backend in development (var/mail), SMTP in production.
EMAIL_BACKEND = env.string(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if PRODUCTION
    else "django.core.mail.backends.filebased.EmailBackend",
)
EMAIL_FILE_PATH = str(env.path("EMAIL_FILE_PATH", VAR_DIR / "mail"))
EMAIL_HOST = env.string("EMAIL_HOST", "localhost")
EMAIL_PORT = env.integer("EMAIL_PORT", 25, minimum=1, maximum=65535)
EMAIL_HOST_USER = env.string("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env.string("EMAIL_HOST_PASSWORD", keep_whitespace=True)
EMAIL_USE_TLS = env.boolean("EMAIL_USE_TLS", default=False)
EMAIL_USE_SSL = env.boolean("EMAIL_USE_SSL", default=False)
if EMAIL_USE_TLS and EMAIL_USE_SSL:
    raise ImproperlyConfigured("EMAIL_USE_TLS and EMAIL_USE_SSL: set at most one of them to true.")
EMAIL_TIMEOUT = env.integer("EMAIL_TIMEOUT", 20, minimum=1)
DEFAULT_FROM_EMAIL = env.string("DEFAULT_FROM_EMAIL", "Ortswandel <noreply@ortswandel.invalid>")
SERVER_EMAIL = env.string("SERVER_EMAIL", DEFAULT_FROM_EMAIL)

# Cache: Redis shared by all server processes (required in production: rate limits and cache
# versions must be the same in every worker; see ortswandel.core.checks). Without CACHE_URL a
# per-process memory cache (development). The Redis backend degrades when Redis is unreachable:
# reads miss, writes are dropped, a warning is logged (ortswandel.core.cache_backends).
CACHE_URL = env.url("CACHE_URL", "", schemes=("redis", "rediss", "unix"))
ORTSWANDEL_CACHE_TIMEOUT = env.duration("ORTSWANDEL_CACHE_TIMEOUT", "500ms", unit="ms")
if CACHE_URL:
    _cache_timeout = ORTSWANDEL_CACHE_TIMEOUT.total_seconds()
    CACHES = {
        "default": {
            "BACKEND": "ortswandel.core.cache_backends.ResilientRedisCache",
            "LOCATION": CACHE_URL,
            "OPTIONS": {
                "socket_connect_timeout": _cache_timeout,
                "socket_timeout": _cache_timeout,
            },
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Official statistics: never committed, read from here.
ORTSWANDEL_DATA_DIR = data_dir()
#: Arrays derived from it (boundaries, age-structure estimates), kept between processes so that
#: a new server process answers its first page fast (ortswandel.sources.stored).
ORTSWANDEL_DERIVED_DIR = env.path("ORTSWANDEL_DERIVED_DIR", VAR_DIR / "derived")
#: Collected public facts about the programmes (facts.json), imported by ``import_content``.
ORTSWANDEL_CONTENT_DIR = content_dir()

# Site identity shown in the footer and imprint, and the public address used in mails.
ORTSWANDEL_SITE_NAME = env.string("ORTSWANDEL_SITE_NAME", "Ortswandel")
ORTSWANDEL_OPERATOR = env.string("ORTSWANDEL_OPERATOR")
ORTSWANDEL_CONTACT_EMAIL = env.email("ORTSWANDEL_CONTACT_EMAIL")
# Absolute URL of the site (links in mails and calendar files); empty: http://127.0.0.1:8000 in
# development, a failing deploy check in production. ORTSWANDEL_EVENTS_BASE_URL is the old name.
ORTSWANDEL_BASE_URL = env.url("ORTSWANDEL_BASE_URL") or env.url("ORTSWANDEL_EVENTS_BASE_URL")
ORTSWANDEL_DEMO_PASSWORD = env.string("ORTSWANDEL_DEMO_PASSWORD", keep_whitespace=True)

# Security headers (always on; HTTPS-only parts in production).
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'"
)
if PRODUCTION:
    SECURE_SSL_REDIRECT = env.boolean("SECURE_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env.integer("SECURE_HSTS_SECONDS", 365 * 24 * 3600, minimum=0)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {
        "handlers": ["console"],
        "level": env.choice(
            "LOG_LEVEL", "WARNING", ("debug", "info", "warning", "error", "critical")
        ).upper(),
    },
}

# Client addresses and rate limits (ortswandel.core.ratelimit). X-Forwarded-For is believed only
# when the request comes from one of these proxies (the documented nginx runs on the same host).
ORTSWANDEL_TRUSTED_PROXIES = env.networks("ORTSWANDEL_TRUSTED_PROXIES", ("127.0.0.1", "::1"))
ORTSWANDEL_RATELIMIT_ENABLED = env.boolean("ORTSWANDEL_RATELIMIT_ENABLED", default=True)
ORTSWANDEL_RATELIMIT_REGISTRATIONS = env.rate("ORTSWANDEL_RATELIMIT_REGISTRATIONS", "30/m")
ORTSWANDEL_RATELIMIT_PARTICIPATION = env.rate("ORTSWANDEL_RATELIMIT_PARTICIPATION", "20/10m")
ORTSWANDEL_RATELIMIT_LOGIN_ACCOUNT = env.rate("ORTSWANDEL_RATELIMIT_LOGIN_ACCOUNT", "10/15m")
ORTSWANDEL_RATELIMIT_LOGIN_CLIENT = env.rate("ORTSWANDEL_RATELIMIT_LOGIN_CLIENT", "50/15m")
ORTSWANDEL_RATELIMIT_PASSWORD_RESET_ADDRESS = env.rate(
    "ORTSWANDEL_RATELIMIT_PASSWORD_RESET_ADDRESS", "3/h"
)
ORTSWANDEL_RATELIMIT_PASSWORD_RESET_CLIENT = env.rate(
    "ORTSWANDEL_RATELIMIT_PASSWORD_RESET_CLIENT", "10/h"
)
# projections computed on request (workspace API runs, PDF reports, background runs) per client
ORTSWANDEL_RATELIMIT_PROJECTIONS = env.rate("ORTSWANDEL_RATELIMIT_PROJECTIONS", "60/m")

# Events (issue 4); read through ortswandel.events.conf.
ORTSWANDEL_EVENTS_REGISTRATION_CLOSE_DAYS = env.integer(
    "ORTSWANDEL_EVENTS_REGISTRATION_CLOSE_DAYS", 7, minimum=0
)
ORTSWANDEL_EVENTS_CONFIRMATION_HOURS = env.integer(
    "ORTSWANDEL_EVENTS_CONFIRMATION_HOURS", 2, minimum=1
)
ORTSWANDEL_EVENTS_UNCONFIRMED_PER_CLIENT = env.integer(
    "ORTSWANDEL_EVENTS_UNCONFIRMED_PER_CLIENT", 2, minimum=0
)
ORTSWANDEL_EVENTS_RETENTION_DAYS = env.integer("ORTSWANDEL_EVENTS_RETENTION_DAYS", 90, minimum=0)
ORTSWANDEL_EVENTS_REMINDER_HOURS = env.integer("ORTSWANDEL_EVENTS_REMINDER_HOURS", 24, minimum=0)

# Accounts (e-mail verification); read through ortswandel.accounts.conf.
ORTSWANDEL_ACCOUNTS_ACTIVATION_DAYS = env.integer(
    "ORTSWANDEL_ACCOUNTS_ACTIVATION_DAYS", 3, minimum=1
)
ORTSWANDEL_ACCOUNTS_UNVERIFIED_DAYS = env.integer(
    "ORTSWANDEL_ACCOUNTS_UNVERIFIED_DAYS", 7, minimum=1
)
ORTSWANDEL_ACCOUNTS_MAIL_INTERVAL_MINUTES = env.integer(
    "ORTSWANDEL_ACCOUNTS_MAIL_INTERVAL_MINUTES", 10, minimum=0
)

# Newsletter (issue 9); read through ortswandel.newsletter.conf.
ORTSWANDEL_RATELIMIT_NEWSLETTER = env.rate("ORTSWANDEL_RATELIMIT_NEWSLETTER", "10/h")
ORTSWANDEL_NEWSLETTER_UNCONFIRMED_DAYS = env.integer(
    "ORTSWANDEL_NEWSLETTER_UNCONFIRMED_DAYS", 7, minimum=1
)
ORTSWANDEL_NEWSLETTER_RETENTION_DAYS = env.integer(
    "ORTSWANDEL_NEWSLETTER_RETENTION_DAYS", 30, minimum=0
)
ORTSWANDEL_NEWSLETTER_BATCH_SIZE = env.integer("ORTSWANDEL_NEWSLETTER_BATCH_SIZE", 200, minimum=1)
ORTSWANDEL_NEWSLETTER_RESEND_MINUTES = env.integer(
    "ORTSWANDEL_NEWSLETTER_RESEND_MINUTES", 10, minimum=0
)
ORTSWANDEL_NEWSLETTER_WEBHOOK_SECRET = env.string("ORTSWANDEL_NEWSLETTER_WEBHOOK_SECRET")
ORTSWANDEL_NEWSLETTER_UNSUBSCRIBE_MAILTO = env.string("ORTSWANDEL_NEWSLETTER_UNSUBSCRIBE_MAILTO")

# Mail queue (ortswandel.core.notifications): retries with doubling delay, then gives up; sent
# mails are kept for a while. (Replaces ORTSWANDEL_EVENTS_MAIL_* and _SEND_ON_COMMIT: the queue
# serves every app, and requests never send.)
ORTSWANDEL_MAIL_MAX_ATTEMPTS = env.integer("ORTSWANDEL_MAIL_MAX_ATTEMPTS", 60, minimum=1)
ORTSWANDEL_MAIL_RETRY_SECONDS = env.integer("ORTSWANDEL_MAIL_RETRY_SECONDS", 60, minimum=1)
ORTSWANDEL_MAIL_MAX_DELAY_SECONDS = env.integer(
    "ORTSWANDEL_MAIL_MAX_DELAY_SECONDS", 3600, minimum=1
)
ORTSWANDEL_MAIL_KEEP_DAYS = env.integer("ORTSWANDEL_MAIL_KEEP_DAYS", 30, minimum=0)

# Background jobs and schedules (django-q2, see ortswandel.core.jobs): the worker is
# ``manage.py run_worker``. Broker: the default database (SQLite or PostgreSQL) unless
# ORTSWANDEL_JOBS_REDIS_URL is set; any number of workers on any number of machines may share it.
ORTSWANDEL_JOBS_REDIS_URL = env.string("ORTSWANDEL_JOBS_REDIS_URL")
ORTSWANDEL_JOBS_SYNC = env.boolean("ORTSWANDEL_JOBS_SYNC", default=False)  # jobs inline (tests)
_JOBS_TIMEOUT = env.integer("ORTSWANDEL_JOBS_TIMEOUT", 600, minimum=1)
Q_CLUSTER = {
    "name": env.string("ORTSWANDEL_JOBS_QUEUE", "ortswandel"),
    "workers": env.integer("ORTSWANDEL_JOBS_WORKERS", 2, minimum=1),
    "timeout": _JOBS_TIMEOUT,
    "retry": _JOBS_TIMEOUT + 60,  # a task is handed out again only after its timeout
    "max_attempts": 3,
    "ack_failures": True,  # a failed task is recorded (admin: failed tasks), not retried blindly
    "catch_up": False,  # after downtime a schedule runs once, not once per missed slot
    "save_limit": 1000,
    "poll": env.integer("ORTSWANDEL_JOBS_POLL_MS", 500, minimum=10) / 1000,
    "label": _("Hintergrundaufgaben"),
    **({"redis": ORTSWANDEL_JOBS_REDIS_URL} if ORTSWANDEL_JOBS_REDIS_URL else {"orm": "default"}),
}
