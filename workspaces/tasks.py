"""Workspace emails: immediate notices and mentions, and the daily digest (beat). Each email
is claimed as a `Notice` row before it is sent, so a task that runs twice, is retried, or dies
half-way never sends the same one twice."""

import logging
from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.core import signing
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from polku.people.models import Membership, Role, User

from .models import Comment, Notice, NotificationPreference, Post
from .text import mentioned

logger = logging.getLogger(__name__)
UNSUBSCRIBE_SALT = "polku.workspaces.unsubscribe"


def unsubscribe_token(user) -> str:
    return signing.dumps(user.id, salt=UNSUBSCRIBE_SALT)


def _send_once(user, key: str, template: str, context: dict) -> bool:
    """Claims (user, key), then sends. A failed send gives the claim back for the retry."""
    try:
        with transaction.atomic():
            notice = Notice.objects.create(user=user, key=key)
    except IntegrityError:
        return False  # sent already (or being sent by a task that died: at most once)
    link = settings.SITE_URL + reverse("unsubscribe", args=[unsubscribe_token(user)])
    with translation.override(user.language or settings.LANGUAGE_CODE):
        context = {
            **context,
            "user": user,
            "unsubscribe_link": link,
            "preferences_link": settings.SITE_URL + reverse("notification_preferences"),
        }
        subject = render_to_string(f"workspaces/email/{template}_subject.txt", context).strip()
        body = render_to_string(f"workspaces/email/{template}.txt", context)
    message = EmailMessage(
        subject,
        body,
        to=[user.email],
        headers={
            "List-Unsubscribe": f"<{link}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
    try:
        message.send()
    except Exception:
        notice.delete()
        raise
    Notice.objects.filter(pk=notice.pk).update(sent_at=timezone.now())
    return True


def _modes(users) -> dict[int, str]:
    modes = dict(
        NotificationPreference.objects.filter(user__in=users).values_list("user_id", "mode")
    )
    return {u.id: modes.get(u.id, NotificationPreference.Mode.DAILY) for u in users}


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
    group = post.small_group if kind == "post" else post.small_group
    people = [p for p in _group_people(group) if p.id != item.author_id]
    modes = _modes(people)
    mentions = {p.id for p in mentioned(item.body, people)}
    link = settings.SITE_URL + reverse("workspace", args=[group.cohort.slug, group.id])
    for person in people:
        mode = modes[person.id]
        if mode == NotificationPreference.Mode.NONE:
            continue
        if person.id in mentions or mode == NotificationPreference.Mode.IMMEDIATE:
            _send_once(
                person,
                f"{kind}:{object_id}",
                "activity",
                {
                    "item": item,
                    "group": group,
                    "link": link,
                    "mentioned": person.id in mentions,
                },
            )


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
    for user in daily.iterator(chunk_size=500):
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
        _send_once(
            user,
            f"digest:{today}",
            "digest",
            {
                "posts": posts,
                "comments": comments,
                "site": settings.SITE_URL,
            },
        )
    logger.info("digests done for %s", today)
