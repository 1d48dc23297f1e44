"""Factories for every model the tests build. tests/programmes/test_pages.py fails if a page
model has none."""

from datetime import datetime, time, timedelta

import factory
import wagtail_factories
from django.utils import timezone

from impact.instrument import coaching_stream
from impact.models import SurveyPage
from mentoring.models import MentoringGuidePage
from polku.people.models import Cohort, Membership, Organisation, Role, SmallGroup, User
from programmes.models import (
    AnswerScope,
    AssignmentPage,
    AssignmentSchedule,
    ProgrammeIndexPage,
    ProgrammePage,
    TrainingDayPage,
    TrainingDaySchedule,
)
from programmes.services import programme_index_get

PASSWORD = "a-long-test-password"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.com")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def saved(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class ProgrammeIndexPageFactory(wagtail_factories.PageFactory):
    title = "Paths"

    class Meta:
        model = ProgrammeIndexPage


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Organisation {n}")
    slug = factory.Sequence(lambda n: f"organisation-{n}")


class ProgrammePageFactory(wagtail_factories.PageFactory):
    organisation = factory.SubFactory(OrganisationFactory)
    title = factory.Sequence(lambda n: f"Programme {n}")
    summary = "A year of leadership development."
    parent = factory.LazyFunction(programme_index_get)  # the site's paths folder

    class Meta:
        model = ProgrammePage


class TrainingDayPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Training day {n}")
    parent = factory.SubFactory(ProgrammePageFactory)

    class Meta:
        model = TrainingDayPage


class MentoringGuidePageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Mentoring guide {n}")
    parent = factory.SubFactory(ProgrammePageFactory)
    audience = "everyone"
    body = factory.LazyFunction(lambda: [("rich_text", "<p>Kysy ennemmin kuin neuvo.</p>")])

    class Meta:
        model = MentoringGuidePage


class SurveyPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Team survey {n}")
    parent = factory.SubFactory(ProgrammePageFactory)
    items = factory.LazyFunction(coaching_stream)

    class Meta:
        model = SurveyPage


class AssignmentPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Assignment {n}")
    parent = factory.SubFactory(ProgrammePageFactory)

    class Meta:
        model = AssignmentPage


class CohortFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Cohort

    organisation = factory.SubFactory(OrganisationFactory)
    programme = factory.SubFactory(
        ProgrammePageFactory, organisation=factory.SelfAttribute("..organisation")
    )
    name = factory.Sequence(lambda n: f"Cohort {n}")
    slug = factory.Sequence(lambda n: f"cohort-{n}")


class SmallGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SmallGroup

    cohort = factory.SubFactory(CohortFactory)
    name = factory.Sequence(lambda n: f"Group {n}")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    cohort = factory.SubFactory(CohortFactory)
    role = Role.PARTICIPANT
    # Joined before the year began (demo calendars reach 90 days back): counted for all of it.
    created_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=365))
    joined_at = factory.SelfAttribute("created_at")


class TrainingDayScheduleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TrainingDaySchedule

    cohort = factory.SubFactory(CohortFactory)
    page = factory.SubFactory(TrainingDayPageFactory)
    starts_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=7))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + timedelta(hours=7))
    place = "Helsinki"


class AssignmentScheduleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AssignmentSchedule

    cohort = factory.SubFactory(CohortFactory)
    page = factory.SubFactory(AssignmentPageFactory)
    opens_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=1))
    due_at = factory.LazyAttribute(lambda o: o.opens_at + timedelta(days=28))


# -- a year's path ---------------------------------------------------------------------------

# Days from today on which the five training days fall: two behind us, three ahead.
DAY_OFFSETS = [-90, -20, 50, 120, 200]
GROWTH_CHAIN = ["guiding_ideas", "strategy", "plan", "operations", "measurement"]


def _question(kind: str, prompt: str, anonymous: bool = True, **value) -> dict:
    return {
        "type": "question",
        "value": {
            "kind": kind,
            "prompt": prompt,
            "choices": [],
            "scale_max": "5",
            "min_label": "",
            "max_label": "",
            "anonymous": anonymous,
            **value,
        },
    }


def _published(page):
    page.save_revision().publish()  # as an editor publishes: with a revision
    return page


def programme_year_build(organisation: Organisation, title: str) -> ProgrammePage:
    """A published five-day path with an assignment after each day, like a trainer builds:
    three prepared live questions a day; each assignment asks for text, up to five photos, two
    reflections and optional files; the third is answered by each small group together."""
    from programmes.services import programme_editors_sync

    programme = _published(ProgrammePageFactory(organisation=organisation, title=title))
    for number, step in enumerate(GROWTH_CHAIN, start=1):
        _published(
            TrainingDayPageFactory(
                parent=programme,
                title=f"Day {number}",
                intro=f"What day {number} is about.",
                growth_chain_step=step,
                agenda=[{"type": "item", "value": {"time": "9.00–16.00", "title": "Work"}}],
                live_questions=[
                    _question("scale", "How ready are you?", min_label="not", max_label="very"),
                    _question("words", "One word about today?"),
                    _question("commitment", "What will you try?", anonymous=False),
                ],
                materials=[{"type": "rich_text", "value": f"<p>Material of day {number}</p>"}],
            )
        )
        _published(
            AssignmentPageFactory(
                parent=programme,
                title=f"Assignment {number}",
                intro=f"Try it with your team ({number}).",
                growth_chain_step=step,
                answer_scope=AnswerScope.SMALL_GROUP if number == 3 else AnswerScope.INDIVIDUAL,
                instructions=[{"type": "rich_text", "value": "<p>Try it and tell us.</p>"}],
                answer_parts=[
                    {"type": "text", "value": {"label": "What did you do?", "help_text": ""}},
                    {"type": "photos", "value": {"label": "A photo", "max_photos": 5}},
                    {
                        "type": "reflection",
                        "value": {"question": "What next?", "kind": "text", "choices": []},
                    },
                    {
                        "type": "reflection",
                        "value": {
                            "question": "How well did it go?",
                            "kind": "scale",
                            "choices": [],
                        },
                    },
                    {"type": "files", "value": {"label": "Attachments (optional)"}},
                ],
            )
        )
    programme_editors_sync(programme=programme)
    return programme


def cohort_calendar_build(cohort: Cohort, today=None) -> None:
    """Dates for the cohort's days and assignments around today: each assignment opens when
    its day ends and is due a week before the next day (the last, five weeks after)."""
    today = (today or timezone.localtime()).date()
    tz = timezone.get_current_timezone()
    days = list(TrainingDayPage.objects.child_of(cohort.programme))
    assignments = list(AssignmentPage.objects.child_of(cohort.programme))
    starts = [datetime.combine(today + timedelta(days=o), time(9), tz) for o in DAY_OFFSETS]
    for number, (day, assignment) in enumerate(zip(days, assignments, strict=True)):
        start = starts[number]
        TrainingDayScheduleFactory(
            cohort=cohort, page=day, starts_at=start, ends_at=start + timedelta(hours=7)
        )
        last = number + 1 == len(starts)
        AssignmentScheduleFactory(
            cohort=cohort,
            page=assignment,
            opens_at=start + timedelta(hours=7),
            due_at=start + timedelta(days=35) if last else starts[number + 1] - timedelta(days=7),
        )
