"""A participant answers an assignment on a phone; the trainer sees the answer."""

import pytest
from django.urls import reverse

from tests.browser.conftest import PHONE
from tests.conftest import png_bytes, world_build
from tests.factories import PASSWORD

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def world():
    return world_build("p")  # before Playwright's event loop starts (see test_mobile.py)


@pytest.fixture
def urls(world):
    """Every address the tests need, read from the database before the browser starts."""
    args = [world.cohort.slug, world.assignment.id]
    return {
        "assignment": reverse("cohort_assignment", args=args),
        "review_list": reverse("review_list", args=args),
        "participant": world.participant.user.get_full_name(),
    }


def _log_in(browser, live_server, user, **context):
    page = browser.new_context(**{"locale": "en-GB", **context}).new_page()
    page.goto(live_server.url + reverse("account_login"))
    page.fill("#id_login", user.email)
    page.fill("#id_password", PASSWORD)
    page.locator("main form button.primary").click()
    page.wait_for_load_state()
    return page


def test_answer_with_a_photo_reload_midway_submit_and_the_trainer_sees_it(
    world, urls, browser, live_server, screenshots, tmp_path
):
    assignment_url = live_server.url + urls["assignment"]
    phone = _log_in(
        browser, live_server, world.participant.user, viewport=PHONE, is_mobile=True, has_touch=True
    )
    phone.goto(assignment_url)
    text = phone.locator("textarea").first
    text.fill("Pidin aamukahvit.")
    phone.wait_for_selector(".save-state:has-text('Draft saved')")

    photo = tmp_path / "taulu.png"
    photo.write_bytes(png_bytes((800, 600)))
    phone.locator("input[type=file]").first.set_input_files(str(photo))
    phone.wait_for_selector(".uploads img.thumb")

    # Typing on, then the page reloads before the next autosave is due.
    text.fill("Pidin aamukahvit. Jokainen kertoi yhden onnistumisen.")
    phone.reload()
    assert phone.locator("textarea").first.input_value() == (
        "Pidin aamukahvit. Jokainen kertoi yhden onnistumisen."
    )
    assert phone.locator(".uploads img.thumb").count() == 1
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    phone.screenshot(path=screenshots / "answer-360.png", full_page=True)

    phone.get_by_role("button", name="Submit").click()
    phone.wait_for_selector(".message-success:has-text('Submitted')")

    trainer = _log_in(browser, live_server, world.trainer.user)
    trainer.goto(live_server.url + urls["review_list"])
    trainer.get_by_role("link", name=urls["participant"]).click()
    trainer.wait_for_selector("text=Jokainen kertoi yhden onnistumisen.")
    assert trainer.locator(".uploads img.thumb").count() == 1
    trainer.screenshot(path=screenshots / "review-trainer.png", full_page=True)


def test_two_tabs_editing_at_once_are_told_and_merge(world, urls, browser, live_server):
    url = live_server.url + urls["assignment"]
    first = _log_in(browser, live_server, world.participant.user, viewport=PHONE)
    second = first.context.new_page()  # another tab, same person
    first.goto(url)
    second.goto(url)

    first.locator("textarea").first.fill("Ensimmäisen välilehden teksti.")
    first.wait_for_selector(".save-state:has-text('Draft saved')")
    second.locator("textarea").first.fill("Toisen välilehden teksti.")
    second.wait_for_selector(".conflict:not([hidden])")
    assert "Ensimmäisen välilehden teksti." in second.locator(".conflict").inner_text()
    second.get_by_role("button", name="Add it to mine").click()
    second.get_by_role("button", name="Save my version with these changes").click()
    second.wait_for_selector(".save-state:has-text('Draft saved')")

    first.reload()  # what the server kept
    text = first.locator("textarea").first.input_value()
    assert "Ensimmäisen välilehden teksti." in text and "Toisen välilehden teksti." in text


def test_no_connection_retries_on_one_timer_and_saves_when_back(world, urls, browser, live_server):
    phone = _log_in(browser, live_server, world.participant.user, viewport=PHONE)
    phone.goto(live_server.url + urls["assignment"])
    text = phone.locator("textarea").first
    failed = []
    phone.on("requestfailed", lambda request: failed.append(request.url))
    phone.context.set_offline(True)
    for words in ("Yksi.", "Yksi. Kaksi.", "Yksi. Kaksi. Kolme."):
        text.fill(words)
        phone.wait_for_timeout(1600)  # each pause makes a save that fails
    phone.wait_for_selector(".save-state:has-text('No connection')")
    failed.clear()
    phone.wait_for_timeout(10_500)
    # One retry every 5 s, not one chain per failed save (which would be 6 by now).
    assert 1 <= len(failed) <= 3, failed
    phone.context.set_offline(False)
    phone.wait_for_selector(".save-state:has-text('Draft saved')", timeout=10_000)
    phone.reload()
    assert phone.locator("textarea").first.input_value() == "Yksi. Kaksi. Kolme."


def test_a_lost_session_is_told_apart_from_no_connection(world, urls, browser, live_server):
    phone = _log_in(browser, live_server, world.participant.user, viewport=PHONE)
    phone.goto(live_server.url + urls["assignment"])
    phone.context.clear_cookies()  # the session expired, or they logged out in another tab
    phone.locator("textarea").first.fill("Tärkeä ajatus.")
    phone.wait_for_selector(".save-state:has-text('Reload the page to log in again')")
    kept = phone.evaluate("Object.values(localStorage).join(' ')")
    assert "Tärkeä ajatus." in kept  # still on the device for after logging in
