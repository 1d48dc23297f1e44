"""Mentoring programmes and their pairs (issue 15, first step: the programme, mentors'
profiles, pairs and logged sessions; the pair's space, check-ins, recognition and figures
come next).

Kinds: classic (experienced to less experienced), reverse (a junior person mentors a senior
one), peer, and upward coaching (a team member coaches their own supervisor). A pair's content
belongs to the two; organisers and trainers will only ever see figures."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


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
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("mentoring programme")
        verbose_name_plural = _("mentoring programmes")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gt=models.F("starts_on")),
                name="mentoring_programme_runs_forwards",
            )
        ]

    def __str__(self):
        return self.name

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
    """What a mentor can help with, and how many pairs they can take."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mentor_profiles"
    )
    organisation = models.ForeignKey(
        "people.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    can_help_with = models.TextField(_("what I can help with"), max_length=1000)
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
    created_at = models.DateTimeField(default=timezone.now, editable=False)

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


class MentoringSession(models.Model):
    """A meeting of the pair: planned ahead (held=False until it happens) or logged after."""

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
