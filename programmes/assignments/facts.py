"""What assignments tell other apps (progress), as plain data in a fixed number of queries.
Other apps read answers only through here: they never import these models or spell their
field paths."""

from collections.abc import Iterable
from datetime import datetime

from django.db.models import Max, Q

from .models import Answer, AnswerRevision


def submitted_answers(
    *, cohort_id: int, membership_ids: Iterable[int], group_ids: Iterable[int], now: datetime
) -> list[tuple[int | None, int | None, int, bool, bool]]:
    """The answers of these participants and small groups submitted by `now`: (participant
    id, small group id, assignment page id, late, reviewed by `now`). One query."""
    rows = (
        Answer.objects.filter(cohort_id=cohort_id, submitted_at__lte=now)
        .filter(Q(participant_id__in=list(membership_ids)) | Q(small_group_id__in=list(group_ids)))
        .values_list("participant_id", "small_group_id", "assignment_id", "is_late", "reviewed_at")
    )
    return [
        (participant_id, group_id, assignment_id, is_late, bool(reviewed and reviewed <= now))
        for participant_id, group_id, assignment_id, is_late, reviewed in rows
    ]


def last_saves(*, cohort_id: int, user_ids: Iterable[int], now: datetime) -> dict[int, datetime]:
    """When each of these people last saved an answer of the cohort, by `now`. One query."""
    return dict(
        AnswerRevision.objects.filter(
            answer__cohort_id=cohort_id, saved_by_id__in=list(user_ids), saved_at__lte=now
        )
        .values("saved_by_id")
        .annotate(last=Max("saved_at"))
        .values_list("saved_by_id", "last")
    )


def submitters(*, cohort_id: int, assignment_id: int) -> tuple[set[int], set[int]]:
    """Who has submitted this assignment: (participant membership ids, small group ids whose
    shared answer is in). One query."""
    participants, groups = set(), set()
    for participant_id, group_id in Answer.objects.filter(
        cohort_id=cohort_id, assignment_id=assignment_id, submitted_at__isnull=False
    ).values_list("participant_id", "small_group_id"):
        (participants if participant_id else groups).add(participant_id or group_id)
    return participants, groups
