from dataclasses import dataclass

import pytest
from django.test import Client

from polku.people.models import Cohort, Membership, Organisation, Role
from programmes.models import AssignmentPage, ProgrammePage, TrainingDayPage
from tests.factories import (
    PASSWORD,
    MembershipFactory,
    SmallGroupFactory,
    UserFactory,
    cohort_calendar_build,
    programme_year_build,
)


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Each test starts with an empty cache: the login's failure counts (per address, and
    every test client is 127.0.0.1) must not lock out the next test."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the site's default language (Finnish), as a fresh process does: a
    request activates its language in the thread and leaves it there, so without this a test
    would read messages in whatever language the test before it asked for."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Runs what is enqueued on commit (emails, renditions), as a real commit would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@dataclass
class World:
    """One cohort with every role, on a five-day path (tests.factories.programme_year_build)."""

    cohort: Cohort
    participant: Membership
    group_mate: Membership
    trainer: Membership
    organiser: Membership
    classmate: Membership  # a participant of the same cohort in another small group

    @property
    def day(self) -> TrainingDayPage:
        return TrainingDayPage.objects.child_of(self.cohort.programme).first()

    @property
    def assignment(self) -> AssignmentPage:
        return AssignmentPage.objects.child_of(self.cohort.programme).first()


def world_build(name: str, programme=None) -> World:
    organisation = organisation_get_or_create(name)
    cohort = Cohort.objects.create(
        organisation=organisation,
        programme=programme or programme_year_build(organisation, title=f"Path {name}"),
        name=f"Cohort {name}",
        slug=f"cohort-{name}",
    )
    cohort_calendar_build(cohort)
    group = SmallGroupFactory(cohort=cohort, name="Group 1")
    return World(
        cohort=cohort,
        participant=MembershipFactory(
            cohort=cohort,
            role=Role.PARTICIPANT,
            small_group=group,
            user=UserFactory(email=f"participant@{name}.test"),
        ),
        group_mate=MembershipFactory(cohort=cohort, role=Role.PARTICIPANT, small_group=group),
        trainer=MembershipFactory(
            cohort=cohort, role=Role.TRAINER, user=UserFactory(email=f"trainer@{name}.test")
        ),
        classmate=MembershipFactory(
            cohort=cohort,
            role=Role.PARTICIPANT,
            small_group=SmallGroupFactory(cohort=cohort, name="Group 2"),
        ),
        organiser=MembershipFactory(
            cohort=cohort, role=Role.ORGANISER, user=UserFactory(email=f"organiser@{name}.test")
        ),
    )


def organisation_get_or_create(name: str) -> Organisation:
    organisation, _created = Organisation.objects.get_or_create(
        slug=f"{name}-oy", defaults={"name": f"{name} Oy"}
    )
    return organisation


def programme_get_or_build(name: str) -> ProgrammePage:
    """World `name`'s programme, owned by the world's organisation."""
    title = f"Path {name}"
    return ProgrammePage.objects.filter(title=title).first() or programme_year_build(
        organisation_get_or_create(name), title=title
    )


@pytest.fixture(scope="session")
def _programmes(django_db_setup, django_db_blocker):
    """Publishing a programme's pages with revisions takes half a second, so the two paths
    are built once, committed, and shared. Transactional tests run last (pytest-django)."""
    with django_db_blocker.unblock():
        return {name: programme_get_or_build(name).id for name in ("a", "b")}


def _programme(programmes, name):
    return ProgrammePage.objects.filter(id=programmes[name]).first() or programme_get_or_build(name)


@pytest.fixture
def world(db, _programmes) -> World:
    return world_build("a", programme=_programme(_programmes, "a"))


@pytest.fixture
def other_world(db, _programmes) -> World:
    """A second organisation's cohort on its own programme."""
    return world_build("b", programme=_programme(_programmes, "b"))


def client_for(user) -> Client:
    client = Client()
    if user is not None:
        assert client.login(email=user.email, password=PASSWORD)
    return client


def tus_send(client, name: str, content: bytes, piece: int = 1024 * 1024, language="en"):
    """Sends a file as the page does, over tus (polku.uploads.resumable), piece by piece;
    returns the last reply: the upload's id is `reply.upload_id` when it arrived whole."""
    import base64

    reply = client.post(
        "/uploads/",
        HTTP_TUS_RESUMABLE="1.0.0",
        HTTP_UPLOAD_LENGTH=str(len(content)),
        HTTP_UPLOAD_METADATA=f"filename {base64.b64encode(name.encode()).decode()}",
        HTTP_ACCEPT_LANGUAGE=language,
    )
    if reply.status_code != 201:
        return reply
    location = reply["Location"]
    for offset in range(0, len(content), piece):
        reply = client.generic(
            "PATCH",
            location,
            content[offset : offset + piece],
            content_type="application/offset+octet-stream",
            HTTP_TUS_RESUMABLE="1.0.0",
            HTTP_UPLOAD_OFFSET=str(offset),
            HTTP_ACCEPT_LANGUAGE=language,
        )
        if reply.status_code != 204:
            return reply
    reply.upload_id = location.rstrip("/").rsplit("/", 1)[-1]
    return reply


def stored_video_build(owner, state="ready", client_key="video"):
    """A video's row as the worker leaves it (no files): for access and privacy tests."""
    from polku.uploads.models import StoredFile

    return StoredFile.objects.create(
        owner=owner,
        client_key=client_key,
        kind=StoredFile.Kind.VIDEO,
        state=state,
        name="video.mp4",
        content_type="video/mp4",
        size=1,
    )


def png_bytes(size=(40, 30), color="green") -> bytes:
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, format="PNG")
    return out.getvalue()


def answer_build(world: World, *, submit=True, assignment=None, text="Pidimme aamukahvit."):
    """The participant's answer (their group's, for a group task) to the world's first
    assignment or the one given, with text and a photo."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from programmes.assignments.parts import answer_parts
    from programmes.assignments.services import answer_file_add, answer_get_or_create, answer_save

    assignment = assignment or world.assignment
    answer = answer_get_or_create(membership=world.participant, assignment=assignment)
    parts = answer_parts(assignment)
    text_part = next(p for p in parts if p.kind == "text")
    photos = next(p for p in parts if p.kind == "photos")
    answer_file_add(
        answer=answer,
        user=world.participant.user,
        part=photos,
        upload=SimpleUploadedFile("board.png", png_bytes()),
        client_key="k1",
    )
    return answer_save(
        answer=answer,
        user=world.participant.user,
        base_version=answer.version,
        content={text_part.id: text},
        submit=submit,
    )


def post_build(world: World, body="Kokeilin aamukahvia. @Anyone?", kind="post", comment=""):
    """A post with a photo in the participant's small group, with a group mate's comment if
    one is given."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from workspaces.services import comment_add, post_create

    post, _errors = post_create(
        group=world.participant.small_group,
        author=world.participant.user,
        body=body,
        kind=kind,
        uploads=[SimpleUploadedFile("taulu.png", png_bytes())],
    )
    if comment:
        comment_add(post=post, author=world.group_mate.user, body=comment)
    return post


def live_question_build(world: World, kind="words", prompt="Mikä jäi mieleen?", options=None):
    """An open live question on the world's first training day."""
    from programmes.live import services

    question = services.question_create(
        cohort=world.cohort, training_day=world.day, kind=kind, prompt=prompt, options=options or {}
    )
    services.question_open(question=question)
    question.refresh_from_db()
    return question


def team_survey_build(world: World, answers: int = 5):
    """The coaching instrument on the world's cohort: a baseline that closed a month ago, with
    `answers` team answers about the participant (and, if any, their own), and an end wave
    open now.
    Returns (survey, baseline, end)."""
    from datetime import timedelta

    from django.utils import timezone

    from impact import services
    from impact.instrument import coaching_survey_add
    from impact.models import Rater, SurveyWave, TeamResponse

    now = timezone.now()
    survey = coaching_survey_add(world.cohort.programme)
    baseline = SurveyWave.objects.create(
        cohort=world.cohort,
        page=survey,
        kind="baseline",
        opens_at=now - timedelta(days=60),
        closes_at=now - timedelta(days=30),
    )
    end = SurveyWave.objects.create(
        cohort=world.cohort,
        page=survey,
        kind="end",
        opens_at=now - timedelta(days=1),
        closes_at=now + timedelta(days=14),
    )
    items = services.current_items(survey)
    for number in range(answers + 1 if answers else 0):
        TeamResponse.objects.create(
            wave=baseline,
            supervisor=world.participant,
            rater=Rater.SELF if number == answers else Rater.TEAM,
            values={str(i.id): 1 + (number + n) % 5 for n, i in enumerate(items) if i.is_statement},
            texts={str(i.id): f"Vastaus {number}" for i in items if not i.is_statement},
        )
    services.wave_figures_build(baseline.id)
    return survey, baseline, end
