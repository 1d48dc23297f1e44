"""Reads of a cohort's path. Each runs a fixed number of queries, whatever the cohort size."""

from dataclasses import dataclass
from datetime import datetime
from typing import NamedTuple

from django.utils import timezone
from django.utils.translation import gettext_lazy, pgettext_lazy
from wagtail.models import Page

from polku.people.models import Membership, Role
from programmes.access import cohort_calendar
from programmes.assignments.selectors import (
    SUBMITTED_STATES,
    AnswerStatus,
    my_answers_of,
)
from programmes.live.selectors import my_commitments, published_days
from programmes.models import (
    DUE_SOON,
    AssignmentSchedule,
    TrainingDaySchedule,
)
from programmes.services import page_visits_of


class Badge(NamedTuple):
    label: str
    tone: str = ""  # "", "muted", "warn"


# What a path item's status shows, by kind; a status without a badge shows none.
BADGES = {
    ("day", "today"): Badge(gettext_lazy("Today")),
    ("day", "past"): Badge(gettext_lazy("Held"), "muted"),
    ("assignment", "open"): Badge(pgettext_lazy("state", "Open")),
    ("assignment", "due_soon"): Badge(gettext_lazy("Due soon"), "warn"),
    ("assignment", "overdue"): Badge(gettext_lazy("Past due"), "warn"),
    ("assignment", "upcoming"): Badge(gettext_lazy("Opens later"), "muted"),
}


@dataclass
class PathItem:
    page: Page
    kind: str  # "day" or "assignment"
    schedule: TrainingDaySchedule | AssignmentSchedule | None
    # day: upcoming, today, past, unscheduled
    # assignment: upcoming, open, due_soon, overdue, unscheduled
    status: str
    is_updated: bool  # changed since this person last opened it
    is_next: bool = False
    has_new_feedback: bool = False  # a message in its coaching thread not seen yet
    has_summary: bool = False  # a day whose summary the trainer published
    answer_status: AnswerStatus | None = None  # the participant's own

    @property
    def is_answered(self) -> bool:
        return self.answer_status in SUBMITTED_STATES

    @property
    def is_day(self) -> bool:
        return self.kind == "day"

    @property
    def is_today(self) -> bool:
        return self.status == "today"

    @property
    def is_past(self) -> bool:
        return self.status == "past"

    @property
    def shows_answer_status(self) -> bool:
        """An answered assignment shows its answer's status; one not yet submitted shows its
        draft beside its dates."""
        return self.is_answered or self.answer_status == AnswerStatus.DRAFT

    @property
    def badge(self) -> Badge | None:
        """The status badge; an answered assignment shows its answer's status instead."""
        return None if self.is_answered else BADGES.get((self.kind, self.status))

    @property
    def sort_at(self) -> datetime | None:
        if self.schedule is None:
            return None
        return getattr(self.schedule, "starts_at", None) or self.schedule.opens_at


def _day_status(schedule, now):
    if schedule is None:
        return "unscheduled"
    if schedule.ends_at < now:
        return "past"
    if timezone.localdate(schedule.starts_at) <= timezone.localdate(now):  # Helsinki's day
        return "today"
    return "upcoming"


def _assignment_status(schedule, now):
    if schedule is None:
        return "unscheduled"
    if now < schedule.opens_at:
        return "upcoming"
    if now > schedule.due_at:
        return "overdue"
    if schedule.due_at - now <= DUE_SOON:
        return "due_soon"
    return "open"


def cohort_path_get(*, membership: Membership, now: datetime | None = None) -> list[PathItem]:
    """The cohort's path in the order the programme sets, with this cohort's dates, each
    item's status for now, and whether it changed since the person last opened it."""
    now = now or timezone.now()
    cohort = membership.cohort
    days, assignments, day_dates, assignment_dates = cohort_calendar(cohort)
    visits = page_visits_of(membership.user_id)

    def is_updated(page):
        seen_at = visits.get(page.id)
        return bool(seen_at and page.last_published_at and page.last_published_at > seen_at)

    kinds = [
        ("day", days, day_dates, _day_status),
        ("assignment", assignments, assignment_dates, _assignment_status),
    ]
    items = [
        PathItem(page, kind, dates.get(page.id), status(dates.get(page.id), now), is_updated(page))
        for kind, pages, dates, status in kinds
        for page in pages
    ]
    if membership.role == Role.PARTICIPANT:
        statuses, new_feedback = my_answers_of(membership=membership)
        for item in items:
            if item.kind == "assignment":
                item.answer_status = statuses.get(item.page.id, AnswerStatus.NOT_STARTED)
                item.has_new_feedback = item.page.id in new_feedback
    summarised = {link.training_day_id for link in published_days(cohort=cohort)}
    for item in items:
        item.has_summary = item.kind == "day" and item.page.id in summarised
    items.sort(key=lambda item: item.page.path)  # the order the editor gave the path
    upcoming = [
        i
        for i in items
        if i.status in ("upcoming", "today", "open", "due_soon") and not i.is_answered
    ]
    if upcoming:
        min(upcoming, key=lambda i: i.sort_at or now).is_next = True
    return items


def commitments_until_next_day(*, membership: Membership, items: list[PathItem], now: datetime):
    """The participant's commitments from the last training day held, shown on their path
    until the next day begins (from the path's own days: one query)."""
    days = [item for item in items if item.is_day and item.schedule]
    held = [item for item in days if item.schedule.ends_at <= now]
    if not held or not any(item.schedule.starts_at > now for item in days):
        return []  # none held yet, or the last one held was the year's last
    last = max(held, key=lambda item: item.schedule.ends_at)
    return my_commitments(membership=membership, training_day_id=last.page.id)
