"""A mentoring programme, its pairs and their sessions: what is accepted, and the clear
refusals for bad input."""

from datetime import timedelta

import pytest
from django.utils import timezone

from mentoring import services
from mentoring.models import FocusArea, PairStatus, ProgrammeKind
from mentoring.services import MentoringRefused


def test_a_programme_runs_forwards_and_says_what_it_serves(world, other_world):
    today = timezone.localdate()
    common = {
        "owner": world.organiser.user,
        "organisation": world.cohort.organisation,
        "name": "Ohjelma",
        "kind": ProgrammeKind.CLASSIC,
        "starts_on": today,
    }
    with pytest.raises(MentoringRefused, match="end after it starts"):
        services.programme_create(
            **common, focus_area=FocusArea.RISK, ends_on=today - timedelta(days=1)
        )
    with pytest.raises(MentoringRefused, match="Say what the programme must serve"):
        services.programme_create(
            **common, focus_area=FocusArea.OTHER, ends_on=today + timedelta(days=180)
        )
    with pytest.raises(MentoringRefused, match="another organisation"):
        services.programme_create(
            **common,
            cohort=other_world.cohort,
            focus_area=FocusArea.RISK,
            ends_on=today + timedelta(days=180),
        )


def test_a_pair_is_two_people_once(world, programme):
    mentor, mentee = world.classmate.user, world.participant.user
    pair = services.pair_create(programme=programme, mentor=mentor, mentee=mentee)
    assert pair.status == PairStatus.ACTIVE
    with pytest.raises(MentoringRefused, match="a pair in this programme already"):
        services.pair_create(programme=programme, mentor=mentor, mentee=mentee)
    with pytest.raises(MentoringRefused, match="two people"):
        services.pair_create(programme=programme, mentor=mentor, mentee=mentor)


def test_sessions_add_up_to_hours_and_bad_ones_are_refused(world, programme):
    pair = services.pair_create(
        programme=programme, mentor=world.classmate.user, mentee=world.participant.user
    )
    today = timezone.localdate()
    services.session_log(pair=pair, by=world.participant.user, held_on=today, minutes=60)
    services.session_log(pair=pair, by=world.classmate.user, held_on=today, minutes=30, casual=True)
    services.session_log(  # planned: counts once held
        pair=pair,
        by=world.participant.user,
        held_on=today + timedelta(days=7),
        minutes=60,
        held=False,
    )
    assert services.pair_hours(pair) == 1.5
    refusals = [
        ({"held_on": today + timedelta(days=1), "minutes": 30}, "future"),
        ({"held_on": today, "minutes": -30}, "5 minutes to 10 hours"),
        ({"held_on": today, "minutes": 0}, "5 minutes to 10 hours"),
        ({"held_on": today - timedelta(days=60), "minutes": 30}, "outside the programme"),
    ]
    for fields, message in refusals:
        with pytest.raises(MentoringRefused, match=message):
            services.session_log(pair=pair, by=world.participant.user, **fields)
    with pytest.raises(MentoringRefused, match="Only the two"):
        services.session_log(pair=pair, by=world.group_mate.user, held_on=today, minutes=30)
    pair.status = PairStatus.ENDED
    pair.save()
    with pytest.raises(MentoringRefused, match="ended"):
        services.session_log(pair=pair, by=world.participant.user, held_on=today, minutes=30)
    assert services.pair_hours(pair) == 1.5


def test_erasing_a_person_takes_their_pairs_and_sessions_with_them(world, programme):
    from mentoring.models import MentoringSession, Pair
    from privacy.services import person_erase

    pair = services.pair_create(
        programme=programme, mentor=world.classmate.user, mentee=world.participant.user
    )
    services.session_log(
        pair=pair, by=world.participant.user, held_on=timezone.localdate(), minutes=45
    )
    person_erase(user=world.participant.user, by=world.organiser.user)
    assert not Pair.objects.exists() and not MentoringSession.objects.exists()


def test_an_organiser_sets_up_a_programme_and_sees_it_listed(world):
    from django.urls import reverse

    from tests.conftest import client_for

    organiser = client_for(world.organiser.user)
    new = reverse("mentoring_programme_new", args=[world.cohort.slug])
    today = timezone.localdate()
    fields = {
        "name": "Somea esihenkilöille",
        "kind": "reverse",
        "focus_area": "social_media",
        "problem": "Esihenkilöt eivät tunne asiakkaiden kanavia.",
        "starts_on": today.isoformat(),
        "ends_on": (today - timedelta(days=1)).isoformat(),
        "minimum_hours": "12",
        "weekly_weeks": "8",
    }
    refused = organiser.post(new, fields, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "end after it starts" in refused and "Esihenkilöt eivät tunne" in refused  # kept
    fields["ends_on"] = (today + timedelta(days=180)).isoformat()
    listed = organiser.post(new, fields, follow=True, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Somea esihenkilöille" in listed and "Reverse mentoring" in listed
    assert "0 pairs" in listed
