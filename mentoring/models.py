"""Mentoring programmes and their pairs.

Kinds: classic (experienced to less experienced), reverse (a junior person mentors a senior
one), peer, and upward coaching (a team member coaches their own supervisor). A pair's content
(goals, notes, sessions' details) belongs to the two; check-in answers go to the programme's
owner; everyone else (organisers, trainers) sees figures only: the pair's rollup fields and
the programme's `figures`, rebuilt in the background (services.FIGURES)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.http import Http404
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.admin.panels import FieldPanel
from wagtail.embeds.blocks import EmbedBlock
from wagtail.fields import StreamField
from wagtail.models import Page

from programmes.blocks import CalloutBlock, ImageBlock


class FocusArea(models.TextChoices):
    CUSTOMERS = "customers", _("Customer acquisition and retention")
    CAPABILITY = "capability", _("Capability building")
    RISK = "risk", _("Risk management")
    SOCIAL_MEDIA = "social_media", _("Social media")
    GLOBAL = "global", _("Globalisation of operations")
    OTHER = "other", _("Something else")


class ProgrammeKind(models.TextChoices):
    CLASSIC = "classic", _("Mentoring")
    REVERSE = "reverse", _("Reverse mentoring")
    PEER = "peer", _("Peer mentoring")
    UPWARD = "upward", _("Upward coaching")


class MentoringProgramme(models.Model):
    """What a mentoring programme must serve, for how long, and how its pairs are followed."""

    organisation = models.ForeignKey(
        "people.Organisation", on_delete=models.CASCADE, related_name="mentoring_programmes"
    )
    # Inside one cohort, or organisation-wide when empty.
    cohort = models.ForeignKey(
        "people.Cohort",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="mentoring_programmes",
    )
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=10, choices=ProgrammeKind.choices)
    focus_area = models.CharField(_("focus area"), max_length=20, choices=FocusArea.choices)
    focus_other = models.CharField(_("focus area, in your words"), max_length=200, blank=True)
    problem = models.TextField(_("the problem it addresses"), max_length=2000, blank=True)
    in_house = models.TextField(_("who already solves it in-house"), max_length=2000, blank=True)
    mentor_criteria = models.TextField(_("what a mentor needs"), max_length=2000, blank=True)
    starts_on = models.DateField(_("starts"))
    ends_on = models.DateField(_("ends"))
    minimum_hours = models.PositiveSmallIntegerField(
        _("minimum hours in the period"),
        default=10,
        validators=[MinValueValidator(1), MaxValueValidator(500)],
    )
    weekly_weeks = models.PositiveSmallIntegerField(
        _("weekly check-ins for the first weeks"),
        default=8,
        validators=[MaxValueValidator(52)],
        help_text=_("Then monthly."),
    )
    recognition_plan = models.TextField(
        _("recognition"),
        max_length=2000,
        blank=True,
        help_text=_("What participants receive and when: a lunch, training of their choice…"),
    )
    # The one organiser who reads the check-ins and acts on pairs at risk.
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    # The rollup: {"active", "paused", "hours", "minimum_hours_total", "minimum_reached",
    # "checkins_due", "checkins_done", "at_risk"}; see services.programme_figures_build.
    figures = models.JSONField(default=dict, editable=False)
    figures_at = models.DateTimeField(null=True, blank=True, editable=False)
    rebuild_wanted_at = models.DateTimeField(null=True, blank=True, editable=False)
    rebuilding_since = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("mentoring programme")
        verbose_name_plural = _("mentoring programmes")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gt=models.F("starts_on")),
                name="mentoring_programme_runs_forwards",
            )
        ]
        indexes = [
            models.Index(
                fields=["rebuild_wanted_at"],
                name="mentoring_figures_wanted",
                condition=models.Q(rebuild_wanted_at__isnull=False),
            )
        ]

    def __str__(self):
        return self.name

    @property
    def is_upward(self) -> bool:
        return self.kind == ProgrammeKind.UPWARD

    def clean(self):
        if self.starts_on and self.ends_on and self.ends_on <= self.starts_on:
            raise ValidationError({"ends_on": _("A programme must end after it starts.")})
        if self.cohort_id and self.cohort.organisation_id != self.organisation_id:
            raise ValidationError({"cohort": _("This cohort belongs to another organisation.")})
        if self.focus_area == FocusArea.OTHER and not self.focus_other.strip():
            raise ValidationError({"focus_other": _("Say what the programme must serve.")})

    def is_running(self, day=None) -> bool:
        day = day or timezone.localdate()
        return self.starts_on <= day <= self.ends_on


class MentorProfile(models.Model):
    """What a person can help with as a mentor and how many pairs they can take, and what
    they want to learn as a mentee: the organiser's suggestions match one to the other."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mentor_profiles"
    )
    organisation = models.ForeignKey(
        "people.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    can_help_with = models.TextField(_("can help with"), max_length=1000, blank=True)
    wants_help_with = models.TextField(_("wants to learn"), max_length=1000, blank=True)
    capacity = models.PositiveSmallIntegerField(
        _("pairs at a time"), default=1, validators=[MinValueValidator(1), MaxValueValidator(10)]
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation"], name="mentoring_profile_once")
        ]

    def __str__(self):
        return f"{self.user} · {self.capacity}"


class PairStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    PAUSED = "paused", _("Paused")
    ENDED = "ended", _("Ended")


class Pair(models.Model):
    """A mentor (or coach) and the person they mentor (or coach) in one programme."""

    programme = models.ForeignKey(
        MentoringProgramme, on_delete=models.CASCADE, related_name="pairs"
    )
    mentor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="pairs_as_mentor"
    )
    mentee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="pairs_as_mentee"
    )
    status = models.CharField(max_length=10, choices=PairStatus.choices, default=PairStatus.ACTIVE)
    status_since = models.DateField(default=timezone.localdate, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    # Figures, written by the programme's rollup only (services.programme_figures_build).
    hours = models.DecimalField(max_digits=6, decimal_places=2, default=0, editable=False)
    last_session_on = models.DateField(null=True, blank=True, editable=False)
    checkins_due = models.PositiveIntegerField(default=0, editable=False)
    checkins_done = models.PositiveIntegerField(default=0, editable=False)
    lowest_recent_score = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)
    risks = models.JSONField(default=list, editable=False)  # Risk values, empty when well

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "mentor", "mentee"], name="mentoring_pair_once"
            ),
            models.CheckConstraint(
                condition=~models.Q(mentor=models.F("mentee")), name="mentoring_pair_two_people"
            ),
        ]

    def __str__(self):
        return f"{self.mentor} → {self.mentee}"

    def has_member(self, user) -> bool:
        return user.id in (self.mentor_id, self.mentee_id)

    def other(self, user):
        return self.mentee if user.id == self.mentor_id else self.mentor

    @property
    def started_on(self):
        return max(timezone.localdate(self.created_at), self.programme.starts_on)


class Risk(models.TextChoices):
    MISSED = "missed", _("Missed check-ins")
    LOW = "low", _("Low check-in score")
    FRICTION = "friction", _("Say they do not get along")
    BUSY = "busy", _("Too busy")
    BEHIND = "behind", _("Hours behind the pace")


class MentoringSession(models.Model):
    """A meeting of the pair: planned ahead (held=False), or logged afterwards (held=True, for
    a casual one in everyday work too). A planned session counts once its day has come,
    unless the pair cancels it (deletes it)."""

    pair = models.ForeignKey(Pair, on_delete=models.CASCADE, related_name="sessions")
    held_on = models.DateField(_("date"))
    minutes = models.PositiveSmallIntegerField(
        _("length in minutes"), validators=[MinValueValidator(5), MaxValueValidator(600)]
    )
    held = models.BooleanField(_("held"), default=True)
    casual = models.BooleanField(_("casual, in everyday work"), default=False)
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-held_on"]

    def __str__(self):
        return f"{self.pair} · {self.held_on}"


class Goal(models.Model):
    """What the mentee (the one coached) wants from the pairing: written and owned by them."""

    pair = models.ForeignKey(Pair, on_delete=models.CASCADE, related_name="goals")
    text = models.CharField(_("goal"), max_length=500)
    done = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["done", "created_at"]

    def __str__(self):
        return self.text


class Note(models.Model):
    """A note shared by the two of a pair."""

    pair = models.ForeignKey(Pair, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    text = models.TextField(_("note"), max_length=4000)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return self.text[:50]


class CheckIn(models.Model):
    """One side's answer for one check-in period (a week in the first phase, then a month):
    read by the programme's owner, never by the other side."""

    pair = models.ForeignKey(Pair, on_delete=models.CASCADE, related_name="checkins")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mentoring_checkins"
    )
    period_start = models.DateField()
    score = models.PositiveSmallIntegerField(
        _("how is it going"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    met = models.BooleanField(_("we met"))
    not_getting_along = models.BooleanField(_("we don't get along"), default=False)
    too_busy = models.BooleanField(_("too busy"), default=False)
    in_the_way = models.CharField(_("anything else in the way"), max_length=1000, blank=True)
    answered_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["pair", "user", "period_start"], name="mentoring_checkin_once"
            )
        ]
        indexes = [models.Index(fields=["pair", "period_start"], name="mentoring_checkin_pair")]

    def __str__(self):
        return f"{self.pair_id} · {self.user_id} · {self.period_start}"


class MilestoneKind(models.TextChoices):
    FIRST_SESSION = "first_session", _("First session")
    HALF = "half", _("Half of the minimum hours")
    MINIMUM = "minimum", _("Minimum hours reached")
    COMPLETED = "completed", _("Period completed")


class Milestone(models.Model):
    """A pair reached a milestone on a day; recorded by the rollup, once."""

    pair = models.ForeignKey(Pair, on_delete=models.CASCADE, related_name="milestones")
    kind = models.CharField(max_length=20, choices=MilestoneKind.choices)
    reached_on = models.DateField()

    class Meta:
        ordering = ["reached_on"]
        constraints = [
            models.UniqueConstraint(fields=["pair", "kind"], name="mentoring_milestone_once")
        ]

    def __str__(self):
        return f"{self.pair_id} · {self.kind}"


class Recognition(models.Model):
    """What the owner gave a participant of the programme: a lunch, training of their
    choice…"""

    programme = models.ForeignKey(
        MentoringProgramme, on_delete=models.CASCADE, related_name="recognitions"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mentoring_recognitions"
    )
    what = models.CharField(_("what was given"), max_length=300)
    given_on = models.DateField(_("given on"), default=timezone.localdate)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["-given_on"]

    def __str__(self):
        return self.what


class CoachInvitation(models.Model):
    """Upward coaching: a supervisor asks a team member, by email, to coach them. Sent one
    at a time in the order added: the next goes when the current coaching ends. Accepting
    makes the team member a minimal account that reaches only their pair."""

    programme = models.ForeignKey(
        MentoringProgramme, on_delete=models.CASCADE, related_name="coach_invitations"
    )
    supervisor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    name = models.CharField(_("name"), max_length=150)
    email = models.EmailField(_("email"))
    position = models.PositiveSmallIntegerField(default=0)
    # Set when it is this invitation's turn; the email goes once (sent_at), and the beat
    # sends again one that was due and never went (a worker that died).
    due_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    pair = models.OneToOneField(
        Pair, on_delete=models.SET_NULL, null=True, blank=True, related_name="invitation"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "supervisor", "email"], name="mentoring_invite_once"
            )
        ]

    def __str__(self):
        return self.email


class GuideAudience(models.TextChoices):
    EVERYONE = "everyone", _("Everyone in a pair")
    MENTORS = "mentors", _("Mentors and coaches")
    MENTEES = "mentees", _("Mentees and those coached")


class GuideStreamBlock(blocks.StreamBlock):
    rich_text = blocks.RichTextBlock(
        label=_("Text"),
        features=["h2", "h3", "bold", "italic", "ol", "ul", "link"],
        template="programmes/blocks/rich_text.html",
    )
    image = ImageBlock()
    video = EmbedBlock(label=_("Video"), icon="media")
    callout = CalloutBlock()


class MentoringGuidePage(Page):
    """Material for the pairs of a programme's mentoring: read inside the pair's space
    (mentoring_guide), where the walls are; the page's own address answers 404."""

    audience = models.CharField(
        _("for"), max_length=10, choices=GuideAudience.choices, default=GuideAudience.MENTORS
    )
    body = StreamField(GuideStreamBlock(), verbose_name=_("content"))

    content_panels = Page.content_panels + [FieldPanel("audience"), FieldPanel("body")]
    parent_page_types = ["programmes.ProgrammePage"]
    subpage_types = []

    class Meta:
        verbose_name = _("mentoring guide")
        verbose_name_plural = _("mentoring guides")

    def serve(self, request, *args, **kwargs):
        raise Http404

    def serve_preview(self, request, mode_name):
        return TemplateResponse(request, "mentoring/guide_preview.html", {"page": self})
