"""A trainer's checklist on a phone, and participants checking in with the day's QR code."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from programmes.models import TrainingDaySchedule
from progress.models import Attendance, ParticipantProgress
from progress.services import check_in_token, check_in_token_valid
from tests.conftest import client_for


def _checklist(world):
    return reverse("attendance", args=[world.cohort.slug, world.day.id])


def test_a_trainer_marks_the_day_from_the_checklist(world, committed):
    client = client_for(world.trainer.user)
    page = client.get(_checklist(world), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    for member in (world.participant, world.group_mate, world.classmate):
        assert f'name="status-{member.id}"' in page
    assert f'name="status-{world.trainer.id}"' not in page  # trainers are not on the list
    with committed():
        response = client.post(
            _checklist(world),
            {
                f"status-{world.participant.id}": "present",
                f"status-{world.group_mate.id}": "absent",
                f"reason-{world.group_mate.id}": "Asiakastapaaminen",
                f"followed-{world.group_mate.id}": "on",
                f"status-{world.classmate.id}": "",
            },
            HTTP_ACCEPT_LANGUAGE="en",
            follow=True,
        )
    assert "Attendance saved (2 changes)" in response.content.decode()
    marks = {a.participant_id: a for a in Attendance.objects.all()}
    assert marks[world.participant.id].status == "present"
    assert marks[world.group_mate.id].reason == "Asiakastapaaminen"
    assert marks[world.group_mate.id].followed_up
    assert world.classmate.id not in marks
    assert ParticipantProgress.objects.get(membership=world.participant).days_attended == 1


def test_an_unknown_status_changes_nothing(world):
    client = client_for(world.trainer.user)
    response = client.post(
        _checklist(world),
        {f"status-{world.participant.id}": "maybe"},
        HTTP_ACCEPT_LANGUAGE="fi",
        follow=True,
    )
    assert "Tuntematon valinta" in response.content.decode()
    assert not Attendance.objects.exists()


@pytest.fixture
def today(world):
    """The world's first training day is on now."""
    now = timezone.now()
    TrainingDaySchedule.objects.filter(cohort=world.cohort, page=world.day).update(
        starts_at=now - timedelta(hours=1), ends_at=now + timedelta(hours=5)
    )
    return world


def _check_in_url(world, token=None):
    token = token or check_in_token(world.cohort, world.day)
    return reverse("check_in", args=[world.cohort.slug, world.day.id, token])


def test_the_qr_code_leads_participants_to_check_in(today):
    page = client_for(today.trainer.user).get(
        reverse("attendance_qr", args=[today.cohort.slug, today.day.id])
    )
    body = page.content.decode()
    # The link's token is signed with the time (to the second), so it is read from the page
    # rather than made again here: made a second later it would differ (a flaky comparison).
    prefix = _check_in_url(today).rsplit("/", 2)[0] + "/"
    token = re.search(re.escape(prefix) + r"([^/\"<]+)/", body)[1]
    assert "<svg" in body and check_in_token_valid(token, today.cohort, today.day)


def test_a_participant_checks_in_during_the_day(today, committed):
    client = client_for(today.participant.user)
    assert (
        "Olen paikalla"
        in client.get(_check_in_url(today), HTTP_ACCEPT_LANGUAGE="fi").content.decode()
    )
    with committed():
        page = client.post(_check_in_url(today), HTTP_ACCEPT_LANGUAGE="fi").content.decode()
    assert "Olet kirjautunut paikalle" in page
    mark = Attendance.objects.get(participant=today.participant)
    assert (mark.status, mark.method) == ("present", "check_in")
    with committed():
        client.post(_check_in_url(today))  # a second tap changes nothing
    assert Attendance.objects.count() == 1
    row = ParticipantProgress.objects.get(membership=today.participant)
    assert row.days[str(today.day.id)] == "present"
    assert row.last_active_on == timezone.localdate()


def test_checking_in_outside_the_day_is_refused_with_a_message(world):
    client = client_for(world.participant.user)  # the first day was three months ago
    page = client.post(_check_in_url(world), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Checking in is open only during the training day." in page
    assert not Attendance.objects.exists()


def test_a_check_in_does_not_overwrite_the_trainers_mark(today, committed):
    from progress.services import attendance_mark

    attendance_mark(
        cohort=today.cohort,
        training_day=today.day,
        marks={today.participant.id: ("absent", "Sairas", False)},
        trainer=today.trainer.user,
    )
    page = client_for(today.participant.user).post(_check_in_url(today), HTTP_ACCEPT_LANGUAGE="en")
    assert "marked you absent for this day. If you are here, tell your trainer" in (
        page.content.decode()
    )
    assert Attendance.objects.get(participant=today.participant).status == "absent"


def test_a_forged_or_another_days_check_in_link_is_404(today, other_world):
    from programmes.models import TrainingDayPage

    client = client_for(today.participant.user)
    assert client.get(_check_in_url(today, token="forged")).status_code == 404
    second_day = TrainingDayPage.objects.child_of(today.cohort.programme)[1]
    wrong = check_in_token(today.cohort, second_day)
    assert client.get(_check_in_url(today, token=wrong)).status_code == 404
    # Another cohort's participant with a valid token of this cohort
    outsider = client_for(other_world.participant.user)
    assert outsider.get(_check_in_url(today)).status_code == 404


def test_the_training_day_page_leads_trainers_to_attendance(world):
    day_url = reverse("cohort_training_day", args=[world.cohort.slug, world.day.id])
    trainer_page = client_for(world.trainer.user).get(day_url).content.decode()
    participant_page = client_for(world.participant.user).get(day_url).content.decode()
    assert _checklist(world) in trainer_page
    assert _checklist(world) not in participant_page
