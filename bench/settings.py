"""Settings of the benchmarks: production's, with what plain HTTP on 127.0.0.1 needs.

The environment gives DATABASE_URL (a benchmark's own PostgreSQL database), REDIS_URL (the cache,
as in production) and BENCH_CACHE_PREFIX (so that two benchmark databases never share entries).
"""

import os

os.environ.setdefault("SECRET_KEY", "bench-only-" + "x" * 50)
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
os.environ.setdefault("SECURE_SSL_REDIRECT", "False")

from bureau.settings.production import *  # noqa: E402, F403
from bureau.settings.production import CACHES  # noqa: E402

# No TLS proxy in front of the benchmark: cookies go over plain HTTP.
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_HSTS_SECONDS = 0
# Static files from the finders (no collectstatic run); pages only name them, the load fetches HTML.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
CACHES["default"]["KEY_PREFIX"] = os.environ.get("BENCH_CACHE_PREFIX", "bench")
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "WARNING"}}
AXES_ENABLED = False  # 50 simulated users log in from one address
