"""Trainers' video and sound in materials (issue 18): uploaded in the Wagtail admin, checked
by content, made playable by the worker as a participant's video is, played on a training
day from the web copy with its poster and range requests, and walled in per organisation,
in the admin and out of it."""

import subprocess

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from wagtail.models import Collection

from programmes.models import MaterialMedia, TrainingDayPage
from tests.conftest import client_for
from tests.programmes.test_wagtail_walls import _denied, _trainer
from tests.test_video import _phone_mov, require_ffmpeg

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _ffmpeg(tmp_path, settings):
    require_ffmpeg()
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


@pytest.fixture
def foreigner(world, other_world):
    """A trainer of another organisation, with Wagtail access to their own programme."""
    return client_for(_trainer(other_world))


def _collection(world) -> Collection:
    from polku.people.services import organisation_editors_get

    organisation_editors_get(world.cohort.organisation)
    world.cohort.organisation.refresh_from_db()
    return world.cohort.organisation.collection


def _upload(client, kind, path, collection, title="Aamun roolileikki"):
    with open(path, "rb") as data:
        return client.post(
            reverse("wagtailmedia:add", args=[kind]),
            {
                "title": title,
                "file": SimpleUploadedFile(path.name, data.read()),
                "collection": collection.id,
            },
            HTTP_ACCEPT_LANGUAGE="en",
        )


def _on_the_day(world, media):
    day = TrainingDayPage.objects.child_of(world.cohort.programme).first()
    day.materials = [("media", media)]
    day.save_revision().publish()
    return reverse("cohort_training_day", args=[world.cohort.slug, day.id])


def test_a_trainers_video_plays_on_the_day_for_the_cohort_and_for_nobody_else(
    world, other_world, foreigner, tmp_path, django_capture_on_commit_callbacks
):
    trainer = client_for(_trainer(world))
    with django_capture_on_commit_callbacks(execute=True):
        added = _upload(trainer, "video", _phone_mov(tmp_path), _collection(world))
    assert added.status_code == 302, added.content.decode()[:2000]
    media = MaterialMedia.objects.get()
    assert media.type == "video" and media.playable.state == "ready"
    assert (media.playable.width, media.playable.height) == (240, 320)  # upright

    page = _on_the_day(world, media)
    url = reverse("material_media", args=[media.id])
    participant = client_for(world.participant.user)
    html = participant.get(page).content.decode()
    assert f'poster="{url}" src="{url}?v=video"' in html
    ranged = participant.get(url, {"v": "video"}, HTTP_RANGE="bytes=0-99")
    assert ranged.status_code == 206 and len(b"".join(ranged.streaming_content)) == 100
    # Another organisation, its trainer included: nothing, on the site or in the admin.
    assert client_for(other_world.participant.user).get(url).status_code == 404
    assert foreigner.get(url).status_code == 404
    assert foreigner.get(media.url).status_code == 404  # the uploaded file itself
    assert trainer.get(media.url).status_code == 200
    for admin_url in [
        reverse("wagtailmedia:edit", args=[media.id]),
        reverse("wagtailmedia:delete", args=[media.id]),
    ]:
        _denied(foreigner, foreigner.get(admin_url))
        _denied(foreigner, foreigner.post(admin_url, {"title": "Hacked"}))
    assert "Aamun roolileikki" not in foreigner.get(reverse("wagtailmedia:index")).content.decode()
    media.refresh_from_db()
    assert media.title == "Aamun roolileikki"


def test_a_trainers_sound_plays_as_audio(world, tmp_path, django_capture_on_commit_callbacks):
    sound = tmp_path / "ohje.mp3"
    subprocess.run(
        ["ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", "sine=duration=2", str(sound)],
        check=True,
    )
    trainer = client_for(_trainer(world))
    with django_capture_on_commit_callbacks(execute=True):
        assert _upload(trainer, "audio", sound, _collection(world)).status_code == 302
    media = MaterialMedia.objects.get()
    assert media.type == "audio" and media.playable.state == "ready"
    html = client_for(world.participant.user).get(_on_the_day(world, media)).content.decode()
    url = reverse("material_media", args=[media.id])
    assert f'<audio class="audio" controls preload="none" src="{url}?v=audio">' in html
    served = client_for(world.participant.user).get(url, {"v": "audio"})
    assert served["Content-Type"] == "audio/mp4"


def test_a_renamed_program_is_refused_in_the_admin_with_the_reason(world, tmp_path):
    fake = tmp_path / "video.mp4"
    fake.write_bytes(b"MZ\x90\x00" + b"\x00" * 5000)
    response = _upload(client_for(_trainer(world)), "video", fake, _collection(world))
    assert response.status_code == 200  # the form again
    assert "not accepted" in response.content.decode()
    assert not MaterialMedia.objects.exists()
