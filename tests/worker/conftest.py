"""Tests with a real Celery worker process (marked ``worker``): the PostgreSQL + Redis stage of CI.

They need a broker and a database the worker process can reach, so without REDIS_URL, or on
SQLite (whose test database lives in the test process's memory), they are not collected at all.
"""

import os

_database_url = os.environ.get("DATABASE_URL", "")
if not os.environ.get("REDIS_URL") or not _database_url.startswith(("postgres://", "postgresql://")):
    collect_ignore_glob = ["test_*.py"]
