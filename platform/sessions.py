"""Sessions kept in the database and read through the shared cache (Django's `cached_db`),
so that a request does not spend a query on knowing its session (docs/performance.md).

The cache is an optimisation only, as everywhere in Polku (polku.caching): while it is down
(Redis restarting) a read falls back to the database and a write or a delete is skipped and
logged, never a server error. Cached copies live at most SECONDS, so a logout or an erasure
whose cache delete failed is honoured within that time, and the row in the database stays
the truth."""

from django.contrib.sessions.backends.cached_db import SessionStore as CachedDBStore

from polku.caching import cache_delete, cache_get, cache_set

SECONDS = 60


class _MissWhenDown:
    """The session cache's calls through polku.caching (the default cache, which sessions
    use): a cache that is down is a miss, and a skipped write is logged there."""

    def get(self, key, default=None):
        value = cache_get(key)
        return default if value is None else value

    def set(self, key, value, timeout=None):
        cache_set(key, value, timeout=SECONDS if timeout is None else min(timeout, SECONDS))

    def delete(self, key):
        cache_delete(key)

    def __contains__(self, key):
        return cache_get(key) is not None


class SessionStore(CachedDBStore):
    def __init__(self, session_key=None):
        super().__init__(session_key)
        self._cache = _MissWhenDown()
