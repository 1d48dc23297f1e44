from datetime import timedelta

import pytest
from django.utils import timezone, translation

from mentoring import services
from mentoring.models import FocusArea, ProgrammeKind


@pytest.fixture(autouse=True)
def _english():
    """The services' refusals are read in English here (the site's default is Finnish)."""
    with translation.override("en"):
        yield


def programme_build(world, kind=ProgrammeKind.REVERSE, started_days_ago=30, **fields):
    today = timezone.localdate()
    return services.programme_create(
        owner=world.organiser.user,
        organisation=world.cohort.organisation,
        cohort=world.cohort,
        name=fields.pop("name", "Somea esihenkilöille"),
        kind=kind,
        focus_area=FocusArea.SOCIAL_MEDIA,
        starts_on=today - timedelta(days=started_days_ago),
        ends_on=today + timedelta(days=150),
        minimum_hours=fields.pop("minimum_hours", 12),
        **fields,
    )


@pytest.fixture
def programme(world):
    return programme_build(world)


@pytest.fixture
def pair(world, programme):
    """The classmate mentors the participant."""
    return services.pair_create(
        programme=programme, mentor=world.classmate.user, mentee=world.participant.user
    )
