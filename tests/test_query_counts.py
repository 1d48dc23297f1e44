"""Participant pages run the same number of queries whatever the cohort size."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from polku.people.models import Membership, Role, User
from tests.conftest import client_for

MAX_QUERIES = 12  # the brief's budget for a participant page


def _grow_cohort(world, participants: int):
    start = User.objects.count()
    users = User.objects.bulk_create(
        [User(email=f"extra{start + n}@example.com", password="!") for n in range(participants)]
    )
    Membership.objects.bulk_create(
        [Membership(user=user, cohort=world.cohort, role=Role.PARTICIPANT) for user in users]
    )


def _queries(client, url) -> int:
    # Warm what a returning visitor has: the session, the caches, and the page visit their
    # first view stores (which the next view reads back once).
    client.get(url)
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("page", ["cohort_path", "cohort_training_day", "cohort_assignment"])
def test_participant_pages_do_not_grow_with_the_cohort(page, world):
    def url():
        args = [world.cohort.slug]
        if page == "cohort_training_day":
            args.append(world.day.id)
        elif page == "cohort_assignment":
            args.append(world.assignment.id)
        return reverse(page, args=args)

    client = client_for(world.participant.user)
    _grow_cohort(world, 5)
    small = _queries(client, url())
    _grow_cohort(world, 195)
    large = _queries(client, url())
    assert small == large <= MAX_QUERIES, (small, large)


def test_the_cohort_overview_does_not_grow_with_the_cohort(world):
    url = reverse("cohort_overview", args=[world.cohort.slug])
    client = client_for(world.organiser.user)
    _grow_cohort(world, 5)
    small = _queries(client, url)
    _grow_cohort(world, 195)
    assert _queries(client, url) == small
