import hashlib

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET, require_POST

from polku.access import STAFF_ROLES, cohort_page_get, membership_get
from polku.forms import RemindForm, wants_json
from polku.panels import ASSIGNMENT, panels
from polku.people.models import Role
from polku.pwa import offline_keep
from polku.uploads.resumable import resumable_file
from polku.uploads.serving import stored_file_response
from polku.uploads.validation import UploadRefused
from programmes.models import AssignmentPage
from programmes.views import cohort_page_context

from . import services
from .access import answer_get
from .forms import (
    AnswerForm,
    CommentForm,
    FileUploadForm,
    ReviewedForm,
    ReviewFilterForm,
)
from .models import AnswerFile
from .parts import answer_parts, answer_parts_filled
from .selectors import (
    AnswerStatus,
    answer_of,
    answer_status,
    latest_feedback,
    review_rows_get,
)

# Feedback is not coaching (PRODUCT.md): the reply box offers forward-looking questions.
COACHING_PROMPTS = [
    gettext_lazy("What will you try next time?"),
    gettext_lazy("What surprised you in how your team reacted?"),
    gettext_lazy("How will you know that it worked?"),
    gettext_lazy("What would you do differently, and why?"),
]


def _answer_i18n() -> dict:
    """The words answer.js shows, in the person's language."""
    return {
        "saving": _("Saving…"),
        "saved": _("Draft saved"),
        "unsaved": _("Not saved yet"),
        "offline": _("No connection: kept on this device, trying again…"),
        "restored": _("Restored what you typed earlier on this device."),
        "restored_conflict": _("What you typed on this device differs from the saved answer."),
        "use_other": _("Use this text"),
        "add_other": _("Add it to mine"),
        "upload_failed": _("The upload failed."),
        "upload_waiting": _("No connection: the file waits on this device and goes on by itself."),
        "retry": _("Try again"),
        "session_lost": _(
            "Not saved: you may have been logged out. Reload the page to log in again; what "
            "you typed is kept on this device."
        ),
    }


def _sha256(upload) -> str:
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()[:32]


def _file_json(cohort_slug, answer_file: AnswerFile) -> dict:
    stored = answer_file.stored_file
    url = reverse("answer_file", args=[cohort_slug, answer_file.answer_id, answer_file.id])
    return {
        "id": answer_file.id,
        "name": stored.name,
        "kind": stored.kind,
        "state": stored.state,
        "url": url,
        "part": answer_file.part_id,
    }


def _answer_context(membership, assignment):
    answer = answer_of(membership=membership, assignment=assignment)
    files = (
        list(answer.files.filter(removed_at=None).select_related("stored_file")) if answer else []
    )
    return answer, answer_parts_filled(assignment, answer.content if answer else {}, files)


@login_required
def assignment_page(request, cohort_slug, page_id):
    """The assignment as a participant sees it, with their answer form; trainers and
    organisers see the instructions and a link to the answers."""
    context = cohort_page_context(request, cohort_slug, page_id, AssignmentPage)
    membership, page, schedule = context["membership"], context["page"], context["schedule"]
    context["is_open"] = bool(schedule and timezone.now() >= schedule.opens_at)
    context["panels"] = panels(ASSIGNMENT, membership=membership, page=page)
    if membership.is_participant:
        answer, parts = _answer_context(membership, page)
        comments = list(answer.comments.select_related("author")) if answer else []
        feedback = latest_feedback(comments, request.user)
        context |= {
            "answer": answer,
            "parts": parts,
            # Its owner adds captions below the form (a form cannot hold another).
            "ready_videos": [
                (part, f)
                for part in parts
                for f in getattr(part, "files", [])
                if f.stored_file.is_video and f.stored_file.is_ready
            ],
            "status": answer_status(answer),
            "answer_i18n": _answer_i18n(),
            "video_minutes": settings.POLKU_VIDEO_MAX_SECONDS // 60,
            "comments": comments,
            # The trainer's latest message stands above the form, marked new until seen.
            "feedback": feedback,
            "feedback_is_new": feedback is not None
            and services.feedback_seen_record(
                answer=answer, user=request.user, latest_at=feedback.created_at
            ),
        }
    return offline_keep(render(request, "assignments/assignment.html", context), membership)


def _participant_answer(request, cohort_slug, page_id):
    membership = membership_get(request.user, cohort_slug, roles=[Role.PARTICIPANT])
    page = cohort_page_get(membership, AssignmentPage, page_id)
    try:
        services.assignment_open_check(membership=membership, assignment=page)
    except services.AssignmentClosed:
        raise Http404 from None
    return membership, page, services.answer_get_or_create(membership=membership, assignment=page)


@login_required
@require_POST
def answer_save(request, cohort_slug, page_id):
    """Autosave (JSON), save, submit, or remove a file. Text is saved before files are looked
    at, so a refused file never costs what was typed."""
    membership, page, answer = _participant_answer(request, cohort_slug, page_id)
    parts = answer_parts(page)
    form = AnswerForm(request.POST, parts=parts)
    form.is_valid()  # every field is optional; a wrong value is dropped with a message
    content, errors = form.content()
    submit = form.cleaned_data.get("submit_answer", False)
    try:
        # The draft first, whatever comes next: a refused file or a missing part never costs
        # what was typed. Submitting comes after the files, which a required part may need.
        answer = services.answer_save(
            answer=answer,
            user=request.user,
            base_version=form.base_version(),
            content=content,
        )
    except services.AnswerConflict as conflict:
        current = conflict.current
        by = current.updated_by
        payload = {
            "conflict": True,
            "version": current.version,
            "content": current.content,
            "updated_by": (by.get_full_name() or by.email) if by else "",
            "updated_at": timezone.localtime(current.updated_at).strftime("%H.%M"),
            "message": _(
                "This answer was changed elsewhere (another tab or a group "
                "member) after you opened it. Nothing was overwritten: compare "
                "and save again."
            ),
        }
        if wants_json(request):
            return JsonResponse(payload, status=409)
        messages.error(request, payload["message"])
        return redirect("cohort_assignment", cohort_slug=cohort_slug, page_id=page_id)
    if form.cleaned_data.get("remove_file"):
        services.answer_file_remove(answer=answer, answer_file_id=form.cleaned_data["remove_file"])
    for part in parts:
        for upload in request.FILES.getlist(f"files-{part.id}") if part.takes_files else []:
            try:
                services.answer_file_add(
                    answer=answer,
                    user=request.user,
                    part=part,
                    upload=upload,
                    # Without JavaScript there is no client key: the content is the key, so a
                    # re-posted form stores a file once, and two photos both called
                    # "image.jpg" (as iPhones name them) are still two.
                    client_key="form-" + _sha256(upload),
                )
            except UploadRefused as refused:
                errors.append(f"{upload.name}: {refused.message}")
    if submit:
        try:
            answer = services.answer_save(
                answer=answer,
                user=request.user,
                base_version=answer.version,
                content={},
                submit=True,
            )
        except services.RequiredPartsMissing as missing:
            submit = False
            errors.append(
                ngettext(
                    "Not submitted yet: %(parts)s is required. Your draft is saved.",
                    "Not submitted yet: %(parts)s are required. Your draft is saved.",
                    len(missing.labels),
                )
                % {"parts": ", ".join(f"“{label}”" for label in missing.labels)}
            )
    if wants_json(request):
        return JsonResponse(
            {
                "version": answer.version,
                "errors": errors,
                "status": answer_status(answer),
                "saved_at": timezone.localtime(answer.updated_at).strftime("%H.%M"),
            }
        )
    for error in errors:
        messages.error(request, error)
    if submit:
        messages.success(
            request,
            _("Submitted. You can still edit and submit again.")
            if not answer.is_late
            else _("Submitted after the due date: it is marked late."),
        )
    elif not errors:
        messages.success(request, _("Saved."))
    return redirect("cohort_assignment", cohort_slug=cohort_slug, page_id=page_id)


@login_required
@require_POST
def answer_file_upload(request, cohort_slug, page_id):
    """A file the page's uploader has sent (resumably, with progress: polku.uploads.resumable)
    joins a part of the answer (JSON). A retry sends the same client key: kept once."""
    membership, page, answer = _participant_answer(request, cohort_slug, page_id)
    form = FileUploadForm(request.POST, request.FILES)
    part = form.is_valid() and next(
        (p for p in answer_parts(page) if p.id == form.cleaned_data["part"] and p.takes_files),
        None,
    )
    if not part:
        return JsonResponse({"error": _("The upload was incomplete. Try again.")}, status=400)
    client_key = form.cleaned_data["client_key"]
    # A retry whose first reply was lost: the upload is already this file.
    answer_file = services.answer_file_find(
        answer=answer, user=request.user, part=part, client_key=client_key
    )
    try:
        if answer_file is None:
            with resumable_file(owner=request.user, upload_id=form.cleaned_data["upload"]) as f:
                answer_file = services.answer_file_add(
                    answer=answer, user=request.user, part=part, upload=f, client_key=client_key
                )
    except UploadRefused as refused:
        return JsonResponse({"error": refused.message}, status=400)
    return JsonResponse(_file_json(cohort_slug, answer_file), status=201)


@login_required
@require_GET
def answer_file(request, cohort_slug, answer_id, file_id):
    membership = membership_get(request.user, cohort_slug)
    answer, can_edit = answer_get(membership, answer_id)
    files = AnswerFile.objects.select_related("stored_file").filter(answer=answer)
    files = (
        files.filter(removed_at=None)
        if can_edit
        else files.filter(id__in=answer.submitted_revision.file_ids)
    )
    answer_file = get_object_or_404(files, id=file_id)
    if wants_json(request):  # the page asks whether a photo's renditions are ready
        return JsonResponse(_file_json(cohort_slug, answer_file))
    return stored_file_response(request, answer_file.stored_file)


REVIEW_PAGE = 50  # answers listed a page at a time


@login_required
def review_list(request, cohort_slug, page_id):
    """Per assignment: who has answered, who is late, who has not started. Trainers open the
    answers from here; organisers see the same figures without the content."""
    membership = membership_get(request.user, cohort_slug, roles=STAFF_ROLES)
    page = cohort_page_get(membership, AssignmentPage, page_id)
    rows = review_rows_get(cohort=membership.cohort, assignment=page)
    counts = [(status, sum(1 for row in rows if row.status == status)) for status in AnswerStatus]
    form = ReviewFilterForm(request.GET)
    shown = form.cleaned_data["status"] if form.is_valid() else ""
    # A page at a time, as the dashboard's people: a cohort of 200 on a trainer's phone is
    # a long scroll, and rendering every row is most of the page's time (docs/performance.md).
    page_obj = Paginator([row for row in rows if not shown or row.status == shown], REVIEW_PAGE)
    page_obj = page_obj.get_page(request.GET.get("page"))
    return render(
        request,
        "assignments/review_list.html",
        {
            "membership": membership,
            "cohort": membership.cohort,
            "page": page,
            "page_obj": page_obj,
            "counts": counts,
            "shown": shown,
            "total": len(rows),
            "can_read": membership.is_trainer,
            "can_remind": membership.is_trainer and any(row.can_be_reminded for row in rows),
        },
    )


@login_required
@require_POST
def review_remind(request, cohort_slug, page_id):
    """A trainer reminds one participant, or those ticked, of the assignment by email."""
    membership = membership_get(request.user, cohort_slug, roles=[Role.TRAINER])
    page = cohort_page_get(membership, AssignmentPage, page_id)
    rows = review_rows_get(cohort=membership.cohort, assignment=page)
    form = RemindForm(
        request.POST, people=[(row.membership_id, row.name) for row in rows if row.can_be_reminded]
    )
    if form.is_valid():
        services.reminders_request(
            cohort=membership.cohort, assignment=page, membership_ids=form.cleaned_data["chosen"]
        )
        messages.success(request, form.sent_message())
    else:
        messages.error(request, _("Choose whom to remind: those who have not submitted."))
    return redirect("review_list", cohort_slug=cohort_slug, page_id=page.id)


@login_required
def answer_detail(request, cohort_slug, answer_id):
    """An answer with its photos and the coaching thread; trainers step through the answers
    of the assignment with next and previous."""
    membership = membership_get(request.user, cohort_slug)
    answer, can_edit = answer_get(membership, answer_id)
    is_trainer = membership.is_trainer
    if is_trainer:
        services.answer_read_record(answer=answer, reader=request.user)
    revision = answer.submitted_revision
    files = answer.files.select_related("stored_file")
    if can_edit:  # the owner sees the answer as it is now
        content, files = answer.content, files.filter(removed_at=None)
    else:  # readers see what was submitted
        content, files = revision.content, files.filter(id__in=revision.file_ids)
    parts = answer_parts_filled(answer.assignment, content, files)
    neighbours = {}
    if is_trainer:
        ids = [
            row.answer.id
            for row in review_rows_get(cohort=membership.cohort, assignment=answer.assignment)
            if row.answer and row.answer.submitted_revision_id
        ]
        if answer.id in ids:
            i = ids.index(answer.id)
            neighbours = {
                "previous": ids[i - 1] if i > 0 else None,
                "next": ids[i + 1] if i + 1 < len(ids) else None,
            }
    owner = (
        answer.small_group.name
        if answer.small_group
        else (answer.participant.user.get_full_name() or answer.participant.user.email)
    )
    comments = list(answer.comments.select_related("author"))
    feedback = latest_feedback(comments, request.user)
    if can_edit and feedback is not None:  # the owner reads the thread: nothing new any more
        services.feedback_seen_record(
            answer=answer, user=request.user, latest_at=feedback.created_at
        )
    return render(
        request,
        "assignments/answer_detail.html",
        {
            "membership": membership,
            "cohort": membership.cohort,
            "answer": answer,
            "owner": owner,
            "parts": parts,
            "comments": comments,
            "can_comment": is_trainer or can_edit,
            "is_trainer": is_trainer,
            "status": answer_status(answer),
            "neighbours": neighbours,
            "coaching_prompts": COACHING_PROMPTS,
        },
    )


@login_required
@require_POST
def answer_comment(request, cohort_slug, answer_id):
    membership = membership_get(request.user, cohort_slug)
    answer, can_edit = answer_get(membership, answer_id)
    if not (can_edit or membership.is_trainer):
        raise Http404
    form = CommentForm(request.POST)
    form.is_valid()  # the service judges the body
    try:
        services.review_comment_add(
            answer=answer, author=request.user, body=form.cleaned_data["body"]
        )
    except ValidationError as error:
        messages.error(request, error.messages[0])
    return redirect(reverse("answer_detail", args=[cohort_slug, answer.id]) + "#thread")


@login_required
@require_POST
def answer_reviewed(request, cohort_slug, answer_id):
    membership = membership_get(request.user, cohort_slug, roles=[Role.TRAINER])
    answer, _can_edit = answer_get(membership, answer_id)
    form = ReviewedForm(request.POST)
    form.is_valid()
    services.answer_mark_reviewed(
        answer=answer, trainer=request.user, reviewed=form.cleaned_data["reviewed"]
    )
    return redirect("answer_detail", cohort_slug=cohort_slug, answer_id=answer.id)
