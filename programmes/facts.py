"""What the path tells other apps (progress): each cohort's calendar as plain data, in a
fixed number of queries. Other apps read training days and due dates only through here: they
never import the schedule models or spell their field paths."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Max

from . import models
from .models import AnswerScope, AssignmentSchedule, TrainingDaySchedule

DUE_SOON = models.DUE_SOON  # what "due soon" means: for reminders as for the path


@dataclass(frozen=True)
class Day:
    """A cohort's training day."""

    id: int  # the schedule's id: the day of this cohort
    cohort_id: int
    page_id: int
    title: str
    starts_at: datetime
    ends_at: datetime
    place: str


@dataclass(frozen=True)
class Due:
    """A cohort's assignment, with its dates."""

    id: int  # the schedule's id
    cohort_id: int
    page_id: int
    title: str
    opens_at: datetime
    due_at: datetime
    by_small_group: bool  # one answer per small group


_DAY = ("id", "cohort_id", "page_id", "page__title", "starts_at", "ends_at", "place")
_DUE = ("id", "cohort_id", "page_id", "page__title", "opens_at", "due_at", "page__answer_scope")


def _days(rows) -> list[Day]:
    """The days that are held: a cancelled one is neither reminded of nor counted."""
    rows = rows.filter(cancelled=False)
    return [Day(*row) for row in rows.order_by("starts_at", "id").values_list(*_DAY)]


def _dues(rows) -> list[Due]:
    return [
        Due(*row[:-1], by_small_group=row[-1] == AnswerScope.SMALL_GROUP)
        for row in rows.order_by("due_at", "id").values_list(*_DUE)
    ]


def cohort_calendar(cohort_id: int) -> tuple[list[Day], list[Due]]:
    """The cohort's training days by start and assignments by due date. Two queries."""
    return (
        _days(TrainingDaySchedule.objects.filter(cohort_id=cohort_id)),
        _dues(AssignmentSchedule.objects.filter(cohort_id=cohort_id)),
    )


def cohort_day(cohort_id: int, page_id: int) -> Day | None:
    """The cohort's date of one training day, if it has one. One query."""
    return next(
        iter(_days(TrainingDaySchedule.objects.filter(cohort_id=cohort_id, page_id=page_id))), None
    )


def days_starting(after: datetime, until: datetime) -> list[Day]:
    """Every cohort's training days that start in (after, until]. One query."""
    return _days(TrainingDaySchedule.objects.filter(starts_at__gt=after, starts_at__lte=until))


def dues_between(
    after: datetime, until: datetime, *, opened_by: datetime | None = None
) -> list[Due]:
    """Every cohort's assignments due in (after, until], and open by `opened_by` if given.
    One query."""
    rows = AssignmentSchedule.objects.filter(due_at__gt=after, due_at__lte=until)
    if opened_by is not None:
        rows = rows.filter(opens_at__lte=opened_by)
    return _dues(rows)


def day_get(day_id: int) -> Day | None:
    return next(iter(_days(TrainingDaySchedule.objects.filter(id=day_id))), None)


def due_get(due_id: int) -> Due | None:
    return next(iter(_dues(AssignmentSchedule.objects.filter(id=due_id))), None)


def last_calendar_moments(now: datetime) -> dict[int, datetime]:
    """For each cohort, the latest moment by `now` that changes its figures: a training day
    that began or a due date that passed. Two queries, one row per cohort."""
    latest: dict[int, datetime] = {}
    for rows, moment in (
        (TrainingDaySchedule.objects, "starts_at"),
        (AssignmentSchedule.objects, "due_at"),
    ):
        for cohort_id, at in (
            rows.filter(**{f"{moment}__lte": now})
            .values("cohort_id")
            .annotate(at=Max(moment))
            .values_list("cohort_id", "at")
        ):
            latest[cohort_id] = max(at, latest.get(cohort_id, at))
    return latest
