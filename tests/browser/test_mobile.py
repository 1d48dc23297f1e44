"""A participant on a 360 px phone logs in and reads their path in a real browser."""

import pytest

from tests.browser.conftest import PHONE
from tests.conftest import world_build
from tests.factories import PASSWORD

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _no_sideways_scroll(page):
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.fixture
def world():
    # Built before the `browser` fixture starts Playwright's event loop: ORM calls made while
    # it runs get a context-local connection that is never closed.
    return world_build("m")


def test_a_participant_reads_their_path_on_a_phone(world, browser, live_server, screenshots):
    context = browser.new_context(viewport=PHONE, locale="fi-FI", is_mobile=True, has_touch=True)
    page = context.new_page()
    page.goto(live_server.url + "/")
    page.fill("#id_login", world.participant.user.email)
    page.fill("#id_password", PASSWORD)
    assert page.locator("html").get_attribute("lang") == "fi"
    page.get_by_role("button", name="Kirjaudu").click()
    page.wait_for_url(f"**/c/{world.cohort.slug}/")

    assert page.locator("h1").inner_text() == world.cohort.programme.title
    assert page.locator(".next .item-title").is_visible()
    assert page.locator(".timeline > li").count() == 10
    assert "Oma polku" in page.content()
    assert _no_sideways_scroll(page)
    page.screenshot(path=screenshots / "my-path-360.png", full_page=True)

    page.locator(".timeline > li.is-day a").first.click()
    page.wait_for_selector(".agenda")
    assert _no_sideways_scroll(page)
    page.screenshot(path=screenshots / "training-day-360.png", full_page=True)
    context.close()
