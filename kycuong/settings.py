"""Django settings. Everything a deployment changes comes from the environment (see README)."""
import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("KYCUONG_VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def env_bool(name, default=False):
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


DEBUG = env_bool("KYCUONG_DEBUG", False)
# The shipped demo secrets. `make demo` and the tests (KYCUONG_DEMO) run with them; anywhere else a default
# secret stops the server and `check` with an error (core.checks, docs/security.md).
DEMO_SECRETS = {
    "SECRET_KEY": "insecure-demo-key-change-me-in-production-0123456789",
    "KYCUONG_AUDIT_KEY": "insecure-demo-audit-key-change-me",
    "KYCUONG_PAYMENT_DEMO_SECRET": "demo-hash-secret-change-me",
}
KYCUONG_DEMO = env_bool("KYCUONG_DEMO", "pytest" in __import__("sys").modules)
SECRET_KEY = os.environ.get("KYCUONG_SECRET_KEY", DEMO_SECRETS["SECRET_KEY"])
# The key that seals the event chains' heads (core.events): kept outside the database, so whoever can write
# the tables cannot forge a head. Set a long random value in production and never change it casually.
KYCUONG_AUDIT_KEY = os.environ.get("KYCUONG_AUDIT_KEY", DEMO_SECRETS["KYCUONG_AUDIT_KEY"])
ALLOWED_HOSTS = [h for h in os.environ.get("KYCUONG_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",") if h]
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("KYCUONG_CSRF_TRUSTED_ORIGINS", "").split(",") if o]

# Transport security, set by the production profile (deploy/kycuong.env.example; `check --deploy` is clean
# with it). Behind nginx terminating TLS, KYCUONG_BEHIND_TLS_PROXY trusts its X-Forwarded-Proto header.
SECURE_HSTS_SECONDS = int(os.environ.get("KYCUONG_HSTS_SECONDS", "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("KYCUONG_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("KYCUONG_HSTS_PRELOAD", False)
SECURE_SSL_REDIRECT = env_bool("KYCUONG_SSL_REDIRECT", False)
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]  # probes speak plain HTTP on the private network
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = env_bool("KYCUONG_SECURE_COOKIES", False)
if env_bool("KYCUONG_BEHIND_TLS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

INSTALLED_APPS = [
    "kycuong.core.apps.AdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rules.apps.AutodiscoverRulesConfig",
    "huey.contrib.djhuey",
    "kycuong.core",
    "kycuong.catalog",
    "kycuong.onestop",
    "kycuong.documents",
    "kycuong.portal",
    "kycuong.integrations",
    "kycuong.feedback",
    "kycuong.discipline",
    "kycuong.scoreboard",
    "kycuong.devdata",  # manage.py seed_demo / seed; imports every app, none imports it
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "kycuong.core.replica.ReplicaMiddleware",
    "kycuong.core.middleware.VietnameseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "kycuong.urls"
WSGI_APPLICATION = "kycuong.wsgi.application"
AUTH_USER_MODEL = "core.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "onestop:queue"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "kycuong.portal.context.display_preferences",
            ],
        },
    }
]

# SQLite is the embedded default (WAL + IMMEDIATE so concurrent writers queue instead of failing);
# DATABASE_URL=postgres://… selects PostgreSQL.
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'kycuong.sqlite3'}"), conn_max_age=60
    )
}
# A PostgreSQL streaming replica for the read-heavy public pages (core.replica decides which requests).
if os.environ.get("KYCUONG_REPLICA_DATABASE_URL"):
    DATABASES["replica"] = dj_database_url.parse(os.environ["KYCUONG_REPLICA_DATABASE_URL"], conn_max_age=60)
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["kycuong.core.replica.ReplicaRouter"]
KYCUONG_REPLICA_PATHS = ["/bang-diem/", "/api/v1/lookup/", "/tra-cuu/"]
# After a write, the same browser reads from the primary this long (longer than the replica's lag).
KYCUONG_READ_YOUR_WRITES_SECONDS = int(os.environ.get("KYCUONG_READ_YOUR_WRITES_SECONDS", "10"))
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
    }
    # Connections persist (conn_max_age above), as for PostgreSQL: opening a SQLite file with its PRAGMAs
    # on every request cost the public lookup 1-3 ms, more than its cached answer (see
    # docs/performance.md). runserver's thread per request simply gets a fresh one each time.
    # A file, not :memory:, so tests can prove behaviour across processes (parallel intake).
    # One file per run (pid) so two test runs on one machine never share a database.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / f"test-{os.getpid()}.sqlite3")}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

# Vietnamese first, English second. Source strings (msgids) are Vietnamese; see docs/decisions/0001.
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Tiếng Việt")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "kycuong" / "locale"]
LANGUAGE_COOKIE_NAME = "kycuong_lang"
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("KYCUONG_STATIC_ROOT", VAR_DIR / "static"))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
# Served like production (`make demo`, deploy/): hashed, compressed files from `collectstatic`, cached for a
# year by browsers. Off by default so tests and a plain `runserver` need no collectstatic first.
if env_bool("KYCUONG_HASHED_STATIC", False):
    STORAGES["staticfiles"] = {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"}
    WHITENOISE_USE_FINDERS = False
MEDIA_ROOT = VAR_DIR / "media"

# Where the official calendar overrides are seeded from (a copy of shared/data kept in the package).
KYCUONG_CALENDAR_OVERRIDES_FILE = Path(
    os.environ.get(
        "KYCUONG_CALENDAR_OVERRIDES_FILE", BASE_DIR / "kycuong" / "core" / "data" / "vn-calendar-overrides.json"
    )
)
# Default working windows (HH:MM-HH:MM, comma separated); a unit may set its own.
KYCUONG_WORK_WINDOWS = os.environ.get("KYCUONG_WORK_WINDOWS", "08:00-12:00,13:00-17:00")
# Years the working-time engine precomputes; it extends itself lazily beyond them.
KYCUONG_CALENDAR_YEARS = os.environ.get("KYCUONG_CALENDAR_YEARS", "2000-2100")
# Shown in the page header and the PDF letterheads.
KYCUONG_CITY_NAME = os.environ.get("KYCUONG_CITY_NAME", "Thành phố Hà Nội")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("KYCUONG_LOG_LEVEL", "WARNING")},
}
# Front-end packages from npm, copied here by `make assets` (git-ignored; never committed).
STATICFILES_DIRS = [BASE_DIR / "kycuong" / "static"]

# Background and periodic jobs (Huey; enqueue only through kycuong.core.jobs). SQLite storage under
# var/ by default; REDIS_URL=redis://… selects Redis. Under pytest (or KYCUONG_JOBS_IMMEDIATE=1) tasks
# run inline, in Huey's immediate mode. Consumer: `manage.py run_huey` (it also fires periodic tasks).
import sys  # noqa: E402

REDIS_URL = os.environ.get("REDIS_URL", "")
HUEY = {
    "name": os.environ.get("KYCUONG_JOBS_QUEUE", "kycuong"),
    "huey_class": "huey.RedisHuey" if REDIS_URL else "huey.SqliteHuey",
    "immediate": "pytest" in sys.modules or env_bool("KYCUONG_JOBS_IMMEDIATE", False),
    "utc": True,
    "results": True,
    "consumer": {"workers": int(os.environ.get("KYCUONG_JOBS_WORKERS", "2")), "worker_type": "thread",
                 "periodic": True, "check_worker_health": True},
}
if REDIS_URL:
    HUEY["url"] = REDIS_URL
else:
    HUEY["filename"] = str(Path(os.environ.get("KYCUONG_JOBS_SQLITE", VAR_DIR / "huey.sqlite3")))
# Public dossier lookups allowed per client IP per minute (web page and API share the budget).
KYCUONG_LOOKUP_RATE_PER_MINUTE = int(os.environ.get("KYCUONG_LOOKUP_RATE_PER_MINUTE", "30"))
# The public ranking and open data are rendered once and shared (scoreboard.board_cache): served at most
# FRESH seconds after the counters change, and never older than MAX_AGE (0 turns the sharing off).
KYCUONG_SCOREBOARD_FRESH_SECONDS = int(os.environ.get("KYCUONG_SCOREBOARD_FRESH_SECONDS", "15"))
KYCUONG_SCOREBOARD_MAX_AGE_SECONDS = int(os.environ.get("KYCUONG_SCOREBOARD_MAX_AGE_SECONDS", "60"))
# Uploads (portal dossiers, feedback evidence): checked by content; limits in MB (kycuong.core.uploads).
KYCUONG_UPLOAD_MAX_FILE_MB = int(os.environ.get("KYCUONG_UPLOAD_MAX_FILE_MB", "10"))
KYCUONG_UPLOAD_MAX_TOTAL_MB = int(os.environ.get("KYCUONG_UPLOAD_MAX_TOTAL_MB", "50"))

# --- Citizen portal and payments -------------------------------------------------------------------
# E-mail (receipts, status changes, one-time codes): the console backend unless a deployment sets SMTP.
EMAIL_BACKEND = os.environ.get("KYCUONG_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("KYCUONG_FROM_EMAIL", "Kỷ Cương <khong-tra-loi@kycuong.local>")
# SMS adapter (kycuong.portal.sms): a class with send(to, text); the default prints and keeps an outbox.
KYCUONG_SMS_BACKEND = os.environ.get("KYCUONG_SMS_BACKEND", "kycuong.portal.sms.ConsoleSms")
# One-time codes: lifetime, wrong tries allowed, sends per destination and per client address per minute.
KYCUONG_OTP_TTL_MINUTES = int(os.environ.get("KYCUONG_OTP_TTL_MINUTES", "10"))
KYCUONG_OTP_MAX_ATTEMPTS = int(os.environ.get("KYCUONG_OTP_MAX_ATTEMPTS", "5"))
KYCUONG_OTP_SENDS_PER_MINUTE = int(os.environ.get("KYCUONG_OTP_SENDS_PER_MINUTE", "3"))
KYCUONG_OTP_SENDS_PER_IP_PER_MINUTE = int(os.environ.get("KYCUONG_OTP_SENDS_PER_IP_PER_MINUTE", "10"))
KYCUONG_OTP_VERIFY_PER_IP_PER_MINUTE = int(os.environ.get("KYCUONG_OTP_VERIFY_PER_IP_PER_MINUTE", "20"))
# Sign-in with VNeID (OpenID Connect): off unless configured; no network call without it.
KYCUONG_VNEID_ENABLED = env_bool("KYCUONG_VNEID_ENABLED", False)
KYCUONG_VNEID_AUTHORIZE_URL = os.environ.get("KYCUONG_VNEID_AUTHORIZE_URL", "")
KYCUONG_VNEID_CLIENT_ID = os.environ.get("KYCUONG_VNEID_CLIENT_ID", "")
KYCUONG_VNEID_CLIENT = os.environ.get("KYCUONG_VNEID_CLIENT", "")
# A dislike or any SIPAS factor at or below this score alerts the unit's leaders.
KYCUONG_RATING_ALERT_THRESHOLD = int(os.environ.get("KYCUONG_RATING_ALERT_THRESHOLD", "2"))
# The demo payment gateway (VNPay-style, HMAC-SHA512); a real gateway registers in kycuong.integrations.
KYCUONG_PAYMENT_DEMO_SECRET = os.environ.get("KYCUONG_PAYMENT_DEMO_SECRET", DEMO_SECRETS["KYCUONG_PAYMENT_DEMO_SECRET"])
KYCUONG_PAYMENT_DEMO_TMN_CODE = os.environ.get("KYCUONG_PAYMENT_DEMO_TMN_CODE", "KYCUONG1")
MEDIA_ROOT.mkdir(parents=True, exist_ok=True)

# The scoreboard's covering indexes (onestop.dossier_open_by_unit, feedback.fb_report_open_by_unit) INCLUDE
# columns for PostgreSQL's index-only reads; SQLite builds them without those columns, which is all it needs.
SILENCED_SYSTEM_CHECKS = ["models.W040"]
