"""Background work that heals itself (issue 11, findings 12 and 14): a lost summary build is
enqueued again by the sweep, a failed publish never turns a stored answer into an error, a
build retries on transient errors, and the projector keeps working while the cache is down."""

from datetime import timedelta
from unittest import mock

import pytest
from django.core import signing
from django.db import OperationalError
from django.urls import reverse
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerError

from polku.coalescing import coalesced_sweep
from programmes.live import services
from programmes.live.models import LiveAnswer, LiveQuestion, LiveSummary
from programmes.live.views import PROJECTOR_SALT
from tests.conftest import client_for, live_question_build


def _answer(world, membership, question, value):
    return client_for(membership.user).post(
        reverse("live_answer", args=[world.cohort.slug, question.id]), {"value": value}
    )


def _summary_count(question) -> int:
    summary = LiveSummary.objects.filter(question=question).first()
    return summary.data.get("count", summary.data.get("answers", 0)) if summary else 0


def _built_through(question) -> int:
    summary = LiveSummary.objects.filter(question=question).first()
    return summary.through_seq if summary else 0


def _age_wishes(seconds: int) -> None:
    LiveQuestion.objects.update(build_wanted_at=timezone.now() - timedelta(seconds=seconds))


def test_a_broker_down_after_commit_keeps_the_answer_and_the_sweep_builds_later(world, committed):
    question = live_question_build(world, kind="words")
    with (
        mock.patch("celery.app.task.Task.apply_async", side_effect=BrokerError("down")),
        committed(),
    ):
        response = _answer(world, world.participant, question, "aamukahvi")
    assert response.status_code == 302  # not a 500: the answer is stored
    assert LiveAnswer.objects.filter(question=question).count() == 1
    assert _built_through(question) == 0
    question.refresh_from_db()
    assert question.build_wanted_at is not None  # the wish stands
    # A fresh wish is not a lost one: its build may still be on the way.
    assert coalesced_sweep() == 0
    _age_wishes(6)
    assert coalesced_sweep() == 1  # the broker is back: built now
    assert _built_through(question) == 1
    question.refresh_from_db()
    assert question.build_wanted_at is None and question.building_since is None


def test_a_build_whose_worker_died_is_taken_up_again(world):
    question = live_question_build(world, kind="words")
    services.answer_submit(question=question, user=world.participant.user, raw="kuuntelu")
    # The worker claimed the build (clearing the wish) and was killed: the slot stays taken.
    LiveQuestion.objects.filter(id=question.id).update(
        build_wanted_at=None, building_since=timezone.now() - timedelta(seconds=3)
    )
    assert coalesced_sweep() == 0  # it may still be running
    LiveQuestion.objects.filter(id=question.id).update(
        building_since=timezone.now() - timedelta(seconds=11)
    )
    assert coalesced_sweep() == 1
    assert _built_through(question) == 1


def test_a_build_retries_when_the_database_goes_away(world):
    from programmes.live import tasks

    question = live_question_build(world, kind="words")
    services.answer_submit(question=question, user=world.participant.user, raw="kuuntelu")
    real = services.summary_data
    calls = []

    def flaky(*args):
        calls.append(1)
        if len(calls) == 1:
            raise OperationalError("server closed the connection unexpectedly")
        return real(*args)

    with mock.patch.object(services, "summary_data", side_effect=flaky):
        tasks.summary_build.apply(args=[question.id], throw=False)  # retries run eagerly
    assert len(calls) == 2
    assert _built_through(question) == 1


def test_a_build_that_fails_for_good_leaves_the_wish_for_the_sweep(world):
    from programmes.live import tasks

    question = live_question_build(world, kind="words")
    services.answer_submit(question=question, user=world.participant.user, raw="kuuntelu")
    with (
        mock.patch.object(services, "summary_data", side_effect=ValueError("a bug")),
        pytest.raises(ValueError),
    ):
        tasks.summary_build(question.id)
    question.refresh_from_db()
    assert question.build_wanted_at is not None and question.building_since is None


def test_a_burst_asks_for_a_bounded_number_of_builds_even_with_the_sweep(world, committed):
    question = live_question_build(world, kind="words")
    people = [world.participant, world.group_mate, world.classmate]
    with mock.patch("celery.app.task.Task.apply_async") as publish, committed():
        for member in people * 3:
            services.answer_submit(question=question, user=member.user, raw="sana")
        for _sweep in range(5):  # sweeps during the burst: the wish is fresh
            coalesced_sweep()
    builds = [c for c in publish.call_args_list if c.kwargs.get("countdown") == 1.0]
    assert len(builds) == 1


def test_the_projector_poll_answers_while_the_cache_is_down(world, committed):
    question = live_question_build(world, kind="words")
    with committed():
        _answer(world, world.participant, question, "aamukahvi")
    token = signing.dumps([world.cohort.id, world.day.id], salt=PROJECTOR_SALT)
    url = reverse("live_projector_poll", args=[token, question.id])
    down = ConnectionError("Error 111 connecting to redis")
    with (
        mock.patch("django.core.cache.cache.get", side_effect=down),
        mock.patch("django.core.cache.cache.set", side_effect=down),
        mock.patch("django.core.cache.cache.delete", side_effect=down),
    ):
        response = client_for(None).get(url)
        assert response.status_code == 200
        assert response.json()["count"] == 1
        with committed():  # and answering still works
            assert _answer(world, world.group_mate, question, "kuuntelu").status_code == 302
    assert LiveAnswer.objects.filter(question=question).count() == 2


def test_while_the_database_restarts_people_get_a_page_that_says_so(world):
    from django.db import OperationalError

    client = client_for(world.participant.user)
    with mock.patch(
        "programmes.mypath.views.cohort_path_get",
        side_effect=OperationalError("terminating connection"),
    ):
        response = client.get(
            reverse("cohort_path", args=[world.cohort.slug]), HTTP_ACCEPT_LANGUAGE="fi"
        )
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert "Polku käynnistyy uudelleen" in response.content.decode()


def test_every_enqueue_after_commit_survives_a_broker_that_is_down(world, committed):
    """A post (its notices), a photo (its renditions) and an invitation are stored and
    answered normally while the broker is down: the failed publish is logged, not a 500."""
    from polku.people.models import Membership
    from polku.people.services import participants_import_csv
    from workspaces.models import Post

    feed = reverse("workspace", args=[world.cohort.slug, world.participant.small_group_id])
    with (
        mock.patch("celery.app.task.Task.apply_async", side_effect=BrokerError("down")),
        committed(),
    ):
        response = client_for(world.participant.user).post(feed, {"body": "Toimi!"})
        participants_import_csv(cohort=world.cohort, data=b"name,email\nUusi,uusi@x.test\n")
    assert response.status_code == 302
    assert Post.objects.filter(body="Toimi!").exists()
    assert Membership.objects.filter(user__email="uusi@x.test").exists()
