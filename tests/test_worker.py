"""A real Celery worker process runs the invitation task, as in production: the web process
only enqueues on commit; the worker reads the invitation again and sends the email once."""

import os
import subprocess
import sys
import time
import uuid
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from polku.celery import app as celery_app
from polku.people.models import Invitation
from polku.people.services import participants_import_csv
from tests.conftest import world_build


def _database_url() -> str:
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{Path(db['NAME']).resolve()}"
    port = f":{db['PORT']}" if db.get("PORT") else ""
    return f"postgres://{db['USER']}@{db['HOST']}{port}/{db['NAME']}"


@contextmanager
def worker_running(tmp_path, kinds=None):
    """A worker process on queues of this test's own (the kinds given, else all), against the
    test database; tasks sent meanwhile go to this test's queues."""
    queue = f"polku-test-{uuid.uuid4().hex[:8]}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "polku.settings.test",
        "DATABASE_URL": _database_url(),
        "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(tmp_path / "mail"),
        "PRIVATE_MEDIA_ROOT": str(settings.PRIVATE_MEDIA_ROOT),
    }
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "polku.celery:app",
            "worker",
            "--pool=solo",
            "-Q",
            ",".join(f"{queue}-{kind}" for kind in kinds or settings.QUEUE_KINDS),
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "--loglevel=INFO",
        ],
        env=env,
        cwd=settings.BASE_DIR,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    previous = celery_app.conf.task_always_eager, celery_app.conf.task_default_queue
    celery_app.conf.task_always_eager = False
    celery_app.conf.task_default_queue = queue
    try:
        yield process
    finally:
        celery_app.conf.task_always_eager, celery_app.conf.task_default_queue = previous
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()


@pytest.fixture
def worker(tmp_path):
    with worker_running(tmp_path) as process:
        yield tmp_path / "mail", process


@pytest.mark.worker
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_real_worker_sends_the_invitation_email_once(worker):
    mail_dir, process = worker
    world = world_build("w")
    participants_import_csv(
        cohort=world.cohort, data=b"name,email,group\nAino Virtanen,aino@example.com,A\n"
    )
    invitation = Invitation.objects.get(membership__user__email="aino@example.com")

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and process.poll() is None:
        invitation.refresh_from_db()
        if invitation.sent_at:
            break
        time.sleep(0.3)
    if not invitation.sent_at:
        process.terminate()
        pytest.fail(
            "the worker did not send the invitation:\n"
            + process.communicate(timeout=20)[0].decode()[-3000:]
        )
    messages = [path.read_text() for path in mail_dir.iterdir()]
    assert len(messages) == 1
    assert "To: aino@example.com" in messages[0]
    assert "/invitation/" in messages[0]


def _scale_question_opened(world):
    from programmes.live import services
    from programmes.live.models import LiveQuestion

    question = services.question_create(
        cohort=world.cohort,
        training_day=world.day,
        kind=LiveQuestion.Kind.SCALE,
        prompt="Miltä nyt tuntuu?",
        options={"min": 1, "max": 5},
    )
    services.question_open(question=question)
    question.refresh_from_db()
    return question


def _wait_for(predicate, process, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and process.poll() is None:
        if predicate():
            return
        time.sleep(0.3)
    process.terminate()
    pytest.fail("the worker did not do it:\n" + process.communicate(timeout=20)[0].decode()[-3000:])


@pytest.mark.worker
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_real_worker_renders_the_photo_and_notifies_the_review_thread(worker, settings):
    from programmes.assignments.models import ReviewComment
    from programmes.assignments.services import review_comment_add
    from tests.conftest import answer_build

    mail_dir, process = worker
    world = world_build("r")
    answer = answer_build(world)  # its photo is rendered by the worker
    photo = answer.files.get().stored_file
    comment = review_comment_add(
        answer=answer, author=world.trainer.user, body="Mitä kokeilet seuraavaksi?"
    )

    def done():
        photo.refresh_from_db()
        return photo.state == "ready" and ReviewComment.objects.get(id=comment.id).notified_at

    _wait_for(done, process)
    messages = [path.read_text() for path in mail_dir.iterdir()]
    assert len(messages) == 1
    assert f"To: {world.participant.user.email}" in messages[0]
    assert photo.display and not photo.original


@pytest.mark.worker
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_burst_of_200_answers_makes_far_fewer_builds_and_a_final_summary_of_all(worker):
    from polku.people.models import Membership, Role, User
    from programmes.live import services
    from programmes.live.models import LiveQuestion, LiveSummary

    _mail_dir, process = worker
    world = world_build("l")
    users = User.objects.bulk_create([User(email=f"room{n}@example.com") for n in range(200)])
    Membership.objects.bulk_create(
        [Membership(user=u, cohort=world.cohort, role=Role.PARTICIPANT) for u in users]
    )
    question = _scale_question_opened(world)
    for n, user in enumerate(users):
        services.answer_submit(question=question, user=user, raw=str(n % 5 + 1))

    def final():
        summary = LiveSummary.objects.filter(question=question).first()
        return summary is not None and summary.data.get("count") == 200

    _wait_for(final, process)
    summary = LiveSummary.objects.get(question=question)
    # Each stored build counts up the version: about one a second while answers arrive, not 200.
    assert summary.version < 50, summary.version
    assert summary.through_seq == LiveQuestion.objects.get(id=question.id).answer_seq
    assert summary.data["distribution"] == {str(n): 40 for n in range(1, 6)}


@pytest.mark.worker
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_real_worker_keeps_progress_equal_to_a_full_recompute(worker):
    """The hypothesis test's events, committed one by one as requests would, refreshed by a
    real worker after each commit (bursts coalesce); then a full recompute changes nothing."""
    import random

    from django.db import transaction

    from progress import rollups
    from progress.models import CohortProgress, ParticipantProgress
    from tests.progress import events as ev

    _mail_dir, process = worker
    world = world_build("p")
    things = ev.setup(world)
    rollups.cohort_reconcile(world.cohort.id)
    chance = random.Random(6)
    for _number in range(30):
        with transaction.atomic():
            ev.run(
                world,
                things,
                chance.choice(ev.KINDS),
                chance.randrange(4),
                chance.randrange(4),
            )

    def settled():
        return (
            not ParticipantProgress.objects.filter(stale=True).exists()
            and CohortProgress.objects.filter(
                cohort=world.cohort, refresh_wanted_at=None, refreshing_since=None
            ).exists()
        )

    _wait_for(settled, process)
    incremental = ev.stored(world.cohort)
    assert rollups.cohort_reconcile(world.cohort.id) == {
        "participants": 0,
        "groups": 0,
        "cohort": False,
        "waiting": 0,
    }
    assert ev.stored(world.cohort) == incremental


@pytest.mark.worker
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_live_summary_never_waits_behind_media_work(tmp_path):
    """Kinds of work have queues of their own: with photos waiting to be rendered (no worker
    on the media queue at all), a worker of the live queue still builds the room's summary."""
    from programmes.live import services
    from programmes.live.models import LiveSummary
    from tests.conftest import answer_build

    with worker_running(tmp_path, kinds=["live"]) as process:
        world = world_build("q")
        photo = answer_build(world).files.get().stored_file  # its rendering goes to media
        question = _scale_question_opened(world)
        services.answer_submit(question=question, user=world.participant.user, raw="4")

        _wait_for(lambda: LiveSummary.objects.filter(question=question).exists(), process)
        photo.refresh_from_db()
        assert photo.state == "processing"  # still waiting in its own queue
        assert LiveSummary.objects.get(question=question).data["count"] == 1


@pytest.mark.worker
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_real_worker_makes_a_phone_video_playable_on_the_media_queue(worker, tmp_path):
    """A phone's MOV (turned on its side, with where it was shot), kept on commit, is made an
    upright H.264 copy with a poster by a worker process, as in production."""
    from tests.factories import UserFactory
    from tests.test_video import _phone_mov, _stored_video, require_ffmpeg

    require_ffmpeg()
    _mail_dir, process = worker
    video = _stored_video(tmp_path, UserFactory(), _phone_mov(tmp_path))

    def done():
        video.refresh_from_db()
        return video.state != "processing"

    _wait_for(done, process)
    assert video.state == "ready" and (video.width, video.height) == (240, 320)
    assert video.full.name.endswith(".mp4") and video.display and not video.original
