"""Answers to assignments: drafts saved while typing, submissions, files, review threads."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Answer(models.Model):
    """One participant's answer, or one small group's shared answer, to an assignment in a
    cohort. `content` holds the latest text, keyed by the id of the assignment's answer part;
    `version` grows with every save, so a save based on an older version is detected."""

    cohort = models.ForeignKey("people.Cohort", on_delete=models.CASCADE, related_name="+")
    assignment = models.ForeignKey(
        "programmes.AssignmentPage", on_delete=models.PROTECT, related_name="answers"
    )
    participant = models.ForeignKey(
        "people.Membership", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    small_group = models.ForeignKey(
        "people.SmallGroup", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    content = models.JSONField(default=dict)
    version = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    submitted_revision = models.ForeignKey(
        "AnswerRevision", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    is_late = models.BooleanField(default=False)
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["assignment", "cohort", "participant"],
                condition=Q(participant__isnull=False),
                name="assignments_one_answer_per_participant",
            ),
            models.UniqueConstraint(
                fields=["assignment", "small_group"],
                condition=Q(small_group__isnull=False),
                name="assignments_one_answer_per_group",
            ),
            models.CheckConstraint(
                condition=Q(participant__isnull=True) ^ Q(small_group__isnull=True),
                name="assignments_answer_has_one_owner",
            ),
        ]
        indexes = [models.Index(fields=["cohort", "assignment"])]

    def __str__(self):
        return f"{self.assignment_id} · {self.participant_id or self.small_group_id}"

    @property
    def has_unsubmitted_changes(self) -> bool:
        return self.submitted_revision_id is not None and (
            self.submitted_version is not None and self.version > self.submitted_version
        )

    @property
    def submitted_version(self):
        return self.submitted_revision.version if self.submitted_revision else None


class AnswerRevision(models.Model):
    """Who changed what: saves by one person within a few minutes fold into one revision;
    every submission is a revision of its own."""

    answer = models.ForeignKey(Answer, on_delete=models.CASCADE, related_name="revisions")
    version = models.PositiveIntegerField()
    content = models.JSONField()
    saved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    saved_at = models.DateTimeField(default=timezone.now)
    is_submission = models.BooleanField(default=False)
    is_late = models.BooleanField(default=False)
    # A submission's files, as they were when it was submitted (AnswerFile ids): readers see
    # these, not files added or removed since.
    file_ids = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["-saved_at"]

    def __str__(self):
        return f"{self.answer_id} v{self.version}"


class AnswerFile(models.Model):
    """A photo or a file attached to one part of an answer."""

    answer = models.ForeignKey(Answer, on_delete=models.CASCADE, related_name="files")
    stored_file = models.OneToOneField(
        "uploads.StoredFile", on_delete=models.CASCADE, related_name="+"
    )
    part_id = models.CharField(max_length=64)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    added_at = models.DateTimeField(default=timezone.now)
    # Removed by the participant after it was submitted: kept for the submission's readers
    # until the next submission leaves it out (services.answer_file_remove).
    removed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["added_at"]

    def __str__(self):
        return str(self.stored_file_id)


class ReviewComment(models.Model):
    """One message in the coaching thread on an answer: a trainer's question, or the
    participant's reply."""

    answer = models.ForeignKey(Answer, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    body = models.TextField(_("message"), max_length=5000)
    created_at = models.DateTimeField(default=timezone.now)
    notified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at"]

    def __str__(self):
        return f"{self.answer_id} · {self.author_id}"


class FeedbackSeen(models.Model):
    """When a participant last saw the coaching thread of an answer: messages after it are
    "new feedback" on their path and on the assignment."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    answer = models.ForeignKey(Answer, on_delete=models.CASCADE, related_name="+")
    seen_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "answer"], name="assignments_feedback_seen_once"
            )
        ]

    def __str__(self):
        return f"{self.answer_id} · {self.user_id}"
