"""A team member answers about their supervisor on a phone, in Finnish or English, with no
account; the supervisor sees their team's view on theirs."""

import pytest
from django.urls import reverse
from django.utils import translation

from impact import services
from impact.models import TeamResponse
from tests.browser.conftest import PHONE, small_controls
from tests.browser.test_answering import _log_in
from tests.conftest import team_survey_build, world_build

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def survey_world():
    world = world_build("team")  # before Playwright's event loop starts
    _survey, _baseline, end = team_survey_build(world)
    member = world.participant.team_members.create(email="tiimi@example.com")
    token = services.invitation_token(end.invitations.create(member=member))
    return world, reverse("team_survey", args=[token])


@pytest.mark.parametrize("locale", ["fi-FI", "en-GB"])
def test_a_team_member_answers_on_a_phone_without_an_account(
    survey_world, browser, live_server, screenshots, locale
):
    world, url = survey_world
    with translation.override(locale[:2]):
        send = translation.gettext("Send my answers")
        thanks = translation.gettext("Thank you!")
        agree = translation.gettext("Strongly agree")
    phone = browser.new_context(
        viewport=PHONE, is_mobile=True, has_touch=True, locale=locale
    ).new_page()
    phone.goto(live_server.url + url)
    assert phone.locator("html").get_attribute("lang") == locale[:2]
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert small_controls(phone) == []
    phone.screenshot(path=screenshots / f"team-survey-{locale}.png", full_page=False)
    first = phone.locator("fieldset.survey-item").first
    first.get_by_label(agree).check()
    phone.locator("textarea").first.fill("Kuuntelee aidosti.")
    phone.get_by_role("button", name=send).click()
    phone.get_by_role("heading", name=thanks).wait_for()
    (answer,) = TeamResponse.objects.filter(wave__kind="end")
    assert list(answer.values.values()) == [5] and list(answer.texts.values()) == [
        "Kuuntelee aidosti."
    ]


def test_the_supervisor_sees_their_teams_view_on_a_phone(
    survey_world, browser, live_server, screenshots
):
    world, _url = survey_world
    phone = _log_in(browser, live_server, world.participant.user, viewport=PHONE, is_mobile=True)
    phone.goto(live_server.url + reverse("team", args=[world.cohort.slug]))
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert small_controls(phone) == []
    assert phone.locator(".result-rows .hbar-value").count() > 0  # five answered: shown
    phone.screenshot(path=screenshots / "team-results-360.png", full_page=True)
