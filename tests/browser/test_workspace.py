"""Two members of a small group, each on a phone: a photo posted by one appears in the
other's open workspace without a reload."""

import pytest
from django.urls import reverse

from tests.browser.conftest import PHONE
from tests.browser.test_answering import _log_in
from tests.conftest import png_bytes, world_build

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def world():
    return world_build("w")  # before Playwright's event loop starts (see test_mobile.py)


@pytest.fixture
def workspace_url(world):
    return reverse("workspace", args=[world.cohort.slug, world.participant.small_group_id])


def test_a_posted_photo_appears_in_another_members_open_workspace(
    world, workspace_url, browser, live_server, screenshots, tmp_path
):
    reader = _log_in(
        browser, live_server, world.group_mate.user, viewport=PHONE, is_mobile=True, has_touch=True
    )
    reader.goto(live_server.url + workspace_url)
    assert reader.locator("article.post").count() == 0

    writer = _log_in(
        browser, live_server, world.participant.user, viewport=PHONE, is_mobile=True, has_touch=True
    )
    writer.goto(live_server.url + workspace_url)
    photo = tmp_path / "fläppi.png"
    photo.write_bytes(png_bytes((900, 600)))
    writer.fill("#post-body", "Fläppitaulu aamukahvilta **tänään**")
    writer.locator(".composer input[type=file]").set_input_files(str(photo))
    writer.get_by_role("button", name="Post").click()
    writer.wait_for_selector("article.post img.thumb")

    reader.wait_for_selector("article.post:has-text('Fläppitaulu aamukahvilta')", timeout=15000)
    assert reader.locator("article.post img.thumb").count() == 1
    assert reader.locator("article.post strong:has-text('tänään')").count() == 1
    assert reader.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    reader.screenshot(path=screenshots / "workspace-360.png", full_page=True)


@pytest.fixture
def mention_world(world, workspace_url):
    from workspaces.selectors import mention_handles

    mate = world.group_mate.user
    handle = next(
        h["handle"]
        for h in mention_handles(world.participant.small_group)
        if h["name"] == mate.get_full_name()
    )
    return world.participant.user, workspace_url, mate.get_full_name(), handle


@pytest.mark.parametrize("locale", ["fi-FI", "en-GB"])
def test_typing_at_and_a_name_offers_the_group_members(
    mention_world, browser, live_server, screenshots, locale
):
    user, url, mate_name, handle = mention_world
    phone = _log_in(
        browser,
        live_server,
        user,
        viewport=PHONE,
        is_mobile=True,
        has_touch=True,
        locale=locale,
    )
    phone.goto(live_server.url + url)
    assert phone.locator("html").get_attribute("lang") == locale[:2]
    box = phone.locator("#post-body")
    box.click()
    box.type(f"Kiitos @{handle}")  # the whole handle: two letters may fit another member too
    option = phone.get_by_role("option", name=mate_name)
    option.wait_for()
    phone.screenshot(path=screenshots / f"mention-{locale}.png")
    box.press("Enter")
    assert box.input_value() == f"Kiitos @{handle} "
    assert phone.locator("[role=listbox]").count() == 0
    box.type("avusta!")
    phone.locator(".composer button[type=submit]").click()
    # The posted mention stands out, in either language.
    phone.wait_for_selector(f"article.post strong.mention:has-text('@{handle}')")
