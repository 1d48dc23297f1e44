"""Access to the pages of a path, next to them (see polku.access for the people-level rules)."""

from collections.abc import Iterable
from typing import NamedTuple

from polku.access import ALL_ROLES, cohort_page_get, membership_get
from polku.caching import cached
from polku.people.versions import STRUCTURE

from .models import AssignmentPage, AssignmentSchedule, TrainingDayPage, TrainingDaySchedule


def training_day_get(user, cohort_slug: str, page_id: int, roles: Iterable[str] = ALL_ROLES):
    """(membership, training day) for a day of the person's cohort's programme, or 404."""
    membership = membership_get(user, cohort_slug, roles=roles)
    return membership, cohort_page_get(membership, TrainingDayPage, page_id)


class CohortCalendar(NamedTuple):
    days: list[TrainingDayPage]  # live, with titles and dates, not bodies
    assignments: list[AssignmentPage]
    day_dates: dict[int, TrainingDaySchedule]  # by page id
    assignment_dates: dict[int, AssignmentSchedule]


def cohort_calendar(cohort) -> CohortCalendar:
    """The cohort's live days and assignments and its dates for them. The same for everyone
    in the cohort: cached until the structure changes."""

    def build():
        columns = ("id", "title", "path", "depth", "live", "last_published_at", "growth_chain_step")
        programme = cohort.programme
        return CohortCalendar(
            list(TrainingDayPage.objects.live().child_of(programme).only(*columns)),
            list(
                AssignmentPage.objects.live()
                .child_of(programme)
                .only(*columns, "answer_scope")  # a small group's tasks are the group's
            ),
            {s.page_id: s for s in TrainingDaySchedule.objects.filter(cohort=cohort)},
            {s.page_id: s for s in AssignmentSchedule.objects.filter(cohort=cohort)},
        )

    return cached(f"calendar:{cohort.id}", build, versions=[STRUCTURE])
