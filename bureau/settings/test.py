import os

from .base import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    "documents": DOCUMENTS_STORAGE,  # noqa: F405
}
WHITENOISE_USE_FINDERS = True
AXES_ENABLED = True
WHITENOISE_AUTOREFRESH = True

# Tasks run in-process in the suite; tests marked `worker` switch to the real worker.
CELERY_TASK_ALWAYS_EAGER = True
# xdist workers share one Redis in the PostgreSQL run: each gets its own Redis database for the
# cache (10 + worker number), so one worker's cache.clear() between tests cannot empty another's
# mid-test (that made query counts flaky). Celery's broker keeps REDIS_URL's own database.
_WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")  # "gw0", "gw1", … or "" without xdist
if REDIS_URL:  # noqa: F405
    _index = int(_WORKER[2:]) if _WORKER.startswith("gw") else 0
    CACHES["default"]["LOCATION"] = f"{REDIS_URL.rsplit('/', 1)[0]}/{10 + _index % 4}"  # noqa: F405
# django-axes logs every login at INFO; keep failure output readable.
LOGGING["loggers"]["axes"] = {"level": "WARNING"}  # noqa: F405
# As in development, the demo county's accounts open without a forced password change (tests of
# the policy switch it off themselves).
PASSWORD_POLICY_DEMO_EXEMPT = True
# Query counts are pinned across requests that may be minutes apart on a loaded machine: the idle
# clock's occasional session write must not land inside one of them.
SESSION_IDLE_TOUCH_SECONDS = 600
# The suite's role clients sign in with a password only; the 2FA tests switch these back on.
TWO_FACTOR_REQUIRED_ROLES = []
TWO_FACTOR_ADMIN_SITE = False
