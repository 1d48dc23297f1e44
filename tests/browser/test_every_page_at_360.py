"""Every page a participant opens fits a 360 px wide phone: no sideways scrolling."""

import pytest
from django.urls import reverse

from tests.browser.conftest import PHONE, csp_directives, csp_violations, small_controls
from tests.browser.test_answering import _log_in
from tests.conftest import answer_build, live_question_build, post_build, world_build
from tests.test_access_matrix import _mentoring_url

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def pages():
    """Every participant page of a lived-in cohort, read before the browser starts."""
    from polku.notifications.services import unsubscribe_token
    from progress.services import check_in_token

    world = world_build("all")
    slug, group = world.cohort.slug, world.participant.small_group_id
    answer = answer_build(world)
    post_build(
        world, body="Pitkä sana: " + "kehittämistehtävä" * 4 + " ja https://example.com/" + "a" * 80
    )
    live_question_build(world, kind="scale", prompt="Asteikko?", options={"min": 0, "max": 10})
    day = world.cohort.training_days.get(page=world.day)
    day.meeting_url = "https://teams.microsoft.com/l/meetup-join/" + "x" * 120  # a long one
    day.save()
    mentoring = {  # the participant is mentored in reverse and invites coaches (upward)
        name: _mentoring_url(f"mentoring_{name}", world)
        for name in ("pair", "check_in", "guide", "coaches", "goal_done", "session_cancel")
    }
    return world.participant.user, {
        "my mentoring": reverse("mentoring_home"),
        "library": reverse("library", args=[slug]),
        "share with the cohort": reverse("output_share", args=[slug, group]),
        "mentoring pair": mentoring["pair"],
        "mentoring check-in": mentoring["check_in"],
        "mentoring guide": mentoring["guide"],
        "my coaches": mentoring["coaches"],
        "home": reverse("cohort_path", args=[slug]),
        "training day": reverse("cohort_training_day", args=[slug, world.day.id]),
        "assignment": reverse("cohort_assignment", args=[slug, world.assignment.id]),
        "answer": reverse("answer_detail", args=[slug, answer.id]),
        "workspace": reverse("workspace", args=[slug, group]),
        "notes": reverse("workspace_notes", args=[slug, group]),
        "notes history": reverse("workspace_notes_history", args=[slug, group]),
        "live": reverse("live_day", args=[slug, world.day.id]),
        "summaries": reverse("live_summaries", args=[slug, world.day.id]),
        "email settings": reverse("notification_preferences"),
        "my calendar": reverse("calendar_settings"),
        "unsubscribe": reverse("unsubscribe", args=[unsubscribe_token(world.participant.user)]),
        "check in": reverse(
            "check_in", args=[slug, world.day.id, check_in_token(world.cohort, world.day)]
        ),
    }


def test_every_participant_page_fits_a_phone(pages, browser, live_server, screenshots):
    user, urls = pages
    phone = _log_in(browser, live_server, user, viewport=PHONE, is_mobile=True, has_touch=True)
    refused = csp_violations(phone)
    too_wide, too_small = [], []
    for name, url in urls.items():
        response = phone.goto(live_server.url + url)
        assert response.status == 200, name
        too_small += [f"{name}: {control}" for control in small_controls(phone)]
        policy = csp_directives(response.headers["content-security-policy"])
        assert policy["script-src"] == "'self'", name
        if not phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth"):
            too_wide.append(name)
            phone.screenshot(
                path=screenshots / f"too-wide-{name.replace(' ', '-')}.png", full_page=True
            )
    assert not too_wide, too_wide
    assert not too_small, too_small  # every action is thumb-sized
    assert not refused, refused  # every page works with the Content-Security-Policy enforced


@pytest.fixture
def progress_pages():
    """The trainer's progress and attendance pages of a cohort with figures and history."""
    from datetime import timedelta

    from django.utils import timezone

    from progress import rollups
    from progress.services import attendance_mark

    world = world_build("progress")
    slug = world.cohort.slug
    answer = answer_build(world)
    post_build(world, comment="Mitä kokeilisit?")
    live_question_build(world, kind="words", prompt="Yksi sana?")
    attendance_mark(
        cohort=world.cohort,
        training_day=world.day,
        marks={
            world.participant.id: ("absent", "Sairas", False),
            world.classmate.id: ("present", "", False),
        },
        trainer=world.trainer.user,
    )
    rollups.cohort_reconcile(world.cohort.id)
    today = timezone.localdate()
    rollups.snapshots_backfill(world.cohort.id, today - timedelta(days=100), today)
    return world.trainer.user, {
        "dashboard": reverse("progress_dashboard", args=[slug]),
        "group": reverse("progress_group", args=[slug, world.participant.small_group_id]),
        "everyone": reverse("progress_people", args=[slug]),
        "person": reverse("progress_person", args=[slug, world.participant.id]),
        "attendance": reverse("attendance", args=[slug, world.day.id]),
        "check-in code": reverse("attendance_qr", args=[slug, world.day.id]),
        "answer": reverse("answer_detail", args=[slug, answer.id]),
        "live": reverse("live_day", args=[slug, world.day.id]),
        "summaries": reverse("live_summaries", args=[slug, world.day.id]),
        "workspace": reverse("workspace", args=[slug, world.participant.small_group_id]),
    }


def test_progress_and_attendance_pages_fit_a_trainers_phone(
    progress_pages, browser, live_server, screenshots
):
    user, urls = progress_pages
    phone = _log_in(browser, live_server, user, viewport=PHONE, is_mobile=True, has_touch=True)
    refused = csp_violations(phone)
    too_wide, too_small = [], []
    for name, url in urls.items():
        response = phone.goto(live_server.url + url)
        assert response.status == 200, name
        too_small += [f"{name}: {control}" for control in small_controls(phone)]
        phone.screenshot(
            path=screenshots / f"progress-{name.replace(' ', '-')}.png", full_page=True
        )
        if not phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth"):
            too_wide.append(name)
    assert not too_wide, too_wide
    assert not too_small, too_small
    assert not refused, refused
