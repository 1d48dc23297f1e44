"""What the workspaces tell other apps (progress), as plain data in a fixed number of
queries."""

from collections.abc import Iterable
from datetime import datetime

from django.db.models import Count, Max

from .models import Comment, Post


def workspace_activity(
    *, cohort_id: int, user_ids: Iterable[int], now: datetime
) -> dict[int, tuple[int, datetime | None]]:
    """Per person: posts and comments written in the cohort's workspaces by `now`, and when
    the last one was. Two queries."""
    activity: dict[int, tuple[int, datetime | None]] = {}
    users = list(user_ids)
    for rows in (
        Post.objects.filter(small_group__cohort_id=cohort_id, author_id__in=users),
        Comment.objects.filter(post__small_group__cohort_id=cohort_id, author_id__in=users),
    ):
        for user_id, count, last in (
            rows.filter(created_at__lte=now)
            .values("author_id")
            .annotate(n=Count("id"), last=Max("created_at"))
            .values_list("author_id", "n", "last")
        ):
            before, latest = activity.get(user_id, (0, None))
            activity[user_id] = (before + count, max(filter(None, [latest, last])))
    return activity
