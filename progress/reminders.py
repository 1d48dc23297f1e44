"""Reminders: a training day tomorrow, an assignment due soon or overdue, and each trainer's
weekly list of who is behind.

Beat runs a cheap scan every 15 minutes (`due`): which reminders are in their window now. Each
one is then sent to its people by a task of its own (`send`), so one cohort's emails never wait
for another's and a task stays short. Every email has its own key, so a reminder goes out once
however often the scan runs, and a missed scan is made up by the next."""

from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from polku.notifications.services import Topic, reminders_unwanted, send_once
from polku.people.models import Cohort, Membership, Role
from programmes import facts as path_facts
from programmes.assignments import facts as assignment_facts

from . import selectors
from .models import CohortProgress

DAY_BEFORE = timedelta(hours=24)
OVERDUE_AFTER = timedelta(hours=24)
OVERDUE_UNTIL = timedelta(days=7)  # no "overdue" reminder for something long past
WEEKLY_DAY, WEEKLY_HOUR = 0, 7  # Monday from 07:00, local time

DAY_BEFORE_KIND, DUE_SOON_KIND, OVERDUE_KIND, WEEKLY_KIND, NUDGE_KIND = (
    "day-before",
    "due-soon",
    "overdue",
    "behind",
    "nudge",
)


def due(now: datetime) -> list[tuple[str, int]]:
    """The reminders whose time has come: (kind, training day or assignment schedule id, or
    for the weekly list the cohort id)."""
    found = [(DAY_BEFORE_KIND, day.id) for day in path_facts.days_starting(now, now + DAY_BEFORE)]
    found += [
        (DUE_SOON_KIND, due.id)
        for due in path_facts.dues_between(now, now + path_facts.DUE_SOON, opened_by=now)
    ]
    found += [
        (OVERDUE_KIND, due.id)
        for due in path_facts.dues_between(now - OVERDUE_UNTIL, now - OVERDUE_AFTER)
    ]
    local = timezone.localtime(now)
    if local.weekday() == WEEKLY_DAY and local.hour >= WEEKLY_HOUR:
        found += [
            (WEEKLY_KIND, cohort_id)
            for cohort_id in CohortProgress.objects.filter(people_behind__gt=0).values_list(
                "cohort_id", flat=True
            )
        ]
    return found


def send(kind: str, object_id: int, now: datetime) -> int:
    """Sends one reminder to each of its people who has not had it; returns how many."""
    if kind == WEEKLY_KIND:
        return _weekly_behind(object_id, now)
    if kind == DAY_BEFORE_KIND:
        schedule = path_facts.day_get(object_id)
        url_name, submitted = "cohort_training_day", set()
    else:
        schedule = path_facts.due_get(object_id)
        url_name = "cohort_assignment"
        submitted = _submitted_user_ids(schedule) if schedule else set()
    cohort = Cohort.objects.filter(id=schedule.cohort_id).first() if schedule else None
    if cohort is None:
        return 0  # deleted since the scan
    link = _link(url_name, cohort.slug, schedule.page_id)
    sent = 0
    for member in _participants(schedule.cohort_id, exclude_user_ids=submitted):
        sent += send_once(
            member.user,
            f"{kind}:{schedule.id}",
            f"progress/email/{kind.replace('-', '_')}",
            {"schedule": schedule, "link": link},
            Topic.REMINDERS,
            language=cohort.language,
        )
    return sent


def _participants(cohort_id: int, exclude_user_ids=(), only_ids=None) -> list[Membership]:
    members = Membership.objects.joined_participants().filter(cohort_id=cohort_id)
    if only_ids is not None:
        members = members.filter(id__in=list(only_ids))
    members = list(members.exclude(user_id__in=list(exclude_user_ids)).select_related("user"))
    unwanted = reminders_unwanted([m.user_id for m in members])
    return [m for m in members if m.user_id not in unwanted and m.user.is_active]


def nudges_send(cohort_id: int, membership_ids: list[int], today: str) -> int:
    """A trainer's or organiser's nudge to people who are behind, telling each what they
    miss: once a day each at most (a second tap, or a retry, sends nothing more), not to those
    who turned reminders off, and not to those who caught up meanwhile."""
    cohort = Cohort.objects.filter(id=cohort_id).select_related("programme").first()
    if cohort is None:
        return 0
    members = {m.id: m for m in _participants(cohort_id, only_ids=membership_ids)}
    sent = 0
    for person in selectors.behind_people(cohort, selectors.titles(cohort)):
        member = members.get(person.membership_id)
        if member is None:
            continue
        sent += send_once(
            member.user,
            f"{NUDGE_KIND}:{cohort_id}:{today}",
            "progress/email/nudge",
            {"cohort": cohort, "person": person, "link": _link("cohort_path", cohort.slug)},
            Topic.REMINDERS,
            language=cohort.language,
        )
    return sent


def _link(name: str, *args) -> str:
    return settings.SITE_URL + reverse(name, args=args)


def _submitted_user_ids(schedule: path_facts.Due) -> set[int]:
    """Who has submitted this assignment (for a group assignment: every member of a group
    whose shared answer is submitted)."""
    participants, groups = assignment_facts.submitters(
        cohort_id=schedule.cohort_id, assignment_id=schedule.page_id
    )
    owners = Q(id__in=participants) | Q(small_group_id__in=groups, cohort_id=schedule.cohort_id)
    return set(Membership.objects.filter(owners).values_list("user_id", flat=True))


def _weekly_behind(cohort_id: int, now: datetime) -> int:
    """Each trainer's list of the cohort's people who are behind, from the stored figures."""
    cohort = Cohort.objects.filter(id=cohort_id).select_related("programme").first()
    if cohort is None:
        return 0
    trainers = list(
        Membership.objects.filter(cohort=cohort, role=Role.TRAINER).select_related("user")
    )
    unwanted = reminders_unwanted([t.user_id for t in trainers])
    behind = selectors.behind_people(cohort, selectors.titles(cohort))
    if not behind:
        return 0
    year, week, _day = timezone.localtime(now).isocalendar()
    sent = 0
    for trainer in trainers:
        if trainer.user_id in unwanted or not trainer.user.is_active:
            continue
        sent += send_once(
            trainer.user,
            f"{WEEKLY_KIND}:{cohort.id}:{year}-W{week:02}",
            "progress/email/behind",
            {
                "cohort": cohort,
                "behind": behind,
                "link": _link("progress_dashboard", cohort.slug),
            },
            Topic.REMINDERS,
            language=cohort.language,
        )
    return sent
