"""A training day in a real browser: the projector shows the room's answers as they come."""

import pytest
from django.urls import reverse

from tests.browser.conftest import PHONE
from tests.browser.test_answering import _log_in
from tests.conftest import live_question_build, world_build

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def room():
    """Everything read from the database before Playwright's event loop starts."""
    world = world_build("live")
    question = live_question_build(world, kind="words", prompt="Yksi sana tästä aamusta?")
    return {
        "world": world,
        "projector": reverse("live_projector", args=[world.cohort.slug, world.day.id])
        + f"?q={question.id}",
        "day": reverse("live_day", args=[world.cohort.slug, world.day.id]),
        "people": [world.participant.user, world.group_mate.user, world.classmate.user],
        "trainer": world.trainer.user,
    }


def test_three_phones_answer_and_the_projector_shows_them_without_reload(
    room, browser, live_server, screenshots
):
    projector = _log_in(
        browser, live_server, room["trainer"], viewport={"width": 1280, "height": 720}
    )
    projector.goto(live_server.url + room["projector"])
    assert projector.locator("[data-count]").inner_text() == "0"

    for person, word in zip(room["people"], ["kahvi", "kahvia", "valmentaja"], strict=True):
        phone = _log_in(
            browser, live_server, person, viewport=PHONE, is_mobile=True, has_touch=True
        )
        phone.goto(live_server.url + room["day"])
        phone.fill("input[name=value]", word)
        phone.get_by_role("button", name="Answer").click()
        phone.wait_for_selector("text=Your answer is in")
        assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

    projector.wait_for_selector("[data-count]:has-text('3')", timeout=10000)
    cloud = projector.locator(".cloud").inner_text()
    assert "kahvi" in cloud and "valmentaja" in cloud
    assert "kahvia" not in cloud  # kahvi + kahvia: one word, counted twice
    projector.screenshot(path=screenshots / "projector.png")
