"""When a person last saw something (a page, a thread, a feed): one row per person and thing,
read before it is moved on, so that what came since can be marked new."""


def last_seen(model, **lookup):
    """The stored `seen_at` of this person and thing, or None if never."""
    return model.objects.filter(**lookup).values_list("seen_at", flat=True).first()


def seen_store(model, seen_at, **lookup) -> None:
    """Stores `seen_at` for this person and thing: one upsert, safe under a double tap."""
    model.objects.bulk_create(
        [model(seen_at=seen_at, **lookup)],
        update_conflicts=True,
        unique_fields=list(lookup),
        update_fields=["seen_at"],
    )
