"""The shared cache as an optimisation only: when it is down (Redis restarting), reads miss and
writes are skipped, so pages fall back to the database instead of answering 500. Entries are
short-lived, so one that a failed delete left behind is gone within `SHORT`."""

import logging

from django.core.cache import cache

logger = logging.getLogger(__name__)
SHORT = 20  # seconds: how long a cached entry may outlive a change it missed


def cache_get(key: str):
    try:
        return cache.get(key)
    except Exception:  # noqa: BLE001 - any backend's connection error: a miss
        logger.warning("cache unavailable (get %s)", key, exc_info=True)
        return None


def cache_set(key: str, value, timeout: int = SHORT) -> None:
    try:
        cache.set(key, value, timeout=timeout)
    except Exception:  # noqa: BLE001
        logger.warning("cache unavailable (set %s)", key, exc_info=True)


def cache_delete(key: str) -> None:
    try:
        cache.delete(key)
    except Exception:  # noqa: BLE001
        logger.warning("cache unavailable (delete %s)", key, exc_info=True)
