"""Pages keep working with the Content-Security-Policy enforced (issue 11, finding 6): the
trainer's coaching prompts (our script, no inline one), the printable summaries, and the
Wagtail admin under its own, looser policy."""

import pytest
from django.urls import reverse

from tests.browser.conftest import csp_directives, csp_violations
from tests.browser.test_answering import _log_in
from tests.conftest import answer_build, world_build

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def trainer_pages():
    from polku.people.services import organisation_editors_get

    world = world_build("csp")
    world.trainer.user.groups.add(organisation_editors_get(world.cohort.organisation))
    answer = answer_build(world)
    slug = world.cohort.slug
    return world.trainer.user, {
        "answer": reverse("answer_detail", args=[slug, answer.id]),
        "summaries": reverse("live_summaries", args=[slug, world.day.id]),
        "admin edit": reverse("wagtailadmin_pages:edit", args=[world.day.id]),
    }


def test_the_trainers_pages_and_the_admin_work_under_the_policy(
    trainer_pages, browser, live_server, screenshots
):
    user, urls = trainer_pages
    page = _log_in(browser, live_server, user)
    refused = csp_violations(page)

    response = page.goto(live_server.url + urls["answer"])
    policy = csp_directives(response.headers["content-security-policy"])
    assert policy["script-src"] == "'self'" and policy["style-src"] == "'self'"
    assert "camera=()" in response.headers["permissions-policy"]
    page.locator("[data-prompt]").first.click()  # polku.js: the prompt lands in the box
    assert page.locator("#comment-body").input_value().strip()

    page.goto(live_server.url + urls["summaries"])
    assert page.locator("[data-print]").count() == 1

    response = page.goto(live_server.url + urls["admin edit"])
    assert response.status == 200
    assert (
        csp_directives(response.headers["content-security-policy"])["frame-ancestors"] == "'self'"
    )
    page.wait_for_load_state("networkidle")
    assert page.locator("#id_title").count() == 1  # Wagtail's editor came up
    page.screenshot(path=screenshots / "admin-edit-under-csp.png")
    assert not refused, refused
