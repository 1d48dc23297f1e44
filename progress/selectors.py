"""Reads for dashboards and exports. They read stored rollups only (never answers, posts or
live answers) in a fixed number of queries, whatever the cohort's size."""

from dataclasses import dataclass
from datetime import datetime

from django.core.paginator import Paginator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from wagtail.models import Page

from polku.people.models import Membership, Role, SmallGroup
from programmes import facts as path_facts

from .models import CohortProgress, CohortSnapshot, ParticipantProgress
from .rollups import BEFORE_JOINING, TOTAL_FIELDS

BEHIND_SHOWN = 20  # on the dashboard; the export and group pages list everyone

DAY_LABELS = {
    "present": _("Present"),
    "absent": _("Absent"),
    "followed_up": _("Absent, followed up"),
    "unmarked": _("Not marked"),
    BEFORE_JOINING: _("Before joining"),
}
ASSIGNMENT_LABELS = {
    "on_time": _("On time"),
    "late": _("Late"),
    "missing": _("Missing"),
    "open": pgettext_lazy("state", "Open"),
    "early": _("Submitted"),
    BEFORE_JOINING: _("Before joining"),
}


def rate(part: int, whole: int) -> int | None:
    return round(100 * part / whole) if whole else None


def attendance_rate(figures) -> int | None:
    """Of the training days held since each person joined, the share attended."""
    return rate(figures.days_attended, figures.days_held)


def submitted_rate(figures) -> int | None:
    """Of the assignments due since each person joined, the share submitted."""
    return rate(figures.assignments_on_time + figures.assignments_late, figures.assignments_due)


def titles(cohort) -> dict[int, str]:
    """Titles of the pages of the cohort's programme, by id (one query)."""
    return dict(Page.objects.child_of(cohort.programme).values_list("id", "title"))


@dataclass
class Behind:
    membership_id: int
    name: str
    group: str
    missing: list[str]  # assignment titles
    absent: list[str]  # training days missed and not followed up


def behind_people(cohort, page_titles: dict, limit: int | None = None) -> list[Behind]:
    rows = (
        ParticipantProgress.objects.filter(cohort=cohort, behind=True)
        .select_related("membership__user", "small_group")
        .order_by("-assignments_missing", "membership__user__last_name")
    )
    if limit:
        rows = rows[:limit]
    return [
        Behind(
            membership_id=row.membership_id,
            name=str(row.membership.user),
            group=row.small_group.name if row.small_group else "",
            missing=[
                page_titles.get(int(page_id), "?")
                for page_id, (status, _reviewed) in row.assignments.items()
                if status == "missing"
            ],
            absent=[
                page_titles.get(int(page_id), "?")
                for page_id, status in row.days.items()
                if status == "absent"
            ],
        )
        for row in rows
    ]


def chart(snapshots: list, width: int = 320, height: int = 140) -> dict | None:
    """Two lines over the year, drawn as SVG by the template: attendance and submitted
    assignments, in per cent of what was possible by each day."""
    if len(snapshots) < 2:
        return None
    first, last = snapshots[0].date, snapshots[-1].date
    span = max((last - first).days, 1)

    def points(values):
        return " ".join(
            f"{(s.date - first).days * width / span:.1f},{height - v * height / 100:.1f}"
            for s, v in zip(snapshots, values, strict=True)
            if v is not None
        )

    attendance = [attendance_rate(s) for s in snapshots]
    submitted = [submitted_rate(s) for s in snapshots]
    return {
        "width": width,
        "height": height,
        "middle": height // 2,
        "first": first,
        "last": last,
        "attendance": points(attendance),
        "submitted": points(submitted),
        "attendance_now": next((v for v in reversed(attendance) if v is not None), None),
        "submitted_now": next((v for v in reversed(submitted) if v is not None), None),
    }


def upcoming(cohort, now: datetime, count: int = 4) -> list[dict]:
    days, dues = path_facts.cohort_calendar(cohort.id)
    items = [
        {"when": d.starts_at, "title": d.title, "is_day": True, "page_id": d.page_id}
        for d in days
        if d.ends_at >= now
    ][:count]
    items += [
        {"when": a.due_at, "title": a.title, "is_day": False, "page_id": a.page_id}
        for a in dues
        if a.due_at >= now
    ][:count]
    return sorted(items, key=lambda item: item["when"])[:count]


def dashboard(cohort, now: datetime | None = None) -> dict:
    now = now or timezone.now()
    totals = CohortProgress.objects.filter(cohort=cohort).first()
    snapshots = list(CohortSnapshot.objects.filter(cohort=cohort))
    if totals and totals.updated_at and (not snapshots or snapshots[-1].date < now.date()):
        # Today's figures as the chart's last point, until tonight's snapshot stores them.
        snapshots.append(
            CohortSnapshot(
                cohort=cohort,
                date=timezone.localdate(now),
                **{name: getattr(totals, name) for name in TOTAL_FIELDS},
            )
        )
    groups = list(
        SmallGroup.objects.filter(cohort=cohort).select_related("progress").order_by("name")
    )
    page_titles = titles(cohort)
    return {
        "totals": totals,
        "invited": Membership.objects.filter(
            cohort=cohort, role=Role.PARTICIPANT, joined_at=None
        ).count(),
        "attendance": attendance_rate(totals) if totals else None,
        "submitted": submitted_rate(totals) if totals else None,
        "chart": chart(snapshots),
        "groups": [_group_bars(group, getattr(group, "progress", None)) for group in groups],
        "behind": behind_people(cohort, page_titles, limit=BEHIND_SHOWN),
        "upcoming": upcoming(cohort, now),
    }


def _group_bars(group, figures) -> dict:
    return {
        "group": group,
        "figures": figures,
        "attendance": attendance_rate(figures) if figures else None,
        "submitted": submitted_rate(figures) if figures else None,
    }


PEOPLE_PAGE = 50


def people_page(cohort, *, behind_only: bool, number):
    """A page of the cohort's participants with their stored figures: two queries."""
    members = (
        Membership.objects.joined_participants()
        .filter(cohort=cohort)
        .select_related("user", "small_group", "progress")
        .order_by("user__first_name", "user__last_name", "id")
    )
    if behind_only:
        members = members.filter(progress__behind=True)
    return Paginator(members, PEOPLE_PAGE).get_page(number)


def group_members(group) -> list[Membership]:
    """The group's participants with their stored figures (`.progress`, may be missing)."""
    return list(
        Membership.objects.joined_participants()
        .filter(small_group=group)
        .select_related("user", "progress")
        .order_by("user__first_name", "user__last_name")
    )


@dataclass
class YearItem:
    kind: str  # "day" | "assignment"
    page_id: int
    title: str
    when: datetime
    status: str
    label: str
    reviewed: bool = False

    @property
    def is_day(self) -> bool:
        return self.kind == "day"

    @property
    def needs_attention(self) -> bool:
        """Missed: an assignment not returned, or a day away."""
        return self.status in ("missing", "absent")


def person_year(member: Membership) -> list[YearItem]:
    """A participant's year in calendar order, from their stored figures."""
    row = getattr(member, "progress", None)
    days_done = row.days if row else {}
    assignments = row.assignments if row else {}
    days, dues = path_facts.cohort_calendar(member.cohort_id)
    items = []
    for day in days:
        status = days_done.get(str(day.page_id), "upcoming")
        items.append(
            YearItem(
                "day",
                day.page_id,
                day.title,
                day.starts_at,
                status,
                DAY_LABELS.get(status, _("Coming")),
            )
        )
    for due in dues:
        status, reviewed = assignments.get(str(due.page_id), ["upcoming", False])
        items.append(
            YearItem(
                "assignment",
                due.page_id,
                due.title,
                due.due_at,
                status,
                ASSIGNMENT_LABELS.get(status, _("Coming")),
                reviewed,
            )
        )
    return sorted(items, key=lambda item: item.when)


def people_table(cohort):
    """Every participant of the cohort with their stored figures, for the export."""
    return (
        Membership.objects.joined_participants()
        .filter(cohort=cohort)
        .select_related("user", "small_group", "progress")
        .order_by("small_group__name", "user__last_name", "user__first_name")
    )
