"""Writes that change progress: attendance, and the events other apps report.

Other apps call `participants_changed` inside the transaction that changed the source rows;
it marks the people's rows stale and, once per burst, enqueues a refresh of the cohort."""

from datetime import datetime, timedelta

from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from polku.coalescing import Coalescing, enqueue_after_commit
from polku.people.models import Cohort, Membership, Role
from programmes import facts as path_facts

from .models import Attendance, CohortProgress, ParticipantProgress

REFRESH_DELAY = 2  # seconds: events in this window share one refresh
# One refresh per cohort at a time (see polku.coalescing). A refresh that overlaps one that
# is still running (taken for dead after 20 s) is safe: each batch locks its stale rows and
# re-reads them, and totals move by increments. A wish 10 s old with no refresh running was
# lost on the way, and the sweep asks again.
REFRESHES = Coalescing(
    CohortProgress,
    wanted="refresh_wanted_at",
    since="refreshing_since",
    task="programmes.progress.tasks.progress_refresh",
    countdown=REFRESH_DELAY,
    stale_after=timedelta(seconds=20),
    lost_after=timedelta(seconds=10),
)
CHECK_IN_SALT = "polku.progress.check-in"
CHECK_IN_EARLY = timedelta(minutes=60)  # the check-in opens before the day starts


def participants_changed(cohort_id: int, membership_ids) -> None:
    """Marks these participants' figures stale and asks for one refresh of the cohort."""
    ids = list(membership_ids)
    if not ids:
        return
    marked = ParticipantProgress.objects.filter(membership_id__in=ids).update(stale=True)
    if marked < len(ids):  # people new to progress: their rows, and their cohort's
        ParticipantProgress.objects.bulk_create(
            [ParticipantProgress(membership_id=i, cohort_id=cohort_id) for i in ids],
            ignore_conflicts=True,
        )
        CohortProgress.objects.get_or_create(cohort_id=cohort_id)
    _refresh_ask(cohort_id)


def _refresh_ask(cohort_id: int) -> None:
    """Asks for one refresh of the cohort, unless one is asked for already (it will read the
    stale rows too)."""
    REFRESHES.request(cohort_id)


def users_changed(cohort_id: int, user_ids) -> None:
    """The same, for people known by their user: those who are participants of the cohort."""
    participants_changed(
        cohort_id,
        Membership.objects.filter(
            cohort_id=cohort_id, user_id__in=list(user_ids), role=Role.PARTICIPANT
        ).values_list("id", flat=True),
    )


def user_active(cohort_id: int, user_id: int) -> None:
    """A person did something that only moves their "last active" date (a draft saved, a live
    answer): refreshed at most once a day, so typing does not cost a refresh per keystroke."""
    today = timezone.localdate()
    # One UPDATE that matches nothing once the person's row says "active today". (A row that
    # does not exist yet is made by the night's reconciliation, with this activity in it.)
    marked = (
        ParticipantProgress.objects.filter(
            cohort_id=cohort_id,
            membership__user_id=user_id,
            membership__role=Role.PARTICIPANT,
        )
        .filter(Q(last_active_on__isnull=True) | Q(last_active_on__lt=today))
        .update(stale=True)
    )
    if marked:
        _refresh_ask(cohort_id)


def group_changed(small_group_id: int, cohort_id: int) -> None:
    """Something the whole small group shares changed (its shared answer)."""
    participants_changed(
        cohort_id,
        Membership.objects.filter(small_group_id=small_group_id, role=Role.PARTICIPANT).values_list(
            "id", flat=True
        ),
    )


def cohort_changed(cohort_id: int) -> None:
    """The calendar moved (a due date passed or was edited): everyone's figures may change."""
    participants_changed(
        cohort_id,
        Membership.objects.filter(cohort_id=cohort_id, role=Role.PARTICIPANT).values_list(
            "id", flat=True
        ),
    )


# -- attendance ----------------------------------------------------------------------------


@transaction.atomic
def attendance_mark(*, cohort, training_day, marks: dict, trainer, now=None) -> int:
    """Saves a trainer's checklist. `marks` maps a participant's membership id to
    (status or "", reason, followed up); "" clears the mark. Returns how many changed."""
    now = now or timezone.now()
    participants = set(
        Membership.objects.filter(
            cohort=cohort, role=Role.PARTICIPANT, id__in=list(marks)
        ).values_list("id", flat=True)
    )
    current = {
        a.participant_id: a
        for a in Attendance.objects.select_for_update().filter(
            cohort=cohort, training_day=training_day, participant_id__in=participants
        )
    }
    changed = []
    for membership_id, (status, reason, followed_up) in marks.items():
        if membership_id not in participants:
            continue
        if status and status not in Attendance.Status.values:
            raise ValidationError(_("Unknown choice."))
        reason = reason.strip()[:200] if status == Attendance.Status.ABSENT else ""
        followed_up = bool(followed_up) and status == Attendance.Status.ABSENT
        row = current.get(membership_id)
        if not status:
            if row:
                row.delete()
                changed.append(membership_id)
            continue
        if row and (row.status, row.reason, row.followed_up) == (status, reason, followed_up):
            continue
        Attendance.objects.update_or_create(
            training_day=training_day,
            participant_id=membership_id,
            defaults={
                "cohort": cohort,
                "status": status,
                "reason": reason,
                "followed_up": followed_up,
                "method": Attendance.Method.TRAINER,
                "marked_by": trainer,
                "marked_at": now,
            },
        )
        changed.append(membership_id)
    participants_changed(cohort.id, changed)
    return len(changed)


def check_in_token(cohort, training_day) -> str:
    return signing.dumps([cohort.id, training_day.id], salt=CHECK_IN_SALT)


def check_in_token_valid(token: str, cohort, training_day) -> bool:
    try:
        return signing.loads(token, salt=CHECK_IN_SALT) == [cohort.id, training_day.id]
    except signing.BadSignature:
        return False


def check_in_window(schedule, now=None) -> bool:
    now = now or timezone.now()
    return schedule.starts_at - CHECK_IN_EARLY <= now <= schedule.ends_at


@transaction.atomic
def check_in(*, membership: Membership, schedule, now=None) -> Attendance:
    """A participant checks in with the day's QR code, during the day only. A trainer's
    mark is not overwritten by a check-in."""
    now = now or timezone.now()
    if not check_in_window(schedule, now):
        raise ValidationError(_("Checking in is open only during the training day."))
    attendance, created = Attendance.objects.get_or_create(
        training_day_id=schedule.page_id,
        participant=membership,
        defaults={
            "cohort_id": membership.cohort_id,
            "status": Attendance.Status.PRESENT,
            "method": Attendance.Method.CHECK_IN,
            "marked_by": membership.user,
            "marked_at": now,
        },
    )
    if created:
        participants_changed(membership.cohort_id, [membership.id])
    return attendance


def calendar_tick_run(now: datetime) -> set[int]:
    """Cohorts where a training day began or a due date passed since their last tick are
    marked changed (their figures move with the calendar). Returns those cohorts' ids."""
    CohortProgress.objects.bulk_create(
        [
            CohortProgress(cohort_id=c)
            for c in Cohort.objects.filter(progress=None).values_list("id", flat=True)
        ],
        ignore_conflicts=True,
    )
    counted = dict(CohortProgress.objects.values_list("cohort_id", "calendar_counted_at"))
    changed = {
        cohort_id
        for cohort_id, moment in path_facts.last_calendar_moments(now).items()
        if cohort_id in counted and (counted[cohort_id] is None or moment > counted[cohort_id])
    }
    CohortProgress.objects.update(calendar_counted_at=now)
    for cohort_id in changed:
        cohort_changed(cohort_id)
    return changed


def nudges_request(*, cohort, membership_ids: list[int]) -> None:
    """A trainer or organiser reminds these people who are behind of what they miss, after
    commit, by email: at most once a day each (reminders.nudges_send)."""
    enqueue_after_commit(
        "programmes.progress.tasks.nudges_send",
        [cohort.id, sorted(membership_ids), timezone.localdate().isoformat()],
    )
