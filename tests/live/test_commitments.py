"""A commitment made on a training day comes back: in the assignment the trainer links it to,
on the participant's path until the next day, in a reminder halfway there, and in a live
question on the next day. It is its author's and their trainers', never the room's."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from polku.notifications.models import NotificationPreference
from programmes.live import services
from programmes.live.models import LiveAnswer, LiveQuestion
from programmes.live.tasks import commitment_reminders_send
from programmes.models import AssignmentPage, TrainingDayPage, TrainingDaySchedule
from tests.conftest import client_for

MINE = "Kysyn tiimiltä ensin, ennen kuin kerron oman ratkaisuni"
THEIRS = "Pidän viikoittaiset kahdenkeskiset keskustelut"
ALSO = "Kysyn tiimiltä viikoittain, mikä auttaisi"


def _day(world, number):
    return TrainingDayPage.objects.child_of(world.cohort.programme).get(title=f"Day {number}")


def _committed(world):
    """Day 2 (held 20 days ago): the participant and the classmate commit."""
    day = _day(world, 2)
    question = services.question_create(
        cohort=world.cohort, training_day=day, kind="commitment", prompt="Mitä kokeilet?"
    )
    services.question_open(question=question)
    question.refresh_from_db()
    services.answer_submit(question=question, user=world.participant.user, raw=MINE)
    services.answer_submit(question=question, user=world.classmate.user, raw=THEIRS)
    services.answer_submit(question=question, user=world.group_mate.user, raw=ALSO)
    services.question_close(question=question)
    services.summary_store(question_id=question.id)
    return question


def test_a_commitment_comes_back_in_the_linked_assignment_and_on_the_path(world):
    question = _committed(world)
    assignment = AssignmentPage.objects.child_of(world.cohort.programme).get(title="Assignment 2")
    client_for(world.trainer.user).post(
        reverse("live_commitment_link", args=[world.cohort.slug, question.id]),
        {"assignment": assignment.id},
    )
    url = reverse("cohort_assignment", args=[world.cohort.slug, assignment.id])
    mine = client_for(world.participant.user).get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "On Day 2 you committed to:" in mine and MINE in mine and THEIRS not in mine
    group_mate = client_for(world.group_mate.user).get(url).content.decode()  # made none
    assert MINE not in group_mate and THEIRS not in group_mate
    path = reverse("cohort_path", args=[world.cohort.slug])
    assert MINE in client_for(world.participant.user).get(path).content.decode()
    assert MINE not in client_for(world.classmate.user).get(path).content.decode()


def test_the_room_sees_the_themes_of_commitments_never_anyones_words(world):
    question = _committed(world)
    services.day_publish(cohort=world.cohort, training_day=question.training_day, by=None)
    page = client_for(world.group_mate.user).get(
        reverse("live_summaries", args=[world.cohort.slug, question.training_day_id])
    )
    assert MINE not in page.content.decode() and "<h3>" in page.content.decode()  # themes
    live = client_for(world.classmate.user).get(
        reverse("live_day", args=[world.cohort.slug, question.training_day_id])
    )
    assert MINE not in live.content.decode()


def test_a_reminder_halfway_to_the_next_day_goes_once(world, mailoutbox):
    _committed(world)
    NotificationPreference.objects.create(user=world.classmate.user, reminders=False)
    assert commitment_reminders_send() == 0  # day 3 is 50 days away: not halfway yet
    TrainingDaySchedule.objects.filter(cohort=world.cohort, page=_day(world, 3)).update(
        starts_at=timezone.now() + timedelta(days=5),
        ends_at=timezone.now() + timedelta(days=5, hours=7),
    )
    assert commitment_reminders_send() == 2  # not to the classmate, who turned them off
    mine = next(m for m in mailoutbox if m.to == [world.participant.user.email])
    assert MINE in mine.body and ALSO not in mine.body
    assert world.classmate.user.email not in [m.to[0] for m in mailoutbox]
    assert commitment_reminders_send() == 0


def test_the_next_day_asks_how_it_went_starting_from_each_ones_words(world):
    commitment = _committed(world)
    day3 = _day(world, 3)
    trainer = client_for(world.trainer.user)
    facilitator = trainer.get(reverse("live_day", args=[world.cohort.slug, day3.id]))
    assert "Ask how it went" in facilitator.content.decode() or "Kysy" in (
        facilitator.content.decode()
    )
    trainer.post(reverse("live_commitment_ask", args=[world.cohort.slug, day3.id, commitment.id]))
    follow_up = LiveQuestion.objects.get(training_day=day3, options__commitment_of=commitment.id)
    assert follow_up.kind == "scale"
    services.question_open(question=follow_up)
    page = client_for(world.participant.user).get(
        reverse("live_day", args=[world.cohort.slug, day3.id]), HTTP_ACCEPT_LANGUAGE="en"
    )
    text = page.content.decode()
    assert "You committed to:" in text and MINE in text and THEIRS not in text


def test_trainers_see_the_cohorts_commitments_by_theme_with_names(world):
    question = _committed(world)
    url = reverse("live_commitments", args=[world.cohort.slug])
    trainer = client_for(world.trainer.user)
    page = trainer.get(url).content.decode()
    name = world.participant.user.get_full_name()
    assert MINE in page and ALSO in page and THEIRS in page and name not in page  # anonymous
    LiveQuestion.objects.filter(id=question.id).update(anonymous=False)
    assert name in trainer.get(url).content.decode()
    assert client_for(world.participant.user).get(url).status_code == 404


def test_a_participant_may_share_their_commitment_with_their_group(world):
    _committed(world)
    participant = client_for(world.participant.user)
    path = participant.get(reverse("cohort_path", args=[world.cohort.slug])).content.decode()
    answer = LiveAnswer.objects.get(value=MINE)
    share = reverse("commitment_share", args=[world.cohort.slug, answer.id])
    assert share in path
    participant.post(share)
    participant.post(share)  # twice: still one post
    group = reverse("workspace", args=[world.cohort.slug, world.participant.small_group_id])
    feed = client_for(world.group_mate.user).get(group).content.decode()
    assert feed.count(MINE) == 1
    assert client_for(world.classmate.user).post(share).status_code == 404  # not theirs


def test_kept_commitments_follow_a_new_answer_and_a_new_link_at_once(world):
    """A person's commitments are kept for the path and every assignment (live.versions):
    answering, changing the answer and linking the question each show on the next view."""
    assignment = AssignmentPage.objects.child_of(world.cohort.programme).get(title="Assignment 2")
    participant = client_for(world.participant.user)
    url = reverse("cohort_assignment", args=[world.cohort.slug, assignment.id])
    path = reverse("cohort_path", args=[world.cohort.slug])
    assert MINE not in participant.get(url).content.decode()
    assert MINE not in participant.get(path).content.decode()

    question = _committed(world)
    assert MINE in participant.get(path).content.decode()
    client_for(world.trainer.user).post(
        reverse("live_commitment_link", args=[world.cohort.slug, question.id]),
        {"assignment": assignment.id},
    )
    assert MINE in participant.get(url).content.decode()
    LiveQuestion.objects.filter(id=question.id).update(state=LiveQuestion.State.OPEN)
    question.refresh_from_db()
    services.answer_submit(question=question, user=world.participant.user, raw=ALSO + "!")
    assert ALSO + "!" in participant.get(url).content.decode()
