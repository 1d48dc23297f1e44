from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import strip_tags
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from polku.access import STAFF_ROLES, membership_get
from polku.caching import cached_fragment
from polku.exports import table_response
from polku.forms import SwitchForm
from polku.people.models import Role
from polku.people.versions import NAMES, STRUCTURE, member_version
from polku.uploads.resumable import resumable_files
from polku.uploads.serving import stored_file_response
from polku.uploads.validation import ACCEPT_FILES
from programmes.assignments.selectors import SUBMITTED_STATES
from programmes.live.selectors import published_days
from programmes.models import TrainingDayPage

from . import services
from .access import PostRight, post_act_get, post_get, workspace_get
from .forms import BodyForm, EmptyForm, NoteForm, OutcomeForm, PostForm, ShareForm
from .models import GroupNote, Post, PostFile, SharedOutput
from .selectors import (
    PAGE_SIZE,
    comments_after,
    group_tasks_get,
    library_get,
    library_outputs,
    mention_handles,
    overview_page,
    pinned_get,
    posts_get,
    schedules_get,
    staff_get,
)
from .versions import feed_version


def _context(membership, group, **extra):
    return {
        "membership": membership,
        "cohort": membership.cohort,
        "group": group,
        "is_trainer": membership.is_trainer,
        "accept_files": ACCEPT_FILES,
        **extra,
    }


@login_required
@require_http_methods(["GET", "POST"])
def workspace(request, cohort_slug, group_id):
    """The group's feed (newest first, paged) with the composer, pinned material and the
    group's tasks. Posting works without JavaScript; workspace.js adds live updates."""
    membership, group = workspace_get(request.user, cohort_slug, group_id)
    if request.method == "POST":
        form = PostForm(request.POST)
        form.is_valid()  # every field is optional: post_create judges the body
        data = form.cleaned_data
        # Files come sent ahead by the page (resumable uploads, by id) or, without
        # JavaScript, with the form.
        upload_ids = request.POST.getlist("uploads")
        try:
            with resumable_files(owner=request.user, upload_ids=upload_ids) as (sent, refused):
                _post, errors = services.post_create(
                    group=group,
                    author=request.user,
                    kind=data.get("kind") or Post.Kind.POST,
                    body=data.get("body", ""),
                    uploads=[*sent, *request.FILES.getlist("files")],
                    client_key=data.get("client_key", ""),
                )
            errors = refused + errors
        except ValidationError as error:
            messages.error(request, error.messages[0])
            return render(
                request,
                "workspaces/workspace.html",
                _feed_context(request, membership, group, draft=data.get("body", "")),
            )
        for error in errors:
            messages.error(request, error)
        return redirect("workspace", cohort_slug=cohort_slug, group_id=group.id)
    # A draft to start from, e.g. a team survey item the supervisor takes to their group.
    context = _feed_context(
        request,
        membership,
        group,
        draft=request.GET.get("draft", "")[:500],
        seen_before=services.workspace_visit_record(group=group, user=request.user),
    )
    context["mention_people"] = mention_handles(group)
    return render(request, "workspaces/workspace.html", context)


def _posts_html(request, context) -> str:
    """The page of posts as this reader sees it (their role, their own posts and marks, what
    is new since their last visit), kept until the feed, a name, their membership or the
    cohort changes: most of the feed's time was rendering its posts."""
    seen_before = context["seen_before"]
    return cached_fragment(
        request,
        f"posts:{context['group'].id}:{context['before'] or ''}:{request.user.id}:"
        f"{seen_before.timestamp() if seen_before else ''}",
        "workspaces/includes/posts.html",
        context,
        versions=[
            feed_version(context["group"].id),
            NAMES,
            member_version(request.user.id),
            STRUCTURE,
        ],
    )


def _feed_context(request, membership, group, draft="", seen_before=None):
    raw = request.GET.get("before", "")
    before = int(raw) if raw.isdigit() else None  # an older page, or the newest
    posts = posts_get(group=group, user=request.user, before=before)
    pinned = pinned_get(group=group) if not before else []
    context = _context(
        membership,
        group,
        before=before,
        posts=posts,
        pinned=pinned,
        day_summaries=[] if before else published_days(cohort=membership.cohort),
        draft=draft,
        older=posts[-1].id if len(posts) == PAGE_SIZE else None,
        tasks=group_tasks_get(group=group, cohort=membership.cohort),
        latest_comment=max((c.id for p in posts for c in p.comments.all()), default=0),
        seen_before=seen_before,
    )
    context["posts_html"] = _posts_html(request, context)
    context["composer_i18n"] = {
        "post": _("Post"),
        "waiting": _("Sending the files…"),
        "waiting_network": _("No connection: the file goes on by itself when it returns."),
        "ready": _("Ready to post"),
        "failed": _("The upload failed."),
        "session_lost": _("Not sent: you may have been logged out. Reload the page."),
    }
    return context


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


def _post_action(right: PostRight, form_class=EmptyForm, *, back_to_post=True):
    """A view that acts on one post: it checks the member's right (404 without it), reads the
    POST with its form, calls the service (the decorated function) and goes back to the post
    in the feed. What the service refuses is said in a message; nothing typed is saved then."""

    def decorate(act):
        @login_required
        @require_POST
        @wraps(act)
        def view(request, cohort_slug, group_id, post_id, **kwargs):
            membership, group = workspace_get(request.user, cohort_slug, group_id)
            post = post_act_get(membership, group, post_id, right)
            form = form_class(request.POST)
            form.is_valid()  # every field is optional: the service judges what it is given
            try:
                act(request, post, form.cleaned_data, **kwargs)
            except ValidationError as error:
                messages.error(request, error.messages[0])
            anchor = f"#post-{post.id}" if back_to_post else ""
            return redirect(reverse("workspace", args=[cohort_slug, group.id]) + anchor)

        return view

    return decorate


@_post_action(PostRight.AUTHOR, BodyForm)
def post_edit(request, post, data):
    services.post_edit(post=post, body=data["body"])


@_post_action(PostRight.AUTHOR, back_to_post=False)
def post_delete(request, post, data):
    services.post_delete(post=post)


@_post_action(PostRight.TRAINER, SwitchForm)
def post_hide(request, post, data):
    services.post_hide(post=post, trainer=request.user, hidden=data["on"])


@_post_action(PostRight.TRAINER, SwitchForm)
def post_pin(request, post, data):
    services.post_pin(post=post, pinned=data["on"])


@_post_action(PostRight.MEMBER)
def post_helped(request, post, data):
    services.helped_toggle(post=post, user=request.user)


@_post_action(PostRight.MEMBER, BodyForm)
def comment_add(request, post, data):
    services.comment_add(post=post, author=request.user, body=data["body"])


@_post_action(PostRight.TRAINER, SwitchForm)
def comment_hide(request, post, data, comment_id):
    comment = get_object_or_404(post.comments, id=comment_id)
    services.comment_hide(comment=comment, hidden=data["on"])


@_post_action(PostRight.COACHEE, OutcomeForm)
def coaching_close(request, post, data):
    services.coaching_close(post=post, outcome=data["outcome"])


@login_required
@require_GET
def post_file(request, cohort_slug, group_id, post_id, file_id):
    membership, group = workspace_get(request.user, cohort_slug, group_id)
    post = post_get(group, post_id)
    if post.hidden_at and not membership.is_trainer:
        raise Http404
    post_file = get_object_or_404(
        PostFile.objects.select_related("stored_file"), id=file_id, post=post
    )
    return stored_file_response(request, post_file.stored_file)


@login_required
@require_http_methods(["GET", "POST"])
def notes(request, cohort_slug, group_id):
    """The group's shared notes: anyone in the workspace edits; every save is kept."""
    membership, group = workspace_get(request.user, cohort_slug, group_id)
    note = GroupNote.objects.filter(small_group=group).select_related("updated_by").first()
    conflict = None
    body = note.body if note else ""
    if request.method == "POST":
        form = NoteForm(request.POST)
        form.is_valid()  # a missing version is a conflict, told as one, never a lost save
        body = form.cleaned_data.get("body", "")
        version = form.cleaned_data.get("version")
        try:
            services.note_save(
                group=group,
                user=request.user,
                body=body,
                base_version=-1 if version is None else version,
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
    page_obj, groups = overview_page(cohort=cohort, number=request.GET.get("page"))
    return render(
        request,
        "people/cohort_overview.html",
        {
            "membership": membership,
            "cohort": cohort,
            "page_obj": page_obj,
            "groups": groups,
            "staff": staff_get(cohort=cohort),
            **schedules_get(cohort=cohort),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def output_share(request, cohort_slug, group_id):
    """The group shares its notes or a group task's result with the cohort's library."""
    membership, group = workspace_get(request.user, cohort_slug, group_id)
    programme = membership.cohort.programme
    form = ShareForm(
        request.POST if request.method == "POST" else None,
        days=TrainingDayPage.objects.live().child_of(programme).only("id", "title", "path"),
        tasks=[
            task
            for task in group_tasks_get(group=group, cohort=membership.cohort)
            if task["status"] in SUBMITTED_STATES
        ],
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        what = data["what"]
        try:
            services.output_share(
                group=group,
                user=request.user,
                kind=SharedOutput.Kind.NOTE if what == "note" else SharedOutput.Kind.TASK,
                assignment_id=None if what == "note" else int(what),
                title=data["title"],
                theme=data["theme"],
                day_id=data["day"],
            )
        except ValidationError as error:
            form.add_error(None, error.messages[0])
        else:
            messages.success(request, _("Shared with the cohort's library."))
            return redirect("output_share", cohort_slug=cohort_slug, group_id=group.id)
    shared = SharedOutput.objects.filter(small_group=group).select_related("training_day")
    return render(
        request, "workspaces/share.html", _context(membership, group, form=form, shared=shared)
    )


@login_required
@require_POST
def output_withdraw(request, cohort_slug, group_id, output_id):
    _membership, group = workspace_get(request.user, cohort_slug, group_id)
    services.output_withdraw(group=group, output_id=output_id)
    messages.success(request, _("Taken out of the library."))
    return redirect("output_share", cohort_slug=cohort_slug, group_id=group.id)


@login_required
@require_GET
def library(request, cohort_slug):
    """The cohort's library: what its small groups shared, by training day and theme."""
    membership = membership_get(request.user, cohort_slug)
    theme = request.GET.get("theme", "").strip()
    return render(
        request,
        "workspaces/library.html",
        {
            "membership": membership,
            "cohort": membership.cohort,
            "theme": theme,
            **library_get(cohort=membership.cohort, theme=theme),
        },
    )


@login_required
@require_GET
def library_export(request, cohort_slug, fmt):
    membership = membership_get(request.user, cohort_slug, roles=STAFF_ROLES)
    if fmt not in ("csv", "xlsx"):
        raise Http404
    header = [_("Training day"), _("Theme"), _("Title"), _("Small group"), _("Shared"), _("Text")]
    rows = (
        [
            output.training_day.title if output.training_day else "",
            output.theme,
            output.title,
            output.small_group.name,
            output.shared_at,
            strip_tags(output.body_html),
        ]
        for output in library_outputs(cohort=membership.cohort)
    )
    return table_response(f"{membership.cohort.slug}-library", fmt, header, rows)


@login_required
@require_POST
def commitment_share(request, cohort_slug, answer_id):
    membership = membership_get(request.user, cohort_slug, roles=[Role.PARTICIPANT])
    try:
        post = services.commitment_share(membership=membership, answer_id=answer_id)
    except ValidationError:
        raise Http404 from None
    messages.success(request, _("Your commitment is shared with your group."))
    workspace_url = reverse("workspace", args=[cohort_slug, membership.small_group_id])
    return redirect(f"{workspace_url}#post-{post.id}")
