"""Workspace emails: mentions, immediate notices, the daily digest (once), unsubscribing."""

from datetime import timedelta
from unittest import mock

import pytest
from celery.exceptions import Retry
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from polku.notifications.models import Notice, NotificationPreference
from polku.notifications.services import preference_set, unsubscribe_token
from tests.conftest import client_for, post_build
from workspaces.models import Post
from workspaces.tasks import activity_notify, digests_send


def test_a_mentioned_member_is_emailed_at_once(world, committed):
    mate = world.group_mate.user
    mate.first_name, mate.last_name = "Aino", "Virtanen"
    mate.save()
    with committed():
        post_build(world, body="Kiitos @Aino vinkistä!")
    assert [m.to for m in mail.outbox] == [[mate.email]]
    assert "mentioned you" in mail.outbox[0].subject or "mainitsi" in mail.outbox[0].subject
    assert "List-Unsubscribe" in mail.outbox[0].extra_headers


def test_a_mention_of_someone_outside_the_group_emails_nobody(world, committed):
    other = world.classmate.user  # another small group
    other.first_name = "Eero"
    other.save()
    with committed():
        post_build(world, body="@Eero katso tämä")
    assert mail.outbox == []


def test_immediate_readers_get_each_post_once(world):
    preference_set(user=world.group_mate.user, mode=NotificationPreference.Mode.IMMEDIATE)
    post = post_build(world)
    activity_notify("post", post.id)
    activity_notify("post", post.id)  # a retry
    assert [m.to for m in mail.outbox] == [[world.group_mate.user.email]]


def _yesterdays_post(world, body="Eilinen kokeilu"):
    post = post_build(world, body=body)
    Post.objects.filter(id=post.id).update(created_at=timezone.now() - timedelta(hours=5))
    return post


def test_the_daily_digest_is_sent_once_even_when_the_task_runs_twice(world):
    _yesterdays_post(world)
    digests_send()
    digests_send()
    to = sorted(m.to[0] for m in mail.outbox)
    # The group mate and the trainer read the group; the author gets no digest of their own post.
    assert to == sorted([world.group_mate.user.email, world.trainer.user.email])
    assert all("Eilinen kokeilu" in m.body for m in mail.outbox)


def test_a_digest_whose_send_failed_is_sent_by_the_retry_and_only_once(world):
    _yesterdays_post(world)
    preference_set(user=world.trainer.user, mode=NotificationPreference.Mode.NONE)
    with (
        mock.patch("django.core.mail.EmailMessage.send", side_effect=OSError("smtp down")),
        pytest.raises((OSError, Retry)),  # eager Celery: the batch task's retry surfaces here
    ):
        digests_send()
    assert not Notice.objects.exists()  # the claim was given back
    digests_send()
    digests_send()
    assert [m.to for m in mail.outbox] == [[world.group_mate.user.email]]


def test_a_digest_is_in_the_readers_language(world):
    world.group_mate.user.language = "fi"
    world.group_mate.user.save()
    preference_set(user=world.trainer.user, mode=NotificationPreference.Mode.NONE)
    _yesterdays_post(world)
    digests_send()
    assert "pienryhmäs" in mail.outbox[0].subject


def test_the_unsubscribe_link_works_without_logging_in(world, client):
    user = world.group_mate.user
    url = reverse("unsubscribe", args=[unsubscribe_token(user)])
    assert "Unsubscribe" in client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert not NotificationPreference.objects.filter(user=user).exists()  # GET changes nothing
    client.post(url)
    assert NotificationPreference.objects.get(user=user).mode == "none"
    _yesterdays_post(world)
    digests_send()
    assert user.email not in [m.to[0] for m in mail.outbox]


def test_a_mail_providers_one_click_unsubscribe_needs_no_cookie(world):
    """RFC 8058: the provider POSTs "List-Unsubscribe=One-Click" to the link, with no session
    and no CSRF cookie (finding 10 of issue 11)."""
    from django.test import Client

    user = world.group_mate.user
    url = reverse("unsubscribe", args=[unsubscribe_token(user)])
    response = Client(enforce_csrf_checks=True).post(url, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert NotificationPreference.objects.get(user=user).mode == "none"


def test_a_forged_unsubscribe_link_is_404(db, client):
    assert client.get(reverse("unsubscribe", args=["1:forged"])).status_code == 404


def test_people_choose_how_often_they_are_emailed(world):
    client = client_for(world.participant.user)
    client.post(reverse("notification_preferences"), {"mode": "immediate"})
    assert NotificationPreference.objects.get(user=world.participant.user).mode == "immediate"
    page = client.post(
        reverse("notification_preferences"), {"mode": "hourly"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert "Unknown choice" in page.content.decode()


def test_the_composer_offers_first_names_and_first_last_where_a_first_name_repeats(world):
    """Two group members called Anna are offered as Anna.Virtanen and Anna.Korhonen (what a
    mention reads); a first name of its own is offered alone."""
    import json

    from django.urls import reverse

    from polku.people.models import Membership, Role, User
    from tests.conftest import client_for

    group = world.participant.small_group
    for last in ("Virtanen", "Korhonen"):
        user = User.objects.create(
            email=f"anna.{last}@example.com", first_name="Anna", last_name=last
        )
        Membership.objects.create(
            user=user, cohort=world.cohort, role=Role.PARTICIPANT, small_group=group
        )
    user = User.objects.create(email="onni@example.com", first_name="Onni", last_name="Ainoa")
    Membership.objects.create(
        user=user, cohort=world.cohort, role=Role.PARTICIPANT, small_group=group
    )
    page = (
        client_for(world.participant.user)
        .get(reverse("workspace", args=[world.cohort.slug, group.id]))
        .content.decode()
    )
    offered = json.loads(
        page.split('id="mention-people" type="application/json">')[1].split("</script>")[0]
    )
    handles = {h["name"]: h["handle"] for h in offered}
    assert handles["Anna Virtanen"] == "Anna.Virtanen"
    assert handles["Anna Korhonen"] == "Anna.Korhonen"
    assert handles["Onni Ainoa"] == "Onni"
