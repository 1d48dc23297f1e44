"""Factories for every model the tests build. tests/programmes/test_pages.py fails if a page
model has none."""

from datetime import timedelta

import factory
import wagtail_factories
from django.utils import timezone

from polku.people.models import Cohort, Membership, Organisation, Role, SmallGroup, User
from programmes.models import (
    AssignmentPage,
    AssignmentSchedule,
    ProgrammeIndexPage,
    ProgrammePage,
    TrainingDayPage,
    TrainingDaySchedule,
)

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
    parent = factory.LazyFunction(
        lambda: (
            ProgrammeIndexPage.objects.first()
            or ProgrammeIndexPageFactory(
                parent=wagtail_factories.PageFactory._meta.model.get_first_root_node()
            )
        )
    )

    class Meta:
        model = ProgrammePage


class TrainingDayPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Training day {n}")
    parent = factory.SubFactory(ProgrammePageFactory)

    class Meta:
        model = TrainingDayPage


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
