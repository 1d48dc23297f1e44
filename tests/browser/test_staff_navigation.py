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


@pytest.fixture
def big_cohort():
    """A cohort larger than a page of the review list and the overview."""
    from django.utils import timezone

    from polku.people.models import Membership, Role, User
    from programmes.assignments.views import REVIEW_PAGE
    from workspaces.selectors import OVERVIEW_PAGE

    world = world_build("big")  # before Playwright's event loop starts
    pages_worth = max(REVIEW_PAGE, OVERVIEW_PAGE)
    users = User.objects.bulk_create(
        [User(email=f"big{i}@example.com", first_name=f"Iso{i:03d}") for i in range(pages_worth)]
    )
    Membership.objects.bulk_create(
        [
            Membership(
                user=u,
                cohort=world.cohort,
                role=Role.PARTICIPANT,
                small_group=world.participant.small_group,
                joined_at=timezone.now(),
            )
            for u in users
        ]
    )
    return {
        "trainer": world.trainer.user,
        "answers": reverse("review_list", args=[world.cohort.slug, world.assignment.id]),
        "overview": reverse("cohort_overview", args=[world.cohort.slug]),
    }


@pytest.mark.parametrize("page", ["answers", "overview"])
def test_a_long_list_pages_on_a_phone_with_controls_a_thumb_can_hit(
    big_cohort, browser, live_server, screenshots, page
):
    from tests.browser.conftest import small_controls

    phone = _log_in(
        browser, live_server, big_cohort["trainer"], viewport=PHONE, is_mobile=True, locale="fi-FI"
    )
    phone.goto(live_server.url + big_cohort[page])
    pager = phone.locator("nav[aria-label='Sivut']")
    pager.scroll_into_view_if_needed()
    assert "Sivu 1 / 2" in pager.inner_text()
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert small_controls(phone) == []
    pager.locator("a").last.click()  # Seuraava: the next page
    phone.wait_for_load_state()
    assert "page=2" in phone.url
    phone.screenshot(path=screenshots / f"pager-{page}-360.png", full_page=False)
