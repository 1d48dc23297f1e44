"""Writes in workspaces. Text is rendered and sanitised once, when written."""

import uuid
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.template.defaultfilters import linebreaks_filter as linebreaks
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from polku import events
from polku.caching import cached
from polku.coalescing import enqueue_after_commit
from polku.notifications.models import Notice, NotificationPreference
from polku.notifications.services import Topic, activity_modes, send_once
from polku.people.models import Membership, Role, User
from polku.seen import last_seen, seen_store
from polku.uploads.services import stored_file_create, stored_file_delete
from polku.uploads.validation import UploadRefused
from polku.versioning import compare_and_set
from programmes.assignments.models import Answer
from programmes.assignments.parts import answer_parts_filled
from programmes.live.models import LiveAnswer, LiveQuestion
from programmes.models import TrainingDayPage

from .models import (
    Comment,
    GroupNote,
    GroupNoteRevision,
    HelpedMark,
    Post,
    PostFile,
    SharedOutput,
    WorkspaceVisit,
)
from .selectors import group_people
from .text import mentioned, render
from .versions import workspace_visit_version

POST_MAX = 10_000
VISIT_KEPT_FOR = timedelta(minutes=1)
COMMENT_MAX = 5_000


class NoteConflict(Exception):
    def __init__(self, current: GroupNote):
        super().__init__("note changed")
        self.current = current


def _clean(body: str, limit: int) -> str:
    body = (body or "").strip()
    if not body:
        raise ValidationError(_("Write something first."))
    if len(body) > limit:
        message = ngettext(
            "That is %(n)s character; at most %(limit)s fit. Nothing was posted: shorten it "
            "and send again.",
            "That is %(n)s characters; at most %(limit)s fit. Nothing was posted: shorten it "
            "and send again.",
            len(body),
        )
        raise ValidationError(message % {"n": len(body), "limit": limit})
    return body


def _notify_on_commit(kind: str, object_id: int) -> None:
    enqueue_after_commit("workspaces.tasks.activity_notify", [kind, object_id])


@transaction.atomic
def post_create(
    *, group, author, body: str, kind: str = Post.Kind.POST, uploads=(), client_key: str = ""
) -> tuple[Post, list[str]]:
    """A new post with its files. A refused file is reported; the post and the other files
    are kept. The same client key (a double tap, a resent form) returns the post already made."""
    client_key = client_key[:64] or uuid.uuid4().hex
    existing = Post.objects.filter(author=author, client_key=client_key).first()
    if existing is not None:
        return existing, []
    body = _clean(body, POST_MAX)
    post = Post.objects.create(
        small_group=group,
        author=author,
        body=body,
        kind=kind,
        body_html=render(body, group_people(group)),
        client_key=client_key,
    )
    errors = []
    for position, upload in enumerate(uploads):
        try:
            stored, _created = stored_file_create(
                owner=author,
                upload=upload,
                client_key=f"post:{post.id}:{position}",
                kinds={"photo", "document", "video"},
            )
            PostFile.objects.get_or_create(stored_file=stored, defaults={"post": post})
        except UploadRefused as refused:
            errors.append(f"{upload.name}: {refused.message}")
    _notify_on_commit("post", post.id)
    events.USERS_CHANGED.announce(cohort_id=group.cohort_id, user_ids=[author.id])
    return post, errors


def post_edit(*, post: Post, body: str) -> None:
    post.body = _clean(body, POST_MAX)
    post.body_html = render(post.body, group_people(post.small_group))
    post.edited_at = timezone.now()
    post.save(update_fields=["body", "body_html", "edited_at"])


@transaction.atomic
def post_delete(*, post: Post) -> None:
    for post_file in post.files.select_related("stored_file"):
        stored_file_delete(post_file.stored_file)
    authors = {post.author_id, *post.comments.values_list("author_id", flat=True)}
    post.delete()
    events.USERS_CHANGED.announce(cohort_id=post.small_group.cohort_id, user_ids=authors)


def post_hide(*, post: Post, trainer, hidden: bool) -> None:
    """A trainer hides a post from the group; it is kept, and shown as hidden."""
    post.hidden_at = timezone.now() if hidden else None
    post.hidden_by = trainer if hidden else None
    post.save(update_fields=["hidden_at", "hidden_by"])


def post_pin(*, post: Post, pinned: bool) -> None:
    post.pinned_at = timezone.now() if pinned else None
    post.save(update_fields=["pinned_at"])


def helped_toggle(*, post: Post, user) -> bool:
    """Marks or unmarks "this helped me"; returns whether it is marked now."""
    deleted, _rows = HelpedMark.objects.filter(post=post, user=user).delete()
    if deleted:
        return False
    HelpedMark.objects.get_or_create(post=post, user=user)
    return True


@transaction.atomic
def comment_add(*, post: Post, author, body: str) -> Comment:
    if post.closed_at:
        raise ValidationError(_("This coaching thread is closed."))
    body = _clean(body, COMMENT_MAX)
    comment = Comment.objects.create(
        post=post,
        author=author,
        body=body,
        body_html=render(body, group_people(post.small_group)),
    )
    _notify_on_commit("comment", comment.id)
    events.USERS_CHANGED.announce(cohort_id=post.small_group.cohort_id, user_ids=[author.id])
    return comment


def comment_hide(*, comment: Comment, hidden: bool) -> None:
    comment.hidden_at = timezone.now() if hidden else None
    comment.save(update_fields=["hidden_at"])


def coaching_close(*, post: Post, outcome: str) -> None:
    """The owner closes their coaching thread with what they will do."""
    post.outcome = _clean(outcome, 2000)
    post.closed_at = timezone.now()
    post.save(update_fields=["outcome", "closed_at"])


@transaction.atomic
def note_save(*, group, user, base_version: int, body: str) -> GroupNote:
    """Saves the group's notes; a save based on an older version raises NoteConflict."""
    if len(body) > 50_000:
        raise ValidationError(_("The notes are too long (at most 50,000 characters)."))
    note, _created = GroupNote.objects.get_or_create(small_group=group)
    saved = compare_and_set(
        GroupNote,
        note.pk,
        base_version,
        body=body,
        updated_at=timezone.now(),
        updated_by=user,
        body_html=render(body) if body.strip() else "",
    )
    if not saved:
        raise NoteConflict(GroupNote.objects.get(pk=note.pk))
    note.refresh_from_db()
    GroupNoteRevision.objects.create(note=note, version=note.version, body=body, saved_by=user)
    return note


# -- notices -------------------------------------------------------------------------------


def activity_notices_send(*, kind: str, object_id: int) -> None:
    """Tells people about a new post or comment: those it mentions, and those who chose
    immediate emails. Each email goes at most once (send_once)."""
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
    people = [p for p in group_people(group) if p.id != item.author_id]
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


def digest_readers() -> list[int]:
    """Who gets the daily digest: members of a small group and trainers, unless they chose
    immediate emails or none."""
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
    return list(daily.values_list("id", flat=True))


def digests_send_to(*, user_ids: list[int], today: str) -> None:
    """The digests of these people for `today`: what others did in their workspaces since
    their last digest. Each sent at most once."""
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


def workspace_visit_record(*, group, user):
    """Stores that the person opened the group's feed now, and returns when they had opened
    it before (None the first time): what others wrote since is new to them. A reload within
    a minute keeps the earlier visit (and costs no write): what was new a moment ago still is."""
    now = timezone.now()
    previous = cached(  # kept until the next visit is stored: every view of the feed asks
        f"workspace-visit:{group.id}:{user.id}",
        lambda: last_seen(WorkspaceVisit, user=user, small_group=group),
        versions=[workspace_visit_version(user.id)],
    )
    if previous is None or now - previous >= VISIT_KEPT_FOR:
        version = workspace_visit_version(user.id)
        seen_store(WorkspaceVisit, now, version=version, user=user, small_group=group)
    return previous


def _task_html(answer: Answer) -> str:
    """A group task's submitted result as HTML: each text part under its label, escaped."""
    parts = answer_parts_filled(answer.assignment, answer.content, [])
    blocks = [
        format_html("<h3>{}</h3>{}", part.label, linebreaks(str(part.value)))
        for part in parts
        if part.kind == "text" and str(part.value).strip()
    ]
    return "".join(blocks)


def output_share(
    *, group, user, kind: str, title: str, theme: str = "", day_id=None, assignment_id=None
) -> SharedOutput:
    """Shares a snapshot of the group's notes, or of a group task's submitted result, with
    the cohort's library."""
    title, theme = title.strip()[:200], theme.strip()[:60]
    if not title:
        raise ValidationError(_("Give it a title the cohort will recognise."))
    programme = group.cohort.programme
    day = None
    if day_id:
        day = TrainingDayPage.objects.live().child_of(programme).filter(id=day_id).first()
        if day is None:
            raise ValidationError(_("Choose a training day of this path."))
    assignment = None
    if kind == SharedOutput.Kind.NOTE:
        note = GroupNote.objects.filter(small_group=group).first()
        if note is None or not note.body.strip():
            raise ValidationError(_("Your notes are empty: write them first."))
        body_html = note.body_html
    elif kind == SharedOutput.Kind.TASK:
        answer = (
            Answer.objects.filter(
                small_group=group, assignment_id=assignment_id, submitted_at__isnull=False
            )
            .select_related("assignment")
            .first()
        )
        if answer is None:
            raise ValidationError(_("Only a group task your group has submitted can be shared."))
        assignment, body_html = answer.assignment, _task_html(answer)
        if not body_html:
            raise ValidationError(_("This result has no text to share."))
    else:
        raise ValidationError(_("Choose what to share."))
    return SharedOutput.objects.create(
        cohort_id=group.cohort_id,
        small_group=group,
        kind=kind,
        assignment=assignment,
        training_day=day,
        title=title,
        theme=theme,
        body_html=body_html,
        shared_by=user,
    )


def output_withdraw(*, group, output_id: int) -> None:
    SharedOutput.objects.filter(small_group=group, id=output_id).delete()


def commitment_share(*, membership, answer_id: int) -> Post:
    """A participant shares their own training-day commitment with their small group, as a
    post (commitments are otherwise theirs and their trainers' only). Sharing it again is the
    same post."""
    answer = (
        LiveAnswer.objects.filter(
            id=answer_id,
            user_id=membership.user_id,
            question__cohort_id=membership.cohort_id,
            question__kind=LiveQuestion.Kind.COMMITMENT,
        )
        .select_related("question__training_day")
        .first()
    )
    if answer is None or membership.small_group_id is None:
        raise ValidationError(_("There is no commitment of yours to share."))
    body = _("My commitment from %(day)s: “%(commitment)s”") % {
        "day": answer.question.training_day.title,
        "commitment": answer.value,
    }
    post, _errors = post_create(
        group=membership.small_group,
        author=membership.user,
        body=body,
        client_key=f"commitment:{answer.id}",
    )
    return post
