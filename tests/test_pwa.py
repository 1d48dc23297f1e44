"""The installable app (polku.pwa): the service worker keeps participants' pages for reading
offline, never staff pages, and fetches what the pages need by their current names."""

from django.urls import reverse

from polku.pwa import OFFLINE_HEADER
from tests.conftest import client_for


def test_the_service_worker_is_served_from_the_root_fresh_at_every_visit(client):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert "no-cache" in response["Cache-Control"]  # a new release reaches phones at once
    body = response.content.decode()
    assert "__VERSION__" not in body and "polku-shell-" in body
    assert '"/static/answer/autosave.js"' in body and '"/offline/"' in body


def test_participants_pages_are_kept_for_offline_and_staff_pages_are_not(world):
    slug = world.cohort.slug
    pages = [
        reverse("cohort_path", args=[slug]),
        reverse("cohort_training_day", args=[slug, world.day.id]),
        reverse("cohort_assignment", args=[slug, world.assignment.id]),
    ]
    participant, trainer = client_for(world.participant.user), client_for(world.trainer.user)
    for page in pages:
        assert participant.get(page)[OFFLINE_HEADER] == "keep", page
        assert OFFLINE_HEADER not in trainer.get(page), page


def test_the_path_names_the_open_assignments_for_the_phone_to_keep(world):
    page = client_for(world.participant.user).get(reverse("cohort_path", args=[world.cohort.slug]))
    assignment = reverse("cohort_assignment", args=[world.cohort.slug, world.assignment.id])
    kept = page.content.decode().split('id="offline-keep"')[1].split("</script>")[0]
    assert assignment in kept


def test_the_offline_page_never_tells_the_phone_to_forget_its_kept_pages(world):
    """It is kept for everyone of the device, fetched when the worker installs (perhaps on the
    login page): it must not say "logged out", or showing it would forget the kept pages."""
    for client in (client_for(None), client_for(world.participant.user)):
        body = client.get(reverse("offline")).content.decode()
        assert 'data-signed-in="unknown"' in body
    login = client_for(None).get(reverse("account_login")).content.decode()
    assert 'data-signed-in="false"' in login
