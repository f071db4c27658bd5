"""Settings, all from the environment (12-factor).

With nothing set, the app runs embedded: SQLite and Celery's filesystem broker in var/,
and the dev outbox channel backend. DATABASE_URL, REDIS_URL and the Twilio variables switch
it to PostgreSQL, Redis and Twilio. Every variable is listed in .env.example.
"""

from datetime import timedelta
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(environ.Env().str("VAR_DIR", default=str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)

env = environ.Env()


def env_secret(name: str, default: str = "") -> str:
    """Read a secret from NAME, or from the file named by NAME_FILE (Docker secrets)."""
    file_path = env.str(f"{name}_FILE", default="")
    if file_path:
        try:
            return Path(file_path).read_text().strip()
        except OSError as exc:
            raise ImproperlyConfigured(f"{name}_FILE cannot be read: {exc}") from exc
    return env.str(name, default=default)


DEBUG = env.bool("DEBUG", default=True)
SECRET_KEY = env_secret("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    # A throwaway key for the embedded demo only; production refuses to start without one.
    SECRET_KEY = "embedded-demo-key-not-for-production-" + "x" * 20  # noqa: S105

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]", "testserver"])
# Absolute links (Twilio callbacks, emails) are built from this, never from the request's Host.
BASE_URL = env.str("BASE_URL", default="http://127.0.0.1:8000").rstrip("/")
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "guardian",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_celery_beat",
    "queue_app",
    "messaging",
    "integrations",
    "demo",
    "templates_lib",
    "escalation",
    "notes",
    "reports",
    "patients",
    "campaigns",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "queue_app.security.TwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "queue_app.middleware.PrivateResponseMiddleware",
    "queue_app.middleware.DenialCountingMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "queue_app.context_processors.navigation",
                "queue_app.context_processors.security_alerts",
            ],
        },
    }
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
# Concurrent test runs on one machine each get their own test database.
DATABASES["default"]["TEST"] = {"NAME": env.str("TEST_DATABASE_NAME", default="") or None}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=0)
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # The embedded demo has a web process, a worker and beat writing at once. WAL lets
    # readers run beside the writer; IMMEDIATE takes the write lock when a transaction
    # begins, so a second writer waits on the busy timeout instead of failing at once with
    # "database is locked" when a deferred transaction tries to upgrade its read lock.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,  # seconds a writer waits for the lock (the busy timeout)
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "queue_app.security.LockoutBackend",
    "django.contrib.auth.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "queue:queue"
LOGOUT_REDIRECT_URL = "login"
ANONYMOUS_USER_NAME = None  # guardian: no anonymous permissions at all
# Brute force: 5 failures for one username from one address lock that pair for 15 minutes.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_CLIENT_IP_CALLABLE = "queue_app.audit.client_ip"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# How many proxies in front of the app append to X-Forwarded-For (0: use REMOTE_ADDR only).
TRUSTED_PROXY_HOPS = env.int("TRUSTED_PROXY_HOPS", default=0)
OTP_TOTP_ISSUER = env.str("OTP_TOTP_ISSUER", default="Patient queue")

LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("es", "Español")]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "locale"]

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
STATIC_ROOT.mkdir(exist_ok=True)
WHITENOISE_USE_FINDERS = DEBUG
STATICFILES_DIRS = [BASE_DIR / "static"]
# Production may set ATTACHMENTS_STORAGE_BACKEND=storages.backends.s3.S3Storage (django-storages,
# configured by its own AWS_* variables; see docs/ATTACHMENTS.md).
ATTACHMENTS_STORAGE_BACKEND = env.str(
    "ATTACHMENTS_STORAGE_BACKEND", default="django.core.files.storage.FileSystemStorage"
)
ATTACHMENTS_OPTIONS = (
    {
        "location": env.str("ATTACHMENTS_ROOT", default=str(VAR_DIR / "attachments")),
        "base_url": None,
        "file_permissions_mode": 0o600,
        "directory_permissions_mode": 0o700,
    }
    if ATTACHMENTS_STORAGE_BACKEND.endswith("FileSystemStorage")
    else {}
)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
    # Patients' photos and PDFs: outside STATIC_ROOT, so whitenoise never serves them, and
    # with no base URL: they are read only through the audited attachment view.
    "attachments": {"BACKEND": ATTACHMENTS_STORAGE_BACKEND, "OPTIONS": ATTACHMENTS_OPTIONS},
}
# The largest attachment a patient may send (MMS media, portal files), in bytes.
ATTACHMENT_MAX_BYTES = env.int("ATTACHMENT_MAX_BYTES", default=10 * 1024 * 1024)
# Inbound email: the provider's webhook signing key (Mailgun's format, docs/EMAIL.md).
INBOUND_EMAIL_SIGNING_KEY = env_secret("INBOUND_EMAIL_SIGNING_KEY")
# Each practice writes from, and receives replies at, <practice slug>@PRACTICE_EMAIL_DOMAIN
# (the inbound route's domain), so a patient's reply comes back to the email webhook.
PRACTICE_EMAIL_DOMAIN = env.str("PRACTICE_EMAIL_DOMAIN", default="inbound.localhost")
# How far a portal post's or inbound email's timestamp may be from the server's clock, in s.
PORTAL_SIGNATURE_WINDOW = env.int("PORTAL_SIGNATURE_WINDOW", default=300)

# Sessions: idle logoff is enforced per practice by queue_app.middleware; this is the ceiling.
# Kept in the database, Django's store with a cheaper read (queue_app.sessions).
SESSION_ENGINE = "queue_app.sessions"
SESSION_COOKIE_AGE = 12 * 60 * 60
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# HTTPS-only cookies outside DEBUG; only a plain-HTTP local benchmark (bench/http_load.py)
# turns them off.
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if env.bool("BEHIND_TLS_PROXY", default=False) else None
)
SECURE_HSTS_SECONDS = 0 if DEBUG else 31536000
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "connect-src": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
    "base-uri": [CSP.NONE],
    "object-src": [CSP.NONE],
}
DATA_UPLOAD_MAX_MEMORY_SIZE = env.int("DATA_UPLOAD_MAX_MEMORY_SIZE", default=2_621_440)
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
IMPORT_CSV_MAX_BYTES = env.int("IMPORT_CSV_MAX_BYTES", default=20 * 1024 * 1024)
IMPORT_FHIR_MAX_BYTES = env.int("IMPORT_FHIR_MAX_BYTES", default=100 * 1024 * 1024)

# Celery: Redis when REDIS_URL is set, otherwise the filesystem broker under var/.
REDIS_URL = env.str("REDIS_URL", default="")
CELERY_BROKER_DIR = VAR_DIR / "broker"
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
else:
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(CELERY_BROKER_DIR / "data"),
        "data_folder_out": str(CELERY_BROKER_DIR / "data"),
        "control_folder": str(CELERY_BROKER_DIR / "control"),
    }
    # kombu's filesystem transport fails on a missing folder instead of creating it.
    for _folder in ("data", "control"):
        (CELERY_BROKER_DIR / _folder).mkdir(parents=True, exist_ok=True)
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)

# The shared cache (who is looking at an item, queue_app.presence): Redis beside the broker
# when REDIS_URL is set; the embedded demo keeps it in files under var/, which every local
# process shares. Nothing lives only in one web process's memory.
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "cache",
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
        }
    }

# Channel backend: the dev outbox stores what would have been sent and the UI shows it.
CHANNEL_BACKEND = env.str("CHANNEL_BACKEND", default="messaging.channels.OutboxBackend")
TWILIO_ACCOUNT_SID = env.str("TWILIO_ACCOUNT_SID", default="")
TWILIO_AUTH_TOKEN = env_secret("TWILIO_AUTH_TOKEN")
TWILIO_MESSAGING_SERVICE_SID = env.str("TWILIO_MESSAGING_SERVICE_SID", default="")
TWILIO_VALIDATE_SIGNATURES = env.bool("TWILIO_VALIDATE_SIGNATURES", default=True)
TWILIO_API_BASE = env.str("TWILIO_API_BASE", default="")  # tests point this at a local fake
# Each sending number kept under its carrier's rate (messaging.rate_limit). The count lives in
# Redis: the embedded demo, without Redis and with nothing leaving the machine, goes without.
SENDER_RATE_LIMITS = env.bool("SENDER_RATE_LIMITS", default=bool(REDIS_URL))
# The daily inbound reconciliation reads this many hours back (a day plus overlap).
INBOUND_RECONCILE_HOURS = env.int("INBOUND_RECONCILE_HOURS", default=26)
# Security alerting: this many refused webhooks (bad signature), or refused requests of a
# practice's people (403/404), within one window alerts the practice's admins once.
SECURITY_ALERT_WINDOW_MINUTES = env.int("SECURITY_ALERT_WINDOW_MINUTES", default=10)
WEBHOOK_REJECTION_ALERT_THRESHOLD = env.int("WEBHOOK_REJECTION_ALERT_THRESHOLD", default=20)
DENIAL_ALERT_THRESHOLD = env.int("DENIAL_ALERT_THRESHOLD", default=30)
# The alert banner of an open page is drawn again this often even when no change was announced:
# the safety net for an urgent alert whose change mark was lost (queue_app.changes).
BANNER_REDRAW_SECONDS = env.int("BANNER_REDRAW_SECONDS", default=60)

# The embedded demo writes mail to files under var/mail; production sends through SMTP.
EMAIL_BACKEND_PATH = env.str(
    "EMAIL_BACKEND",
    default="django.core.mail.backends.filebased.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
MAILERS = {
    "default": {
        "BACKEND": EMAIL_BACKEND_PATH,
        "OPTIONS": {"file_path": str(VAR_DIR / "mail")}
        if EMAIL_BACKEND_PATH.endswith("filebased.EmailBackend")
        else {},
    }
}
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="queue@localhost")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        # Request errors would log the full request path and POST data: patient details.
        "django.request": {"handlers": ["console"], "level": "ERROR", "propagate": False},
        "axes": {"level": "WARNING"},
    },
}
