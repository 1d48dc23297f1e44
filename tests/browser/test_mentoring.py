"""Mentoring on a phone: a team member who coaches their supervisor logs a casual session
and answers the check-in in a few taps, in Finnish or English; the supervisor asks the next
team member to coach them."""

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from mentoring.models import CheckIn, MentoringSession, Pair
from polku.people.models import User
from tests.browser.conftest import PHONE, small_controls
from tests.browser.test_answering import _log_in
from tests.conftest import world_build
from tests.factories import PASSWORD
from tests.test_access_matrix import _programme

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def coaching():
    world = world_build("mentoring")  # before Playwright's event loop starts
    coach = User.objects.create_user(
        "tiina@example.com", PASSWORD, first_name="Tiina", last_name="Tiimi"
    )
    pair = Pair.objects.create(
        programme=_programme(world, "upward"), mentor=coach, mentee=world.participant.user
    )
    pair.goals.create(text="Kysyn palaverissa ensin tiimin näkemyksen.")
    return world, coach, pair


@pytest.mark.parametrize("locale", ["fi-FI", "en-GB"])
def test_a_team_member_logs_a_session_and_checks_in_on_a_phone(
    coaching, browser, live_server, screenshots, locale
):
    world, coach, pair = coaching
    language = locale[:2]
    coach.language = language
    coach.save()
    with translation.override(language):
        held = translation.gettext("was held")
        casual = translation.gettext("Casual, in everyday work")
        save = translation.gettext("Save the session")
        check_in = translation.gettext("Answer this week's check-in")
        met = translation.gettext("Yes")
        busy = translation.gettext("Too busy")
        send = translation.gettext("Send the check-in")
        guidance = translation.gettext("How to coach")
    phone = _log_in(
        browser,
        live_server,
        coach,
        viewport=PHONE,
        is_mobile=True,
        has_touch=True,
        locale=locale,
    )
    assert phone.url.endswith(reverse("mentoring_home"))  # no cohort: only their mentoring
    phone.goto(live_server.url + reverse("mentoring_pair", args=[pair.id]))
    assert phone.locator("html").get_attribute("lang") == language
    assert phone.get_by_role("heading", name=guidance).is_visible()
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert small_controls(phone) == []
    phone.screenshot(path=screenshots / f"mentoring-pair-{locale}.png", full_page=True)
    phone.get_by_label(held).check()
    phone.get_by_label(casual).check()
    phone.get_by_role("button", name=save).click()
    phone.wait_for_load_state()
    session = MentoringSession.objects.get()
    assert (session.held_on, session.casual, session.logged_by) == (
        timezone.localdate(),
        True,
        coach,
    )
    with phone.expect_navigation():  # evaluating mid-navigation finds no document (flaky)
        phone.get_by_role("link", name=check_in).click()
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert small_controls(phone) == []
    phone.screenshot(path=screenshots / f"mentoring-check-in-{locale}.png", full_page=True)
    phone.locator("label.choice", has_text="4").click()
    phone.get_by_label(met, exact=True).check()
    phone.get_by_label(busy).check()
    phone.get_by_role("button", name=send).click()
    phone.wait_for_load_state()
    checkin = CheckIn.objects.get()
    assert (checkin.user, checkin.score, checkin.met, checkin.too_busy) == (coach, 4, True, True)
    assert not phone.get_by_role("link", name=check_in).count()


def test_a_supervisor_asks_a_team_member_to_coach_them_on_a_phone(
    coaching, browser, live_server, screenshots
):
    world, _coach, pair = coaching
    phone = _log_in(
        browser,
        live_server,
        world.participant.user,
        viewport=PHONE,
        is_mobile=True,
        has_touch=True,
    )
    phone.goto(live_server.url + reverse("mentoring_coaches", args=[pair.programme_id]))
    phone.get_by_label("Name").fill("Olli Tiimi")
    phone.get_by_label("Email").fill("olli@example.com")
    phone.get_by_role("button", name="Ask to coach me").click()
    phone.get_by_text("Olli Tiimi is next in line").wait_for()
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert small_controls(phone) == []
    phone.screenshot(path=screenshots / "mentoring-coaches-360.png", full_page=True)
