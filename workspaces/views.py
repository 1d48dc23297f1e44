from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from polku.access import STAFF_ROLES, membership_get
from polku.people.models import Membership, Role
from polku.uploads.serving import stored_file_response

from . import services
from .access import post_get, workspace_get
from .models import GroupNote, Post, PostFile
from .selectors import (
    PAGE_SIZE,
    activity_by_group,
    comments_after,
    group_tasks_get,
    pinned_get,
    posts_get,
)


def _context(membership, group, **extra):
    return {
        "membership": membership,
        "cohort": membership.cohort,
        "group": group,
        "is_trainer": membership.role == Role.TRAINER,
        **extra,
    }


@login_required
@require_http_methods(["GET", "POST"])
def workspace(request, cohort_slug, group_id):
    """The group's feed (newest first, paged) with the composer, pinned material and the
    group's tasks. Posting works without JavaScript; workspace.js adds live updates."""
    membership, group = workspace_get(request.user, cohort_slug, group_id)
    if request.method == "POST":
        uploads = request.FILES.getlist("files")
        kind = Post.Kind.COACHING if request.POST.get("kind") == "coaching" else Post.Kind.POST
        try:
            _post, errors = services.post_create(
                group=group,
                author=request.user,
                kind=kind,
                body=request.POST.get("body", ""),
                uploads=uploads,
                client_key=request.POST.get("client_key", ""),
            )
        except ValidationError as error:
            messages.error(request, error.messages[0])
            return render(
                request,
                "workspaces/workspace.html",
                _feed_context(request, membership, group, draft=request.POST.get("body", "")),
            )
        for error in errors:
            messages.error(request, error)
        return redirect("workspace", cohort_slug=cohort_slug, group_id=group.id)
    return render(request, "workspaces/workspace.html", _feed_context(request, membership, group))


def _feed_context(request, membership, group, draft=""):
    before = request.GET.get("before")
    posts = posts_get(
        group=group, user=request.user, before=int(before) if before and before.isdigit() else None
    )
    pinned = pinned_get(group=group) if not before else []
    return _context(
        membership,
        group,
        posts=posts,
        pinned=pinned,
        draft=draft,
        older=posts[-1].id if len(posts) == PAGE_SIZE else None,
        tasks=group_tasks_get(group=group, programme=membership.cohort.programme),
        latest_comment=max((c.id for p in posts for c in p.comments.all()), default=0),
    )


@login_required
@require_GET
def workspace_updates(request, cohort_slug, group_id):
    """New posts and comments since the ids the page has, as HTML to insert."""
    membership, group = workspace_get(request.user, cohort_slug, group_id)
    try:
        after, comments_since = int(request.GET["after"]), int(request.GET["comments_after"])
    except (KeyError, ValueError):
        return JsonResponse({"error": "after and comments_after are required"}, status=400)
    context = _context(membership, group)
    posts = posts_get(group=group, user=request.user, after=after)
    new_comments = [
        c for c in comments_after(group=group, after=comments_since) if c.post_id <= after
    ]  # comments of new posts come with their post
    return JsonResponse(
        {
            "posts": [
                render_to_string("workspaces/includes/post.html", {**context, "post": p}, request)
                for p in reversed(posts)
            ],
            "comments": [
                {
                    "post": c.post_id,
                    "html": render_to_string(
                        "workspaces/includes/comment.html", {**context, "comment": c}, request
                    ),
                }
                for c in new_comments
            ],
            "after": max([after] + [p.id for p in posts]),
            "comments_after": max(
                [comments_since]
                + [c.id for c in new_comments]
                + [c.id for p in posts for c in p.comments.all()]
            ),
        }
    )


# Who may do what to a post: "author", "trainer", "member" (anyone who reads the workspace),
# "owner" (the author of a coaching thread).
POST_ACTIONS = {
    "edit": "author",
    "delete": "author",
    "hide": "trainer",
    "unhide": "trainer",
    "pin": "trainer",
    "unpin": "trainer",
    "helped": "member",
    "comment": "member",
    "hide_comment": "trainer",
    "close": "author",
}


@login_required
@require_POST
def post_update(request, cohort_slug, group_id, post_id):
    membership, group = workspace_get(request.user, cohort_slug, group_id)
    post = post_get(group, post_id)
    action = request.POST.get("action", "")
    rule = POST_ACTIONS.get(action)
    allowed = (
        rule == "member"
        or (rule == "author" and post.author_id == request.user.id)
        or (rule == "trainer" and membership.role == Role.TRAINER)
    )
    if not allowed or (post.hidden_at and rule != "trainer"):
        raise Http404
    try:
        if action == "edit":
            services.post_edit(post=post, body=request.POST.get("body", ""))
        elif action == "delete":
            services.post_delete(post=post)
        elif action in ("hide", "unhide"):
            services.post_hide(post=post, trainer=request.user, hidden=action == "hide")
        elif action in ("pin", "unpin"):
            services.post_pin(post=post, pinned=action == "pin")
        elif action == "helped":
            services.helped_toggle(post=post, user=request.user)
        elif action == "comment":
            services.comment_add(post=post, author=request.user, body=request.POST.get("body", ""))
        elif action == "hide_comment":
            comment = get_object_or_404(post.comments, id=request.POST.get("comment"))
            services.comment_hide(comment=comment, hidden=not comment.hidden_at)
        elif action == "close":
            if post.kind != Post.Kind.COACHING:
                raise Http404
            services.coaching_close(post=post, outcome=request.POST.get("outcome", ""))
    except ValidationError as error:
        messages.error(request, error.messages[0])
    anchor = "" if action == "delete" else f"#post-{post_id}"
    return redirect(reverse("workspace", args=[cohort_slug, group.id]) + anchor)


@login_required
@require_GET
def post_file(request, cohort_slug, group_id, post_id, file_id):
    membership, group = workspace_get(request.user, cohort_slug, group_id)
    post = post_get(group, post_id)
    if post.hidden_at and membership.role != Role.TRAINER:
        raise Http404
    post_file = get_object_or_404(
        PostFile.objects.select_related("stored_file"), id=file_id, post=post
    )
    return stored_file_response(post_file.stored_file, variant=request.GET.get("v", "display"))


@login_required
@require_http_methods(["GET", "POST"])
def notes(request, cohort_slug, group_id):
    """The group's shared notes: anyone in the workspace edits; every save is kept."""
    membership, group = workspace_get(request.user, cohort_slug, group_id)
    note = GroupNote.objects.filter(small_group=group).select_related("updated_by").first()
    conflict = None
    body = note.body if note else ""
    if request.method == "POST":
        body = request.POST.get("body", "")
        try:
            services.note_save(
                group=group,
                user=request.user,
                body=body,
                base_version=int(request.POST.get("version", "-1") or -1),
            )
            messages.success(request, _("Saved."))
            return redirect("workspace_notes", cohort_slug=cohort_slug, group_id=group.id)
        except services.NoteConflict as error:
            conflict, note = error.current, error.current
            messages.error(
                request,
                _(
                    "Someone saved the notes while you were editing. Their "
                    "version is below yours: combine them and save again."
                ),
            )
        except ValidationError as error:
            messages.error(request, error.messages[0])
    return render(
        request,
        "workspaces/notes.html",
        _context(
            membership,
            group,
            note=note,
            body=body,
            conflict=conflict,
            version=note.version if note else 0,
        ),
    )


@login_required
@require_GET
def notes_history(request, cohort_slug, group_id):
    membership, group = workspace_get(request.user, cohort_slug, group_id)
    note = GroupNote.objects.filter(small_group=group).first()
    revisions = note.revisions.select_related("saved_by")[:50] if note else []
    return render(
        request, "workspaces/notes_history.html", _context(membership, group, revisions=revisions)
    )


@login_required
def cohort_overview(request, cohort_slug):
    """Who is in which small group, whether they have joined, and each group's activity in its
    workspace this week. For trainers and organisers (who see counts, not conversations)."""
    membership = membership_get(request.user, cohort_slug, roles=STAFF_ROLES)
    cohort = membership.cohort
    members = (
        Membership.objects.filter(cohort=cohort)
        .select_related("user", "small_group")
        .order_by("small_group__name", "user__first_name", "user__last_name")
    )
    activity = activity_by_group(cohort=cohort, since=timezone.now() - timedelta(days=7))
    groups: dict[str, dict] = {}
    staff: list[Membership] = []
    for member in members:
        if member.role == Role.PARTICIPANT:
            group = member.small_group
            name = group.name if group else _("No small group")
            entry = groups.setdefault(
                name,
                {
                    "id": group.id if group else None,
                    "members": [],
                    "activity": activity.get(group.id) if group else None,
                },
            )
            entry["members"].append(member)
        else:
            staff.append(member)
    return render(
        request,
        "people/cohort_overview.html",
        {
            "membership": membership,
            "cohort": cohort,
            "groups": groups,
            "staff": staff,
            "training_days": cohort.training_days.select_related("page"),
            "assignments": cohort.assignments.select_related("page"),
        },
    )
