"""Personal data by law and by design: a person's export, erasure on request, and retention
(a cohort's personal data anonymised a set time after it ends). registry.py says, model by
model, what each of these does and why."""

import json
import os
import shutil
import zipfile
from datetime import datetime, timedelta

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import Max, Q
from django.urls import reverse
from django.utils import timezone

from api.models import ProvisionedPerson
from impact.models import Rater, ReflectionHabit, TeamMember, TeamResponse, WeeklyReflection
from mentoring.models import (
    CheckIn,
    CoachInvitation,
    Goal,
    MentoringProgramme,
    MentoringSession,
    MentorProfile,
    Milestone,
    Note,
    Pair,
    Recognition,
)
from polku.audit.models import Action
from polku.audit.services import audit_record
from polku.caching import version_bump
from polku.coalescing import enqueue_after_commit
from polku.notifications.models import Notice, NotificationPreference
from polku.notifications.services import send_once
from polku.people.models import Cohort, Invitation, Membership, Role, User
from polku.people.versions import STRUCTURE
from polku.uploads.models import ResumableUpload, StoredFile, private_storage
from polku.uploads.resumable import resumable_delete
from polku.uploads.services import stored_file_delete
from programmes.assignments.models import Answer, AnswerFile, AnswerRevision, ReviewComment
from programmes.live.models import LiveAnswer, PublishedDay
from programmes.models import AssignmentSchedule, PageVisit, TrainingDaySchedule
from progress.models import Attendance, ParticipantProgress
from workspaces.models import (
    Comment,
    GroupNote,
    GroupNoteRevision,
    HelpedMark,
    Post,
    PostFile,
    SharedOutput,
)

from .models import DataExport

EXPORT_DAYS = 7  # how long an export can be downloaded
WARNING_DAYS = 30  # organisers are told this long before a cohort is anonymised
RECONCILE = "programmes.progress.tasks.cohort_reconcile"


# -- export ------------------------------------------------------------------------------


def export_request(*, user: User, requested_by: User) -> DataExport:
    """Asks a worker to build the person's export; they get an email with the link."""
    export = DataExport.objects.create(user=user, requested_by=requested_by)
    audit_record(
        actor=requested_by,
        action=Action.EXPORT,
        subject_id=user.id,
        summary=f"export of person {user.id} requested",
    )
    enqueue_after_commit("privacy.tasks.export_build", [export.id])
    return export


def _rows(queryset, fields: list[str]) -> list[dict]:
    return list(queryset.values(*fields))


def personal_data(user: User) -> dict:
    """Everything Polku holds about the person, as plain data (files are listed by name)."""
    memberships = Membership.objects.filter(user=user)
    return {
        "account": {
            "email": user.email,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "language": user.language,
            "date_joined": user.date_joined,
            "last_login": user.last_login,
        },
        "memberships": _rows(
            memberships,
            [
                "cohort__name",
                "cohort__organisation__name",
                "role",
                "small_group__name",
                "created_at",
            ],
        ),
        "invitations": _rows(
            Invitation.objects.filter(membership__user=user),
            ["created_at", "sent_at", "accepted_at"],
        ),
        "answers": [
            {
                "assignment": answer.assignment.title,
                "cohort": answer.cohort.name,
                "content": answer.content,
                "submitted_at": answer.submitted_at,
                "revisions": _rows(
                    answer.revisions.all(), ["version", "saved_at", "is_submission", "content"]
                ),
            }
            for answer in Answer.objects.filter(participant__user=user).select_related(
                "assignment", "cohort"
            )
        ],
        "review_comments": _rows(
            ReviewComment.objects.filter(author=user),
            ["answer__assignment__title", "body", "created_at"],
        ),
        "live_answers": _rows(
            LiveAnswer.objects.filter(user=user), ["question__prompt", "value", "created_at"]
        ),
        "attendance": _rows(
            Attendance.objects.filter(participant__user=user),
            ["training_day__title", "status", "reason", "marked_at"],
        ),
        "posts": _rows(
            Post.objects.filter(author=user), ["small_group__name", "kind", "body", "created_at"]
        ),
        "comments": _rows(Comment.objects.filter(author=user), ["post_id", "body", "created_at"]),
        "helped_marks": _rows(HelpedMark.objects.filter(user=user), ["post_id"]),
        "group_note_versions": _rows(
            GroupNoteRevision.objects.filter(saved_by=user),
            ["note__small_group__name", "body", "saved_at"],
        ),
        "email_settings": _rows(
            NotificationPreference.objects.filter(user=user), ["mode", "reminders"]
        ),
        "pages_visited": _rows(PageVisit.objects.filter(user=user), ["page__title", "seen_at"]),
        "files": _rows(
            StoredFile.objects.filter(owner=user), ["id", "name", "kind", "size", "created_at"]
        ),
        "team_members": _rows(
            TeamMember.objects.filter(supervisor__user=user), ["supervisor__cohort__name", "email"]
        ),
        "own_survey_answers": _rows(
            TeamResponse.objects.filter(supervisor__user=user, rater=Rater.SELF),
            ["wave__page__title", "wave__kind", "values", "texts"],
        ),
        "weekly_self_evaluations": _rows(
            WeeklyReflection.objects.filter(membership__user=user),
            ["week", "went_well", "develop", "act", "shared_with_trainer"],
        ),
        "self_evaluation_reminder": _rows(
            ReflectionHabit.objects.filter(membership__user=user), ["weekly_reminder"]
        ),
        "mentor_profiles": _rows(
            MentorProfile.objects.filter(user=user),
            ["organisation__name", "can_help_with", "wants_help_with", "capacity"],
        ),
        "mentoring_pairs": _rows(
            Pair.objects.filter(Q(mentor=user) | Q(mentee=user)),
            ["programme__name", "mentor__email", "mentee__email", "status", "created_at"],
        ),
        "mentoring_sessions": _rows(
            MentoringSession.objects.filter(Q(pair__mentor=user) | Q(pair__mentee=user)),
            ["pair__programme__name", "held_on", "minutes", "held", "casual"],
        ),
        "mentoring_goals": _rows(
            Goal.objects.filter(pair__mentee=user), ["pair__programme__name", "text", "done"]
        ),
        "mentoring_notes": _rows(
            Note.objects.filter(author=user), ["pair__programme__name", "text", "created_at"]
        ),
        "mentoring_checkins": _rows(
            CheckIn.objects.filter(user=user),
            [
                "pair__programme__name",
                "period_start",
                "score",
                "met",
                "not_getting_along",
                "too_busy",
                "in_the_way",
            ],
        ),
        "mentoring_milestones": _rows(
            Milestone.objects.filter(Q(pair__mentor=user) | Q(pair__mentee=user)),
            ["pair__programme__name", "kind", "reached_on"],
        ),
        "mentoring_recognition": _rows(
            Recognition.objects.filter(user=user), ["programme__name", "what", "given_on"]
        ),
        "coach_invitations": _rows(
            CoachInvitation.objects.filter(Q(supervisor=user) | Q(email__iexact=user.email)),
            ["programme__name", "name", "email", "sent_at", "accepted_at"],
        ),
    }


def _file_parts(stored: StoredFile):
    """The stored files to put in the export: a document as uploaded, a photo's full
    rendition (its raw upload, with EXIF, is gone once the rendition exists)."""
    for field in (stored.full, stored.original):
        if field:
            return field
    return None


@transaction.atomic
def export_build(export_id: int) -> None:
    """Writes the zip (data.json and the person's files) straight to private storage, file
    by file, so memory stays flat however many photos there are; then emails the link."""
    export = (
        DataExport.objects.select_for_update().select_related("user").filter(id=export_id).first()
    )
    if export is None or export.ready_at is not None:
        return  # gone, or built already (a retried task)
    user = export.user
    name = f"exports/{export.id}/polku-{timezone.localdate():%Y-%m-%d}.zip"
    path = private_storage.path(name)
    private_storage.delete(name)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "data.json",
            json.dumps(personal_data(user), cls=DjangoJSONEncoder, ensure_ascii=False, indent=2),
        )
        for stored in StoredFile.objects.filter(owner=user):
            field = _file_parts(stored)
            if field is None or not field.storage.exists(field.name):
                continue
            with (
                field.open("rb") as source,
                archive.open(f"files/{stored.id}-{stored.name}", "w") as target,
            ):
                shutil.copyfileobj(source, target, 1024 * 1024)
    now = timezone.now()
    export.file.name = name
    export.ready_at, export.expires_at = now, now + timedelta(days=EXPORT_DAYS)
    export.save(update_fields=["file", "ready_at", "expires_at"])
    link = settings.SITE_URL + reverse("privacy_home")
    transaction.on_commit(
        lambda: send_once(
            user,
            f"export:{export.id}",
            "privacy/email/export_ready",
            {"link": link, "days": EXPORT_DAYS},
            topic=None,
        )
    )


def exports_expire(now: datetime) -> int:
    """Deletes the exports whose link has expired, files first."""
    expired = list(DataExport.objects.filter(expires_at__lt=now))
    for export in expired:
        if export.file:
            export.file.storage.delete(export.file.name)
    DataExport.objects.filter(id__in=[e.id for e in expired]).delete()
    return len(expired)


# -- erasure -----------------------------------------------------------------------------


def _files_delete(stored_files) -> None:
    for stored in stored_files:
        stored_file_delete(stored)


@transaction.atomic
def person_erase(*, user: User, by: User) -> None:
    """Erases a person on request. Deleted: their answers and every file they uploaded,
    attendance, figures, memberships, settings and exports. Kept without them: their posts
    and comments in the group's workspace (others replied to them; the author shows as "a
    former participant"), and their live answers, which count in the day's summaries and were
    never shown with a name. The account keeps no name, email or password and cannot log
    in. The cohorts' figures are recomputed."""
    cohort_ids = set(Membership.objects.filter(user=user).values_list("cohort_id", flat=True))
    Answer.objects.filter(participant__user=user).delete()
    Membership.objects.filter(user=user).delete()  # invitations, attendance, figures follow
    _account_erase(user)
    audit_record(
        actor=by, action=Action.ERASURE, subject_id=user.id, summary=f"person {user.id} erased"
    )
    for cohort_id in cohort_ids:
        enqueue_after_commit(RECONCILE, [cohort_id])


def _account_erase(user: User) -> None:
    """What erasure and retention both do to an account once its memberships are gone: its
    files, exports and settings deleted, its name taken off shared work, no name, email,
    password or login left."""
    from allauth.account.models import EmailAddress
    from allauth.socialaccount.models import SocialAccount
    from wagtail.users.models import UserProfile

    # A trainer's video in materials is the organisation's: its playable copy stays.
    _files_delete(StoredFile.objects.filter(owner=user, materialmedia__isnull=True))
    for upload in ResumableUpload.objects.filter(owner=user):
        resumable_delete(upload)  # files on their way, with their bytes
    AnswerRevision.objects.filter(saved_by=user).update(saved_by=None)
    HelpedMark.objects.filter(user=user).delete()
    # Mentoring: the person's pairs (with their sessions, goals, notes, check-ins and
    # milestones), profiles, recognition and invitations go; a programme they own stays,
    # ownerless.
    Pair.objects.filter(Q(mentor=user) | Q(mentee=user)).delete()
    MentorProfile.objects.filter(user=user).delete()
    Recognition.objects.filter(user=user).delete()
    CoachInvitation.objects.filter(Q(supervisor=user) | Q(email__iexact=user.email)).delete()
    MentoringProgramme.objects.filter(owner=user).update(owner=None)
    GroupNote.objects.filter(updated_by=user).update(updated_by=None)
    SharedOutput.objects.filter(shared_by=user).update(shared_by=None)
    PublishedDay.objects.filter(published_by=user).update(published_by=None)
    GroupNoteRevision.objects.filter(saved_by=user).update(saved_by=None)
    for export in DataExport.objects.filter(user=user):
        if export.file:
            transaction.on_commit(lambda f=export.file: f.storage.delete(f.name))
    DataExport.objects.filter(user=user).delete()
    for model in (PageVisit, Notice, NotificationPreference):
        model.objects.filter(user=user).delete()
    EmailAddress.objects.filter(user=user).delete()
    SocialAccount.objects.filter(user=user).delete()  # no sign-in at the organisation either
    ProvisionedPerson.objects.filter(user=user).delete()  # nor its SCIM record, nor groups
    UserProfile.objects.filter(user=user).delete()
    user.groups.clear()
    user.first_name = user.last_name = user.language = ""
    user.email = f"erased-{user.id}@erased.invalid"
    user.is_active = user.is_staff = user.is_superuser = False
    user.last_login = None
    user.calendar_key = None  # the calendar feed's address stops
    user.erased_at = timezone.now()
    user.set_unusable_password()  # also ends every session: their hash no longer matches
    user.save()


# -- retention ---------------------------------------------------------------------------


def cohorts_ending() -> list[tuple[Cohort, datetime]]:
    """Cohorts not anonymised yet, with their last date (a training day's end or a due
    date); a cohort with no dates has not ended."""
    cohorts = Cohort.objects.filter(anonymised_at=None).select_related("organisation")
    days = dict(
        TrainingDaySchedule.objects.values("cohort_id")
        .annotate(last=Max("ends_at"))
        .values_list("cohort_id", "last")
    )
    dues = dict(
        AssignmentSchedule.objects.values("cohort_id")
        .annotate(last=Max("due_at"))
        .values_list("cohort_id", "last")
    )
    ending = []
    for cohort in cohorts:
        last = max(filter(None, [days.get(cohort.id), dues.get(cohort.id)]), default=None)
        if last is not None:
            ending.append((cohort, last))
    return ending


def retention_due(cohort: Cohort, last: datetime) -> datetime:
    return last + relativedelta(months=cohort.organisation.retention_months)


def retention_sweep(now: datetime) -> dict:
    """Warns organisers 30 days before a cohort's personal data goes, and anonymises the
    cohorts whose time has come (beat, daily). Safe to run any number of times."""
    warned, anonymised = 0, 0
    for cohort, last in cohorts_ending():
        due = retention_due(cohort, last)
        if now >= due:
            cohort_anonymise(cohort=cohort)
            anonymised += 1
        elif now >= due - timedelta(days=WARNING_DAYS):
            for organiser in User.objects.filter(
                memberships__cohort=cohort, memberships__role=Role.ORGANISER
            ):
                warned += send_once(
                    organiser,
                    f"retention-warning:{cohort.id}",
                    "privacy/email/retention_warning",
                    {"cohort": cohort, "due": due, "months": cohort.organisation.retention_months},
                    topic=None,  # a notice the organiser cannot opt out of
                    language=cohort.language,
                )
    return {"warned": warned, "anonymised": anonymised, "expired": exports_expire(now)}


@transaction.atomic
def cohort_anonymise(*, cohort: Cohort) -> None:
    """The end of a cohort's retention period. Deleted: its answers, files, posts, comments,
    notes' text and history, live answers, attendance and each participant's figures, and
    its participants' memberships; a participant with no other cohort is anonymised like an
    erased person. Kept: the cohort's and its groups' figures, its daily snapshots and the
    live summaries, which name no one; trainers and organisers keep their access to them."""
    _files_delete(
        StoredFile.objects.filter(
            Q(id__in=AnswerFile.objects.filter(answer__cohort=cohort).values("stored_file"))
            | Q(
                id__in=PostFile.objects.filter(post__small_group__cohort=cohort).values(
                    "stored_file"
                )
            )
        )
    )
    Answer.objects.filter(cohort=cohort).delete()
    Post.objects.filter(small_group__cohort=cohort).delete()
    GroupNoteRevision.objects.filter(note__small_group__cohort=cohort).delete()
    GroupNote.objects.filter(small_group__cohort=cohort).update(
        body="", body_html="", updated_by=None
    )
    LiveAnswer.objects.filter(question__cohort=cohort).delete()
    Attendance.objects.filter(cohort=cohort).delete()
    ParticipantProgress.objects.filter(cohort=cohort).delete()
    participants = Membership.objects.filter(cohort=cohort, role=Role.PARTICIPANT)
    user_ids = list(participants.values_list("user_id", flat=True))
    participants.delete()
    for user in User.objects.filter(id__in=user_ids, memberships=None, erased_at=None):
        _account_erase(user)
    Cohort.objects.filter(id=cohort.id).update(anonymised_at=timezone.now())
    version_bump(STRUCTURE)  # an update() sends no signal
    audit_record(
        actor=None,
        action=Action.RETENTION,
        summary=f"cohort {cohort.id} anonymised "
        f"after {cohort.organisation.retention_months} months",
    )
