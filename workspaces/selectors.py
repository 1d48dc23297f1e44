"""Reads of a workspace, each in a fixed number of queries."""

from datetime import datetime, time, timedelta
from typing import NamedTuple

from django.db.models import (
    Count,
    F,
    Prefetch,
    Q,
    prefetch_related_objects,
)
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from polku.caching import cached
from polku.people.models import Role, User, full_name
from polku.people.versions import MEMBERSHIPS, NAMES, STRUCTURE
from programmes.access import cohort_calendar
from programmes.assignments.models import Answer
from programmes.assignments.selectors import STATUS_FIELDS, answer_status
from programmes.assignments.versions import owner_version
from programmes.models import AnswerScope

from .models import Comment, HelpedMark, Post, PostFile, SharedOutput
from .versions import feed_version

PAGE_SIZE = 10  # a phone shows two or three posts at a time


def posts_get(
    *, group, user, before: int | None = None, after: int | None = None, limit: int = PAGE_SIZE
) -> list[Post]:
    """Newest first, with comments, files, helped counts and the person's own mark
    (`helped`, `helped_by_me`). The page before a post is kept in the cache until the group's
    feed or anyone's name changes (workspaces.versions); new posts (`after`) are always read."""

    def build():
        posts = Post.objects.filter(small_group=group).order_by("-id")
        if before:
            posts = posts.filter(id__lt=before)
        if after is not None:
            posts = posts.filter(id__gt=after)
        page = list(posts.select_related("author").defer("author__password")[:limit])
        prefetch_related_objects(
            page,
            Prefetch("files", queryset=PostFile.objects.select_related("stored_file")),
            Prefetch(
                "comments",
                queryset=Comment.objects.select_related("author").defer("author__password"),
            ),
        )
        helpers: dict[int, set[int]] = {p.id: set() for p in page}
        marks = HelpedMark.objects.filter(post__in=page).values_list("post_id", "user_id")
        for post_id, user_id in marks if page else ():
            helpers[post_id].add(user_id)
        for post in page:
            post.helpers = helpers[post.id]
        return page

    if after is None:
        page = cached(
            f"feed:{group.id}:{before or ''}",
            build,
            versions=[feed_version(group.id), NAMES],
        )
    else:
        page = build()
    for post in page:
        post.helped = len(post.helpers)
        post.helped_by_me = user.id in post.helpers
    return page


def pinned_get(*, group) -> list[Post]:
    """Material a trainer pinned: the titles only, linking into the feed."""
    return cached(
        f"pinned:{group.id}",
        lambda: list(
            Post.objects.filter(small_group=group, pinned_at__isnull=False, hidden_at=None)
            .order_by("-pinned_at")
            .only("id", "body")[:5]
        ),
        versions=[feed_version(group.id)],
    )


def comments_after(*, group, after: int) -> list[Comment]:
    return list(
        Comment.objects.filter(post__small_group=group, id__gt=after)
        .select_related("author")
        .defer("author__password")
        .order_by("id")[:100]
    )


def group_tasks_get(*, group, cohort) -> list[dict]:
    """The path's small-group assignments, with the cohort's dates and this group's status."""
    calendar = cohort_calendar(cohort)
    pages = sorted(
        (p for p in calendar.assignments if p.answer_scope == AnswerScope.SMALL_GROUP),
        key=lambda p: p.path,
    )
    schedules = calendar.assignment_dates
    statuses = cached(  # kept until one of the group's answers changes
        f"group-statuses:{group.id}",
        lambda: {
            a.assignment_id: answer_status(a)
            for a in Answer.objects.filter(small_group=group).only(*STATUS_FIELDS)
        },
        versions=[owner_version(small_group_id=group.id)],
    )
    now = timezone.now()
    return [
        {
            "page": p,
            "schedule": schedules.get(p.id),
            "status": statuses.get(p.id, answer_status(None)),
            "opens_later": bool(schedules.get(p.id) and schedules[p.id].opens_at > now),
        }
        for p in pages
    ]


OVERVIEW_PAGE = 60  # participants on one page of the cohort overview: ten groups of six


class OverviewGroup(NamedTuple):
    id: int | None
    name: str
    size: int  # all its members, on this page or not
    activity: dict | None
    members: list


def overview_page(*, cohort, number):
    """One page of the cohort's participants, by small group (those in none last), with each
    group's size and workspace activity: a cohort of 200 is not rendered at once (most of the
    page's time was the rows). A group cut by the page shows on both, with its full size.
    The people are kept until anyone's memberships, names or the structure change; the
    activity until a shown group's feed changes or the day turns."""
    from django.core.paginator import Paginator

    from polku.people.models import Membership

    def build():
        participants = (
            Membership.objects.filter(cohort=cohort, role=Role.PARTICIPANT)
            .select_related("small_group", "user")
            .defer("user__password")
            .order_by(
                F("small_group__name").asc(nulls_last=True),
                "user__first_name",
                "user__last_name",
                "id",
            )
        )
        page_obj = Paginator(participants, OVERVIEW_PAGE).get_page(wanted)
        shown = {m.small_group_id for m in page_obj.object_list}
        sizes = dict(
            participants.order_by()
            .filter(small_group_id__in=[g for g in shown if g is not None])
            .values_list("small_group_id")
            .annotate(Count("id"))
        )
        sizes[None] = participants.filter(small_group=None).count() if None in shown else 0
        return (page_obj.number, page_obj.paginator.count, list(page_obj.object_list), sizes)

    wanted = int(number) if str(number).isdigit() else 1
    number, count, members, sizes = cached(
        f"overview:{cohort.id}:{wanted}", build, versions=[MEMBERSHIPS, NAMES, STRUCTURE]
    )
    page_obj = Paginator(range(count), OVERVIEW_PAGE).page(number)  # the pager's figures
    group_ids = sorted({m.small_group_id for m in members if m.small_group_id is not None})
    activity = activity_by_group(cohort=cohort, ids=group_ids)
    groups: dict[int | None, OverviewGroup] = {}
    for member in members:
        group = member.small_group
        key = group.id if group else None
        if key not in groups:
            groups[key] = OverviewGroup(
                key,
                group.name if group else _("No small group"),
                sizes[key],
                activity.get(key),
                [],
            )
        groups[key].members.append(member)
    return page_obj, list(groups.values())


def staff_get(*, cohort) -> list:
    """The cohort's trainers and organisers, kept until memberships or names change."""
    from polku.people.models import Membership

    return cached(
        f"staff:{cohort.id}",
        lambda: list(
            Membership.objects.filter(cohort=cohort)
            .exclude(role=Role.PARTICIPANT)
            .select_related("user")
            .defer("user__password")
            .order_by("user__first_name", "user__last_name")
        ),
        versions=[MEMBERSHIPS, NAMES],
    )


def schedules_get(*, cohort) -> dict:
    """Every date of the cohort's calendar (also of pages not yet published), kept until the
    structure changes."""
    return cached(
        f"schedules:{cohort.id}",
        lambda: {
            "training_days": list(cohort.training_days.select_related("page")),
            "assignments": list(cohort.assignments.select_related("page")),
        },
        versions=[STRUCTURE],
    )


RECENT_DAYS = 7


def activity_by_group(*, cohort, ids) -> dict[int, dict]:
    """Counts of posts and comments per small group of `ids`, for organisers: figures, not
    content. "Recent" counts from the start of the day a week ago, so the figures stay the
    same through a day and are kept until one of the groups' feeds changes."""
    from polku.people.models import SmallGroup

    since = datetime.combine(
        timezone.localdate() - timedelta(days=RECENT_DAYS), time(), timezone.get_current_timezone()
    )

    def build():
        rows = SmallGroup.objects.filter(cohort=cohort, id__in=ids).annotate(
            post_count=Count("posts", distinct=True),
            recent_posts=Count("posts", filter=Q(posts__created_at__gte=since), distinct=True),
            comment_count=Count("posts__comments", distinct=True),
        )
        return {
            g.id: {"posts": g.post_count, "recent": g.recent_posts, "comments": g.comment_count}
            for g in rows
        }

    return cached(
        f"activity:{cohort.id}:{since.date()}:{','.join(map(str, ids))}",
        build,
        versions=[feed_version(g) for g in ids],
    )


def _group_readers(group):
    return User.objects.filter(
        Q(memberships__small_group=group, memberships__role=Role.PARTICIPANT)
        | Q(memberships__cohort_id=group.cohort_id, memberships__role=Role.TRAINER)
    ).distinct()


def group_people(group) -> list[User]:
    """Who reads a group's workspace: its members and the cohort's trainers."""
    return list(_group_readers(group))


def mention_handles(group) -> list[dict]:
    """Whom a post or comment in the group can @mention, as the composer offers them: the
    first name when it is unique in the group, else First.Last (what text.mentioned reads).
    Names only: the feed asks on every visit."""
    # With the id: two people of the same name are two (DISTINCT is over the columns read).
    people = cached(
        f"readers:{group.id}",
        lambda: list(_group_readers(group).values_list("id", "first_name", "last_name")),
        versions=[MEMBERSHIPS, NAMES],
    )
    firsts = [first.lower() for _id, first, _last in people]
    handles = []
    for _id, first, last in people:
        if not first:
            continue
        handle = first if firsts.count(first.lower()) == 1 else f"{first}.{last}"
        handles.append({"handle": handle.replace(" ", "."), "name": full_name(first, last)})
    return sorted(handles, key=lambda h: h["name"])


def library_outputs(*, cohort):
    """Everything the cohort's small groups shared, in the path's order and by theme."""
    return (
        SharedOutput.objects.filter(cohort=cohort)
        .select_related("small_group", "training_day")
        .order_by("training_day__path", "theme", "-shared_at")
    )


def library_get(*, cohort, theme: str = "") -> dict:
    """The library by training day, then theme (one query): {"days": [(day title, [(theme,
    [outputs])])], "themes": every theme used, for the filter}."""
    outputs = list(library_outputs(cohort=cohort))
    themes = sorted({o.theme for o in outputs if o.theme}, key=str.lower)
    if theme:
        outputs = [o for o in outputs if o.theme.lower() == theme.lower()]
    days: dict = {}
    for output in outputs:
        day = output.training_day.title if output.training_day else ""
        days.setdefault(day, {}).setdefault(output.theme, []).append(output)
    return {
        "days": [(day, list(by_theme.items())) for day, by_theme in days.items()],
        "themes": themes,
        "count": len(outputs),
    }
