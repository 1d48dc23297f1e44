"""When a person last saw something (a page, a thread, a feed): one row per person and thing,
read before it is moved on, so that what came since can be marked new. Pages read these rows
through the cache (polku.caching.cached) under a version of the person's: storing one bumps it."""

from .caching import version_bump


def last_seen(model, **lookup):
    """The stored `seen_at` of this person and thing, or None if never."""
    return model.objects.filter(**lookup).values_list("seen_at", flat=True).first()


def seen_store(model, seen_at, *, version: str, **lookup) -> None:
    """Stores `seen_at` for this person and thing (one upsert, safe under a double tap) and
    bumps `version`, what the cached reads of it are kept under."""
    model.objects.bulk_create(
        [model(seen_at=seen_at, **lookup)],
        update_conflicts=True,
        unique_fields=list(lookup),
        update_fields=["seen_at"],
    )
    version_bump(version)
