"""The day's published summary on a participant's phone, in Finnish and English."""

import pytest
from django.urls import reverse
from django.utils import translation

from tests.browser.conftest import PHONE, small_controls
from tests.browser.test_answering import _log_in
from tests.conftest import world_build
from tests.live.test_publish import _day

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def published():
    from programmes.live import services

    world = world_build("summary")  # before Playwright's event loop starts
    _day(world)
    services.day_publish(
        cohort=world.cohort,
        training_day=world.day,
        by=world.trainer.user,
        note="Kiitos päivästä! Kokeilkaa aamukahvia ennen seuraavaa päivää.",
    )
    return world


@pytest.mark.parametrize("locale", ["fi-FI", "en-GB"])
def test_a_participant_reads_the_days_summary_on_a_phone(
    published, browser, live_server, screenshots, locale
):
    world = published
    with translation.override(locale[:2]):
        title = translation.gettext("Summary of the day")
    user = world.participant.user
    user.language = locale[:2]
    user.save()
    phone = _log_in(
        browser, live_server, user, viewport=PHONE, is_mobile=True, has_touch=True, locale=locale
    )
    phone.goto(live_server.url + reverse("cohort_path", args=[world.cohort.slug]))
    phone.get_by_role("link", name=title).first.click()
    phone.get_by_role("heading", name=title).wait_for()
    assert phone.get_by_text("Kiitos päivästä!").is_visible()
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert small_controls(phone) == []
    phone.screenshot(path=screenshots / f"day-summary-{locale}.png", full_page=True)


@pytest.fixture
def committed():
    from programmes.live import services
    from programmes.models import AssignmentPage
    from tests.live.test_commitments import _committed

    world = world_build("commitment")  # before Playwright's event loop starts
    question = _committed(world)
    assignment = AssignmentPage.objects.child_of(world.cohort.programme).get(title="Assignment 2")
    services.commitment_link(question=question, assignment_id=assignment.id)
    return world, assignment


@pytest.mark.parametrize("locale", ["fi-FI", "en-GB"])
def test_a_participant_meets_their_commitment_in_the_next_assignment(
    committed, browser, live_server, screenshots, locale
):
    from tests.live.test_commitments import MINE

    world, assignment = committed
    with translation.override(locale[:2]):
        heading = translation.gettext("Your commitment")
    user = world.participant.user
    user.language = locale[:2]
    user.save()
    phone = _log_in(
        browser, live_server, user, viewport=PHONE, is_mobile=True, has_touch=True, locale=locale
    )
    phone.goto(
        live_server.url + reverse("cohort_assignment", args=[world.cohort.slug, assignment.id])
    )
    phone.get_by_role("heading", name=heading).wait_for()
    assert phone.get_by_text(MINE).is_visible()
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert small_controls(phone) == []
    phone.screenshot(path=screenshots / f"commitment-assignment-{locale}.png", full_page=False)
    with translation.override(locale[:2]):
        share = translation.gettext("Share with my group")
    phone.goto(live_server.url + reverse("cohort_path", args=[world.cohort.slug]))
    assert phone.get_by_text(MINE).is_visible()  # on the path until the next day
    assert phone.get_by_role("button", name=share).is_visible()
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert small_controls(phone) == []
    phone.screenshot(path=screenshots / f"commitment-path-{locale}.png", full_page=False)


@pytest.fixture
def shared():
    from workspaces.models import SharedOutput

    world = world_build("library")  # before Playwright's event loop starts
    day = world.day
    for number, theme in enumerate(["Palaute", "Palaute", "Kokoukset"], start=1):
        SharedOutput.objects.create(
            cohort=world.cohort,
            small_group=world.participant.small_group,
            kind="note",
            training_day=day,
            theme=theme,
            title=f"Pelisäännöt {number}: " + "kehittämiskeskustelu" * 3,
            body_html="<h2>Kysy ensin</h2><p>" + "Pitkä käytäntö, joka rivittyy puhelimessa. " * 8,
        )
    return world


def test_a_participant_browses_the_cohorts_library_on_a_phone(
    shared, browser, live_server, screenshots
):
    world = shared
    phone = _log_in(
        browser, live_server, world.classmate.user, viewport=PHONE, is_mobile=True, has_touch=True
    )
    phone.goto(live_server.url + reverse("library", args=[world.cohort.slug]))
    phone.get_by_label("Theme").select_option("Palaute")
    phone.get_by_role("button", name="Show").click()
    phone.wait_for_load_state()
    assert phone.locator("article").count() == 2
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert small_controls(phone) == []
    phone.screenshot(path=screenshots / "library-360.png", full_page=True)
