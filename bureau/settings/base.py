"""Settings shared by every environment; values come from the environment (django-environ)."""

from pathlib import Path

import environ
from csp.constants import NONE, SELF, UNSAFE_INLINE

BASE_DIR = Path(__file__).resolve().parent.parent.parent
env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

SECRET_KEY = env("SECRET_KEY", default="dev-only-insecure-key-change-me-in-production-0123456789")
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "django_tables2",
    "simple_history",
    "django_htmx",
    "axes",
    "csp",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "bureau.accounts",
    "bureau.audit",
    "bureau.core",
    "bureau.records",
    "bureau.ledgers",
    "bureau.notifications",
    "bureau.documents",
    "enterprises",
    "programs",
    "talent",
    "reports",
    "dossiers",  # 档案 exports: ZIPs of records with their attachments, the enterprise PDF
    "demo",  # the demo users and data sets: seed_demo, seed_scale, create_demo_users
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "bureau.middleware.RequestBodyLimitMiddleware",
    "csp.middleware.CSPMiddleware",
    "bureau.middleware.SecurityHeadersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "bureau.accounts.two_factor.TwoFactorMiddleware",
    "bureau.accounts.policy.SessionPolicyMiddleware",
    "bureau.middleware.RestrictedRoleMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: it turns a lockout into the Chinese lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "bureau.urls"
WSGI_APPLICATION = "bureau.wsgi.application"

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
                "bureau.core.context_processors.portal",
                "bureau.accounts.context_processors.session_policy",
                "bureau.notifications.context_processors.notifications",
                "bureau.help.context_processors.help_link",
            ],
        },
    }
]

# The embedded default is an SQLite file in the repository; production sets DATABASE_URL.
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=0))
# A database that accepts but never answers fails the request (and /healthz) within this many seconds.
DATABASE_CONNECT_TIMEOUT = env.int("DATABASE_CONNECT_TIMEOUT", default=5)
if DATABASES["default"]["ENGINE"].endswith("postgresql"):
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("connect_timeout", DATABASE_CONNECT_TIMEOUT)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    # django-axes first: it refuses a locked-out user before the password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Level 3 (等保): ≥ 8 characters of at least 3 of 4 classes, none of the last 5 passwords; a
# password expires after PASSWORD_MAX_AGE_DAYS and one an admin set must be changed at sign-in.
PASSWORD_HISTORY_COUNT = env.int("PASSWORD_HISTORY_COUNT", default=5)
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "bureau.accounts.password_validation.CharacterClassesValidator", "OPTIONS": {"min_classes": 3}},
    {
        "NAME": "bureau.accounts.password_validation.PasswordHistoryValidator",
        "OPTIONS": {"count": PASSWORD_HISTORY_COUNT},
    },
]
PASSWORD_MAX_AGE_DAYS = env.int("PASSWORD_MAX_AGE_DAYS", default=90)
# Development only: the demo accounts (demo12345) skip the forced change and expiry. A deploy
# check refuses it (bureau/accounts/checks.py).
PASSWORD_POLICY_DEMO_EXEMPT = env.bool("PASSWORD_POLICY_DEMO_EXEMPT", default=False)
# A session unused this long is signed out; the page warns SESSION_IDLE_WARNING_SECONDS before.
SESSION_IDLE_TIMEOUT_MINUTES = env.int("SESSION_IDLE_TIMEOUT_MINUTES", default=30)
SESSION_IDLE_WARNING_SECONDS = env.int("SESSION_IDLE_WARNING_SECONDS", default=120)
# The idle clock is written to the session at most this often (a write costs a query).
SESSION_IDLE_TOUCH_SECONDS = env.int("SESSION_IDLE_TOUCH_SECONDS", default=60)

# Two-factor authentication (bureau/accounts/two_factor.py): these roles must bind an authenticator
# (role codes of roles.py); others may. The admin site asks every user for it (TWO_FACTOR_ADMIN_SITE).
TWO_FACTOR_REQUIRED_ROLES = env.list("TWO_FACTOR_REQUIRED_ROLES", default=["admin", "reviewer"])
TWO_FACTOR_ADMIN_SITE = env.bool("TWO_FACTOR_ADMIN_SITE", default=True)
OTP_TOTP_ISSUER = env("OTP_TOTP_ISSUER", default="科技局工作平台")
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "locale"]

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
NODE_MODULES = BASE_DIR / "node_modules"
# Every front-end asset comes from npm (package.json) and is served by the app: no CDN.
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("vendor/bootstrap", NODE_MODULES / "bootstrap" / "dist"),
    ("vendor/bootstrap-icons", NODE_MODULES / "bootstrap-icons" / "font"),
    ("vendor/htmx", NODE_MODULES / "htmx.org" / "dist"),
    ("vendor/echarts", NODE_MODULES / "echarts" / "dist"),
    ("vendor/tom-select", NODE_MODULES / "tom-select" / "dist"),
]
# Attachments (issue 18): the "documents" storage. By default a directory outside MEDIA_ROOT and
# every public URL (files leave only through the permission-checking view); with
# DOCUMENTS_S3_ENDPOINT set, an S3 bucket (SeaweedFS, MinIO…) through django-storages. Names are
# SHA-256 paths, so overwriting one with the same name writes the same bytes.
DOCUMENTS_ROOT = env.path("DOCUMENTS_ROOT", default=BASE_DIR / "private" / "documents")
DOCUMENTS_S3_ENDPOINT = env("DOCUMENTS_S3_ENDPOINT", default="")
if DOCUMENTS_S3_ENDPOINT:
    DOCUMENTS_STORAGE = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "endpoint_url": DOCUMENTS_S3_ENDPOINT,
            "bucket_name": env("DOCUMENTS_S3_BUCKET", default="bureau-documents"),
            "access_key": env("DOCUMENTS_S3_ACCESS_KEY", default=""),
            "secret_key": env("DOCUMENTS_S3_SECRET_KEY", default=""),
            "region_name": env("DOCUMENTS_S3_REGION", default="us-east-1"),
            "location": env("DOCUMENTS_S3_PREFIX", default=""),
            "addressing_style": "path",
            "signature_version": "s3v4",
            "default_acl": None,
            "querystring_auth": True,
            "file_overwrite": True,
        },
    }
else:
    DOCUMENTS_STORAGE = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": DOCUMENTS_ROOT, "base_url": None, "allow_overwrite": True},
    }
# nginx: with a prefix set (e.g. "/protected-documents/", an `internal` location aliased to
# DOCUMENTS_ROOT), the download view answers with X-Accel-Redirect and nginx sends the bytes.
DOCUMENTS_X_ACCEL_REDIRECT = env("DOCUMENTS_X_ACCEL_REDIRECT", default="")
DOCUMENT_MAX_BYTES = env.int("DOCUMENT_MAX_BYTES", default=50 * 1024 * 1024)
# One upload request carries at most this many files.
DOCUMENT_MAX_FILES = env.int("DOCUMENT_MAX_FILES", default=10)
# A list's dossier (档案导出, built by a Celery task) holds at most this many applications.
DOSSIER_MAX_APPLICATIONS = env.int("DOSSIER_MAX_APPLICATIONS", default=500)
# A list's dossier ZIP is kept this many days after it is built, then removed (its row stays, 已清理):
# the attachments stay in their records, a new export rebuilds it.
DOSSIER_RETENTION_DAYS = env.int("DOSSIER_RETENTION_DAYS", default=7)

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
    "documents": DOCUMENTS_STORAGE,
}
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
# manage.py backup writes here by default; copy the archives off-site (README "Security").
BACKUP_DIR = env.path("BACKUP_DIR", default=BASE_DIR / "backups")

# Uploads: Excel ledgers are small; anything larger is refused before it is parsed.
# The first handler cuts off an attachment larger than DOCUMENT_MAX_BYTES as it streams in.
FILE_UPLOAD_HANDLERS = [
    "bureau.documents.upload.SizeLimitUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
LEDGER_MAX_BYTES = env.int("LEDGER_MAX_BYTES", default=10 * 1024 * 1024)
LEDGER_MAX_ROWS = env.int("LEDGER_MAX_ROWS", default=50_000)
# A zip bomb is refused from the zip directory, before anything is inflated.
LEDGER_MAX_UNCOMPRESSED = env.int("LEDGER_MAX_UNCOMPRESSED", default=200 * 1024 * 1024)
# Ledgers with more rows are previewed and written by a Celery task with progress.
LEDGER_ASYNC_ROWS = env.int("LEDGER_ASYNC_ROWS", default=2000)

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"
DJANGO_TABLES2_TEMPLATE = "django_tables2/bootstrap5-responsive.html"
DJANGO_TABLES2_TABLE_ATTRS = {"class": "table table-hover table-sm align-middle"}

# Request bodies: the ledger import takes an upload; every other URL only small forms. A larger
# body is refused from its Content-Length, unread (bureau/middleware.py).
REQUEST_BODY_MAX_BYTES = env.int("REQUEST_BODY_MAX_BYTES", default=1024 * 1024)
REQUEST_BODY_LIMITS = [
    (r"^/ledgers/[-\w]+/import/$", LEDGER_MAX_BYTES + 64 * 1024),
    # Attachments: each file is also cut off at DOCUMENT_MAX_BYTES while it streams in (upload handler).
    (r"^/documents/", DOCUMENT_MAX_FILES * DOCUMENT_MAX_BYTES + 64 * 1024),
]

# Content-Security-Policy (django-csp): scripts only from our own static files, no inline script
# (page data travels in json_script tags). Inline styles stay allowed (ECharts draws with them).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"

# The reverse proxies (addresses or networks) whose X-Forwarded-For is believed; empty: none is,
# the client is REMOTE_ADDR (bureau/accounts/client_ip.py). Set it to nginx's address in production.
TRUSTED_PROXIES = env.list("TRUSTED_PROXIES", default=[])

# django-axes: 5 failures lock the user name (from anywhere) and the address+user name pair for
# 15 minutes; never the address alone, which behind a proxy or a county NAT is shared by everyone.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 0.25
AXES_LOCKOUT_PARAMETERS = ["username", ["ip_address", "username"]]
AXES_CLIENT_IP_CALLABLE = "bureau.accounts.client_ip.client_ip"
AXES_LOCKOUT_TEMPLATE = "accounts/lockout.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

# Celery: with REDIS_URL unset tasks run eagerly in-process (the embedded default);
# with it set, Redis is the broker and the result backend.
REDIS_URL = env("REDIS_URL", default="")
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = REDIS_URL or "cache+memory://"
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_TIMEZONE = TIME_ZONE
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 10 * 60
CELERY_TASK_SOFT_TIME_LIMIT = 5 * 60
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# With acks_late a task lost by a killed worker is redelivered after the visibility timeout.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=3600)}

# Queueing a build or a large import reaches the broker first, for at most this many seconds;
# when it cannot, the request is refused and nothing is kept (bureau/tasks.py).
TASK_BROKER_CONNECT_TIMEOUT = env.float("TASK_BROKER_CONNECT_TIMEOUT", default=2)

# The cache only accelerates: with Redis down every cache call is a logged miss (bureau/cache.py),
# and sessions live in the database, so pages keep working.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "bureau.cache.DegradingRedisCache",
            "LOCATION": REDIS_URL,
            "RETRY_SECONDS": env.int("CACHE_RETRY_SECONDS", default=30),
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 1},
        }
    }
SESSION_ENGINE = "django.contrib.sessions.backends.db"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {"fontTools": {"level": "WARNING"}, "weasyprint": {"level": "ERROR"}},
}

# The county this portal serves when no admin has set it yet (admins edit it in the portal).
DEFAULT_COUNTY_NAME = env("COUNTY_NAME", default="示例县")

# --- E-mail, notifications and the beat schedule (issue 17) ---------------------------------------
# SMTP from one URL (django-environ): smtp://user:pass@host:587 , smtp+tls://… , smtp+ssl://… ,
# consolemail:// (print), dummymail:// (drop). Mail is sent by Celery tasks with retries.
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=10)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="科技局工作平台 <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Links in e-mails are absolute: the address users open the portal at.
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000")
DIGEST_SUBJECT_PREFIX = env("DIGEST_SUBJECT_PREFIX", default="【科技局工作平台】")
DIGEST_HOUR = env.int("DIGEST_HOUR", default=8)  # Asia/Shanghai (CELERY_TIMEZONE)
# First retry of a failed mail after about this many seconds, doubling up to an hour (jittered).
MAIL_RETRY_BACKOFF = env.int("MAIL_RETRY_BACKOFF", default=30)

# Audit log (bureau/audit, issue 22): kept this many days (never fewer than 180, 等保 level 3).
AUDIT_RETENTION_DAYS = env.int("AUDIT_RETENTION_DAYS", default=180)

# The annual report's prose (bureau/report_text.py): a section states completion against targets
# once ("6项指标均完成年度任务，其中4项超额完成"); a figure's own completion is written only when
# notable: below 100 %, or at least REPORT_COMPLETION_NOTABLE_ABOVE % of its target (for a
# percentage, REPORT_TARGET_POINTS_NOTABLE points or more above it).
REPORT_COMPLETION_NOTABLE_ABOVE = env.int("REPORT_COMPLETION_NOTABLE_ABOVE", default=130)
REPORT_TARGET_POINTS_NOTABLE = env.float("REPORT_TARGET_POINTS_NOTABLE", default=2.0)

from celery.schedules import crontab  # noqa: E402

# The queue tasks go to when nothing routes them (a test gives beat and its worker a queue of their own).
CELERY_TASK_DEFAULT_QUEUE = env("CELERY_TASK_DEFAULT_QUEUE", default="celery")
# Only for the beat check in CI: run the digest every N seconds instead of daily at DIGEST_HOUR.
DIGEST_EVERY_SECONDS = env.int("DIGEST_EVERY_SECONDS", default=0)

CELERY_BEAT_SCHEDULE = {
    # Each user's daily digest: 我的待办 and unread notifications (at most once per user and day).
    "daily-digest": {
        "task": "notifications.send_daily_digests",
        "schedule": DIGEST_EVERY_SECONDS or crontab(hour=DIGEST_HOUR, minute=0),
    },
    # Items falling due today become notifications, before the digest lists them.
    "reminder-scan": {"task": "notifications.scan_reminders", "schedule": crontab(hour=DIGEST_HOUR - 1, minute=30)},
    # Notifications are kept 180 days.
    "notification-retention": {"task": "notifications.purge_notifications", "schedule": crontab(hour=3, minute=15)},
    # A report build whose worker died is ended 失败 instead of showing 生成中 until someone looks.
    "expire-stale-report-builds": {"task": "reports.expire_stale_builds", "schedule": crontab(minute="*/15")},
    # Import jobs whose queueing failed or whose preview nobody confirmed: file removed, job ended.
    "expire-stale-import-jobs": {"task": "ledgers.expire_stale_import_jobs", "schedule": crontab(minute="*/15")},
    # List dossiers' ZIPs older than DOSSIER_RETENTION_DAYS are removed from storage.
    "dossier-retention": {"task": "dossiers.purge_builds", "schedule": crontab(hour=3, minute=45)},
    # Audit log (bureau/audit, issue 22): a daily job deletes only events older than AUDIT_RETENTION_DAYS.
    "audit-purge": {"task": "audit.purge", "schedule": 24 * 60 * 60},
}

# 县级立项 (programs/workflow.py COUNTY_TRANSITIONS): the payment plan of a 任务书 (the share paid on
# signing, the share paid after 中期检查 合格; the rest after 验收 通过), 公示 length in working days
# (weekends skipped, plus the listed holidays, ISO dates), and extensions (at most this many, each at
# most this many days).
PROGRAM_FIRST_PAYMENT_PERCENT = env.int("PROGRAM_FIRST_PAYMENT_PERCENT", default=60)
PROGRAM_MIDTERM_PAYMENT_PERCENT = env.int("PROGRAM_MIDTERM_PAYMENT_PERCENT", default=30)
PROGRAM_PUBLICITY_WORKING_DAYS = env.int("PROGRAM_PUBLICITY_WORKING_DAYS", default=5)
PROGRAM_HOLIDAYS = env.list("PROGRAM_HOLIDAYS", default=[])
PROGRAM_MAX_EXTENSIONS = env.int("PROGRAM_MAX_EXTENSIONS", default=1)
PROGRAM_MAX_EXTENSION_DAYS = env.int("PROGRAM_MAX_EXTENSION_DAYS", default=365)
