"""Each person's dates in their own calendar: a private feed (revocable) and invitations by
email with an .ics attachment, read back with an independent parser (vobject), and a
training day's online meeting opened only to its cohort."""

from datetime import timedelta

import vobject
from django.core import mail
from django.test import Client
from django.urls import reverse

from programmes.models import TrainingDaySchedule
from tests.conftest import client_for

HELSINKI = "Europe/Helsinki"


def _feed_url(user) -> str:
    client = client_for(user)
    page = client.get(reverse("calendar_settings"), HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    user.refresh_from_db()
    return reverse("calendar_feed", args=[user.calendar_key])


def _read(content: bytes):
    return vobject.readOne(content.decode("utf-8"))


def _events(calendar) -> dict[str, object]:
    return {event.uid.value: event for event in calendar.contents.get("vevent", [])}


def _first_day(world) -> TrainingDaySchedule:
    return world.cohort.training_days.order_by("starts_at").first()


def test_a_participants_feed_has_their_days_and_due_dates_in_helsinki_time(world, other_world):
    day = _first_day(world)
    day.place = "Sali 3, Helsinki"
    day.meeting_url = "https://teams.microsoft.com/l/meetup-join/abc"
    day.save()
    response = Client().get(_feed_url(world.participant.user))  # a calendar app: no login
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = _read(response.content)
    assert calendar.contents["vtimezone"][0].tzid.value == HELSINKI
    events = _events(calendar)
    days = [e for e in events.values() if e.uid.value.startswith("training-day-")]
    dues = [e for e in events.values() if e.uid.value.startswith("assignment-due-")]
    assert len(days) == world.cohort.training_days.count()
    assert len(dues) == world.cohort.assignments.count()
    event = events[f"training-day-{day.id}@testserver"]
    assert event.dtstart.value == day.starts_at  # the same instant, summer time and all
    assert "TZID=Europe/Helsinki:" in response.content.decode()
    assert event.location.value == "Sali 3, Helsinki"
    assert event.status.value == "CONFIRMED"
    description = event.description.value
    join = reverse("training_day_join", args=[world.cohort.slug, day.page_id])
    assert join in description  # the link opens only to the cohort, through Polku
    assert "teams.microsoft.com" not in description
    assert event.url.value.endswith(
        reverse("cohort_training_day", args=[world.cohort.slug, day.page_id])
    )
    # Nothing of another organisation's cohort.
    other_day = _first_day(other_world)
    assert f"training-day-{other_day.id}@testserver" not in events


def test_a_trainers_feed_has_the_days_but_no_due_dates(world):
    events = _events(_read(Client().get(_feed_url(world.trainer.user)).content))
    assert events and all(uid.startswith("training-day-") for uid in events)


def test_a_changed_and_then_cancelled_day_updates_the_same_event(world):
    url = _feed_url(world.participant.user)
    day = _first_day(world)
    uid = f"training-day-{day.id}@testserver"
    before = _events(_read(Client().get(url).content))[uid]
    assert before.sequence.value == "0"

    day.starts_at += timedelta(hours=1)
    day.save()
    moved = _events(_read(Client().get(url).content))[uid]
    assert moved.sequence.value == "1"
    assert moved.dtstart.value == day.starts_at

    day.save()  # saved again unchanged: the same version
    day.cancelled = True
    day.save()
    cancelled = _events(_read(Client().get(url).content))[uid]
    assert cancelled.status.value == "CANCELLED"
    assert cancelled.sequence.value == "2"


def test_a_new_address_stops_the_old_one(world):
    user = world.participant.user
    old = _feed_url(user)
    client = client_for(user)
    client.post(reverse("calendar_settings"))
    user.refresh_from_db()
    assert Client().get(old).status_code == 404
    assert Client().get(reverse("calendar_feed", args=[user.calendar_key])).status_code == 200
    assert Client().get(reverse("calendar_feed", args=["guess"])).status_code == 404
    # Someone deactivated (or erased) has no feed.
    user.is_active = False
    user.save()
    assert Client().get(reverse("calendar_feed", args=[user.calendar_key])).status_code == 404


def test_the_feed_costs_the_same_queries_however_many_dates(world, django_assert_max_num_queries):
    url = _feed_url(world.participant.user)
    with django_assert_max_num_queries(6):
        Client().get(url)
    for day in world.cohort.training_days.all():
        TrainingDaySchedule.objects.filter(id=day.id).update(place="Elsewhere")
    with django_assert_max_num_queries(6):
        Client().get(url)


def test_the_online_meeting_opens_only_to_the_cohort(world, other_world):
    from django.utils import timezone

    day = world.cohort.training_days.filter(starts_at__gt=timezone.now()).first()
    join = reverse("training_day_join", args=[world.cohort.slug, day.page_id])
    assert client_for(world.participant.user).get(join).status_code == 404  # no link yet
    day.meeting_url = "https://zoom.us/j/123"
    day.save()
    response = client_for(world.participant.user).get(join)
    assert response.status_code == 302 and response["Location"] == "https://zoom.us/j/123"
    assert client_for(other_world.participant.user).get(join).status_code == 404
    assert Client().get(join)["Location"].startswith(reverse("account_login"))
    path = client_for(world.participant.user).get(
        reverse("cohort_path", args=[world.cohort.slug]), HTTP_ACCEPT_LANGUAGE="en"
    )
    assert join in path.content.decode()
    day.cancelled = True
    day.save()
    assert client_for(world.participant.user).get(join).status_code == 404


def _invitations(outbox):
    found = []
    for message in outbox:
        for filename, content, mimetype in message.attachments:
            if filename == "invite.ics":
                found.append(
                    (
                        message,
                        _read(content if isinstance(content, bytes) else content.encode()),
                        mimetype,
                    )
                )
    return found


def test_invitations_by_email_then_an_update_and_a_cancellation(world, committed):
    day = _first_day(world)
    url = reverse("day_invitations", args=[world.cohort.slug, day.page_id])
    assert client_for(world.participant.user).post(url).status_code == 404  # staff only
    with committed():
        client_for(world.trainer.user).post(url)
    sent = _invitations(mail.outbox)
    people = set(
        world.cohort.memberships.filter(role__in=["participant", "trainer"]).values_list(
            "user__email", flat=True
        )
    )
    assert {message.to[0] for message, _c, _m in sent} == people  # organisers follow, not attend
    message, calendar, mimetype = sent[0]
    assert mimetype == "text/calendar; charset=utf-8; method=REQUEST"
    assert calendar.method.value == "REQUEST"
    event = calendar.vevent
    assert event.uid.value == f"training-day-{day.id}@testserver"
    assert event.attendee.value == f"mailto:{message.to[0]}"
    assert event.organizer.value.startswith("mailto:")
    assert calendar.contents["vtimezone"][0].tzid.value == HELSINKI

    # Sending again changes nothing; a lost task's work is picked up by the tick, once.
    from programmes.tasks import day_invitations_tick

    with committed():
        client_for(world.trainer.user).post(url)
        day_invitations_tick()
    assert len(_invitations(mail.outbox)) == len(people)

    mail.outbox.clear()
    day.refresh_from_db()
    day.starts_at += timedelta(days=1)
    day.ends_at += timedelta(days=1)
    with committed():
        day.save()
    updates = _invitations(mail.outbox)
    assert len(updates) == len(people)
    assert updates[0][1].vevent.sequence.value == "1"
    assert updates[0][1].vevent.dtstart.value == day.starts_at

    mail.outbox.clear()
    day.cancelled = True
    with committed():
        day.save()
    cancellations = _invitations(mail.outbox)
    assert len(cancellations) == len(people)
    message, calendar, mimetype = cancellations[0]
    assert calendar.method.value == "CANCEL" and mimetype.endswith("method=CANCEL")
    assert calendar.vevent.status.value == "CANCELLED"
    with committed():
        day_invitations_tick()
    assert len(_invitations(mail.outbox)) == len(people)  # nothing twice


def test_a_cancelled_day_is_neither_reminded_of_nor_counted(world):
    from programmes import facts

    day = _first_day(world)
    day.cancelled = True
    day.save()
    days, _dues = facts.cohort_calendar(world.cohort.id)
    assert day.id not in [found.id for found in days]
