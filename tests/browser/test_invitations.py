"""An organiser invites people from a CSV file on a phone, in Finnish and in English: the
preview says who is new, who is in already, which lines are wrong and which small groups would
be created, and nobody is invited until they confirm."""

import pytest
from django.urls import reverse
from django.utils import translation

from polku.people.models import Invitation, SmallGroup
from tests.browser.conftest import PHONE, small_controls
from tests.browser.test_answering import _log_in
from tests.conftest import world_build

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def world():
    return world_build("csv")  # before Playwright's event loop starts


@pytest.mark.parametrize("locale", ["fi-FI", "en-GB"])
def test_an_organiser_previews_a_csv_and_confirms_before_anyone_is_invited(
    world, browser, live_server, screenshots, tmp_path, locale
):
    already = world.participant.user.email
    csv_file = tmp_path / "osallistujat.csv"
    csv_file.write_text(
        "name;email;group\n"
        "Aino Äänekoski;aino@example.com;Group 1\n"
        "Bertta Björk;bertta@example.com;Gruop 1\n"  # a typo: would create a group
        "Rikki Rivi;ei-osoite;Group 1\n"
        f"Jo Mukana;{already};Group 1\n",
        encoding="utf-8",
    )
    with translation.override(locale[:2]):
        preview_title = translation.gettext("Before anyone is invited")
        result_title = translation.gettext("Result")
    phone = _log_in(
        browser,
        live_server,
        world.organiser.user,
        viewport=PHONE,
        is_mobile=True,
        has_touch=True,
        locale=locale,
    )
    phone.goto(live_server.url + reverse("participants_import", args=[world.cohort.slug]))
    phone.locator("input[type=file]").set_input_files(str(csv_file))
    phone.locator("form.card button[type=submit]").click()
    preview = phone.locator("section[aria-labelledby=preview-title]")
    preview.wait_for()
    assert preview_title in preview.inner_text()
    text = preview.inner_text()
    assert "Aino Äänekoski" in text and "Bertta Björk" in text
    assert "Gruop 1" in preview.locator(".callout").inner_text()  # the group it would create
    assert "ei-osoite" in text or preview.locator(".report-errors li").count() == 1
    assert already not in preview.locator("ul.people").inner_text()  # in already: not again
    assert Invitation.objects.count() == 0  # nothing sent before confirming
    assert not SmallGroup.objects.filter(name="Gruop 1").exists()
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert small_controls(phone) == []
    phone.screenshot(path=screenshots / f"csv-preview-{locale}.png", full_page=True)

    preview.locator("button[type=submit]").click()
    result = phone.locator("section[role=status]")
    result.wait_for()
    assert result_title in result.inner_text()
    assert sorted(Invitation.objects.values_list("membership__user__email", flat=True)) == [
        "aino@example.com",
        "bertta@example.com",
    ]
