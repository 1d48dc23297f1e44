"""Arriving: each role lands where its work is; every page can be added to a phone's home
screen with Polku's own icon and name."""

import json
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

from tests.conftest import client_for


@pytest.mark.parametrize(
    "role,landing",
    [
        ("participant", "cohort_path"),
        ("trainer", "cohort_overview"),
        ("organiser", "progress_dashboard"),
    ],
)
def test_after_logging_in_each_role_lands_where_its_work_is(world, role, landing):
    member = getattr(world, role)
    response = client_for(member.user).get(reverse("home"))
    assert response["Location"] == reverse(landing, args=[world.cohort.slug])


def test_pages_offer_an_icon_and_a_web_app_manifest(world):
    html = (
        client_for(world.participant.user)
        .get(reverse("cohort_path", args=[world.cohort.slug]))
        .content.decode()
    )
    assert 'rel="manifest"' in html and 'rel="icon"' in html and 'name="theme-color"' in html
    manifest = json.loads(Path(finders.find("manifest.webmanifest")).read_text())
    assert manifest["name"] == "Polku" and manifest["display"] == "standalone"
    sizes = {icon["sizes"] for icon in manifest["icons"]}
    assert {"192x192", "512x512"} <= sizes  # what Android asks for "Add to home screen"
    for icon in manifest["icons"]:
        assert finders.find(icon["src"]), icon["src"]


def test_staff_pages_mark_where_you_are_and_start_with_a_skip_link(world):
    html = (
        client_for(world.trainer.user)
        .get(reverse("progress_dashboard", args=[world.cohort.slug]))
        .content.decode()
    )
    assert html.index('class="skip-link" href="#main"') < html.index('class="topbar"')
    progress_link = html[html.index('aria-current="page"') - 80 : html.index('aria-current="page"')]
    assert reverse("progress_dashboard", args=[world.cohort.slug]) in progress_link
    assert reverse("wagtailadmin_explore", args=[world.cohort.programme_id]) in html
