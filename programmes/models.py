"""A development path as Wagtail pages, and each cohort's calendar for it.

The page tree is fixed: Paths (index) > Programme > training days and assignments, in the order
an editor arranges them. Dates are not on the pages: two cohorts on the same programme keep
their own calendars in TrainingDaySchedule and AssignmentSchedule."""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, PageChooserPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index
from wagtailmedia.models import AbstractMedia

from polku.uploads.models import PrivateFileSystemStorage

from .blocks import AgendaItemBlock, AnswerPartsBlock, LiveQuestionBlock, MaterialStreamBlock

# An assignment is due soon this long before its due date: the path marks it, and the
# reminder goes to those who have not submitted. One definition for both.
DUE_SOON = timedelta(hours=48)


class GrowthChainStep(models.TextChoices):
    """Where a step of the year sits in the growth chain (PRODUCT.md)."""

    GUIDING_IDEAS = "guiding_ideas", _("Guiding ideas")
    STRATEGY = "strategy", _("Strategy")
    PLAN = "plan", _("Plan")
    OPERATIONS = "operations", _("Day-to-day operations")
    MEASUREMENT = "measurement", _("Measurement")


class ProgrammeIndexPage(Page):
    """The one folder that holds every programme. Participants never see it."""

    max_count = 1
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["programmes.ProgrammePage"]

    class Meta:
        verbose_name = _("paths folder")

    def serve(self, request, *args, **kwargs):
        return redirect("home")


class CohortItemPage(Page):
    """A page a participant reads through a cohort: its public URL forwards a member to the
    cohort's view of it, and answers 404 to anyone else."""

    growth_chain_step = models.CharField(
        _("step in the growth chain"), max_length=20, choices=GrowthChainStep.choices, blank=True
    )

    cohort_url_name: str = ""

    class Meta:
        abstract = True

    def serve(self, request, *args, **kwargs):
        from polku.access import cohorts_running

        cohort = cohorts_running(request.user, self.get_parent().id).first()
        if cohort is None:
            raise Http404
        return redirect(self.cohort_url_name, cohort_slug=cohort.slug, page_id=self.id)


class ProgrammePage(Page):
    # Whose programme this is: only that organisation's trainers may edit it in Wagtail, and
    # only its cohorts may run it (services.programme_editors_sync, Cohort.clean). Null only
    # for programmes made before organisations owned them; an admin must choose one to save.
    organisation = models.ForeignKey(
        "people.Organisation",
        on_delete=models.PROTECT,
        null=True,
        related_name="programmes",
        verbose_name=_("organisation"),
    )
    summary = models.TextField(_("summary"), max_length=600)
    goals = RichTextField(_("goals"), features=["bold", "italic", "ul", "ol", "link"], blank=True)
    audience = models.CharField(_("who it is for"), max_length=255, blank=True)
    duration = models.CharField(
        _("length"), max_length=100, blank=True, help_text=_("For example: 12 months")
    )
    anonymity_threshold = models.PositiveSmallIntegerField(
        _("fewest team answers shown"),
        default=5,
        validators=[MinValueValidator(3), MaxValueValidator(50)],
        help_text=_(
            "A team survey result (a team, a group, a theme, an export row) appears only with "
            "at least this many answers. Never below 3."
        ),
    )

    content_panels = Page.content_panels + [
        FieldPanel("organisation", permission="superuser"),
        FieldPanel("summary"),
        FieldPanel("goals"),
        FieldRowPanel([FieldPanel("audience"), FieldPanel("duration")]),
        FieldPanel("anonymity_threshold"),
    ]
    search_fields = Page.search_fields + [index.SearchField("summary")]
    parent_page_types = ["programmes.ProgrammeIndexPage"]
    subpage_types = [
        "programmes.TrainingDayPage",
        "programmes.AssignmentPage",
        "impact.SurveyPage",
        "mentoring.MentoringGuidePage",
    ]

    class Meta:
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")

    def serve(self, request, *args, **kwargs):
        from polku.access import cohorts_running

        cohort = cohorts_running(request.user, self.id).first()
        if cohort is None:
            raise Http404
        return redirect("cohort_path", cohort_slug=cohort.slug)


class TrainingDayPage(CohortItemPage):
    intro = models.TextField(_("introduction"), blank=True, max_length=1000)
    agenda = StreamField([("item", AgendaItemBlock())], blank=True, verbose_name=_("agenda"))
    materials = StreamField(MaterialStreamBlock(), blank=True, verbose_name=_("materials"))
    live_questions = StreamField(
        [("question", LiveQuestionBlock())],
        blank=True,
        verbose_name=_("live questions"),
        help_text=_("Prepared for the day; open them one by one from the facilitator view."),
    )

    content_panels = Page.content_panels + [
        FieldPanel("intro"),
        FieldPanel("growth_chain_step"),
        FieldPanel("agenda"),
        FieldPanel("materials"),
        FieldPanel("live_questions"),
    ]
    search_fields = Page.search_fields + [index.SearchField("intro")]
    parent_page_types = ["programmes.ProgrammePage"]
    subpage_types = []
    cohort_url_name = "cohort_training_day"
    template = "programmes/training_day.html"  # Wagtail's preview shows the participant view

    class Meta:
        verbose_name = _("training day")
        verbose_name_plural = _("training days")


class AnswerScope(models.TextChoices):
    INDIVIDUAL = "individual", _("Each participant answers")
    SMALL_GROUP = "small_group", _("One shared answer per small group")


class AssignmentPage(CohortItemPage):
    intro = models.TextField(_("introduction"), blank=True, max_length=1000)
    instructions = StreamField(MaterialStreamBlock(), blank=True, verbose_name=_("instructions"))
    answer_parts = StreamField(
        AnswerPartsBlock(),
        blank=True,
        verbose_name=_("what the answer contains"),
        help_text=_("The parts of the answer form participants fill in."),
    )
    answers_shared_in_group = models.BooleanField(
        _("small-group members see each other's answers"),
        default=False,
        help_text=_("For individual answers: members of a small group may read each other's."),
    )
    answer_scope = models.CharField(
        _("who answers"),
        max_length=20,
        choices=AnswerScope.choices,
        default=AnswerScope.INDIVIDUAL,
    )

    content_panels = Page.content_panels + [
        FieldPanel("intro"),
        FieldRowPanel([FieldPanel("answer_scope"), FieldPanel("growth_chain_step")]),
        FieldPanel("answers_shared_in_group"),
        FieldPanel("instructions"),
        FieldPanel("answer_parts"),
    ]
    search_fields = Page.search_fields + [index.SearchField("intro")]
    parent_page_types = ["programmes.ProgrammePage"]
    subpage_types = []
    cohort_url_name = "cohort_assignment"
    template = "assignments/assignment.html"

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")


class CalendarEntry(models.Model):
    """A row of a cohort's calendar for one page of its programme: a span of time that must
    run forwards, for a page of the cohort's own programme."""

    span: tuple[str, str]  # the (start, end) field names
    span_error: str

    class Meta:
        abstract = True

    def clean(self):
        start, end = (getattr(self, name) for name in self.span)
        if start and end and end <= start:
            raise ValidationError({self.span[1]: self.span_error})
        if (
            self.page_id
            and self.cohort_id
            and (self.page.get_parent().id != self.cohort.programme_id)
        ):
            raise ValidationError({"page": _("This page belongs to another programme.")})


class TrainingDaySchedule(CalendarEntry):
    """When and where a cohort holds one training day."""

    cohort = ParentalKey("people.Cohort", on_delete=models.CASCADE, related_name="training_days")
    page = models.ForeignKey(
        TrainingDayPage,
        on_delete=models.CASCADE,
        related_name="schedules",
        verbose_name=_("training day"),
    )
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    place = models.CharField(
        _("place"), max_length=255, blank=True, help_text=_("An address, a room or 'Online: Teams'")
    )
    meeting_url = models.URLField(
        _("online meeting link"),
        max_length=1000,
        blank=True,
        help_text=_(
            "Teams, Zoom, Meet or any address. Shown to the cohort only, on the day, on the "
            "path and in their calendars."
        ),
    )
    cancelled = models.BooleanField(
        _("cancelled"),
        default=False,
        help_text=_("Kept on the path as cancelled, and taken off people's calendars."),
    )
    # How many times what a calendar shows (time, place, link, cancellation) has changed: the
    # SEQUENCE of the day's event in feeds and invitations (programmes.calendars), so that
    # calendars take the newest.
    sequence = models.PositiveIntegerField(default=0, editable=False)
    # Invitations by email (.ics): asked for by a trainer or organiser, then sent again, as an
    # update, whenever the sequence grows (programmes.calendars).
    invitations_on = models.BooleanField(default=False, editable=False)
    invited_sequence = models.PositiveIntegerField(null=True, editable=False)

    span = ("starts_at", "ends_at")
    span_error = _("A day must end after it starts.")
    panels = [
        PageChooserPanel("page", "programmes.TrainingDayPage"),
        FieldRowPanel([FieldPanel("starts_at"), FieldPanel("ends_at")]),
        FieldPanel("place"),
        FieldPanel("meeting_url"),
        FieldPanel("cancelled"),
    ]
    CALENDAR_FIELDS = ("starts_at", "ends_at", "place", "meeting_url", "cancelled", "page_id")

    class Meta:
        verbose_name = _("training day date")
        verbose_name_plural = _("training day dates")
        ordering = ["starts_at"]
        constraints = [
            models.UniqueConstraint(fields=["cohort", "page"], name="programmes_day_once"),
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="programmes_day_ends_after_start",
            ),
        ]

    def __str__(self):
        return f"{self.page} · {self.starts_at:%Y-%m-%d}"

    def save(self, *args, **kwargs):
        if self.pk:
            before = (
                TrainingDaySchedule.objects.filter(pk=self.pk)
                .values_list(*self.CALENDAR_FIELDS)
                .first()
            )
            now = tuple(getattr(self, name) for name in self.CALENDAR_FIELDS)
            if before is not None and before != now:
                self.sequence += 1
        super().save(*args, **kwargs)
        if self.invitations_on and self.invited_sequence != self.sequence:
            from polku.coalescing import enqueue_after_commit

            enqueue_after_commit("programmes.tasks.day_invitations_send", [self.id])


class AssignmentSchedule(CalendarEntry):
    """When an assignment opens and is due for one cohort."""

    cohort = ParentalKey("people.Cohort", on_delete=models.CASCADE, related_name="assignments")
    page = models.ForeignKey(
        AssignmentPage,
        on_delete=models.CASCADE,
        related_name="schedules",
        verbose_name=_("assignment"),
    )
    opens_at = models.DateTimeField(_("opens"))
    due_at = models.DateTimeField(_("due"))

    span = ("opens_at", "due_at")
    span_error = _("The due date must be after the opening date.")
    panels = [
        PageChooserPanel("page", "programmes.AssignmentPage"),
        FieldRowPanel([FieldPanel("opens_at"), FieldPanel("due_at")]),
    ]

    class Meta:
        verbose_name = _("assignment dates")
        verbose_name_plural = _("assignment dates")
        ordering = ["due_at"]
        constraints = [
            models.UniqueConstraint(fields=["cohort", "page"], name="programmes_assignment_once"),
            models.CheckConstraint(
                condition=models.Q(due_at__gt=models.F("opens_at")),
                name="programmes_assignment_due_after_open",
            ),
        ]

    def __str__(self):
        return f"{self.page} · {self.due_at:%Y-%m-%d}"


class PageVisit(models.Model):
    """When a person last opened a page of their path, to show what changed since."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    page = models.ForeignKey(Page, on_delete=models.CASCADE, related_name="+")
    seen_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "page"], name="programmes_visit_once"),
        ]

    def __str__(self):
        return f"{self.user_id} · {self.page_id} · {self.seen_at:%Y-%m-%d}"


class MaterialMediaStorage(PrivateFileSystemStorage):
    """A trainer's video or sound file, kept privately: its address is a view that lets only
    the people of the organisation whose collection holds it in (programmes.media_views), as
    Wagtail's documents."""

    def url(self, name):
        return reverse("material_file", args=[name])


material_media_storage = MaterialMediaStorage()


class MaterialMedia(AbstractMedia):
    """Video and sound for training days and assignments (wagtailmedia's media, with the
    file kept privately). What participants play is `playable`: the same web copy and poster
    the worker makes of a participant's video (polku.uploads), made when the file is saved."""

    file = models.FileField(
        storage=material_media_storage, upload_to="materials", verbose_name=_("file")
    )
    thumbnail = models.FileField(
        storage=material_media_storage,
        upload_to="materials/thumbnails",
        blank=True,
        verbose_name=_("thumbnail"),
    )
    playable = models.OneToOneField(
        "uploads.StoredFile", null=True, blank=True, editable=False, on_delete=models.SET_NULL
    )

    # The worker measures the file; trainers are not asked for its length or size.
    admin_form_fields = ("title", "file", "collection", "thumbnail", "tags")

    class Meta:
        verbose_name = _("video or sound")
        verbose_name_plural = _("videos and sounds")
