"""Workspace emails: immediate notices and mentions, and the daily digest (beat), each sent
at most once through polku.notifications."""

import logging
from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from polku.notifications.models import Notice, NotificationPreference
from polku.notifications.services import Topic, activity_modes, send_once
from polku.people.models import Membership, Role, User

from .models import Comment, Post
from .text import mentioned

logger = logging.getLogger(__name__)


def _group_people(group) -> list[User]:
    """Who reads a group's workspace: its members and the cohort's trainers."""
    return list(
        User.objects.filter(
            Q(memberships__small_group=group, memberships__role=Role.PARTICIPANT)
            | Q(memberships__cohort_id=group.cohort_id, memberships__role=Role.TRAINER)
        ).distinct()
    )


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5, acks_late=True)
def activity_notify(kind: str, object_id: int) -> None:
    """Tells people about a new post or comment: those it mentions, and those who chose
    immediate emails."""
    model = Post if kind == "post" else Comment
    item = model.objects.select_related("author").filter(id=object_id).first()
    if item is None or item.hidden_at:
        return
    post = (
        item
        if kind == "post"
        else Post.objects.select_related("small_group__cohort").get(id=item.post_id)
    )
    group = post.small_group
    people = [p for p in _group_people(group) if p.id != item.author_id]
    modes = activity_modes(people)
    mentions = {p.id for p in mentioned(item.body, people)}
    link = settings.SITE_URL + reverse("workspace", args=[group.cohort.slug, group.id])
    for person in people:
        mode = modes[person.id]
        if mode == NotificationPreference.Mode.NONE:
            continue
        if person.id in mentions or mode == NotificationPreference.Mode.IMMEDIATE:
            send_once(
                person,
                f"{kind}:{object_id}",
                "workspaces/email/activity",
                {
                    "item": item,
                    "group": group,
                    "link": link,
                    "mentioned": person.id in mentions,
                },
                Topic.ACTIVITY,
            )


DIGEST_BATCH = 200  # people per task: a task stays well inside its time limit


@shared_task(acks_late=True)
def digests_send() -> None:
    """The daily digest: for each person who chose it, what others did in their workspaces
    since their last digest."""
    now = timezone.now()
    today = timezone.localdate(now).isoformat()
    readers = (
        Membership.objects.filter(
            Q(role=Role.PARTICIPANT, small_group__isnull=False) | Q(role=Role.TRAINER)
        )
        .values_list("user_id", flat=True)
        .distinct()
    )
    daily = User.objects.filter(id__in=readers).exclude(
        notification_preference__mode__in=[
            NotificationPreference.Mode.NONE,
            NotificationPreference.Mode.IMMEDIATE,
        ]
    )
    user_ids = list(daily.values_list("id", flat=True))
    for start in range(0, len(user_ids), DIGEST_BATCH):
        digest_batch_send.delay(user_ids[start : start + DIGEST_BATCH], today)


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def digest_batch_send(user_ids: list[int], today: str) -> None:
    """The digests of these people for `today` (each sent at most once)."""
    now = timezone.now()
    for user in User.objects.filter(id__in=user_ids):
        if Notice.objects.filter(user=user, key=f"digest:{today}").exists():
            continue
        last = (
            Notice.objects.filter(user=user, key__startswith="digest:")
            .order_by("-created_at")
            .values_list("created_at", flat=True)
            .first()
        )
        since = last or now - timedelta(days=1)
        groups = Membership.objects.filter(user=user).filter(
            Q(role=Role.PARTICIPANT, small_group__isnull=False) | Q(role=Role.TRAINER)
        )
        group_filter = Q(
            small_group__in=groups.filter(role=Role.PARTICIPANT).values("small_group")
        ) | Q(small_group__cohort__in=groups.filter(role=Role.TRAINER).values("cohort"))
        posts = list(
            Post.objects.filter(group_filter, created_at__gt=since, hidden_at=None)
            .exclude(author=user)
            .select_related("author", "small_group__cohort")
            .order_by("small_group_id", "id")[:50]
        )
        comments = (
            Comment.objects.filter(created_at__gt=since, hidden_at=None)
            .filter(post__in=Post.objects.filter(group_filter))
            .exclude(author=user)
            .count()
        )
        if not posts and not comments:
            continue
        send_once(
            user,
            f"digest:{today}",
            "workspaces/email/digest",
            {
                "posts": posts,
                "comments": comments,
                "site": settings.SITE_URL,
            },
            Topic.ACTIVITY,
        )
    logger.info("digests done for %s", today)
