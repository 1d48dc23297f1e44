"""Progress figures: computed from the source rows, stored, kept current.

One function computes figures, `participant_figures`: for any set of a cohort's participants
(one person after an event, or the whole cohort at night) it reads the source rows in a fixed
number of grouped queries and applies the rules. Two ways use it:

- **incremental** (`stale_refresh`): an event marks the people it touches stale; a refresh
  recomputes only those rows and adds the difference (new minus old) to their small group's
  and cohort's totals. Its cost follows the number of people touched, not the cohort's size.
- **full** (`cohort_reconcile`, nightly): recomputes every row and every total from scratch,
  and logs what differed (drift) before correcting it.

Locking: a refresh locks the participant rows it rewrites. An event marks a row stale inside
the same transaction that changed the source rows, so it either commits before the refresh
locks the row (the refresh reads the change) or waits for the refresh to commit (and leaves
the row stale for the next one). No change is lost between the two."""

import logging
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from polku.people.models import Cohort, Membership
from programmes import facts as path_facts
from programmes.assignments import facts as assignment_facts
from programmes.live import facts as live_facts
from workspaces import facts as workspace_facts

from .models import (
    SUMMED,
    Attendance,
    CohortProgress,
    CohortSnapshot,
    GroupProgress,
    ParticipantProgress,
)

logger = logging.getLogger(__name__)

BATCH = 500  # people per grouped read: bounds memory and lock time
TOTAL_FIELDS = (*SUMMED, "participants", "people_behind")
BEFORE_JOINING = "before_joining"  # an item of the year that was over when the person joined
MISSING_FOR_BEHIND = 2  # overdue assignments that make a person "behind"


@dataclass
class PersonFigures:
    membership_id: int
    small_group_id: int | None
    values: dict  # the SUMMED fields
    behind: bool
    last_active_on: date | None
    days: dict = field(default_factory=dict)
    assignments: dict = field(default_factory=dict)

    def contribution(self) -> dict:
        """What this person adds to their group's and cohort's totals."""
        return {**self.values, "participants": 1, "people_behind": int(self.behind)}

    def row_fields(self) -> dict:
        return {
            **self.values,
            "small_group_id": self.small_group_id,
            "behind": self.behind,
            "last_active_on": self.last_active_on,
            "days": self.days,
            "assignments": self.assignments,
        }


def row_contribution(row: ParticipantProgress) -> dict:
    if row.computed_at is None:  # created by an event, never computed: adds nothing yet
        return dict.fromkeys(TOTAL_FIELDS, 0)
    return {
        **{name: getattr(row, name) for name in SUMMED},
        "participants": 1,
        "people_behind": int(row.behind),
    }


def row_matches(row: ParticipantProgress, figures: PersonFigures) -> bool:
    return row.computed_at is not None and all(
        getattr(row, name) == value for name, value in figures.row_fields().items()
    )


def calendar(cohort_id: int) -> tuple[list, list]:
    """The cohort's training days and assignments: [(page id, starts)], [(page id, opens, due,
    answered by the small group)]."""
    days, dues = path_facts.cohort_calendar(cohort_id)
    return (
        [(day.page_id, day.starts_at) for day in days],
        [(due.page_id, due.opens_at, due.due_at, due.by_small_group) for due in dues],
    )


def participant_figures(
    cohort_id: int, membership_ids, now: datetime, cohort_calendar=None
) -> dict[int, PersonFigures]:
    """The figures of these participants of the cohort as of `now`, from the source rows:
    ten queries whatever the number of people (eight with the cohort's `calendar()` given).
    People who are not (or no longer, or not yet) participants of the cohort are left out:
    someone invited counts from the moment they join."""
    members = list(
        Membership.objects.joined_participants()
        .filter(id__in=list(membership_ids), cohort_id=cohort_id, joined_at__lte=now)
        .values_list("id", "user_id", "small_group_id", "joined_at")
    )
    if not members:
        return {}
    days, assignments = cohort_calendar or calendar(cohort_id)
    ids = [m[0] for m in members]
    users = [m[1] for m in members]
    groups = {m[2] for m in members if m[2]}

    attendance, checked_in = defaultdict(dict), defaultdict(list)
    user_of = {m[0]: m[1] for m in members}
    for membership_id, day_id, status, followed_up, method, marked_at in Attendance.objects.filter(
        participant_id__in=ids, cohort_id=cohort_id, marked_at__lte=now
    ).values_list(
        "participant_id", "training_day_id", "status", "followed_up", "method", "marked_at"
    ):
        attendance[membership_id][day_id] = (status, followed_up)
        if method == Attendance.Method.CHECK_IN:  # checking in is something the person did
            checked_in[user_of[membership_id]].append(marked_at)

    own_answers, group_answers = defaultdict(dict), defaultdict(dict)
    submitted = assignment_facts.submitted_answers(
        cohort_id=cohort_id, membership_ids=ids, group_ids=groups, now=now
    )
    for participant_id, group_id, assignment_id, is_late, reviewed in submitted:
        target = own_answers[participant_id] if participant_id else group_answers[group_id]
        target[assignment_id] = (is_late, reviewed)

    last_active = defaultdict(list)

    def _latest(rows):
        for user_id, when in rows:
            if when:
                last_active[user_id].append(when)

    _latest(assignment_facts.last_saves(cohort_id=cohort_id, user_ids=users, now=now).items())
    live = {}
    for user_id, (closed, last) in live_facts.live_answers(
        cohort_id=cohort_id, user_ids=users, now=now
    ).items():
        live[user_id] = closed
        _latest([(user_id, last)])
    activity = defaultdict(int)
    for user_id, (count, last) in workspace_facts.workspace_activity(
        cohort_id=cohort_id, user_ids=users, now=now
    ).items():
        activity[user_id] += count
        _latest([(user_id, last)])
    for user_id, times in checked_in.items():
        _latest([(user_id, max(times))])

    return {
        membership_id: _rules(
            Facts(
                membership_id=membership_id,
                group_id=group_id,
                joined_at=joined_at,
                attendance=attendance[membership_id],
                own_answers=own_answers[membership_id],
                group_answers=group_answers[group_id] if group_id else {},
                live_answers=live.get(user_id, 0),
                workspace_activity=activity[user_id],
                last_active=max(last_active[user_id], default=None),
            ),
            days,
            assignments,
            now,
        )
        for membership_id, user_id, group_id, joined_at in members
    }


@dataclass
class Facts:
    """What the source rows say about one person, as `_rules` reads it."""

    membership_id: int
    group_id: int | None
    joined_at: datetime
    attendance: dict  # {day page id: (status, followed up)}
    # {assignment page id: (late, reviewed)}: their own answers, and their small group's
    own_answers: dict
    group_answers: dict
    live_answers: int
    workspace_activity: int
    last_active: datetime | None


def _rules(person: Facts, days, assignments, now) -> PersonFigures:
    """The rules, in one place: what counts as attended, on time, late, missing, behind.
    A person who joined late is not counted for what was over before they joined, unless
    they attended or answered it anyway."""
    joined_at = person.joined_at
    values = dict.fromkeys(SUMMED, 0)
    values["live_answers"] = person.live_answers
    values["workspace_activity"] = person.workspace_activity
    day_items, absent_not_followed = {}, 0
    for day_id, starts_at in days:
        if starts_at > now:
            continue
        status, followed_up = person.attendance.get(day_id, (None, False))
        if status is None and starts_at < joined_at:
            day_items[str(day_id)] = BEFORE_JOINING
            continue
        values["days_held"] += 1
        if status == Attendance.Status.PRESENT:
            values["days_attended"] += 1
            day_items[str(day_id)] = "present"
        elif status == Attendance.Status.ABSENT:
            values["days_absent"] += 1
            day_items[str(day_id)] = "followed_up" if followed_up else "absent"
            absent_not_followed += not followed_up
        else:
            day_items[str(day_id)] = "unmarked"
    assignment_items = {}
    for assignment_id, opens_at, due_at, by_group in assignments:
        answer = (person.group_answers if by_group else person.own_answers).get(assignment_id)
        is_due = due_at <= now
        if is_due and answer is None and due_at < joined_at:
            assignment_items[str(assignment_id)] = [BEFORE_JOINING, False]
            continue
        values["assignments_due"] += is_due
        reviewed = bool(answer and answer[1])
        if answer is None:
            status = "missing" if is_due else "open"
        elif answer[0]:
            status = "late"
        else:
            status = "on_time" if is_due else "early"
        if is_due:
            values[f"assignments_{status}"] += 1
            values["assignments_reviewed"] += reviewed
        if opens_at <= now or answer is not None:
            assignment_items[str(assignment_id)] = [status, reviewed]
    return PersonFigures(
        membership_id=person.membership_id,
        small_group_id=person.group_id,
        values=values,
        behind=values["assignments_missing"] >= MISSING_FOR_BEHIND or absent_not_followed > 0,
        last_active_on=timezone.localdate(person.last_active) if person.last_active else None,
        days=day_items,
        assignments=assignment_items,
    )


def calendar_counts(cohort_calendar, now: datetime) -> dict:
    """The cohort's calendar so far, for the dashboard's headline."""
    days, assignments = cohort_calendar
    return {
        "calendar_days_held": sum(starts_at <= now for _id, starts_at in days),
        "calendar_assignments_due": sum(due_at <= now for _id, _opens, due_at, _g in assignments),
    }


def _add(totals: dict, contribution: dict, sign: int) -> None:
    for name, value in contribution.items():
        totals[name] += sign * value


def _increments(delta: dict) -> dict:
    return {name: F(name) + value for name, value in delta.items() if value}


def _totals_add(model, key: dict, delta: dict) -> bool:
    """Adds the delta to the row; False when there is no such row yet."""
    if changes := _increments(delta):
        return bool(model.objects.filter(**key).update(**changes))
    return True


# -- incremental ---------------------------------------------------------------------------


def stale_refresh(cohort_id: int, now: datetime | None = None) -> int:
    """Recomputes the cohort's stale participants and adds the differences to the totals.
    Returns how many people were recomputed."""
    done = 0
    while True:
        ids = list(
            ParticipantProgress.objects.filter(cohort_id=cohort_id, stale=True).values_list(
                "membership_id", flat=True
            )[:BATCH]
        )
        if not ids:
            return done
        done += _refresh_batch(cohort_id, ids, now or timezone.now())


@transaction.atomic
def _refresh_batch(cohort_id: int, ids: list[int], now: datetime) -> int:
    rows = {
        row.membership_id: row
        for row in ParticipantProgress.objects.select_for_update(of=("self",)).filter(
            membership_id__in=ids, stale=True
        )
    }
    if not rows:
        return 0
    cohort_calendar = calendar(cohort_id)
    figures = participant_figures(cohort_id, rows, now, cohort_calendar)
    group_deltas = defaultdict(lambda: dict.fromkeys(TOTAL_FIELDS, 0))
    cohort_delta = dict.fromkeys(TOTAL_FIELDS, 0)
    changed, gone = [], []
    for membership_id, row in rows.items():
        old = row_contribution(row)
        new = figures.get(membership_id)
        _add(cohort_delta, old, -1)
        if row.computed_at is not None and row.small_group_id:
            _add(group_deltas[row.small_group_id], old, -1)
        if new is None:  # no longer a participant here
            gone.append(membership_id)
            continue
        _add(cohort_delta, new.contribution(), 1)
        if new.small_group_id:
            _add(group_deltas[new.small_group_id], new.contribution(), 1)
        for name, value in new.row_fields().items():
            setattr(row, name, value)
        row.stale, row.computed_at = False, now
        changed.append(row)
    if gone:
        ParticipantProgress.objects.filter(membership_id__in=gone).delete()
    ParticipantProgress.objects.bulk_update(
        changed, [*figures_row_fields(), "stale", "computed_at"], batch_size=BATCH
    )
    for group_id, delta in group_deltas.items():
        if not _totals_add(GroupProgress, {"small_group_id": group_id}, delta):
            GroupProgress.objects.get_or_create(small_group_id=group_id, cohort_id=cohort_id)
            _totals_add(GroupProgress, {"small_group_id": group_id}, delta)
    CohortProgress.objects.filter(cohort_id=cohort_id).update(
        **_increments(cohort_delta), **calendar_counts(cohort_calendar, now), updated_at=now
    )
    return len(rows)


def figures_row_fields() -> list[str]:
    return [
        *SUMMED,
        "small_group",
        "behind",
        "last_active_on",
        "days",
        "assignments",
    ]


# -- full ----------------------------------------------------------------------------------


@transaction.atomic
def cohort_reconcile(cohort_id: int, now: datetime | None = None) -> dict:
    """Recomputes every figure of the cohort from the source rows, corrects what differs and
    logs it. Returns what was corrected: drift, {"participants": n, "groups": n, "cohort":
    bool}, where no event was missed would find none; and "waiting": the people whose figures
    waited for a refresh and were wrong (a refresh that was slow or lost), now repaired.

    Everything is current afterwards, so a refresh still wanted for the cohort is wanted no
    more (unless one is running: it finds nothing stale and ends)."""
    now = now or timezone.now()
    if Cohort.objects.filter(id=cohort_id).exclude(anonymised_at=None).exists():
        # Its people's data is gone by the retention rule; the stored figures are all that
        # remains of them, and a recompute from the (deleted) source rows would zero them.
        return {"participants": 0, "groups": 0, "cohort": False, "waiting": 0}
    cohort_row, _created = CohortProgress.objects.select_for_update().get_or_create(
        cohort_id=cohort_id
    )
    rows = {
        row.membership_id: row
        for row in ParticipantProgress.objects.select_for_update(of=("self",)).filter(
            cohort_id=cohort_id
        )
    }
    member_ids = list(
        Membership.objects.joined_participants()
        .filter(cohort_id=cohort_id)
        .values_list("id", flat=True)
    )
    group_totals = defaultdict(lambda: dict.fromkeys(TOTAL_FIELDS, 0))
    cohort_totals = dict.fromkeys(TOTAL_FIELDS, 0)
    new_rows, changed, corrected, waiting = [], [], 0, 0
    pending_groups = set()  # groups with people not yet computed: their totals lag, no drift
    cohort_calendar = calendar(cohort_id)
    for start in range(0, len(member_ids), BATCH):
        batch = member_ids[start : start + BATCH]
        figures = participant_figures(cohort_id, batch, now, cohort_calendar)
        for membership_id, fig in figures.items():
            _add(cohort_totals, fig.contribution(), 1)
            if fig.small_group_id:
                _add(group_totals[fig.small_group_id], fig.contribution(), 1)
            row = rows.pop(membership_id, None)
            if row is None or row.stale:
                pending_groups.update({fig.small_group_id, row and row.small_group_id})
            if row is None:
                row = ParticipantProgress(membership_id=membership_id, cohort_id=cohort_id)
                new_rows.append(row)
            elif not row_matches(row, fig):
                # A stale row is waiting for its refresh: not drift, but repaired all the same.
                waiting += row.stale
                corrected += not row.stale
                changed.append(row)
            elif row.stale:
                changed.append(row)  # right already: only its stale mark is cleared
            for name, value in fig.row_fields().items():
                setattr(row, name, value)
            row.stale, row.computed_at = False, now
    ParticipantProgress.objects.filter(membership_id__in=list(rows)).delete()
    ParticipantProgress.objects.bulk_create(new_rows, batch_size=BATCH)
    ParticipantProgress.objects.bulk_update(
        changed, [*figures_row_fields(), "stale", "computed_at"], batch_size=BATCH
    )

    stored_groups = {
        g.small_group_id: g
        for g in GroupProgress.objects.select_for_update().filter(cohort_id=cohort_id)
    }
    groups_corrected = 0
    for group_id in set(stored_groups) | set(group_totals):
        totals = group_totals[group_id]
        stored = stored_groups.get(group_id)
        if stored is None:
            GroupProgress.objects.create(small_group_id=group_id, cohort_id=cohort_id, **totals)
            groups_corrected += group_id not in pending_groups and any(totals.values())
        elif any(getattr(stored, name) != value for name, value in totals.items()):
            groups_corrected += group_id not in pending_groups
            GroupProgress.objects.filter(small_group_id=group_id).update(**totals)
    cohort_corrected = not pending_groups and any(
        getattr(cohort_row, name) != value for name, value in cohort_totals.items()
    )
    CohortProgress.objects.filter(cohort_id=cohort_id).update(
        **cohort_totals,
        **calendar_counts(cohort_calendar, now),
        updated_at=now,
        reconciled_at=now,
    )
    CohortProgress.objects.filter(cohort_id=cohort_id, refreshing_since__isnull=True).update(
        refresh_wanted_at=None
    )
    drift = {
        "participants": corrected,
        "groups": groups_corrected,
        "cohort": cohort_corrected,
        "waiting": waiting,
    }
    if corrected or groups_corrected or cohort_corrected:
        logger.warning("progress drift corrected in cohort %s: %s", cohort_id, drift)
    elif waiting:
        logger.warning("progress of cohort %s: %s waiting rows repaired", cohort_id, waiting)
    else:
        logger.info("progress of cohort %s reconciled, no drift", cohort_id)
    return drift


# -- history -------------------------------------------------------------------------------


def snapshot_write(cohort_id: int, day: date) -> CohortSnapshot:
    """Stores the cohort's current totals as the figures of `day`."""
    row = CohortProgress.objects.get(cohort_id=cohort_id)
    values = {name: getattr(row, name) for name in TOTAL_FIELDS}
    snapshot, _created = CohortSnapshot.objects.update_or_create(
        cohort_id=cohort_id, date=day, defaults=values
    )
    return snapshot


def snapshots_backfill(cohort_id: int, first: date, last: date) -> int:
    """Computes the figures the cohort had at the end of each past day, from the source rows'
    own dates, for a cohort that started before Polku kept snapshots."""
    member_ids = list(
        Membership.objects.joined_participants()
        .filter(cohort_id=cohort_id)
        .values_list("id", flat=True)
    )
    tz = timezone.get_current_timezone()
    cohort_calendar = calendar(cohort_id)
    count = 0
    day = first
    while day <= last:
        end = datetime.combine(day, time.max, tzinfo=tz)
        totals = dict.fromkeys(TOTAL_FIELDS, 0)
        for start in range(0, len(member_ids), BATCH):
            batch = member_ids[start : start + BATCH]
            for fig in participant_figures(cohort_id, batch, end, cohort_calendar).values():
                _add(totals, fig.contribution(), 1)
        CohortSnapshot.objects.update_or_create(cohort_id=cohort_id, date=day, defaults=totals)
        count += 1
        day += timedelta(days=1)
    return count
