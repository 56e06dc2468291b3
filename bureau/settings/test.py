import os

from .base import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
AXES_ENABLED = True
WHITENOISE_AUTOREFRESH = True

# Tasks run in-process in the suite; tests marked `worker` switch to the real worker.
CELERY_TASK_ALWAYS_EAGER = True
# xdist workers share one Redis in the PostgreSQL run: keep their cache keys apart.
CACHES["default"]["KEY_PREFIX"] = os.environ.get("PYTEST_XDIST_WORKER", "main")  # noqa: F405
# django-axes logs every login at INFO; keep failure output readable.
LOGGING["loggers"]["axes"] = {"level": "WARNING"}  # noqa: F405
