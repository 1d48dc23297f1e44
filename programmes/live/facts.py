"""What live feedback tells other apps (progress), as plain data in a fixed number of
queries."""

from collections.abc import Iterable
from datetime import datetime

from django.db.models import Count, Max, Q

from .models import LiveAnswer, LiveQuestion


def live_answers(
    *, cohort_id: int, user_ids: Iterable[int], now: datetime
) -> dict[int, tuple[int, datetime | None]]:
    """Per person: how many of their answers belong to questions closed by `now` (those
    count), and when they last answered. One query."""
    rows = (
        LiveAnswer.objects.filter(
            question__cohort_id=cohort_id, user_id__in=list(user_ids), created_at__lte=now
        )
        .values("user_id")
        .annotate(
            closed=Count(
                "id",
                filter=Q(question__state=LiveQuestion.State.CLOSED, question__closed_at__lte=now),
            ),
            last=Max("updated_at"),
        )
        .values_list("user_id", "closed", "last")
    )
    return {user_id: (closed, last) for user_id, closed, last in rows}
