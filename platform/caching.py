"""The shared cache as an optimisation only: when it is down (Redis restarting), reads miss and
writes are skipped, so pages fall back to the database instead of answering 500. Entries are
short-lived, so one that a failed delete left behind is gone within `SHORT`."""

import logging
import uuid
from contextvars import ContextVar

from django.core.cache import cache
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from django.db import transaction
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils.crypto import salted_hmac
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

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


# Versioned entries: a read names the versions it depends on, and a change bumps them (after
# its commit), so the next read misses and builds afresh: a change is seen at once, never a
# stale copy. A version is a random token kept in the cache; a cache that lost it (restarted,
# evicted) makes a new one, which misses everything kept under the old. Only a bump that failed
# while the cache still answered reads could leave an entry stale: for VERSIONED_SECONDS at most.
VERSIONED_SECONDS = 10 * 60


def _version_key(name: str) -> str:
    return f"version:{name}"


# Within one request a version is read once: a page's cached reads mostly share theirs (the
# structure's), and each read is a round trip to Redis. A request's own bump forgets it.
_request_tokens: ContextVar[dict | None] = ContextVar("polku_request_tokens", default=None)


class VersionsOncePerRequestMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        reset = _request_tokens.set({})
        try:
            return self.get_response(request)
        finally:
            _request_tokens.reset(reset)


def _versions_read(names, entry_key: str):
    """The current tokens of these versions, joined, and the entry under `entry_key`, in one
    round trip to the cache; (None, None) when the cache is down."""
    keys = [_version_key(name) for name in names]
    known = _request_tokens.get()
    found = {key: known[key] for key in keys if key in known} if known is not None else {}
    try:
        found |= cache.get_many([key for key in keys if key not in found] + [entry_key])
        entry = found.pop(entry_key, None)
        for key in keys:
            if key not in found:
                cache.add(key, uuid.uuid4().hex[:12], timeout=None)
                found[key] = cache.get(key)
    except Exception:  # noqa: BLE001
        logger.warning("cache unavailable (versions %s)", names, exc_info=True)
        return None, None
    if known is not None:
        known.update(found)
    return ".".join(str(found[key]) for key in keys), entry


def version_bump(*names: str) -> None:
    """Every entry read under these versions is gone: now, for this transaction's own reads,
    and again after it commits, for what another process read meanwhile (the old data,
    under the token of now)."""

    def bump():
        known = _request_tokens.get()
        for name in names:
            cache_set(_version_key(name), uuid.uuid4().hex[:12], timeout=None)
            if known is not None:
                known.pop(_version_key(name), None)

    bump()
    transaction.on_commit(bump)


def cached(key: str, build, *, versions):
    """`build()`'s value, kept with the current tokens of `versions`: an entry kept under other
    tokens is a miss. The versions and the entry come in one round trip. None is never kept
    (a thing that does not exist yet may exist on the next read)."""
    entry_key = f"cached:{key}"
    token, entry = _versions_read(versions, entry_key)
    if token is None:
        return build()
    if entry is not None and entry[0] == token:
        return entry[1]
    value = build()
    if value is not None:
        cache_set(entry_key, (token, value), timeout=VERSIONED_SECONDS)
    return value


def _csrf_placeholder() -> str:
    # Stable across processes (a fragment is read by others than its writer) and unguessable
    # (a post that contains it must not be given the reader's token in place of the text).
    return "csrf-" + salted_hmac("polku.caching.fragment", "csrf").hexdigest()[:24]


def cached_fragment(request, key: str, template_name: str, context: dict, *, versions) -> str:
    """A template rendered once and kept under the current tokens of `versions`, as `cached`
    keeps values. The key must name everything else the HTML depends on (the reader, the
    language); the reader's CSRF token is put into the kept HTML on every read, so a fragment
    with forms is never stale on that account."""
    placeholder = _csrf_placeholder()
    html = cached(
        f"fragment:{key}:{get_language()}",
        lambda: render_to_string(template_name, {**context, "csrf_token": placeholder}, request),
        versions=versions,
    )
    return mark_safe(html.replace(placeholder, get_token(request)))  # noqa: S308 - our template


class _ClientReusingRedisCacheClient(RedisCacheClient):
    """Django's Redis cache builds a new redis-py client object (and its table of response
    callbacks) for every operation; the connection pool is shared anyway, so one client per
    pool does the same work for a fraction of the CPU (measured in docs/performance.md)."""

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        clients = self.__dict__.setdefault("_clients", {})
        if index not in clients:
            clients[index] = self._client(connection_pool=self._get_connection_pool(write))
        return clients[index]


class ClientReusingRedisCache(RedisCache):
    """settings.CACHES' backend when CACHE_URL is a Redis URL."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = _ClientReusingRedisCacheClient
