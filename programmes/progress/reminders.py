"""Reminders: a training day tomorrow, an assignment due soon or overdue, and each trainer's
weekly list of who is behind. Beat runs `send_all` every 15 minutes; each reminder has its own
key, so it goes out once however often the scan runs, and a missed run is made up by the next.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from polku.notifications.services import Topic, reminders_unwanted, send_once
from polku.people.models import Cohort, Membership, Role

from ..models import AnswerScope, AssignmentSchedule, TrainingDaySchedule
from . import selectors
from .models import CohortProgress

DAY_BEFORE = timedelta(hours=24)
DUE_SOON = timedelta(hours=48)
OVERDUE_AFTER = timedelta(hours=24)
OVERDUE_UNTIL = timedelta(days=7)  # no "overdue" reminder for something long past
WEEKLY_DAY, WEEKLY_HOUR = 0, 7  # Monday from 07:00, local time


def send_all(now: datetime) -> int:
    return days_before(now) + due_soon(now) + overdue(now) + weekly_behind(now)


def _participants(cohort_id: int, exclude_user_ids=()) -> list[Membership]:
    members = list(
        Membership.objects.filter(cohort_id=cohort_id, role=Role.PARTICIPANT)
        .exclude(user_id__in=list(exclude_user_ids))
        .select_related("user", "cohort")
    )
    unwanted = reminders_unwanted([m.user_id for m in members])
    return [m for m in members if m.user_id not in unwanted and m.user.is_active]


def _link(name: str, *args) -> str:
    return settings.SITE_URL + reverse(name, args=args)


def days_before(now: datetime) -> int:
    sent = 0
    for schedule in TrainingDaySchedule.objects.filter(
        starts_at__gt=now, starts_at__lte=now + DAY_BEFORE
    ).select_related("page", "cohort"):
        link = _link("cohort_training_day", schedule.cohort.slug, schedule.page_id)
        for member in _participants(schedule.cohort_id):
            sent += send_once(
                member.user,
                f"day-before:{schedule.id}",
                "progress/email/day_before",
                {"schedule": schedule, "link": link},
                Topic.REMINDERS,
                language=schedule.cohort.language,
            )
    return sent


def _submitted_user_ids(schedule: AssignmentSchedule) -> set[int]:
    """Who has submitted this assignment (for a group assignment: every member of a group
    whose shared answer is submitted)."""
    from programmes.assignments.models import Answer

    answers = Answer.objects.filter(
        cohort_id=schedule.cohort_id, assignment_id=schedule.page_id, submitted_at__isnull=False
    )
    if schedule.page.answer_scope == AnswerScope.SMALL_GROUP:
        owners = Q(small_group__in=answers.values("small_group"))
    else:
        owners = Q(id__in=answers.values("participant"))
    return set(Membership.objects.filter(owners).values_list("user_id", flat=True))


def _assignment_reminders(schedules, key: str, template: str) -> int:
    sent = 0
    for schedule in schedules.select_related("page", "cohort"):
        link = _link("cohort_assignment", schedule.cohort.slug, schedule.page_id)
        for member in _participants(schedule.cohort_id, _submitted_user_ids(schedule)):
            sent += send_once(
                member.user,
                f"{key}:{schedule.id}",
                template,
                {"schedule": schedule, "link": link},
                Topic.REMINDERS,
                language=schedule.cohort.language,
            )
    return sent


def due_soon(now: datetime) -> int:
    return _assignment_reminders(
        AssignmentSchedule.objects.filter(
            opens_at__lte=now, due_at__gt=now, due_at__lte=now + DUE_SOON
        ),
        "due-soon",
        "progress/email/due_soon",
    )


def overdue(now: datetime) -> int:
    return _assignment_reminders(
        AssignmentSchedule.objects.filter(
            due_at__lte=now - OVERDUE_AFTER, due_at__gt=now - OVERDUE_UNTIL
        ),
        "overdue",
        "progress/email/overdue",
    )


def weekly_behind(now: datetime) -> int:
    """Monday morning: each trainer gets the list of their cohort's people who are behind,
    from the stored figures."""
    local = timezone.localtime(now)
    if local.weekday() != WEEKLY_DAY or local.hour < WEEKLY_HOUR:
        return 0
    year, week, _day = local.isocalendar()
    sent = 0
    cohort_ids = CohortProgress.objects.filter(people_behind__gt=0).values_list(
        "cohort_id", flat=True
    )
    for cohort in Cohort.objects.filter(id__in=cohort_ids).select_related("programme"):
        trainers = list(
            Membership.objects.filter(cohort=cohort, role=Role.TRAINER).select_related("user")
        )
        unwanted = reminders_unwanted([t.user_id for t in trainers])
        trainers = [t for t in trainers if t.user_id not in unwanted]
        if not trainers:
            continue
        behind = selectors.behind_people(cohort, selectors.titles(cohort))
        for trainer in trainers:
            sent += send_once(
                trainer.user,
                f"behind:{cohort.id}:{year}-W{week:02}",
                "progress/email/weekly_behind",
                {
                    "cohort": cohort,
                    "behind": behind,
                    "link": _link("progress_dashboard", cohort.slug),
                },
                Topic.REMINDERS,
                language=cohort.language,
            )
    return sent
