"""What is cached never shows old: every cached read (a person's membership, a cohort's
calendar, a page of the path: polku.caching.cached under people.versions) is primed by a
request, the data changes the way people change it, and the very next request shows it."""

import re
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from polku.people.models import Role, SmallGroup
from programmes.models import TrainingDaySchedule
from tests.conftest import client_for, live_question_build, png_bytes


def _path(world):
    return reverse("cohort_path", args=[world.cohort.slug])


def _day(world):
    return reverse("cohort_training_day", args=[world.cohort.slug, world.day.id])


def test_a_membership_removed_closes_the_cohort_at_once(world):
    client = client_for(world.participant.user)
    assert client.get(_path(world)).status_code == 200
    world.participant.delete()
    assert client.get(_path(world)).status_code == 404
    assert client.get(_day(world)).status_code == 404


def test_a_new_role_and_a_new_small_group_show_at_once(world):
    client = client_for(world.participant.user)
    page = client.get(_path(world)).content.decode()
    assert "Group 1" in page and reverse("cohort_overview", args=[world.cohort.slug]) not in page
    group = SmallGroup.objects.create(cohort=world.cohort, name="Aamuryhmä")
    world.participant.small_group = group
    world.participant.save()
    assert "Aamuryhmä" in client.get(_path(world)).content.decode()
    world.participant.role = Role.TRAINER
    world.participant.save()
    page = client.get(_path(world)).content.decode()
    assert reverse("cohort_overview", args=[world.cohort.slug]) in page  # the staff menu


def test_a_renamed_cohort_and_group_show_at_once(world):
    client = client_for(world.participant.user)
    client.get(_path(world))
    world.cohort.name = "Esihenkilöt 2027"
    world.cohort.save()
    group = world.participant.small_group
    group.name = "Kahviryhmä"
    group.save()
    page = client.get(_path(world)).content.decode()
    assert "Esihenkilöt 2027" in page and "Kahviryhmä" in page


def test_a_changed_date_shows_on_the_path_and_the_day_at_once(world):
    client = client_for(world.participant.user)
    client.get(_path(world))
    client.get(_day(world))
    schedule = TrainingDaySchedule.objects.get(cohort=world.cohort, page=world.day)
    schedule.place = "Tampere-talo"
    schedule.starts_at += timedelta(days=1)
    schedule.ends_at += timedelta(days=1)
    schedule.save()
    assert "Tampere-talo" in client.get(_path(world)).content.decode()
    assert "Tampere-talo" in client.get(_day(world)).content.decode()


def test_a_published_edit_and_an_unpublished_page_show_at_once(world):
    client = client_for(world.participant.user)
    client.get(_path(world))
    client.get(_day(world))
    day = world.day
    day.title = "Valmentava johtaminen"
    day.save_revision().publish()
    assert "Valmentava johtaminen" in client.get(_path(world)).content.decode()
    assert "Valmentava johtaminen" in client.get(_day(world)).content.decode()
    day.unpublish()
    assert client.get(_day(world)).status_code == 404
    assert "Valmentava johtaminen" not in client.get(_path(world)).content.decode()


def test_a_renamed_programme_shows_at_once(world):
    client = client_for(world.participant.user)
    client.get(_path(world))
    programme = world.cohort.programme
    programme.title = "Lähijohtamisen vuosi"
    programme.save_revision().publish()
    assert "Lähijohtamisen vuosi" in client.get(_path(world)).content.decode()


def test_an_edit_in_a_transaction_is_seen_by_its_own_next_read(world):
    """A bump happens at once as well as after commit: a service that changes and then reads
    within one transaction reads the change."""
    from django.db import transaction

    from polku.access import membership_get

    user = world.participant.user
    membership_get(user, world.cohort.slug)
    with transaction.atomic():
        world.participant.role = Role.ORGANISER
        world.participant.save()
        assert membership_get(user, world.cohort.slug).role == Role.ORGANISER


def test_pages_work_with_the_cache_down(world, monkeypatch):
    def down(*args, **kwargs):
        raise ConnectionError("Redis is restarting")

    for method in ("get", "get_many", "set", "add"):
        monkeypatch.setattr(cache, method, down)
    client = client_for(world.participant.user)
    assert client.get(_path(world)).status_code == 200
    assert client.get(_day(world)).status_code == 200


@pytest.mark.parametrize("lost", ["the versions", "everything"])
def test_a_cache_that_lost_its_versions_builds_afresh(world, lost):
    client = client_for(world.participant.user)
    client.get(_path(world))
    world.cohort.name = "Uusi nimi"
    world.cohort.save()
    if lost == "the versions":
        cache.delete_many([key for key in cache._cache if "version:" in key])  # noqa: SLF001
    else:
        cache.clear()  # Redis restarted without its data
    assert "Uusi nimi" in client.get(_path(world)).content.decode()


def test_a_request_reads_each_version_once_and_sees_its_own_change(db):
    """Within one request the versions come from Redis once (a page's cached reads share the
    structure's; each read asks for its entry and the versions not yet known in one round
    trip); a change the request makes itself is seen by its next read."""
    from unittest import mock

    from django.http import HttpResponse
    from django.test import RequestFactory

    from polku.caching import VersionsOncePerRequestMiddleware, cached, version_bump

    seen = []

    def view(request):
        with mock.patch.object(cache, "get_many", wraps=cache.get_many) as get_many:
            seen.append(cached("t:a", lambda: "first", versions=["v"]))
            cached("t:b", lambda: "other", versions=["v"])
            asked = [key for call in get_many.call_args_list for key in call.args[0]]
            seen.append(asked.count("version:v"))
            version_bump("v")
            seen.append(cached("t:a", lambda: "after the change", versions=["v"]))
        return HttpResponse()

    VersionsOncePerRequestMiddleware(view)(RequestFactory().get("/"))
    assert seen == ["first", 1, "after the change"]


def test_the_kept_path_shows_the_persons_own_progress_at_once(world):
    """My path's timeline is kept as rendered HTML under a digest of what it shows: a draft
    saved, a submission, a day's summary published each show on the very next view."""
    from programmes.live.services import day_publish, question_close
    from tests.assignments.conftest import AnswerForm

    form = AnswerForm(world)
    badges = re.compile(r'<span class="badge[^"]*">([^<]+)</span>')

    def path():
        return form.client.get(_path(world), HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert "Draft" not in badges.findall(path())
    form.autosave(0, "Aamukahvilla jokainen kertoi onnistumisen.")
    assert "Draft" in badges.findall(path())
    form.post(
        1,
        "Aamukahvilla jokainen kertoi onnistumisen.",
        submit=True,
        files=[SimpleUploadedFile("taulu.png", png_bytes(), "image/png")],
    )
    assert {"Submitted", "Submitted late"} & set(badges.findall(path()))
    assert "Summary of the day" not in path()
    question_close(question=live_question_build(world))
    day_publish(cohort=world.cohort, training_day=world.day, by=world.trainer.user)
    assert "Summary of the day" in path()


def test_kept_answers_show_every_change_at_once(world):
    """A person's answers, their group's and their threads are kept for the path, the
    assignment and the group's feed (assignments.versions): a group mate's save, a trainer's
    review and message, and the person's own typing show on the next view of each."""
    from programmes.assignments.models import Answer
    from programmes.models import AnswerScope
    from tests.assignments.conftest import AnswerForm

    assignment = world.assignment  # a fresh copy on every read
    assignment.answer_scope = AnswerScope.SMALL_GROUP
    assignment.save_revision().publish()
    mine, mates = AnswerForm(world), AnswerForm(world, world.group_mate)
    feed = reverse("workspace", args=[world.cohort.slug, world.participant.small_group_id])
    badges = re.compile(r'<span class="badge[^"]*">([^<]+)</span>')

    def seen(url):
        return mine.client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()

    for url in (_path(world), mine.page_url, feed):
        assert ">Draft</span>" not in seen(url)
    mates.autosave(0, "Ryhmän yhteinen luonnos")
    assert "Ryhmän yhteinen luonnos" in seen(mine.page_url)
    for url in (_path(world), feed):
        assert ">Draft</span>" in seen(url)
    mine.autosave(1, "Ryhmän yhteinen luonnos, jatkettu")
    assert "Ryhmän yhteinen luonnos, jatkettu" in seen(mine.page_url)
    photo = SimpleUploadedFile("taulu.png", png_bytes(), "image/png")
    mates.post(2, "Ryhmän vastaus", submit=True, files=[photo])
    assert {"Submitted", "Submitted late"} & set(badges.findall(seen(feed)))

    answer = Answer.objects.get()
    trainer = client_for(world.trainer.user)
    trainer.post(reverse("answer_comment", args=[world.cohort.slug, answer.id]), {"body": "Hyvä!"})
    assert "New feedback" in seen(_path(world))
    assert "Hyvä!" in seen(mine.page_url)
    assert "New feedback" not in seen(_path(world))  # read on the assignment page
    reviewed = reverse("answer_reviewed", args=[world.cohort.slug, answer.id])
    trainer.post(reviewed, {"reviewed": "true"})
    assert ">Reviewed</span>" in seen(feed)


def test_the_kept_room_size_follows_who_joins_at_once(world):
    """The live room's "still answering" counts the cohort's joined participants, kept until
    memberships change: a newcomer counts on the next view of the projector."""
    from programmes.live.services import question_open
    from tests.factories import MembershipFactory

    question_open(question=live_question_build(world))
    trainer = client_for(world.trainer.user)
    projector = reverse("live_projector", args=[world.cohort.slug, world.day.id])
    waiting = re.compile(r"<span data-waiting>(\d+)</span>")

    before = int(waiting.search(trainer.get(projector).content.decode()).group(1))
    MembershipFactory(cohort=world.cohort, role=Role.PARTICIPANT)
    assert int(waiting.search(trainer.get(projector).content.decode()).group(1)) == before + 1
