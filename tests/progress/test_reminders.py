"""Reminders before a training day, before and after a due date, and the trainers' weekly
list: each at most once, in the person's language, with a link that stops them."""

from datetime import datetime, timedelta
from unittest import mock

import pytest
from django.core import mail
from django.utils import timezone

from polku.notifications.models import Notice
from programmes.models import AssignmentSchedule, TrainingDaySchedule
from progress import reminders, rollups
from progress.tasks import reminders_send
from tests.conftest import client_for


def _to(email):
    return [m for m in mail.outbox if m.to == [email]]


def _scan(now, only=None) -> int:
    """What beat's scan and the tasks it enqueues do, in this process, at `now`."""
    return sum(
        reminders.send(kind, object_id, now)
        for kind, object_id in reminders.due(now)
        if only is None or kind == only
    )


@pytest.fixture
def tomorrow(world):
    now = timezone.now()
    TrainingDaySchedule.objects.filter(cohort=world.cohort, page=world.day).update(
        starts_at=now + timedelta(hours=20), ends_at=now + timedelta(hours=27)
    )
    return world


def test_participants_are_reminded_of_tomorrows_training_day_once(tomorrow):
    reminders_send()
    reminders_send()  # beat runs every 15 minutes: nothing twice
    messages = _to(tomorrow.participant.user.email)
    assert len(messages) == 1
    assert messages[0].subject == f"Huomenna: {tomorrow.day.title}"  # the cohort's language
    assert not _to(tomorrow.trainer.user.email) and not _to(tomorrow.organiser.user.email)
    assert "/notifications/unsubscribe/" in messages[0].extra_headers["List-Unsubscribe"]


def test_a_person_who_chose_english_gets_english(tomorrow):
    user = tomorrow.participant.user
    user.language = "en"
    user.save()
    reminders_send()
    assert _to(user.email)[0].subject == f"Tomorrow: {tomorrow.day.title}"


def test_a_failed_send_is_retried_and_still_sent_once(tomorrow):
    real_send = mail.EmailMessage.send
    calls = {"n": 0}

    def flaky(message, *args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 1:
            raise OSError("SMTP down")
        return real_send(message, *args, **kwargs)

    with mock.patch.object(mail.EmailMessage, "send", flaky):
        with pytest.raises(OSError):
            _scan(timezone.now())
        _scan(timezone.now())  # the retry
        _scan(timezone.now())  # and a later scan
    for member in (tomorrow.participant, tomorrow.group_mate, tomorrow.classmate):
        assert len(_to(member.user.email)) == 1
    assert Notice.objects.filter(key__startswith="day-before:").count() == 3


def test_the_unsubscribe_link_stops_reminders_but_not_workspace_emails(tomorrow, client):
    reminders_send()
    link = _to(tomorrow.participant.user.email)[0].extra_headers["List-Unsubscribe"][1:-1]
    path = link.split("localhost:8000")[-1]
    assert "reminders" in client.get(path, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    client.post(path)
    preference = tomorrow.participant.user.notification_preference
    assert preference.reminders is False and preference.mode == "daily"
    Notice.objects.all().delete()
    mail.outbox.clear()
    reminders_send()
    assert not _to(tomorrow.participant.user.email)
    assert _to(tomorrow.group_mate.user.email)


def test_due_soon_goes_to_those_who_have_not_submitted(world):
    from programmes.assignments.services import answer_get_or_create, answer_save

    now = timezone.now()
    AssignmentSchedule.objects.filter(cohort=world.cohort, page=world.assignment).update(
        opens_at=now - timedelta(days=5), due_at=now + timedelta(hours=30)
    )
    answer = answer_get_or_create(membership=world.group_mate, assignment=world.assignment)
    answer_save(answer=answer, user=world.group_mate.user, base_version=0, content={}, submit=True)
    reminders_send()
    assert _to(world.participant.user.email)[0].subject.startswith("Palautus pian")
    assert not _to(world.group_mate.user.email)


def test_overdue_goes_a_day_after_the_due_date_and_not_for_long_past_ones(world):
    now = timezone.now()
    schedules = AssignmentSchedule.objects.filter(cohort=world.cohort).order_by("due_at")
    recent, old = schedules[0], schedules[1]
    AssignmentSchedule.objects.filter(id=recent.id).update(
        opens_at=now - timedelta(days=9), due_at=now - timedelta(hours=30)
    )
    AssignmentSchedule.objects.filter(id=old.id).update(
        opens_at=now - timedelta(days=60), due_at=now - timedelta(days=30)
    )
    reminders_send()
    subjects = [m.subject for m in _to(world.participant.user.email)]
    assert subjects == [f"Vielä tekemättä: {recent.page.title}"]


def _weekly(now):
    return _scan(now, only=reminders.WEEKLY_KIND)


def test_trainers_get_a_weekly_list_of_who_is_behind_on_monday_morning(world):
    from progress.services import attendance_mark

    attendance_mark(
        cohort=world.cohort,
        training_day=world.day,
        marks={world.participant.id: ("absent", "", False)},
        trainer=world.trainer.user,
    )
    rollups.cohort_reconcile(world.cohort.id)
    tz = timezone.get_current_timezone()
    sunday = datetime(2026, 11, 29, 20, 0, tzinfo=tz)
    monday_early = datetime(2026, 11, 30, 6, 0, tzinfo=tz)
    monday = datetime(2026, 11, 30, 7, 15, tzinfo=tz)
    assert _weekly(sunday) == 0
    assert _weekly(monday_early) == 0
    assert _weekly(monday) == 1
    assert _weekly(monday + timedelta(hours=3)) == 0  # once a week
    message = _to(world.trainer.user.email)[0]
    assert "1 henkilö tarvitsee tönäisyn" in message.subject
    assert world.participant.user.get_full_name() in message.body
    assert world.day.title in message.body  # what they missed
    assert _weekly(monday + timedelta(days=7)) == 1  # next week again


def test_people_can_turn_reminders_off_in_their_settings(world):
    client = client_for(world.participant.user)
    client.post("/notifications/", {"mode": "daily"})
    assert world.participant.user.notification_preference.reminders is False
    client.post("/notifications/", {"mode": "daily", "reminders": "on"})
    world.participant.user.notification_preference.refresh_from_db()
    assert world.participant.user.notification_preference.reminders is True


def test_an_unsubscribe_link_without_a_topic_is_refused(world, client):
    """Every link ever sent names its topic; a token of the id alone is not one of ours."""
    from django.core import signing

    from polku.notifications.models import NotificationPreference
    from polku.notifications.services import UNSUBSCRIBE_SALT

    bare = signing.dumps(world.participant.user.id, salt=UNSUBSCRIBE_SALT)
    assert client.post(f"/notifications/unsubscribe/{bare}/").status_code == 404
    assert not NotificationPreference.objects.filter(user=world.participant.user).exists()


def test_the_scan_sends_each_reminder_in_a_task_of_its_own(tomorrow):
    from progress.tasks import reminder_send

    with mock.patch.object(reminder_send, "delay") as delay:
        reminders_send()
    schedule = TrainingDaySchedule.objects.get(cohort=tomorrow.cohort, page=tomorrow.day)
    delay.assert_called_once_with("day-before", schedule.id)
    assert not mail.outbox  # the scan itself sends nothing
