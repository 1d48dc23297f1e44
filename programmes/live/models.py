"""Live questions on a training day, the room's answers, and the summaries a worker builds.

Every answer write takes the next number of its question's `answer_seq`; a summary records the
newest number it includes (`through_seq`), so a build that finishes late never replaces a
newer summary, and "the final summary includes every answer" can be checked."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from programmes.blocks import LiveQuestionKind


class LiveQuestion(models.Model):
    Kind = LiveQuestionKind  # one list, shared with the questions prepared on a day's page

    class State(models.TextChoices):
        READY = "ready", _("Not opened yet")
        OPEN = "open", pgettext_lazy("state", "Open")
        CLOSED = "closed", _("Closed")

    cohort = models.ForeignKey("people.Cohort", on_delete=models.CASCADE, related_name="+")
    training_day = models.ForeignKey(
        "programmes.TrainingDayPage", on_delete=models.PROTECT, related_name="+"
    )
    # The prepared question on the page this one comes from; empty for one added on the spot.
    block_id = models.CharField(max_length=64, blank=True)
    kind = models.CharField(max_length=12, choices=Kind.choices)
    prompt = models.CharField(_("question"), max_length=300)
    # scale: {"min": 1, "max": 5, "min_label": "", "max_label": ""}; choices: {"choices": [...]};
    # word cloud: {"excluded": [...]} (words the trainer took out)
    options = models.JSONField(default=dict, blank=True)
    anonymous = models.BooleanField(_("anonymous"), default=True)
    state = models.CharField(max_length=8, choices=State.choices, default=State.READY)
    opened_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    hidden = models.BooleanField(default=False)  # kept on the day, not shown to the cohort
    # A commitment question: the assignment where each participant's commitment comes back.
    follow_up = models.ForeignKey(
        "programmes.AssignmentPage",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    answer_seq = models.PositiveBigIntegerField(default=0)
    # Coalescing summary builds (polku.coalescing): a build is wanted since / running since.
    build_wanted_at = models.DateTimeField(null=True, blank=True)
    building_since = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["cohort", "training_day"])]
        constraints = [
            models.UniqueConstraint(
                fields=["cohort", "training_day", "block_id"],
                condition=~models.Q(block_id=""),
                name="live_block_once",
            ),
        ]

    def __str__(self):
        return self.prompt

    @property
    def is_open(self) -> bool:
        return self.state == self.State.OPEN

    @property
    def is_closed(self) -> bool:
        return self.state == self.State.CLOSED

    @property
    def has_words(self) -> bool:
        """Its summary is made of the answers' words, so the trainer can leave words out."""
        return self.kind in (self.Kind.WORDS, self.Kind.OPEN, self.Kind.COMMITMENT)


class LiveAnswer(models.Model):
    question = models.ForeignKey(LiveQuestion, on_delete=models.CASCADE, related_name="answers")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    value = models.JSONField()  # a number, a choice, a list of choices, or text
    seq = models.PositiveBigIntegerField()
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["question", "user"], name="live_one_answer_each"),
        ]

    def __str__(self):
        return f"{self.question_id} · {self.user_id}"


class LiveSummary(models.Model):
    question = models.OneToOneField(LiveQuestion, on_delete=models.CASCADE, related_name="summary")
    version = models.PositiveIntegerField(default=0)
    through_seq = models.PositiveBigIntegerField(default=0)  # the newest answer included
    data = models.JSONField(default=dict)
    built_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return f"{self.question_id} v{self.version}"


class LiveRoom(models.Model):
    """A cohort's training day as a room to join: the short code on the projector."""

    cohort = models.ForeignKey("people.Cohort", on_delete=models.CASCADE, related_name="+")
    training_day = models.ForeignKey(
        "programmes.TrainingDayPage", on_delete=models.CASCADE, related_name="+"
    )
    code = models.CharField(max_length=8, unique=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["cohort", "training_day"], name="live_room_once"),
        ]

    def __str__(self):
        return self.code


class PublishedDay(models.Model):
    """The day's summary as the trainer published it to the cohort: every closed question's
    result as the room saw it, with the trainer's shaping, frozen at publishing (`questions`:
    prompt, kind, count and summary each) and an optional closing note. Publishing again
    corrects it, visibly; unpublishing takes it from the cohort."""

    cohort = models.ForeignKey("people.Cohort", on_delete=models.CASCADE, related_name="+")
    training_day = models.ForeignKey(
        "programmes.TrainingDayPage", on_delete=models.CASCADE, related_name="+"
    )
    questions = models.JSONField(default=list)
    note = models.TextField(_("closing note"), max_length=4000, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    corrections = models.PositiveSmallIntegerField(default=0)
    corrected_at = models.DateTimeField(null=True, blank=True)
    correction_note = models.CharField(_("what was corrected"), max_length=300, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["cohort", "training_day"], name="live_published_once"),
        ]

    def __str__(self):
        return f"{self.cohort_id} · {self.training_day_id}"

    @property
    def is_published(self) -> bool:
        return self.published_at is not None
