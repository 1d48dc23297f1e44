"""The Wagtail admin answers bad input with a message, never a server error (issue 11,
finding 9): hand-made or truncated POSTs, the folder's and a programme's draft view, deleting a
programme that cohorts run, a copy without a destination."""

import pytest
from django.test import Client
from django.urls import reverse

from programmes.models import ProgrammePage

MALFORMED = {
    "title": "",
    "slug": "!!",
    "live_questions-count": "x",
    "agenda-count": "-1",
    "materials-count": "abc",
}


@pytest.fixture
def admin(django_user_model):
    client = Client(raise_request_exception=False)
    client.force_login(django_user_model.objects.create_superuser("root@x.test", "a-long-pw-1"))
    return client


def test_malformed_posts_get_400_or_a_form_never_500(world, admin):
    programme = world.cohort.programme
    pages = [programme.get_parent(), programme, world.day, world.assignment]
    for page in pages:
        for name in ["edit", "preview_on_edit", "delete", "unpublish", "copy", "move"]:
            url = reverse(f"wagtailadmin_pages:{name}", args=[page.id])
            response = admin.post(url, MALFORMED)
            assert response.status_code < 500, (name, type(page.specific).__name__)
    for kind in ["trainingdaypage", "assignmentpage"]:
        for data in (MALFORMED, {"title": "x", "slug": "x"}):
            url = reverse("wagtailadmin_pages:add", args=["programmes", kind, programme.id])
            response = admin.post(url, data)
            assert response.status_code < 500, kind
    response = admin.post(
        reverse("wagtailadmin_pages:edit", args=[world.day.id]),
        MALFORMED,
        HTTP_ACCEPT_LANGUAGE="fi",
    )
    assert response.status_code == 400
    assert "Lataa sivu uudelleen" in response.content.decode()


def test_the_folder_and_a_programme_have_a_draft_view(world, admin):
    programme = world.cohort.programme
    for page in (programme.get_parent(), programme):
        response = admin.get(reverse("wagtailadmin_pages:view_draft", args=[page.id]))
        assert response.status_code == 200
    assert (
        world.day.title.encode()
        in admin.get(reverse("wagtailadmin_pages:view_draft", args=[programme.id])).content
    )


def test_a_programme_that_cohorts_run_is_not_deleted_and_the_admin_says_why(world, admin):
    folder = world.cohort.programme.get_parent()
    response = admin.post(reverse("wagtailadmin_pages:delete", args=[folder.id]), follow=True)
    assert response.status_code == 200
    assert "cannot be deleted" in response.content.decode() or "ei voi poistaa" in (
        response.content.decode()
    )
    assert ProgrammePage.objects.filter(id=world.cohort.programme_id).exists()
