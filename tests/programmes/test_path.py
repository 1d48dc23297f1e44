"""My path: the cohort's own calendar, statuses, order, and what changed since a visit."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from polku.people.models import Cohort
from programmes.models import AssignmentSchedule, TrainingDaySchedule
from programmes.mypath.selectors import cohort_path_get
from tests.conftest import client_for
from tests.factories import AssignmentPageFactory, AssignmentScheduleFactory


def test_two_cohorts_on_one_programme_keep_their_own_dates(world):
    twin = Cohort.objects.create(
        organisation=world.cohort.organisation,
        programme=world.cohort.programme,
        name="Twin",
        slug="twin",
    )
    first_day = world.day
    TrainingDaySchedule.objects.create(
        cohort=twin,
        page=first_day,
        place="Tampere",
        starts_at=timezone.now() + timedelta(days=300),
        ends_at=timezone.now() + timedelta(days=300, hours=6),
    )
    ours = TrainingDaySchedule.objects.get(cohort=world.cohort, page=first_day)
    assert ours.place != "Tampere"
    page = (
        client_for(world.participant.user)
        .get(reverse("cohort_training_day", args=[world.cohort.slug, first_day.id]))
        .content.decode()
    )
    assert "Tampere" not in page
    assert ours.place in page


def test_the_path_reads_in_the_order_the_editor_set(world):
    items = cohort_path_get(membership=world.participant)
    kinds = [item.kind for item in items]
    assert kinds == ["day", "assignment"] * 5
    # The editor moves the last assignment to the front: the path follows.
    last = items[-1].page
    last.move(world.cohort.programme, pos="first-child")
    assert cohort_path_get(membership=world.participant)[0].page.id == last.id


def test_statuses_follow_the_cohorts_calendar(world):
    now = timezone.now()
    items = {item.page.id: item for item in cohort_path_get(membership=world.participant, now=now)}
    days = [i for i in items.values() if i.kind == "day"]
    assert [d.status for d in days] == ["past", "past", "upcoming", "upcoming", "upcoming"]
    assignments = [i for i in items.values() if i.kind == "assignment"]
    assert [a.status for a in assignments] == [
        "overdue",
        "open",
        "upcoming",
        "upcoming",
        "upcoming",
    ]
    nexts = [i for i in items.values() if i.is_next]
    assert len(nexts) == 1 and nexts[0].kind == "assignment" and nexts[0].status == "open"


def test_an_assignment_due_within_48_hours_is_due_soon_as_its_reminder_says(world):
    def status(due_in):
        schedule = AssignmentScheduleFactory(
            cohort=world.cohort,
            page=AssignmentPageFactory(parent=world.cohort.programme),
            opens_at=timezone.now() - timedelta(days=10),
            due_at=timezone.now() + due_in,
        )
        return next(
            i.status
            for i in cohort_path_get(membership=world.participant)
            if i.page.id == schedule.page_id
        )

    assert status(timedelta(hours=47)) == "due_soon"
    assert status(timedelta(hours=60)) == "open"


def test_the_path_page_shows_dates_place_and_status(world):
    response = client_for(world.participant.user).get(
        reverse("cohort_path", args=[world.cohort.slug]), HTTP_ACCEPT_LANGUAGE="en"
    )
    html = response.content.decode()
    day = TrainingDaySchedule.objects.filter(cohort=world.cohort).first()
    assert day.page.title in html
    assert day.place in html
    assert timezone.localtime(day.starts_at).strftime("%-d.%-m.%Y") in html
    assert "Past due" in html and "Open" in html


def test_a_material_change_shows_as_updated_since_the_last_visit(world):
    client = client_for(world.participant.user)
    day = world.day
    day_url = reverse("cohort_training_day", args=[world.cohort.slug, day.id])
    path_url = reverse("cohort_path", args=[world.cohort.slug])
    client.get(day_url, HTTP_ACCEPT_LANGUAGE="en")
    assert (
        "Updated since your last visit"
        not in client.get(path_url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    )
    day.intro = "Uusi materiaali lisätty."
    day.save_revision().publish()
    assert (
        "Updated since your last visit"
        in client.get(path_url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    )
    page = client.get(day_url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "since your last visit" in page and "Uusi materiaali lisätty." in page
    # Having seen it, the mark is gone.
    assert (
        "Updated since your last visit"
        not in client.get(path_url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    )


def test_opening_an_unchanged_page_again_writes_nothing(world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(world.participant.user)
    day_url = reverse("cohort_training_day", args=[world.cohort.slug, world.day.id])
    client.get(day_url)  # the first visit is stored
    with CaptureQueriesContext(connection) as queries:
        assert client.get(day_url).status_code == 200
    writes = [q["sql"] for q in queries if q["sql"].startswith(("INSERT", "UPDATE"))]
    assert writes == []


def test_a_due_date_before_the_opening_is_refused(world):
    now = timezone.now()
    schedule = AssignmentSchedule(
        cohort=world.cohort, page=world.assignment, opens_at=now, due_at=now - timedelta(days=1)
    )
    with translation.override("en"), pytest.raises(ValidationError, match="after the opening"):
        schedule.full_clean(validate_unique=False)


def test_a_schedule_for_another_programmes_page_is_refused(world, other_world):
    schedule = TrainingDaySchedule(
        cohort=world.cohort,
        page=other_world.day,
        starts_at=timezone.now(),
        ends_at=timezone.now() + timedelta(hours=1),
    )
    with translation.override("en"), pytest.raises(ValidationError, match="another programme"):
        schedule.full_clean(validate_unique=False)


def test_a_page_scheduled_by_the_trainer_goes_live_when_beat_runs_the_task(world):
    from programmes.tasks import scheduled_pages_publish

    day = world.day
    day.intro = "Ajastettu päivitys"
    revision = day.save_revision(approved_go_live_at=timezone.now() - timedelta(seconds=1))
    url = reverse("cohort_training_day", args=[world.cohort.slug, day.id])
    client = client_for(world.participant.user)
    assert "Ajastettu päivitys" not in client.get(url).content.decode()
    scheduled_pages_publish()
    assert "Ajastettu päivitys" in client.get(url).content.decode()
    day.refresh_from_db()
    assert day.live_revision_id == revision.id


def test_the_beat_schedule_names_only_real_tasks():
    from polku.celery import app

    app.loader.import_default_modules()
    for entry in app.conf.beat_schedule.values():
        assert entry["task"] in app.tasks, entry["task"]
