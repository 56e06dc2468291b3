"""A Redis cache that degrades instead of failing the request (issue 22).

The cache only accelerates: on any Redis error the call is logged, answers as a miss (or does
nothing) and the page is computed from the database. After an error the cache is skipped for
``CACHE_RETRY_SECONDS`` so a dead Redis does not cost a connect timeout on every call.
"""

import functools
import logging
import time

from django.core.cache.backends.redis import RedisCache

logger = logging.getLogger(__name__)


def _degrading(fallback):
    def wrap(method):
        @functools.wraps(method)
        def call(self, *args, **kwargs):
            if time.monotonic() < self._skip_until:
                return fallback(*args, **kwargs)
            try:
                return method(self, *args, **kwargs)
            except ValueError:
                # The cache answering "no such key" to incr(): Redis is up, the caller handles it.
                raise
            except Exception as exc:  # noqa: BLE001 - redis-py raises many kinds; all mean "no cache"
                self._skip_until = time.monotonic() + self._retry_seconds
                logger.warning("cache %s failed, continuing without the cache: %r", method.__name__, exc)
                return fallback(*args, **kwargs)

        return call

    return wrap


def _default(key, default=None, *args, **kwargs):
    return default


def _none(*args, **kwargs):
    return None


def _false(*args, **kwargs):
    return False


def _empty(*args, **kwargs):
    return {}


def _missing(key, *args, **kwargs):
    raise ValueError(f"Key '{key}' not found (cache unavailable)")


def _all_failed(data, *args, **kwargs):
    return list(data)


class DegradingRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._retry_seconds = float(params.get("RETRY_SECONDS", 30))
        self._skip_until = 0.0

    get = _degrading(_default)(RedisCache.get)
    get_many = _degrading(_empty)(RedisCache.get_many)
    has_key = _degrading(_false)(RedisCache.has_key)
    add = _degrading(_false)(RedisCache.add)
    set = _degrading(_none)(RedisCache.set)
    set_many = _degrading(_all_failed)(RedisCache.set_many)
    touch = _degrading(_false)(RedisCache.touch)
    delete = _degrading(_false)(RedisCache.delete)
    delete_many = _degrading(_none)(RedisCache.delete_many)
    incr = _degrading(_missing)(RedisCache.incr)
    clear = _degrading(_none)(RedisCache.clear)
