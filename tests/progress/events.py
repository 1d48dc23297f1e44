"""Random sequences of the events that change progress, and how to compare what the
incremental refreshes stored with a full recompute from the source rows."""

from datetime import timedelta

from django.utils import timezone
from hypothesis import strategies as st

from polku.people.models import Membership, Role, SmallGroup
from programmes.assignments.models import Answer
from programmes.assignments.services import (
    answer_get_or_create,
    answer_mark_reviewed,
    answer_save,
)
from programmes.live import services as live
from programmes.live.models import LiveQuestion
from programmes.models import AssignmentPage, AssignmentSchedule, TrainingDayPage
from progress.models import CohortProgress, GroupProgress, ParticipantProgress
from progress.services import attendance_mark
from progress.tasks import calendar_tick
from workspaces import services as workspace
from workspaces.models import Post

KINDS = (
    "attend",
    "submit",
    "draft",
    "review",
    "post",
    "comment",
    "delete_post",
    "live_answer",
    "live_close",
    "live_reopen",
    "move",
    "due_passes",
    "invite",
    "accept",
)
events = st.lists(
    st.tuples(st.sampled_from(KINDS), st.integers(0, 3), st.integers(0, 3)),
    min_size=1,
    max_size=12,
)


def setup(world):
    """Three assignments due (the third by the small group), one not yet due, and an open
    live question. Returns what the events act on."""
    now = timezone.now()
    pages = list(AssignmentPage.objects.child_of(world.cohort.programme))
    for page in pages[:3]:
        AssignmentSchedule.objects.filter(cohort=world.cohort, page=page).update(
            opens_at=now - timedelta(days=30), due_at=now - timedelta(days=1)
        )
    AssignmentSchedule.objects.filter(cohort=world.cohort, page=pages[3]).update(
        opens_at=now - timedelta(days=3), due_at=now + timedelta(days=1)
    )
    question = live.question_create(
        cohort=world.cohort, training_day=world.day, kind="open", prompt="?", options={}
    )
    live.question_open(question=question)
    return {
        "people": [world.participant, world.group_mate, world.classmate, world.trainer],
        "pages": pages[:4],
        "days": list(TrainingDayPage.objects.child_of(world.cohort.programme)[:2]),
        "question_id": question.id,
        "groups": list(SmallGroup.objects.filter(cohort=world.cohort)),
    }


def run(world, things, kind, who, which):
    """One event, as the app's services make it. `who` 3 is the trainer, who is no
    participant: events of theirs must change no participant's figures."""
    person = things["people"][who]
    person.refresh_from_db()
    now = timezone.now()
    page = things["pages"][which]
    if kind == "attend" and who < 3:
        status = ("present", "absent", "absent", "")[which]
        attendance_mark(
            cohort=world.cohort,
            training_day=things["days"][which % 2],
            marks={person.id: (status, "", which == 2)},
            trainer=world.trainer.user,
        )
    elif kind in ("submit", "draft") and who < 3:
        answer = answer_get_or_create(membership=person, assignment=page)
        when = now - timedelta(days=2) if which % 2 else now  # on time, or late
        answer_save(
            answer=answer,
            user=person.user,
            base_version=answer.version,
            content={"x": f"{kind}{who}{which}"},
            submit=kind == "submit",
            now=when,
        )
    elif kind == "review":
        answer = Answer.objects.filter(cohort=world.cohort, submitted_at__isnull=False).first()
        if answer:
            answer_mark_reviewed(answer=answer, trainer=world.trainer.user, reviewed=which != 0)
    elif kind == "post" and person.small_group_id:
        workspace.post_create(group=person.small_group, author=person.user, body="Hei")
    elif kind == "post" and person.role == Role.TRAINER:
        workspace.post_create(group=things["groups"][0], author=person.user, body="Hei")
    elif kind == "comment":
        post = Post.objects.filter(small_group__cohort=world.cohort).last()
        if post:
            workspace.comment_add(post=post, author=person.user, body="Moi")
    elif kind == "delete_post":
        post = Post.objects.filter(small_group__cohort=world.cohort).first()
        if post:
            workspace.post_delete(post=post)
    elif kind.startswith("live"):
        question = LiveQuestion.objects.get(id=things["question_id"])
        if kind == "live_answer" and question.state == LiveQuestion.State.OPEN:
            live.answer_submit(question=question, user=person.user, raw=f"vastaus {which}")
        elif kind == "live_close" and question.state == LiveQuestion.State.OPEN:
            live.question_close(question=question)
        elif kind == "live_reopen" and question.state == LiveQuestion.State.CLOSED:
            live.question_open(question=question)
    elif kind == "move" and who < 3:
        person.small_group = things["groups"][which % len(things["groups"])]
        person.save(update_fields=["small_group"])
        from polku.people.services import membership_add

        membership_add(
            cohort=world.cohort,
            email=person.user.email,
            role=Role.PARTICIPANT,
            small_group_name=person.small_group.name,
        )
    elif kind == "accept":  # the first person still invited sets a password and joins
        from polku.people.services import memberships_join

        invited = Membership.objects.filter(cohort=world.cohort, joined_at=None).first()
        if invited:
            memberships_join(user=invited.user)
    elif kind == "invite":  # someone is invited late, into a small group or none
        from polku.people.services import membership_add

        membership_add(
            cohort=world.cohort,
            email=f"late-{who}-{which}-{Membership.objects.count()}@example.com",
            role=Role.PARTICIPANT,
            small_group_name=things["groups"][which % 2].name if which < 2 else "",
        )
    elif kind == "due_passes":
        schedule = AssignmentSchedule.objects.get(cohort=world.cohort, page=things["pages"][3])
        if schedule.due_at > now:
            CohortProgress.objects.filter(cohort=world.cohort).update(calendar_counted_at=now)
            AssignmentSchedule.objects.filter(id=schedule.id).update(
                due_at=now + timedelta(microseconds=1)
            )
            calendar_tick()


def stored(cohort) -> dict:
    """Every stored figure of the cohort (not the bookkeeping)."""
    skip = {
        "computed_at",
        "stale",
        "updated_at",
        "reconciled_at",
        "refresh_wanted_at",
        "refreshing_since",
        "calendar_counted_at",
    }

    def values(row):
        return {f.attname: getattr(row, f.attname) for f in row._meta.fields if f.name not in skip}

    return {
        "people": sorted(
            (values(r) for r in ParticipantProgress.objects.filter(cohort=cohort)),
            key=lambda v: v["membership_id"],
        ),
        "groups": sorted(
            (values(r) for r in GroupProgress.objects.filter(cohort=cohort)),
            key=lambda v: v["small_group_id"],
        ),
        "cohort": values(CohortProgress.objects.get(cohort=cohort)),
    }
