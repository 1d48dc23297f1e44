"""Each figure on a hand-built cohort, after the events that change it."""

from datetime import timedelta

import pytest
from django.utils import timezone

from polku.people.models import Membership
from programmes.assignments.services import answer_get_or_create, answer_mark_reviewed, answer_save
from programmes.models import AnswerScope, TrainingDayPage, TrainingDaySchedule
from progress import rollups
from progress.models import (
    Attendance,
    CohortProgress,
    GroupProgress,
    ParticipantProgress,
)
from progress.services import attendance_mark
from tests.conftest import live_question_build


def _submit(membership, page, when):
    answer = answer_get_or_create(membership=membership, assignment=page)
    return answer_save(
        answer=answer,
        user=membership.user,
        base_version=answer.version,
        content={},
        submit=True,
        now=when,
    )


def _row(membership) -> ParticipantProgress:
    return ParticipantProgress.objects.get(membership=membership)


@pytest.fixture
def year(world, three_due, committed):
    """Two training days held, three assignments due, and what people did about them."""
    a1, a2, a3 = three_due
    assert a3.answer_scope == AnswerScope.SMALL_GROUP
    day1, day2 = TrainingDayPage.objects.child_of(world.cohort.programme)[:2]
    due = timezone.now() - timedelta(days=1)
    with committed():
        attendance_mark(
            cohort=world.cohort,
            training_day=day1,
            marks={
                world.participant.id: ("present", "", False),
                world.group_mate.id: ("absent", "Sairas", True),
                world.classmate.id: ("absent", "", False),
            },
            trainer=world.trainer.user,
        )
    with committed():
        attendance_mark(
            cohort=world.cohort,
            training_day=day2,
            marks={
                world.participant.id: ("present", "", False),
                world.group_mate.id: ("present", "", False),
            },
            trainer=world.trainer.user,
        )
    with committed():
        _submit(world.participant, a1, due - timedelta(days=2))
    with committed():
        _submit(world.participant, a2, due + timedelta(hours=3))  # late
    with committed():
        _submit(world.group_mate, a3, due - timedelta(days=1))  # the group's shared answer
    with committed():
        classmate_answer = _submit(world.classmate, a1, due - timedelta(days=3))
    with committed():
        answer_mark_reviewed(answer=classmate_answer, trainer=world.trainer.user)
    return world


def test_each_persons_figures(year):
    p, g, c = _row(year.participant), _row(year.group_mate), _row(year.classmate)
    assert (p.days_held, p.days_attended, p.days_absent) == (2, 2, 0)
    assert (g.days_attended, g.days_absent) == (1, 1)
    assert (c.days_attended, c.days_absent) == (0, 1)
    assert (p.assignments_due, p.assignments_on_time, p.assignments_late) == (3, 2, 1)
    assert p.assignments_missing == 0
    # The group's shared answer counts for both of its members.
    assert (g.assignments_on_time, g.assignments_missing) == (1, 2)
    assert (c.assignments_on_time, c.assignments_missing, c.assignments_reviewed) == (1, 2, 1)
    assert not p.stale and not g.stale and not c.stale


def test_the_behind_flag(year):
    assert not _row(year.participant).behind
    assert _row(year.group_mate).behind  # two missing (the absence was followed up)
    assert _row(year.classmate).behind  # two missing and an absence not followed up


def test_a_missed_day_alone_makes_a_person_behind_until_it_is_followed_up(world, committed):
    day = TrainingDayPage.objects.child_of(world.cohort.programme).first()
    with committed():
        attendance_mark(
            cohort=world.cohort,
            training_day=day,
            marks={world.participant.id: ("absent", "", False)},
            trainer=world.trainer.user,
        )
    row = _row(world.participant)
    assert row.behind and row.days == {
        str(day.id): "absent",
        **{k: v for k, v in row.days.items() if k != str(day.id)},
    }
    with committed():
        attendance_mark(
            cohort=world.cohort,
            training_day=day,
            marks={world.participant.id: ("absent", "", True)},
            trainer=world.trainer.user,
        )
    row = _row(world.participant)
    assert not row.behind and row.days[str(day.id)] == "followed_up"


def test_group_and_cohort_totals_are_the_sums(year):
    group = GroupProgress.objects.get(small_group=year.participant.small_group)
    assert group.participants == 2
    assert group.assignments_on_time == 3 and group.assignments_late == 1
    assert group.assignments_missing == 2 and group.people_behind == 1
    cohort = CohortProgress.objects.get(cohort=year.cohort)
    assert cohort.participants == 3
    assert (cohort.calendar_days_held, cohort.calendar_assignments_due) == (2, 3)
    assert (cohort.days_held, cohort.assignments_due) == (6, 9)  # three people's worth
    assert cohort.days_attended == 3 and cohort.days_absent == 2
    assert cohort.assignments_missing == 4 and cohort.people_behind == 2
    assert cohort.assignments_reviewed == 1


def test_the_nightly_reconciliation_finds_no_drift_after_events(year):
    assert rollups.cohort_reconcile(year.cohort.id) == {
        "participants": 0,
        "groups": 0,
        "cohort": False,
        "waiting": 0,
    }


def test_reconciliation_corrects_and_logs_drift(year, caplog):
    ParticipantProgress.objects.filter(membership=year.participant).update(days_attended=9)
    CohortProgress.objects.filter(cohort=year.cohort).update(days_attended=99)
    drift = rollups.cohort_reconcile(year.cohort.id)
    assert drift == {"participants": 1, "groups": 0, "cohort": True, "waiting": 0}
    assert _row(year.participant).days_attended == 2
    assert CohortProgress.objects.get(cohort=year.cohort).days_attended == 3
    assert "drift corrected" in caplog.text


def test_live_answers_count_once_the_question_is_closed(world, committed):
    from programmes.live.services import answer_submit, question_close

    rollups.cohort_reconcile(world.cohort.id)  # everyone has figures, as after a night
    question = live_question_build(world, kind="open", prompt="Mitä opit?")
    with committed():
        answer_submit(question=question, user=world.participant.user, raw="Kuuntelemaan")
    assert _row(world.participant).live_answers == 0
    assert _row(world.participant).last_active_on == timezone.localdate()
    with committed():
        question_close(question=question)
    assert _row(world.participant).live_answers == 1


def test_workspace_posts_and_comments_count_as_activity(world, committed):
    from workspaces.services import comment_add, post_create, post_delete

    with committed():
        post, _errors = post_create(
            group=world.participant.small_group, author=world.participant.user, body="Hei"
        )
    with committed():
        comment_add(post=post, author=world.group_mate.user, body="Moi")
    assert _row(world.participant).workspace_activity == 1
    assert _row(world.group_mate).workspace_activity == 1
    with committed():
        post_delete(post=post)
    assert _row(world.participant).workspace_activity == 0
    assert _row(world.group_mate).workspace_activity == 0  # the comment went with the post


def test_moving_a_person_to_another_group_moves_their_figures(year, committed):
    from polku.people.services import membership_add

    old_group = year.participant.small_group
    with committed():
        membership_add(
            cohort=year.cohort,
            email=year.participant.user.email,
            role="participant",
            small_group_name="Group 2",
        )
    assert GroupProgress.objects.get(small_group=old_group).participants == 1
    new = GroupProgress.objects.get(small_group=year.classmate.small_group)
    assert new.participants == 2 and new.days_attended == 2  # the classmate's 0 + 2
    assert rollups.cohort_reconcile(year.cohort.id)["groups"] == 0


def test_a_due_date_passing_changes_figures_at_the_next_tick(world, committed):
    from programmes.models import AssignmentSchedule
    from progress.tasks import calendar_tick

    with committed():
        calendar_tick()
    assert _row(world.participant).assignments_due == 1
    # The last tick ran five minutes ago; the second assignment fell due since.
    CohortProgress.objects.filter(cohort=world.cohort).update(
        calendar_counted_at=timezone.now() - timedelta(minutes=5)
    )
    schedule = AssignmentSchedule.objects.filter(cohort=world.cohort).order_by("due_at")[1]
    schedule.due_at = timezone.now() - timedelta(minutes=1)
    schedule.opens_at = schedule.due_at - timedelta(days=3)
    schedule.save()
    with committed():
        calendar_tick()
    row = _row(world.participant)
    assert row.assignments_due == 2 and row.assignments_missing == 2 and row.behind


def test_a_training_day_starting_counts_at_the_next_tick(world, committed):
    from progress.tasks import calendar_tick

    with committed():
        calendar_tick()
    held = _row(world.participant).days_held
    CohortProgress.objects.filter(cohort=world.cohort).update(
        calendar_counted_at=timezone.now() - timedelta(minutes=5)
    )
    schedule = TrainingDaySchedule.objects.filter(
        cohort=world.cohort, starts_at__gt=timezone.now()
    ).first()
    TrainingDaySchedule.objects.filter(id=schedule.id).update(
        starts_at=timezone.now() - timedelta(minutes=1), ends_at=timezone.now() + timedelta(hours=6)
    )
    with committed():
        calendar_tick()
    assert _row(world.participant).days_held == held + 1
    assert _row(world.participant).days[str(schedule.page_id)] == "unmarked"


def test_attendance_marks_keep_the_trainers_reason_and_can_be_cleared(world, committed):
    day = world.day
    with committed():
        attendance_mark(
            cohort=world.cohort,
            training_day=day,
            marks={world.participant.id: ("absent", "  Sairas  ", False)},
            trainer=world.trainer.user,
        )
    mark = Attendance.objects.get(participant=world.participant)
    assert mark.reason == "Sairas" and mark.marked_by == world.trainer.user
    with committed():
        attendance_mark(
            cohort=world.cohort,
            training_day=day,
            marks={world.participant.id: ("", "", False)},
            trainer=world.trainer.user,
        )
    assert not Attendance.objects.filter(participant=world.participant).exists()
    assert _row(world.participant).days[str(day.id)] == "unmarked"


def test_someone_elses_participant_is_ignored_in_a_checklist(world, other_world, committed):
    with committed():
        changed = attendance_mark(
            cohort=world.cohort,
            training_day=world.day,
            marks={other_world.participant.id: ("present", "", False)},
            trainer=world.trainer.user,
        )
    assert changed == 0 and not Attendance.objects.exists()


def test_editing_the_cohorts_calendar_in_the_admin_recomputes_its_figures(world, committed, rf):
    from polku.people.wagtail_hooks import cohort_calendar_changed
    from programmes.models import AssignmentSchedule

    with committed():
        rollups.cohort_reconcile(world.cohort.id)
    AssignmentSchedule.objects.filter(cohort=world.cohort).update(
        due_at=timezone.now() - timedelta(hours=1), opens_at=timezone.now() - timedelta(days=9)
    )
    with committed():
        cohort_calendar_changed(rf.post("/"), world.cohort)
    assert _row(world.participant).assignments_due == 5


def test_the_nightly_task_corrects_drift_and_stores_yesterdays_snapshot(year):
    from progress.models import CohortSnapshot
    from progress.tasks import progress_nightly

    CohortProgress.objects.filter(cohort=year.cohort).update(assignments_missing=0)
    progress_nightly()
    progress_nightly()  # a second run (a retry, a restart) changes nothing
    assert CohortProgress.objects.get(cohort=year.cohort).assignments_missing == 4
    snapshot = CohortSnapshot.objects.get(cohort=year.cohort)
    assert snapshot.date == timezone.localdate() - timedelta(days=1)
    assert (snapshot.participants, snapshot.assignments_missing) == (3, 4)


def test_a_refresh_whose_worker_died_is_taken_up_again_by_the_sweep(world, committed):
    from polku.coalescing import coalesced_sweep

    with committed():
        rollups.cohort_reconcile(world.cohort.id)
    # A refresh died holding the slot, after clearing the wish; its people are still stale.
    ParticipantProgress.objects.filter(membership=world.participant).update(stale=True)
    CohortProgress.objects.filter(cohort=world.cohort).update(
        refreshing_since=timezone.now(), refresh_wanted_at=None
    )
    coalesced_sweep()  # it may still be running: left alone
    assert ParticipantProgress.objects.filter(stale=True).exists()
    # Once the slot is older than a refresh ever takes, the sweep enqueues it again.
    CohortProgress.objects.filter(cohort=world.cohort).update(
        refreshing_since=timezone.now() - timedelta(seconds=25)
    )
    assert coalesced_sweep() == 1
    assert not ParticipantProgress.objects.filter(stale=True).exists()
    assert CohortProgress.objects.filter(
        cohort=world.cohort, refreshing_since=None, refresh_wanted_at=None
    ).exists()


def test_the_reconciliation_repairs_rows_a_lost_refresh_left_and_clears_the_wish(year):
    """Finding 15: the night found rows waiting for a refresh that never came, repaired them
    but reported "no drift", and left the cohort's wish standing, so no refresh came again."""
    ParticipantProgress.objects.filter(membership=year.participant).update(
        stale=True, days_attended=7
    )
    CohortProgress.objects.filter(cohort=year.cohort).update(
        refresh_wanted_at=timezone.now() - timedelta(hours=3)
    )
    drift = rollups.cohort_reconcile(year.cohort.id)
    assert drift["waiting"] == 1 and drift["participants"] == 0
    assert _row(year.participant).days_attended == 2
    assert CohortProgress.objects.get(cohort=year.cohort).refresh_wanted_at is None


def test_operators_can_reconcile_and_fill_in_history_from_the_command_line(year):
    from io import StringIO

    from django.core.management import call_command
    from django.core.management.base import CommandError

    from progress.models import CohortSnapshot

    ParticipantProgress.objects.filter(membership=year.participant).update(days_attended=7)
    out = StringIO()
    start = timezone.localdate() - timedelta(days=30)
    call_command(
        "progress_reconcile",
        f"--cohort={year.cohort.slug}",
        f"--history-from={start.isoformat()}",
        stdout=out,
    )
    assert "'participants': 1" in out.getvalue() and "30 daily snapshots" in out.getvalue()
    assert _row(year.participant).days_attended == 2
    first = CohortSnapshot.objects.get(cohort=year.cohort, date=start)
    assert first.participants == 3 and first.days_held == 3  # one day held, for three people
    with pytest.raises(CommandError):
        call_command("progress_reconcile", cohort="nobody")


def test_someone_invited_counts_only_from_joining_and_not_for_what_was_over_before(
    year, three_due, committed
):
    from polku.people.services import membership_add, memberships_join

    participants_before = CohortProgress.objects.get(cohort=year.cohort).participants
    with committed():
        late, _created = membership_add(
            cohort=year.cohort,
            email="late@example.com",
            role="participant",
            small_group_name="Group 1",
        )
    # Invited long before the days held, but not joined: not a participant in any figure.
    Membership.objects.filter(id=late.id).update(created_at=timezone.now() - timedelta(days=200))
    assert not ParticipantProgress.objects.filter(membership=late).exists()
    cohort_row = CohortProgress.objects.get(cohort=year.cohort)
    assert cohort_row.participants == participants_before
    with committed():
        memberships_join(user=late.user)  # they set a password today
    row = _row(late)
    assert CohortProgress.objects.get(cohort=year.cohort).participants == participants_before + 1
    # The days held while they were invited were before they joined: not absences.
    assert (row.days_held, row.days_absent, row.assignments_missing) == (0, 0, 0)
    assert not row.behind
    assert set(row.days.values()) == {"before_joining"}
    statuses = [status for status, _reviewed in row.assignments.values()]
    assert statuses.count("before_joining") == 2
    # Their small group's shared answer is theirs too, though it was written before they came.
    assert (row.assignments_due, row.assignments_on_time) == (1, 1)
    # What they do anyway counts: a trainer marks them present on a day before they joined.
    day = TrainingDayPage.objects.child_of(year.cohort.programme).first()
    with committed():
        attendance_mark(
            cohort=year.cohort,
            training_day=day,
            marks={late.id: ("present", "", False)},
            trainer=year.trainer.user,
        )
    row = _row(late)
    assert (row.days_held, row.days_attended) == (1, 1)
    assert rollups.cohort_reconcile(year.cohort.id)["participants"] == 0


def test_the_calendar_tick_costs_the_same_for_one_cohort_or_many(world, committed):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from progress.tasks import calendar_tick
    from tests.factories import CohortFactory

    with committed():
        calendar_tick()

    def ticked() -> int:
        with committed(), CaptureQueriesContext(connection) as queries:
            calendar_tick()
        return len(queries)

    one = ticked()
    CohortFactory.create_batch(5, programme=world.cohort.programme)
    with committed():
        calendar_tick()  # the new cohorts' first tick
    assert ticked() == one
