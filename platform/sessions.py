"""Sessions kept in the database and read through the shared cache (Django's `cached_db`),
so that a request does not spend a query on knowing its session (docs/performance.md).

The cache is an optimisation only, as everywhere in Polku (polku.caching): while it is down
(Redis restarting) a read falls back to the database and a write or a delete is skipped and
logged, never a server error. Cached copies live at most SECONDS, so a logout or an erasure
whose cache delete failed is honoured within that time, and the row in the database stays
the truth."""

import logging

from django.contrib.sessions.backends.cached_db import SessionStore as CachedDBStore

logger = logging.getLogger(__name__)
SECONDS = 60


class _MissWhenDown:
    """The session cache's calls, with an unavailable cache read as a miss."""

    def __init__(self, cache):
        self._cache = cache

    def get(self, key, default=None):
        try:
            return self._cache.get(key, default)
        except Exception:  # noqa: BLE001 - any backend's connection error: a miss
            logger.warning("session cache unavailable (get)", exc_info=True)
            return default

    def set(self, key, value, timeout=None):
        timeout = SECONDS if timeout is None else min(timeout, SECONDS)
        try:
            self._cache.set(key, value, timeout)
        except Exception:  # noqa: BLE001
            logger.warning("session cache unavailable (set)", exc_info=True)

    def delete(self, key):
        try:
            self._cache.delete(key)
        except Exception:  # noqa: BLE001
            logger.warning("session cache unavailable (delete)", exc_info=True)

    def __contains__(self, key):
        return self.get(key) is not None


class SessionStore(CachedDBStore):
    def __init__(self, session_key=None):
        super().__init__(session_key)
        self._cache = _MissWhenDown(self._cache)
