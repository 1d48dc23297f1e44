"""Writes along a path."""

from datetime import datetime

from django.utils import timezone

from .models import PageVisit


def page_visit_record(*, user, page, now: datetime | None = None) -> datetime | None:
    """Stores that the person opened the page now (one upsert, safe under a double tap) and
    returns when they had opened it before, if ever."""
    previous = (
        PageVisit.objects.filter(user=user, page=page).values_list("seen_at", flat=True).first()
    )
    PageVisit.objects.bulk_create(
        [PageVisit(user=user, page=page, seen_at=now or timezone.now())],
        update_conflicts=True,
        unique_fields=["user", "page"],
        update_fields=["seen_at"],
    )
    return previous
