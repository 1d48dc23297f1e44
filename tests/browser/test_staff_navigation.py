"""Trainers and organisers on a phone: the menu fits at 360 px, says where you are, and the
page starts with a way past it."""

import pytest
from django.urls import reverse

from tests.browser.conftest import PHONE
from tests.browser.test_answering import _log_in
from tests.conftest import world_build

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def staff():
    world = world_build("nav")  # before Playwright's event loop starts
    return {
        "trainer": world.trainer.user,
        "organiser": world.organiser.user,
        "dashboard": reverse("progress_dashboard", args=[world.cohort.slug]),
    }


@pytest.mark.parametrize("locale", ["fi-FI", "en-GB"])
@pytest.mark.parametrize("role", ["trainer", "organiser"])
def test_the_staff_menu_fits_a_phone_and_marks_the_current_page(
    staff, browser, live_server, screenshots, role, locale
):
    phone = _log_in(
        browser, live_server, staff[role], viewport=PHONE, is_mobile=True, locale=locale
    )
    phone.goto(live_server.url + staff["dashboard"])
    menu = phone.locator("nav.subnav")
    assert menu.evaluate("nav => nav.scrollWidth <= nav.clientWidth")  # nothing cut off
    for link in menu.locator("a").all():
        box = link.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], link.inner_text()
        assert box["height"] >= 44, link.inner_text()
    current = menu.locator("[aria-current=page]")
    assert current.count() == 1 and current.get_attribute("href") == staff["dashboard"]
    phone.screenshot(path=screenshots / f"staff-menu-{role}-{locale}.png")
    phone.keyboard.press("Tab")  # the first stop is the skip link
    assert phone.evaluate("document.activeElement.classList.contains('skip-link')")
    phone.keyboard.press("Enter")
    assert phone.evaluate("document.activeElement.id") == "main"
