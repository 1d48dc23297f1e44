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
        phone.evaluate("window.stayed = true")  # gone if the page reloads
        phone.fill("input[name=value]", word)
        phone.get_by_role("button", name="Answer").click()
        phone.wait_for_selector("text=Your answer is in")
        assert phone.evaluate("window.stayed === true")  # the card was replaced in place
        assert phone.get_by_role("button", name="Change my answer").is_visible()
        assert phone.evaluate("document.activeElement.textContent").startswith("Thank you")
        assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        phone.screenshot(path=screenshots / f"live-answered-{word}.png", full_page=True)

    projector.wait_for_selector("[data-count]:has-text('3')", timeout=10000)
    cloud = projector.locator(".cloud").inner_text()
    assert "kahvi" in cloud and "valmentaja" in cloud
    assert "kahvia" not in cloud  # kahvi + kahvia: one word, counted twice
    projector.screenshot(path=screenshots / "projector.png")


@pytest.mark.parametrize("language", ["fi", "en"])
def test_a_phone_left_open_follows_the_trainer_without_a_reload(
    room, browser, live_server, screenshots, language
):
    from programmes.live import services
    from programmes.live.models import LiveQuestion

    world = room["world"]
    phone = _log_in(
        browser,
        live_server,
        world.participant.user,
        viewport=PHONE,
        is_mobile=True,
        has_touch=True,
        locale="fi-FI" if language == "fi" else "en-GB",
    )
    phone.goto(live_server.url + room["day"])
    phone.fill("input[name=value]", "kesken")  # typing, not sent yet
    question = services.question_create(
        cohort=world.cohort, training_day=world.day, kind="scale", prompt="Jaksatko?"
    )
    services.question_open(question=question)  # the trainer opens a question
    phone.wait_for_selector("text=Jaksatko?", timeout=4000)
    announced = phone.locator("[data-live-announce]").inner_text()
    assert "Jaksatko?" in announced
    assert phone.input_value("input[name=value]") == "kesken"  # what was typed is kept
    phone.screenshot(path=screenshots / f"live-follows-{language}.png", full_page=True)

    words = LiveQuestion.objects.get(prompt="Yksi sana tästä aamusta?")
    services.question_close(question=words)  # and closes the first
    phone.wait_for_selector(
        f"#q-{words.id} .eyebrow:has-text('{'Suljettu' if language == 'fi' else 'Closed'}')",
        timeout=4000,
    )
