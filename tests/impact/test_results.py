"""What supervisors, trainers and organisers see of the team surveys, and what they never
see: anything resting on fewer than N answers."""

import csv
import io

import pytest
from django.urls import reverse

from impact.models import Rater
from tests.conftest import client_for
from tests.impact.conftest import answers_store, open_items, statements
from tests.test_query_counts import _queries


def _team(world, survey, waves, supervisor, before: list[int], after: list[int]):
    baseline, end = waves
    items = statements(survey)
    answers_store(baseline, supervisor, [dict.fromkeys(items, v) for v in before])
    answers_store(end, supervisor, [dict.fromkeys(items, v) for v in after])


def _page(user, name, *args, **params):
    return (
        client_for(user)
        .get(reverse(name, args=args), params, HTTP_ACCEPT_LANGUAGE="en")
        .content.decode()
    )


def test_below_the_threshold_a_supervisor_sees_how_many_answered_and_nothing_else(
    world, survey, waves
):
    baseline, _end = waves
    comment = open_items(survey)[0]
    item = statements(survey)[0]
    sheets = [{item: value, comment: f"Salainen {value}"} for value in (1, 2, 4, 5)]
    answers_store(baseline, world.participant, sheets)
    page = _page(world.participant.user, "team", world.cohort.slug)
    assert "4 answers" in page and "Too few answers to show" in page
    assert "Salainen" not in page and "3.0" not in page
    answers_store(baseline, world.participant, [{item: 3, comment: "Salainen 3"}])  # the 5th
    page = _page(world.participant.user, "team", world.cohort.slug)
    assert "5 answers" in page and "3.0" in page  # (1+2+4+5+3) / 5
    assert all(f"Salainen {v}" in page for v in (1, 2, 3, 4, 5))


def test_the_supervisor_sees_their_own_view_beside_the_teams_and_what_changed(world, survey, waves):
    _team(world, survey, waves, world.participant, [2] * 5, [4] * 5)
    baseline, _end = waves
    answers_store(baseline, world.participant, [dict.fromkeys(statements(survey), 3)], Rater.SELF)
    page = _page(world.participant.user, "team", world.cohort.slug)
    assert "Rose by 2.0" in page and "You: 3" in page
    trainer_view = _page(
        world.trainer.user, "impact_person", world.cohort.slug, world.participant.id
    )
    assert "Rose by 2.0" in trainer_view and "You: 3" in trainer_view


def test_the_organiser_sees_the_change_of_the_teams_above_the_threshold_only(world, survey, waves):
    _team(world, survey, waves, world.participant, [2] * 5, [4] * 5)
    _team(world, survey, waves, world.classmate, [3] * 5, [3] * 5)
    _team(world, survey, waves, world.group_mate, [1] * 3, [1] * 3)  # 3 < 5: never counted
    page = _page(world.organiser.user, "impact_cohort", world.cohort.slug)
    assert "rose from 2.5 to 3.5" in page
    assert "2 of 3 supervisors' teams answered at both ends" in page
    assert "2 of 3 teams shown" in page
    # Only Group 1's shown team: the group_mate's answers do not pull the figures down.
    group = _page(
        world.organiser.user,
        "impact_cohort",
        world.cohort.slug,
        group=world.participant.small_group_id,
    )
    assert "rose from 2.0 to 4.0" in group
    # Organisers see the cohort, not a supervisor's own page.
    person = reverse("impact_person", args=[world.cohort.slug, world.participant.id])
    assert client_for(world.organiser.user).get(person).status_code == 404


def test_the_export_holds_only_slices_of_enough_answers(world, survey, waves):
    _team(world, survey, waves, world.participant, [2] * 5, [4] * 6)
    _team(world, survey, waves, world.group_mate, [1] * 4, [1] * 4)
    response = client_for(world.organiser.user).get(
        reverse("impact_export", args=[world.cohort.slug, "csv"]), HTTP_ACCEPT_LANGUAGE="en"
    )
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    header, body = rows[0], rows[1:]
    answers = header.index("Answers")
    assert body and all(int(row[answers]) >= 5 for row in body)
    item = header.index("Item")
    # An item's row holds one team's answers: the group_mate's 4 are in no row (nor 4 + 5).
    assert {row[answers] for row in body if row[item]} == {"5", "6"}


def test_the_organisers_results_cost_the_same_for_more_answers(world, survey, waves):
    url = reverse("impact_cohort", args=[world.cohort.slug])
    client = client_for(world.organiser.user)
    _team(world, survey, waves, world.participant, [2] * 5, [4] * 5)
    small = _queries(client, url)
    _team(world, survey, waves, world.classmate, [3] * 40, [4] * 40)
    _team(world, survey, waves, world.group_mate, [3] * 20, [4] * 20)
    assert _queries(client, url) == small


@pytest.mark.parametrize("role", ["participant", "trainer"])
def test_weekly_self_evaluations_are_private_unless_shared(world, role):
    from impact import services

    services.reflection_save(
        membership=world.participant,
        week=__import__("datetime").date.today(),
        went_well="Aamukahvit onnistuivat",
        develop="",
        act="",
        shared=role == "trainer",
    )
    trainer_view = _page(
        world.trainer.user, "impact_person", world.cohort.slug, world.participant.id
    )
    assert ("Aamukahvit onnistuivat" in trainer_view) is (role == "trainer")
    own = _page(world.participant.user, "reflections", world.cohort.slug)
    assert "Aamukahvit onnistuivat" in own
