"""Writes of answers. Text saves carry the version they were based on: a save based on an
older version is refused with the newer answer, so nobody silently overwrites anybody."""

import hashlib
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, F, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from polku import events
from polku.audit.models import Action
from polku.audit.services import audit_record
from polku.coalescing import enqueue_after_commit
from polku.people.models import Membership
from polku.seen import last_seen, seen_store
from polku.uploads.models import StoredFile
from polku.uploads.services import stored_file_create, stored_file_delete
from polku.uploads.validation import UploadRefused, looks_like_video
from polku.versioning import compare_and_set
from programmes.access import cohort_calendar
from programmes.models import AnswerScope, AssignmentSchedule

from .models import Answer, AnswerFile, AnswerRevision, FeedbackSeen, ReviewComment
from .parts import AnswerPart, answer_parts, required_missing
from .versions import answer_changed, feedback_seen_version

REVISION_WINDOW = timedelta(minutes=10)  # one person's saves within this fold into one revision


class AnswerConflict(Exception):
    """Someone (another person, or the same person in another tab) saved first."""

    def __init__(self, current: Answer):
        super().__init__("answer changed")
        self.current = current


class RequiredPartsMissing(Exception):
    """Submitting asked for parts that are empty; nothing was written."""

    def __init__(self, labels: list[str]):
        super().__init__(", ".join(labels))
        self.labels = labels


class AssignmentClosed(Exception):
    pass


def answer_owner(*, membership: Membership, assignment) -> dict:
    if assignment.answer_scope == AnswerScope.SMALL_GROUP and membership.small_group_id:
        return {"small_group_id": membership.small_group_id}
    return {"participant_id": membership.id}


def assignment_open_check(*, membership: Membership, assignment, now=None) -> AssignmentSchedule:
    schedule = cohort_calendar(membership.cohort).assignment_dates.get(assignment.id)
    if schedule is None or (now or timezone.now()) < schedule.opens_at:
        raise AssignmentClosed
    return schedule


def answer_get_or_create(*, membership: Membership, assignment) -> Answer:
    owner = answer_owner(membership=membership, assignment=assignment)
    lookup = {"cohort_id": membership.cohort_id, "assignment": assignment, **owner}
    answer = Answer.objects.filter(**lookup).first()
    if answer is None:
        try:
            with transaction.atomic():
                answer = Answer.objects.create(**lookup)
        except IntegrityError:  # a group mate's first save won the race
            answer = Answer.objects.get(**lookup)
    return answer


@transaction.atomic
def answer_save(
    *, answer: Answer, user, base_version: int, content: dict, submit: bool = False, now=None
) -> Answer:
    """Saves the text of an answer (and submits it, if asked). Raises AnswerConflict when the
    answer has moved on since `base_version`, and RequiredPartsMissing when a submission lacks
    a required part (save the draft first, then submit: the draft is kept either way)."""
    now = now or timezone.now()
    merged = {**answer.content, **content}
    if submit:
        files = answer.files.filter(removed_at=None)
        missing = required_missing(answer_parts(answer.assignment), merged, files)
        if missing:
            raise RequiredPartsMissing(missing)
    saved = compare_and_set(
        Answer, answer.pk, base_version, content=merged, updated_at=now, updated_by=user
    )
    if not saved:
        current = (
            # of=("self",): PostgreSQL cannot lock the nullable side of the join to updated_by.
            Answer.objects.select_for_update(of=("self",))
            .select_related("updated_by")
            .get(pk=answer.pk)
        )
        if {**current.content, **content} != current.content:
            raise AnswerConflict(current)
        # The same text arrived twice (a page-leave beacon and a reload, a double tap): not
        # a conflict. Save it on the current version.
        Answer.objects.filter(pk=answer.pk).update(
            version=F("version") + 1, updated_at=now, updated_by=user
        )
    answer_changed(answer)  # the updates above send no signal
    if saved and answer.version == base_version:
        # The row is what was read plus what was written: no need to read it again (one
        # statement less on every autosave).
        answer.version, answer.content, answer.updated_at, answer.updated_by = (
            base_version + 1,
            merged,
            now,
            user,
        )
    else:
        answer.refresh_from_db()
    newest = answer.revisions.first()
    if not submit:
        events.USER_ACTIVE.announce(cohort_id=answer.cohort_id, user_id=user.id)
    submitted = answer.submitted_revision if submit else None
    if (
        submitted
        and submitted.content == answer.content
        and submitted.file_ids == _current_file_ids(answer)
    ):
        return answer  # submitted already, as it is (a double tap, a replayed request)
    if (
        not submit
        and newest
        and not newest.is_submission
        and newest.saved_by_id == user.id
        and now - newest.saved_at < REVISION_WINDOW
    ):
        newest.content, newest.version, newest.saved_at = answer.content, answer.version, now
        newest.save(update_fields=["content", "version", "saved_at"])
        return answer
    schedule = AssignmentSchedule.objects.filter(
        cohort_id=answer.cohort_id, page_id=answer.assignment_id
    ).first()
    is_late = bool(submit and schedule and now > schedule.due_at)
    revision = AnswerRevision.objects.create(
        answer=answer,
        version=answer.version,
        content=answer.content,
        saved_by=user,
        saved_at=now,
        is_submission=submit,
        is_late=is_late,
        file_ids=_current_file_ids(answer) if submit else [],
    )
    if submit:
        _removed_files_purge(answer, keep=revision.file_ids)
        if answer.submitted_revision_id is None:
            answer.is_late = is_late  # lateness is that of the first submission
        answer.submitted_revision = revision
        answer.submitted_at = now
        answer.save(update_fields=["submitted_revision", "submitted_at", "is_late"])
        answer_owners_changed(answer)
    return answer


def _current_file_ids(answer: Answer) -> list[int]:
    return list(answer.files.filter(removed_at=None).order_by("id").values_list("id", flat=True))


def _removed_files_purge(answer: Answer, keep: list[int]) -> None:
    """Files removed since the last submission, now that a new one leaves them out."""
    for answer_file in (
        answer.files.exclude(removed_at=None).exclude(id__in=keep).select_related("stored_file")
    ):
        stored_file_delete(answer_file.stored_file)


def answer_read_record(*, answer: Answer, reader) -> None:
    """Staff reading a person's answer is written in the audit log."""
    owner = answer.participant.user_id if answer.participant_id else None
    audit_record(
        actor=reader,
        action=Action.ANSWER_READ,
        subject_id=owner,
        summary=f"answer {answer.id} (assignment {answer.assignment_id}) read",
    )


def answer_owners_changed(answer: Answer) -> None:
    """Announces that the answer's owner (or whole group) has something new to count."""
    if answer.small_group_id:
        events.GROUP_CHANGED.announce(
            small_group_id=answer.small_group_id, cohort_id=answer.cohort_id
        )
    else:
        events.PARTICIPANTS_CHANGED.announce(
            cohort_id=answer.cohort_id, membership_ids=[answer.participant_id]
        )


def _file_key(answer: Answer, part: AnswerPart, client_key: str) -> str:
    return hashlib.sha256(f"{answer.id}:{part.id}:{client_key}".encode()).hexdigest()


def answer_file_find(*, answer: Answer, user, part: AnswerPart, client_key: str):
    """The file this client key already attached: a retry whose first reply was lost."""
    key = _file_key(answer, part, client_key)
    return AnswerFile.objects.filter(stored_file__owner=user, stored_file__client_key=key).first()


@transaction.atomic
def answer_file_add(
    *, answer: Answer, user, part: AnswerPart, upload, client_key: str
) -> AnswerFile:
    """Attaches a photo or file to a part of the answer (raises UploadRefused). The same
    client key attaches it once, however often the phone retries."""
    existing = answer_file_find(answer=answer, user=user, part=part, client_key=client_key)
    if existing is not None:
        return existing
    key = _file_key(answer, part, client_key)
    # Count under the answer's row lock: eight photos sent at once must not all see room
    # for one more.
    Answer.objects.select_for_update().filter(id=answer.id).first()
    # A video has its own limits (POLKU_VIDEO_*) and a number per answer; photos and
    # documents share the answer's size. The part's count, the videos and the size: one
    # statement.
    video = looks_like_video(upload)
    current = answer.files.filter(removed_at=None).aggregate(
        in_part=Count("id", filter=Q(part_id=part.id)),
        videos=Count("id", filter=Q(stored_file__kind=StoredFile.Kind.VIDEO)),
        total=Sum("stored_file__size", filter=~Q(stored_file__kind=StoredFile.Kind.VIDEO)),
    )
    if part.kind == "photos" and current["in_part"] >= part.max_photos:
        message = ngettext(
            "This part takes at most %(n)s photo.",
            "This part takes at most %(n)s photos.",
            part.max_photos,
        )
        raise UploadRefused(message % {"n": part.max_photos})
    if video and current["videos"] >= settings.POLKU_ANSWER_MAX_VIDEOS:
        message = ngettext(
            "An answer takes at most %(n)s video.",
            "An answer takes at most %(n)s videos.",
            settings.POLKU_ANSWER_MAX_VIDEOS,
        )
        raise UploadRefused(message % {"n": settings.POLKU_ANSWER_MAX_VIDEOS})
    used = current["total"] or 0
    if not video and used + upload.size > settings.POLKU_ANSWER_MAX_BYTES:
        raise UploadRefused(
            _("The answer's files would exceed %(mb)s MB in all.")
            % {"mb": settings.POLKU_ANSWER_MAX_BYTES // (1024 * 1024)}
        )
    kinds = {"photo"} if part.kind == "photos" else {"photo", "document", "video"}
    stored, created = stored_file_create(owner=user, upload=upload, client_key=key, kinds=kinds)
    attach = {"answer": answer, "part_id": part.id, "added_by": user}
    if created:  # a new file has no attachment yet
        return AnswerFile.objects.create(stored_file=stored, **attach)
    # The same upload stored by a retry running alongside: attached once.
    answer_file, _attached = AnswerFile.objects.get_or_create(stored_file=stored, defaults=attach)
    return answer_file


@transaction.atomic
def answer_file_remove(*, answer: Answer, answer_file_id: int) -> None:
    answer_file = (
        answer.files.select_related("stored_file")
        .filter(id=answer_file_id, removed_at=None)
        .first()
    )
    if answer_file is None:
        return
    submitted = answer.submitted_revision
    if submitted and answer_file.id in submitted.file_ids:
        # Part of what was submitted: readers keep seeing it until the next submission.
        answer_file.removed_at = timezone.now()
        answer_file.save(update_fields=["removed_at"])
    else:
        stored_file_delete(answer_file.stored_file)


def review_comment_add(*, answer: Answer, author, body: str) -> ReviewComment:
    from .tasks import review_comment_notify

    body = body.strip()
    if not body:
        raise ValidationError(_("Write a message first."))
    if len(body) > 5000:
        raise ValidationError(_("The message is too long (at most 5,000 characters)."))
    comment = ReviewComment.objects.create(answer=answer, author=author, body=body)
    enqueue_after_commit(review_comment_notify.name, [comment.id])
    return comment


def answer_mark_reviewed(*, answer: Answer, trainer, reviewed: bool = True, now=None) -> None:
    answer.reviewed_at = (now or timezone.now()) if reviewed else None
    answer.reviewed_by = trainer if reviewed else None
    with transaction.atomic():
        answer.save(update_fields=["reviewed_at", "reviewed_by"])
        answer_owners_changed(answer)


def reminders_request(*, cohort, assignment, membership_ids: list[int]) -> None:
    """A trainer reminds these participants of the assignment, after commit, by email: at most
    once a day each (tasks.assignment_reminders_send)."""
    today = timezone.localdate().isoformat()
    enqueue_after_commit(
        "programmes.assignments.tasks.assignment_reminders_send",
        [cohort.id, assignment.id, sorted(membership_ids), today],
    )


def feedback_seen_record(*, answer: Answer, user, latest_at) -> bool:
    """The participant saw the thread up to `latest_at` (its newest message by someone else).
    Returns whether that message was new to them. Writes only when it was (one upsert)."""
    seen_at = last_seen(FeedbackSeen, user=user, answer=answer)
    if latest_at is None or (seen_at is not None and seen_at >= latest_at):
        return False
    seen_store(
        FeedbackSeen, latest_at, version=feedback_seen_version(user.id), user=user, answer=answer
    )
    return True
