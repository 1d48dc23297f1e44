"""Attendance, and the stored progress figures (rollups) that dashboards read.

Rollups are derived data: every figure can be computed again from the source rows (attendance,
answers, live answers, posts, comments) by `rollups.participant_figures`. A participant's row is
refreshed when an event marks it stale; small-group and cohort rows are the sums of their
participants' rows, kept by adding each refresh's difference (see rollups.py). The nightly
reconciliation recomputes everything and logs any drift it corrects."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Attendance(models.Model):
    class Status(models.TextChoices):
        PRESENT = "present", _("Present")
        ABSENT = "absent", _("Absent")

    class Method(models.TextChoices):
        TRAINER = "trainer", _("Marked by a trainer")
        CHECK_IN = "check_in", _("Checked in with the QR code")

    cohort = models.ForeignKey("people.Cohort", on_delete=models.CASCADE, related_name="+")
    training_day = models.ForeignKey(
        "programmes.TrainingDayPage", on_delete=models.CASCADE, related_name="+"
    )
    participant = models.ForeignKey(
        "people.Membership", on_delete=models.CASCADE, related_name="attendances"
    )
    status = models.CharField(_("attendance"), max_length=8, choices=Status.choices)
    reason = models.CharField(_("reason for the absence"), max_length=200, blank=True)
    # An absence the trainer has followed up (a talk, the day's material gone through).
    followed_up = models.BooleanField(_("followed up"), default=False)
    method = models.CharField(max_length=10, choices=Method.choices, default=Method.TRAINER)
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    marked_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["training_day", "participant"], name="progress_attendance_once"
            ),
        ]
        indexes = [models.Index(fields=["cohort", "training_day"])]

    def __str__(self):
        return f"{self.training_day_id} · {self.participant_id} · {self.status}"

    @property
    def is_present(self) -> bool:
        return self.status == self.Status.PRESENT

    @property
    def is_checked_in(self) -> bool:
        return self.method == self.Method.CHECK_IN


SUMMED = (
    "days_held",
    "days_attended",
    "days_absent",
    "assignments_due",
    "assignments_on_time",
    "assignments_late",
    "assignments_missing",
    "assignments_reviewed",
    "live_answers",
    "workspace_activity",
)


class Figures(models.Model):
    """What is counted for each person, and summed for groups and cohorts. A person is
    counted for the training days held and the assignments that fell due since they joined
    the cohort (or that they attended or answered anyway); the assignment figures count due
    assignments only."""

    days_held = models.PositiveIntegerField(default=0)
    days_attended = models.PositiveIntegerField(default=0)
    days_absent = models.PositiveIntegerField(default=0)
    assignments_due = models.PositiveIntegerField(default=0)
    assignments_on_time = models.PositiveIntegerField(default=0)
    assignments_late = models.PositiveIntegerField(default=0)
    assignments_missing = models.PositiveIntegerField(default=0)
    assignments_reviewed = models.PositiveIntegerField(default=0)
    live_answers = models.PositiveIntegerField(default=0)  # answers to closed live questions
    workspace_activity = models.PositiveIntegerField(default=0)  # posts and comments

    class Meta:
        abstract = True


class Totals(Figures):
    participants = models.PositiveIntegerField(default=0)
    people_behind = models.PositiveIntegerField(default=0)

    class Meta:
        abstract = True


class ParticipantProgress(Figures):
    membership = models.OneToOneField(
        "people.Membership", on_delete=models.CASCADE, primary_key=True, related_name="progress"
    )
    cohort = models.ForeignKey("people.Cohort", on_delete=models.CASCADE, related_name="+")
    # The group the figures were last added to (moving a person moves their figures).
    small_group = models.ForeignKey(
        "people.SmallGroup", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    behind = models.BooleanField(default=False)
    last_active_on = models.DateField(null=True)
    # The person's year: {"<day page id>": "present" | "absent" | "followed_up" | "unmarked"}
    days = models.JSONField(default=dict)
    # {"<assignment page id>": ["on_time" | "late" | "missing" | "open" | "early", reviewed]}
    assignments = models.JSONField(default=dict)
    stale = models.BooleanField(default=True)
    computed_at = models.DateTimeField(null=True)  # never computed: counts for nothing yet

    class Meta:
        indexes = [
            models.Index(fields=["cohort"], name="progress_stale", condition=models.Q(stale=True)),
            models.Index(
                fields=["cohort"], name="progress_behind", condition=models.Q(behind=True)
            ),
            models.Index(fields=["small_group"], name="progress_group"),
        ]

    def __str__(self):
        return str(self.membership_id)


class GroupProgress(Totals):
    small_group = models.OneToOneField(
        "people.SmallGroup", on_delete=models.CASCADE, primary_key=True, related_name="progress"
    )
    cohort = models.ForeignKey("people.Cohort", on_delete=models.CASCADE, related_name="+")

    def __str__(self):
        return str(self.small_group_id)


class CohortProgress(Totals):
    cohort = models.OneToOneField(
        "people.Cohort", on_delete=models.CASCADE, primary_key=True, related_name="progress"
    )
    # The cohort's calendar: training days held and assignments due so far.
    calendar_days_held = models.PositiveIntegerField(default=0)
    calendar_assignments_due = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(null=True)
    reconciled_at = models.DateTimeField(null=True)
    # Coalescing refreshes (polku.coalescing): one is wanted since / running since.
    refresh_wanted_at = models.DateTimeField(null=True, blank=True)
    refreshing_since = models.DateTimeField(null=True)
    # Due dates and training days up to this moment are counted (see tasks.calendar_tick).
    calendar_counted_at = models.DateTimeField(null=True)

    def __str__(self):
        return str(self.cohort_id)


class CohortSnapshot(Totals):
    """The cohort's figures at the end of one day, for the chart of the year."""

    cohort = models.ForeignKey("people.Cohort", on_delete=models.CASCADE, related_name="+")
    date = models.DateField()

    class Meta:
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(fields=["cohort", "date"], name="progress_snapshot_once"),
        ]

    def __str__(self):
        return f"{self.cohort_id} · {self.date}"
