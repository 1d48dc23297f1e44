"""Impact surveys: what a supervisor's team says about their leadership, before, during and
after the path, and the supervisor's own view beside it.

- `SurveyPage`: an instrument, a Wagtail page of a programme. Its items live in a StreamField;
  `SurveyItem` rows are their versions (services.survey_items_sync), so that an item that was
  answered never changes meaning: editing it makes a new version, and comparisons follow the
  item's identity (`key`, the block's id).
- `SurveyWave`: when one cohort answers (baseline, midpoint, end), on the cohort's calendar.
- `TeamMember` / `TeamInvitation`: the team a supervisor brought in, and a personal link per
  wave. The invitation records only that it was used.
- `TeamResponse`: one answer sheet. Nothing in it leads back to an invitation or a device: a
  random id, no time, no order.
- `TeamFigures`: each team's sums per wave, rebuilt by Celery; results are read from these.
- `WeeklyReflection`: the supervisor's weekly self-evaluation."""

import uuid

from django.db import models
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, PageChooserPanel
from wagtail.fields import StreamField
from wagtail.models import Page

from programmes.models import CalendarEntry

from .blocks import SurveyStreamBlock

LANGUAGES = ("fi", "en", "sv")


class SurveyPage(Page):
    intro_fi = models.TextField(_("introduction in Finnish"), max_length=1000, blank=True)
    intro_en = models.TextField(_("introduction in English"), max_length=1000, blank=True)
    intro_sv = models.TextField(_("introduction in Swedish"), max_length=1000, blank=True)
    items = StreamField(SurveyStreamBlock(), verbose_name=_("items"))

    content_panels = Page.content_panels + [
        FieldPanel("intro_fi"),
        FieldPanel("intro_en"),
        FieldPanel("intro_sv"),
        FieldPanel("items"),
    ]
    parent_page_types = ["programmes.ProgrammePage"]
    subpage_types = []

    class Meta:
        verbose_name = _("team survey")
        verbose_name_plural = _("team surveys")

    def serve(self, request, *args, **kwargs):
        # Team members answer through their links, supervisors through their cohort.
        raise Http404

    def intro(self, language: str) -> str:
        return getattr(self, f"intro_{language}", "") or self.intro_fi or self.intro_en


class ItemKind(models.TextChoices):
    STATEMENT = "statement", _("Statement")
    OPEN = "open", _("Open question")


class SurveyItem(models.Model):
    """One version of one item of an instrument. Answers point at the version they answered;
    figures and comparisons go by `key`."""

    survey = models.ForeignKey(SurveyPage, on_delete=models.CASCADE, related_name="survey_items")
    key = models.CharField(max_length=36)  # the StreamField block's id: the item's identity
    version = models.PositiveSmallIntegerField(default=1)
    kind = models.CharField(max_length=10, choices=ItemKind.choices)
    texts = models.JSONField(default=dict)  # {"fi": ..., "en": ..., "sv": ...}
    section = models.JSONField(default=dict)  # the section's title, the same way
    theme = models.CharField(max_length=60, blank=True)
    growth_chain_step = models.CharField(max_length=20, blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    is_current = models.BooleanField(default=True)  # the version the instrument asks now

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "key", "version"], name="impact_item_version_once"
            )
        ]

    def __str__(self):
        return f"{self.text('fi')} (v{self.version})"

    def text(self, language: str) -> str:
        return self.texts.get(language) or self.texts.get("fi") or self.texts.get("en", "")

    def section_title(self, language: str) -> str:
        return self.section.get(language) or self.section.get("fi") or ""

    @property
    def is_statement(self) -> bool:
        return self.kind == ItemKind.STATEMENT


class WaveKind(models.TextChoices):
    BASELINE = "baseline", _("Baseline")
    MIDPOINT = "midpoint", _("Midpoint")
    END = "end", _("End")


class SurveyWave(CalendarEntry):
    """When a cohort's supervisors and their teams answer an instrument."""

    cohort = ParentalKey("people.Cohort", on_delete=models.CASCADE, related_name="survey_waves")
    page = models.ForeignKey(
        SurveyPage, on_delete=models.CASCADE, related_name="waves", verbose_name=_("survey")
    )
    kind = models.CharField(_("wave"), max_length=10, choices=WaveKind.choices)
    opens_at = models.DateTimeField(_("opens"))
    closes_at = models.DateTimeField(_("closes"))
    # Set when the wave's opening invitations went out (tasks.waves_open_send).
    invitations_sent_at = models.DateTimeField(null=True, blank=True, editable=False)

    span = ("opens_at", "closes_at")
    span_error = _("A wave must close after it opens.")
    panels = [
        PageChooserPanel("page", "impact.SurveyPage"),
        FieldPanel("kind"),
        FieldRowPanel([FieldPanel("opens_at"), FieldPanel("closes_at")]),
    ]

    class Meta:
        verbose_name = _("survey wave")
        verbose_name_plural = _("survey waves")
        ordering = ["opens_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["cohort", "page", "kind"], name="impact_wave_kind_once"
            ),
        ]

    def __str__(self):
        return f"{self.page.title}: {self.get_kind_display()}"

    def is_open(self, now=None) -> bool:
        now = now or timezone.now()
        return self.opens_at <= now < self.closes_at

    def has_closed(self, now=None) -> bool:
        return (now or timezone.now()) >= self.closes_at


class TeamMember(models.Model):
    """Someone in a supervisor's team, by email only: no account."""

    supervisor = models.ForeignKey(
        "people.Membership", on_delete=models.CASCADE, related_name="team_members"
    )
    email = models.EmailField()
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["supervisor", "email"], name="impact_member_once")
        ]

    def __str__(self):
        return self.email


class TeamInvitation(models.Model):
    """A team member's personal single-use link for one wave. It records that it was used,
    not when, and nothing leads from it to the answers."""

    wave = models.ForeignKey(SurveyWave, on_delete=models.CASCADE, related_name="invitations")
    member = models.ForeignKey(TeamMember, on_delete=models.CASCADE, related_name="invitations")
    sent_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    used = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["wave", "member"], name="impact_invitation_once")
        ]

    def __str__(self):
        return f"{self.wave} · {self.member}"


class Rater(models.TextChoices):
    TEAM = "team", _("Team")
    SELF = "self", _("Self")


class TeamResponse(models.Model):
    """One answer sheet: a team member's about their supervisor, or the supervisor's own.
    `values` maps a SurveyItem id to 1–5, or 0 for "can't say"; `texts` to an open answer.
    Items left out are not answered (partial answers count, item by item)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)  # no order
    wave = models.ForeignKey(SurveyWave, on_delete=models.CASCADE, related_name="responses")
    supervisor = models.ForeignKey("people.Membership", on_delete=models.CASCADE, related_name="+")
    rater = models.CharField(max_length=4, choices=Rater.choices)
    values = models.JSONField(default=dict)
    texts = models.JSONField(default=dict)

    class Meta:
        indexes = [models.Index(fields=["wave", "supervisor", "rater"])]
        constraints = [
            models.UniqueConstraint(
                fields=["wave", "supervisor"],
                condition=models.Q(rater="self"),
                name="impact_self_once_per_wave",
            )
        ]

    def __str__(self):
        return f"{self.wave} · {self.get_rater_display()}"


class TeamFigures(models.Model):
    """One team's sums for one wave, from its team responses (never the supervisor's own):
    `items` maps an item key to {"n": answers on the scale, "sum", "sumsq", "dist": [count
    of 1, ..., count of 5], "cant_say"}. Rebuilt after each response (coalesced)."""

    wave = models.ForeignKey(SurveyWave, on_delete=models.CASCADE, related_name="figures")
    supervisor = models.ForeignKey("people.Membership", on_delete=models.CASCADE, related_name="+")
    responses = models.PositiveIntegerField(default=0)
    items = models.JSONField(default=dict)
    computed_at = models.DateTimeField(null=True, blank=True)
    rebuild_wanted_at = models.DateTimeField(null=True, blank=True)
    rebuilding_since = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["wave", "supervisor"], name="impact_figures_once")
        ]
        indexes = [
            models.Index(
                fields=["rebuild_wanted_at"],
                name="impact_figures_wanted",
                condition=models.Q(rebuild_wanted_at__isnull=False),
            )
        ]

    def __str__(self):
        return f"{self.wave} · {self.responses}"


class WeeklyReflection(models.Model):
    """A supervisor's weekly self-evaluation: private unless they share it with their
    trainer."""

    membership = models.ForeignKey(
        "people.Membership", on_delete=models.CASCADE, related_name="reflections"
    )
    week = models.DateField()  # the Monday of the week
    went_well = models.TextField(_("What went well"), max_length=2000, blank=True)
    develop = models.TextField(_("What I will develop"), max_length=2000, blank=True)
    act = models.TextField(_("One act of leadership I did"), max_length=2000, blank=True)
    shared_with_trainer = models.BooleanField(_("Share with my trainer"), default=False)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-week"]
        constraints = [
            models.UniqueConstraint(fields=["membership", "week"], name="impact_reflection_once")
        ]

    def __str__(self):
        return f"{self.membership} · {self.week}"


class ReflectionHabit(models.Model):
    """Whether the supervisor wants the gentle weekly reminder (on unless switched off)."""

    membership = models.OneToOneField(
        "people.Membership", on_delete=models.CASCADE, related_name="reflection_habit"
    )
    weekly_reminder = models.BooleanField(default=True)

    def __str__(self):
        return f"{self.membership} · {self.weekly_reminder}"
